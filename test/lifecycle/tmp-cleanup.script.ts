/**
 * A harness process whose temp directory use test/lifecycle/tmp-cleanup.test.ts inspects from
 * outside (it sets TMPDIR to a directory of its own). Plain Node, no test runner:
 *   node --import tsx test/lifecycle/tmp-cleanup.script.ts <mode> [runner|worker|process]
 * dispose: invoke once, dispose, print {"tmpdir", "left"} (what remains in TMPDIR);
 * exit:    invoke once and exit without dispose;
 * hang:    invoke once, print "ready" and wait to be killed.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFunction } from '../../src/index.js';

const [mode = 'dispose', kind = 'runner'] = process.argv.slice(2);
const handler = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/lifecycle/tmp-writer.mjs',
);

const fn = createFunction({
  handler,
  handlerName: 'tmp-writer.handler',
  environment: kind as 'runner' | 'worker' | 'process',
});
const result = await fn.invoke({});
if (result.outcome !== 'success') throw new Error(`invoke: ${JSON.stringify(result)}`);
const { tmpdir } = result.response as { tmpdir: string };
if (mode === 'dispose') {
  await fn.dispose();
  console.log(JSON.stringify({ tmpdir, left: readdirSync(os.tmpdir()) }));
} else if (mode === 'hang') {
  console.log(JSON.stringify({ tmpdir }));
  console.log('ready');
  setInterval(() => undefined, 1000);
}
