/**
 * Containment benchmark: `npx tsx bench/containment.ts [--quick]`, or through `npm run bench`. What putting the runner's globals back
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
 * Env: BENCH_ITER (default 20000; 5000 with --quick).
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
import { type BenchOptions, type BenchRow, isMain, printRows, standaloneOptions } from './support/row.js';

let ITER = Number(process.env.BENCH_ITER ?? 20_000);
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

/** The per-boundary costs and the warm path with and without containment, in CPU time. */
export async function run(options: BenchOptions): Promise<BenchRow[]> {
  if (options.quick && process.env.BENCH_ITER === undefined) ITER = 5000;
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
  if (mismatches > 0) throw new Error(`${mismatches} checks of an unchanged snapshot did not match (a bug)`);

  console.log(
    `${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${loadBefore} at the start and ${load()} at the end, ${ITER} iterations`,
  );
  const us = (c: Cost) => `${c.cpu.toFixed(1)} us CPU (${c.wall.toFixed(1)} us wall)`;
  const row = (measure: string, c: Cost, extra?: Partial<BenchRow>): BenchRow => ({
    area: 'containment',
    measure,
    baseline: `direct await handler() (${direct.cpu.toFixed(2)} us CPU)`,
    ratio: c.cpu / direct.cpu,
    detail: us(c),
    ...extra,
  });
  const overhead = invoke.cpu - direct.cpu;
  return [
    row('check of the kept snapshot (every boundary)', check),
    row('new snapshot (a boundary after the test changed its globals)', snapshot),
    row(`Reflect.ownKeys(globalThis) alone (${globalKeys} keys): the floor of an exact check`, ownKeys),
    row('snapshot + diff + restore (the per-boundary work before the kept snapshot)', former),
    row('warm invokeHandler, containment on', invoke, {
      target: '<= 5 us over a direct call',
      met: overhead <= 5,
      detail: `${us(invoke)}; ${overhead.toFixed(1)} us CPU over the direct call`,
      headline: true,
    }),
    row('warm invokeHandler, containment detached (diagnostic)', withoutContainment, {
      detail: `${us(withoutContainment)}; ${(withoutContainment.cpu - direct.cpu).toFixed(1)} us CPU over the direct call`,
    }),
  ];
}

if (isMain(import.meta.url)) printRows(await run(standaloneOptions()));
