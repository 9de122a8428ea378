/**
 * Containment benchmark: `npx tsx bench/containment.ts`. What putting the runner's globals back
 * costs per invocation, as ratios on the same machine:
 * 1. one snapshot + diff + restore of the tracked globals, against a direct `await handler()`;
 * 2. a warm invokeHandler of a trivial handler (containment included), against the same direct call.
 *
 * Env: BENCH_ITER (default 20000).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { diffSnapshot, restoreSnapshot, takeSnapshot } from '../src/invoke/containment/globals.js';
import { invokeHandler } from '../src/invoke/index.js';

const ITER = Number(process.env.BENCH_ITER ?? 20_000);
const handler = async () => ({ ok: true });

async function perOp(fn: () => unknown): Promise<number> {
  for (let i = 0; i < ITER / 10; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < ITER; i++) await fn();
  return ((performance.now() - t0) / ITER) * 1000;
}

const direct = await perOp(() => handler());
const snapshot = await perOp(() => {
  const s = takeSnapshot();
  restoreSnapshot(s, diffSnapshot(s));
});
const invoke = await perOp(() => invokeHandler(handler, {}));
console.log(
  `load average ${os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}, ${ITER} iterations`,
);
console.table({
  'direct await handler()': { 'us/op': direct.toFixed(2), 'x direct': '1.0' },
  'snapshot + diff + restore': { 'us/op': snapshot.toFixed(2), 'x direct': (snapshot / direct).toFixed(1) },
  'invokeHandler (warm)': { 'us/op': invoke.toFixed(2), 'x direct': (invoke / direct).toFixed(1) },
});
