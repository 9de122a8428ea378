import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bump } from './counter';
import { price } from './price';

// Init code: runs once per execution environment.
let calls = 0;
// Counted on a probe object the test owns: the harness removes the globals a module adds at init.
const holder = globalThis as { __lifecycleProbe?: { entryEvaluations?: number } };
holder.__lifecycleProbe ??= {};
const g = holder.__lifecycleProbe;
g.entryEvaluations = (g.entryEvaluations ?? 0) + 1;
const initType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;

type Event = { action?: 'write' | 'read' | 'hang' | 'exit'; text?: string; wait?: number };

export const handler = async (event: Event) => {
  calls += 1;
  const file = path.join(os.tmpdir(), 'state.txt');
  if (event.wait) await new Promise((resolve) => setTimeout(resolve, event.wait));
  if (event.action === 'write') writeFileSync(file, event.text ?? '');
  if (event.action === 'hang') await new Promise(() => setTimeout(() => undefined, 60_000));
  if (event.action === 'exit') process.exit(1);

  return {
    entryCalls: calls,
    libCalls: bump(),
    price: price(),
    initType,
    tmpdir: os.tmpdir(),
    text: event.action === 'read' && existsSync(file) ? readFileSync(file, 'utf8') : undefined,
  };
};
