// Pending work is the environment's real pending work (issue 12, item 1): the reported repros.
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';

const require = createRequire(import.meta.url);
const IMPORT_AT_INIT = require.resolve('../fixtures/invoke/pending/import-at-init.cjs');

const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

describe('reported repros', () => {
  it('a callback handler completing from zlib.gunzip answers with its value on nodejs22.x (was null after ~30 ms)', async () => {
    const gz = (_e: unknown, _c: unknown, cb: (err: unknown, r?: unknown) => void) =>
      zlib.gunzip(zlib.gzipSync('hello'), (err, r) => cb(err, r.toString()));
    const result = await invokeHandler(gz, {}, { runtime: 'nodejs22.x' });
    expect(result.outcome).toBe('success');
    expect(result.outcome === 'success' && result.response).toBe('hello');
  });

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    "a CommonJS handler awaiting an init-time import('./dep.mjs') completes its first invoke [%s]",
    async (runtime) => {
      const fn = createFunction({
        handler: () => require(IMPORT_AT_INIT),
        handlerName: 'index.handler',
        runtime,
        isolation: {
          name: 'cjs-cache',
          load: async (load) => {
            delete require.cache[IMPORT_AT_INIT];
            return load();
          },
        },
      });
      fns.push(fn);
      const first = await fn.invoke({});
      expect(first.outcome === 'success' && first.response).toBe('from dep.mjs');
      const second = await fn.invoke({});
      expect(second.outcome === 'success' && second.coldStart).toBe(false);
      expect(second.outcome !== 'throttled' && second.report.initDurationMs).toBeUndefined();
    },
  );
});
