/**
 * Containment benchmark: `npx tsx bench/containment.ts`. What putting the runner's globals back
 * costs per invocation, in CPU time (process.cpuUsage: user + system, which load from other
 * processes disturbs less than wall time), as ratios against a direct call in the same process:
 * 1. the check every boundary runs (the kept snapshot still matches: own keys and descriptors of
 *    the tracked objects, cwd, exitCode, listeners);
 * 2. what a boundary costs when the test changed its globals since the last one (a new snapshot),
 *    the former per-boundary work (snapshot + diff + restore, no kept snapshot), and one
 *    `Reflect.ownKeys(globalThis)` (the floor of knowing that no global was added);
 * 3. a warm invokeHandler of a trivial handler, and the same with containment detached from the
 *    engine (diagnostic only: it shows how much of the warm path is containment).
 *
 * Env: BENCH_ITER (default 20000).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  diffSnapshot,
  matchesSnapshot,
  restoreSnapshot,
  takeSnapshot,
} from '../src/invoke/containment/globals.js';
import { containmentHooks } from '../src/invoke/containment/index.js';
import { invokeHandler } from '../src/invoke/index.js';

const ITER = Number(process.env.BENCH_ITER ?? 20_000);
const handler = async () => ({ ok: true });

interface Cost {
  readonly wall: number;
  readonly cpu: number;
}

async function perOp(fn: () => unknown, iterations = ITER): Promise<Cost> {
  for (let i = 0; i < iterations / 10; i++) await fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const wall = ((performance.now() - t0) / iterations) * 1000;
  const used = process.cpuUsage(cpu0);
  return { wall, cpu: (used.user + used.system) / iterations };
}

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const loadBefore = load();
const direct = await perOp(() => handler());
const snap = takeSnapshot();
let mismatches = 0;
const check = await perOp(() => {
  if (!matchesSnapshot(snap)) mismatches++;
});
const snapshot = await perOp(() => takeSnapshot(), Math.ceil(ITER / 4));
const globalKeys = Reflect.ownKeys(globalThis).length;
const ownKeys = await perOp(() => Reflect.ownKeys(globalThis));
const former = await perOp(
  () => {
    const s = takeSnapshot();
    restoreSnapshot(s, diffSnapshot(s));
  },
  Math.ceil(ITER / 4),
);
const invoke = await perOp(() => invokeHandler(handler, {}));
const hooks = { begins: containmentHooks.begins, ends: containmentHooks.ends };
const detached = containmentHooks as { begins?: unknown; ends?: unknown };
detached.begins = () => {};
detached.ends = () => {};
const withoutContainment = await perOp(() => invokeHandler(handler, {}));
Object.assign(containmentHooks, hooks);

console.log(
  `${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${loadBefore} at the start and ${load()} at the end, ${ITER} iterations${mismatches > 0 ? `, ${mismatches} checks did not match (a bug)` : ''}`,
);
const row = (c: Cost) => ({
  'cpu us/op': c.cpu.toFixed(2),
  'wall us/op': c.wall.toFixed(2),
  'x direct (cpu)': (c.cpu / direct.cpu).toFixed(1),
});
console.table({
  'direct await handler()': row(direct),
  'check of the kept snapshot (every boundary)': row(check),
  'new snapshot (a boundary after the test changed globals)': row(snapshot),
  [`Reflect.ownKeys(globalThis) alone (${globalKeys} keys)`]: row(ownKeys),
  'snapshot + diff + restore (the former per-boundary work)': row(former),
  'invokeHandler (warm)': row(invoke),
  'invokeHandler (warm), containment detached: diagnostic': row(withoutContainment),
});
