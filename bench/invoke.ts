/**
 * Invoker benchmark: `npx tsx bench/invoke.ts [--quick]` (one process, prints tables), or through
 * `npm run bench` (bench/index.ts), which takes the rows `run` returns.
 *
 * 1. Warm invoke cost of a trivial handler: a direct `await handler(event, context)` (baseline),
 *    invokeHandler, lambda-local and lambda-tester, without and with three console.log lines.
 * 2. Real-time timeout accuracy: a never-settling handler (it keeps an interval, so the loop never
 *    drains) with a 100 ms timeout, 10,000 trials run concurrently in batches; lateness of each
 *    report against its deadline (p50/p99/max) and whether every trial was reported as a timeout.
 * 3. A 15-minute timeout in virtual time.
 * 4. Engine rows (issue 12): the first 1,000 invokes of the process against steady state; warm
 *    fn.invoke() over a direct call; the per-invoke cost with 10,000 unrelated pending timers in
 *    the process against the clean row.
 *
 * Env: BENCH_TRIALS (default 10000), BENCH_BATCH (default 100), BENCH_ITER (default 20000),
 * BENCH_ONLY (sections to run, comma-separated: engine, warm, virtual, timeout; default all).
 */
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sqsEvent } from '../src/events/index.js';
import { invokeHandler } from '../src/invoke/index.js';
import { createFunction } from '../src/lifecycle/index.js';
import { type BenchOptions, type BenchRow, isMain, standaloneOptions } from './support/row.js';

const require = createRequire(import.meta.url);
const lambdaLocal = require('lambda-local') as {
  execute(opts: Record<string, unknown>): Promise<unknown>;
  setLogger(logger: unknown): void;
  getLogger(): { level: string; transports: unknown[] };
};
const LambdaTester = require('lambda-tester') as (h: Function) => {
  event(e: unknown): { expectResult(fn?: (r: unknown) => void): Promise<unknown> };
};

let ITER = Number(process.env.BENCH_ITER ?? 20_000);
let TRIALS = Number(process.env.BENCH_TRIALS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
let VIRTUAL_RUNS = 200;
/** Invokes between the first 1,000 and the steady-state measurement. */
let WARM_UP = 20_000;
let quickRun = false;
/** Rows for `npm run bench`, filled as the sections run. */
const rows: BenchRow[] = [];

const event = { id: 1, name: 'bench' };
const context = {
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  getRemainingTimeInMillis: () => 3000,
};
const quiet = async (e: { id: number }) => ({ ok: true, id: e.id });
const chatty = async (e: { id: number }) => {
  console.log('first line');
  console.log('second line %d', e.id);
  console.log({ third: 'line' });
  return { ok: true, id: e.id };
};

/** Process CPU time of the last `measure` call, in us per call (less sensitive to machine load). */
let lastCpuUs = 0;

async function measure(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const warm = Math.min(2_000, iterations);
  for (let i = 0; i < warm; i++) await fn();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  const wall = ((performance.now() - start) / iterations) * 1000; // us per call
  const used = process.cpuUsage(cpu);
  lastCpuUs = (used.user + used.system) / iterations;
  return wall;
}

function table(rows: Record<string, string | number>[]): void {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i] ?? 0)).join(' | ')} |`;
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}

async function warmInvokes(): Promise<void> {
  // lambda-local prints through its own logger; silence it so the terminal stays readable.
  const realLog = console.log;
  const lines: Record<string, string | number>[] = [];
  for (const [label, handler, lines_] of [
    ['trivial handler', quiet, 0],
    ['3 console.log lines', chatty, 3],
  ] as const) {
    // The direct call of the chatty handler would print 3 lines per call; give it a no-op console
    // (the cheapest possible sink) so the baseline is the handler's own cost.
    console.log = () => {};
    const direct = await measure(() => handler(event), ITER);
    const directCpu = lastCpuUs;
    console.log = realLog;
    const harness = await measure(() => invokeHandler(handler, event), ITER);
    const harnessCpu = lastCpuUs;
    console.log = () => {};
    const local = await measure(
      () =>
        lambdaLocal.execute({
          event,
          lambdaFunc: { handler },
          lambdaHandler: 'handler',
          verboseLevel: 0,
          timeoutMs: 3000,
        }),
      Math.min(ITER, 5_000),
    );
    const localCpu = lastCpuUs;
    const tester = await measure(
      () => LambdaTester(handler).event(event).expectResult(),
      Math.min(ITER, 5_000),
    );
    const testerCpu = lastCpuUs;
    console.log = realLog;
    const over = harness - direct;
    if (lines_ === 0) {
      rows.push(
        {
          area: 'invoke',
          measure: 'warm invokeHandler, all semantics on (trivial handler)',
          baseline: 'direct await handler(event, context)',
          ratio: harness / direct,
          target: '<= 5 us over the direct call',
          met: over <= 5,
          detail: `${harness.toFixed(2)} us vs ${direct.toFixed(2)} us per invoke: ${over.toFixed(2)} us over; cpu ${harnessCpu.toFixed(2)} vs ${directCpu.toFixed(2)} us`,
          headline: true,
        },
        {
          area: 'invoke',
          measure: 'warm invokeHandler (trivial handler)',
          baseline: 'lambda-tester, same handler',
          ratio: harness / tester,
          detail: `${harness.toFixed(2)} us vs ${tester.toFixed(2)} us per invoke`,
        },
        {
          area: 'invoke',
          measure: 'warm invokeHandler (trivial handler)',
          baseline: 'lambda-local, same handler',
          ratio: harness / local,
          detail: `${harness.toFixed(2)} us vs ${local.toFixed(2)} us per invoke`,
        },
      );
    }
    lines.push(
      {
        case: label,
        runner: 'direct await handler(event, context)',
        'us/invoke': direct.toFixed(2),
        'over direct (us)': '0.00',
        'cpu us/invoke': directCpu.toFixed(2),
      },
      {
        case: label,
        runner: 'invokeHandler (all semantics)',
        'us/invoke': harness.toFixed(2),
        'over direct (us)': over.toFixed(2),
        'cpu us/invoke': harnessCpu.toFixed(2),
      },
      {
        case: label,
        runner: 'lambda-local',
        'us/invoke': local.toFixed(2),
        'over direct (us)': (local - direct).toFixed(2),
        'cpu us/invoke': localCpu.toFixed(2),
      },
      {
        case: label,
        runner: 'lambda-tester',
        'us/invoke': tester.toFixed(2),
        'over direct (us)': (tester - direct).toFixed(2),
        'cpu us/invoke': testerCpu.toFixed(2),
      },
    );
    if (lines_ > 0) {
      const baseRow = lines.find(
        (r) => r.case === 'trivial handler' && String(r.runner).startsWith('invokeHandler'),
      );
      const base = Number(baseRow?.['us/invoke']);
      const baseCpu = Number(baseRow?.['cpu us/invoke']);
      const perLine = (harness - base) / lines_;
      lines.push({
        case: label,
        runner: 'invokeHandler: cost per captured line',
        'us/invoke': perLine.toFixed(2),
        'over direct (us)': '-',
        'cpu us/invoke': ((harnessCpu - baseCpu) / lines_).toFixed(2),
      });
      rows.push({
        area: 'invoke',
        measure: 'per captured console.log line',
        baseline: 'direct call with a no-op console',
        ratio: harness / direct,
        target: '<= 1 us per line',
        met: perLine <= 1,
        detail: `${perLine.toFixed(2)} us per line (3 lines: ${harness.toFixed(2)} us per invoke vs ${direct.toFixed(2)} us direct)`,
      });
    }
  }
  console.log(
    `\n## Warm invoke (${ITER} sequential invokes each; lambda-local/lambda-tester ${Math.min(ITER, 5_000)})\n`,
  );
  table(lines);
  void context;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function realTimeouts(): Promise<void> {
  const neverSettles = () =>
    new Promise(() => {
      setInterval(() => {}, 1_000);
    });
  const options = { timeout: 0.1 } as const;
  const lateness: number[] = [];
  let timeouts = 0;
  let others = 0;
  const started = performance.now();
  for (let done = 0; done < TRIALS; done += BATCH) {
    const n = Math.min(BATCH, TRIALS - done);
    const batch: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      batch.push(
        invokeHandler(neverSettles, event, options).then((r) => {
          lateness.push(performance.now() - (t0 + 100));
          if (r.outcome === 'timeout') timeouts++;
          else others++;
        }),
      );
    }
    await Promise.all(batch);
  }
  const wall = performance.now() - started;
  lateness.sort((a, b) => a - b);
  const within = lateness.filter((l) => l <= 2).length;
  rows.push({
    area: 'invoke',
    measure: `never-settling handler, 100 ms real timeout, ${TRIALS} trials`,
    baseline: 'the 100 ms deadline',
    ratio: undefined,
    target: 'every trial a timeout, all within 2 ms',
    met: timeouts === TRIALS && within === lateness.length,
    detail: `${timeouts} of ${TRIALS} timeouts; late ${percentile(lateness, 50).toFixed(2)} ms p50, ${percentile(lateness, 99).toFixed(2)} ms p99, ${(lateness.at(-1) ?? Number.NaN).toFixed(2)} ms max; ${((within / Math.max(1, lateness.length)) * 100).toFixed(1)}% within 2 ms`,
  });
  console.log(
    `\n## Real-time timeout: never-settling handler, timeout 100 ms, ${TRIALS} trials in concurrent batches of ${BATCH}\n`,
  );
  table([
    {
      trials: TRIALS,
      'reported as timeout': timeouts,
      other: others,
      'p50 late (ms)': percentile(lateness, 50).toFixed(3),
      'p99 late (ms)': percentile(lateness, 99).toFixed(3),
      'max late (ms)': (lateness.at(-1) ?? Number.NaN).toFixed(3),
      'within 2 ms': `${((lateness.filter((l) => l <= 2).length / Math.max(1, lateness.length)) * 100).toFixed(2)}%`,
      'wall (s)': (wall / 1000).toFixed(1),
    },
  ]);
}

/**
 * Old-generation garbage of a warm virtual-time invocation (what the simulators run): bytes
 * allocated per invocation that outlive two young-generation collections and are then freed by a
 * full one, sampled by V8's heap profiler. Objects that die young cost little; these are what made
 * a million-message simulation's garbage collection grow faster than the message count.
 */
async function virtualGarbage(): Promise<void> {
  const batch = sqsEvent({ seed: 1, records: 10 });
  const handler = async () => ({ batchItemFailures: [] });
  const fn = createFunction({ handler: () => handler, functionName: 'virtual-garbage', timeout: 30 });
  const t0 = Date.UTC(2024, 0, 1);
  let i = 0;
  const one = () => fn.invoke(batch, { clock: { mode: 'virtual', startMs: t0 + 1000 * i++ } });
  for (let k = 0; k < 500; k++) await one();
  const n = Math.max(2_000, Math.min(ITER, 20_000));
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  } as never);
  const cpu = process.cpuUsage();
  for (let k = 0; k < n; k++) await one();
  const used = process.cpuUsage(cpu);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as {
    profile: { head: { selfSize: number; children: unknown[] } };
  };
  session.disconnect();
  await fn.dispose();
  let bytes = 0;
  const walk = (node: { selfSize: number; children: unknown[] }): void => {
    bytes += node.selfSize;
    for (const c of node.children) walk(c as typeof node);
  };
  walk(profile.head);
  const perInvoke = bytes / n;
  rows.push({
    area: 'invoke',
    measure: 'old-generation garbage per warm virtual-time fn.invoke (SQS batch of 10)',
    baseline: 'absolute (bytes per invocation, V8 sampling heap profiler)',
    ratio: undefined,
    // Set after the fix that brought it from 12.9-14 KB down (2026-12-06); --quick runs too few
    // invocations for V8's pretenuring to settle, so it has no target there.
    ...(quickRun ? {} : { target: '<= 4 KB', met: perInvoke <= 4096 }),
    detail: `${perInvoke.toFixed(0)} B per invocation over ${n.toLocaleString('en-US')} invocations; ${((used.user + used.system) / n).toFixed(0)} us cpu per invocation (profiler on)`,
  });
  console.log(
    `\n## Old-generation garbage of a virtual-time invocation: ${perInvoke.toFixed(0)} B per invocation\n`,
  );
}

async function virtualTimeout(): Promise<void> {
  const handler = () => new Promise(() => setTimeout(() => {}, 20 * 60_000));
  const sleeper = async () => {
    await new Promise((r) => setTimeout(r, 10 * 60_000));
    return 'slept';
  };
  const runs = VIRTUAL_RUNS;
  const t: number[] = [];
  const s: number[] = [];
  let ok = true;
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const r = await invokeHandler(handler, event, { timeout: 900, clock: 'virtual' });
    t.push(performance.now() - t0);
    ok &&= r.outcome === 'timeout' && r.durationMs === 900_000;
    t0 = performance.now();
    const r2 = await invokeHandler(sleeper, event, { timeout: 900, clock: 'virtual' });
    s.push(performance.now() - t0);
    ok &&= r2.outcome === 'success' && r2.durationMs === 600_000;
  }
  t.sort((a, b) => a - b);
  s.sort((a, b) => a - b);
  rows.push({
    area: 'invoke',
    measure: '15-minute timeout on the virtual clock',
    baseline: 'absolute (ms per invoke)',
    ratio: undefined,
    target: '< 5 ms at the median, correct',
    met: ok && percentile(t, 50) < 5,
    detail: `${percentile(t, 50).toFixed(3)} ms median, ${(t.at(-1) ?? 0).toFixed(2)} ms max over ${runs}; a 10-minute sleep ${percentile(s, 50).toFixed(3)} ms`,
  });
  console.log(`\n## Virtual time (${runs} runs each)\n`);
  table([
    {
      case: '15-minute timeout (never settles)',
      'p50 (ms)': percentile(t, 50).toFixed(3),
      'max (ms)': (t.at(-1) ?? 0).toFixed(3),
      correct: String(ok),
    },
    {
      case: '10-minute sleep, then success',
      'p50 (ms)': percentile(s, 50).toFixed(3),
      'max (ms)': (s.at(-1) ?? 0).toFixed(3),
      correct: String(ok),
    },
  ]);
}

/** Wall and CPU (user + system) us per call of `n` sequential calls, no warm-up. */
async function meanOf(fn: () => Promise<unknown>, n: number): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const wall = ((performance.now() - start) / n) * 1000;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / n };
}

/** Warm-up then wall and CPU us per call (the CPU figure is the one load disturbs less). */
async function timed(fn: () => Promise<unknown>, n: number): Promise<{ wall: number; cpu: number }> {
  const wall = await measure(fn, n);
  return { wall, cpu: lastCpuUs };
}

const us = (t: { wall: number; cpu: number }) => `${t.cpu.toFixed(2)} cpu / ${t.wall.toFixed(2)} wall`;

/** Runs first, in a fresh process: how warm is the warm path from the start? */
async function firstInvokes(): Promise<Record<string, string | number>[]> {
  // The very first invoke pays one-time set-up (the containment watchdog's thread, the first
  // snapshot of the globals, lazily built tables); invokes 2 to 1,000 show the JIT warming up.
  const firstOne = await meanOf(() => invokeHandler(quiet, event), 1);
  const next = await meanOf(() => invokeHandler(quiet, event), 999);
  const first = {
    wall: (firstOne.wall + next.wall * 999) / 1_000,
    cpu: (firstOne.cpu + next.cpu * 999) / 1_000,
  };
  for (let i = 0; i < WARM_UP; i++) await invokeHandler(quiet, event);
  const steady = await meanOf(() => invokeHandler(quiet, event), ITER);
  const ratio = first.cpu / steady.cpu;
  rows.push({
    area: 'invoke',
    measure: 'invokeHandler: the first 1,000 invokes of the process (CPU time)',
    baseline: 'the same process in steady state',
    ratio,
    target: '<= 2x',
    met: ratio <= 2,
    detail: `${us(first)} us vs ${us(steady)} us per invoke; the first invoke alone ${us(firstOne)} us, invokes 2-1,000 ${(next.cpu / steady.cpu).toFixed(2)}x steady`,
  });
  return [
    {
      case: 'invokeHandler: first 1,000 invokes of the process',
      'us/invoke': us(first),
      'vs steady': `${ratio.toFixed(2)}x cpu (target <= 2x)`,
    },
    {
      case: 'invokeHandler: the first invoke alone',
      'us/invoke': us(firstOne),
      'vs steady': `${(firstOne.cpu / steady.cpu).toFixed(1)}x cpu`,
    },
    {
      case: 'invokeHandler: invokes 2 to 1,000',
      'us/invoke': us(next),
      'vs steady': `${(next.cpu / steady.cpu).toFixed(2)}x cpu`,
    },
    {
      case: `invokeHandler: steady state (after ${1_000 + WARM_UP})`,
      'us/invoke': us(steady),
      'vs steady': '1.00x',
    },
  ];
}

async function engineRows(firstRows: Record<string, string | number>[]): Promise<void> {
  const lines: Record<string, string | number>[] = [...firstRows];
  const direct = await timed(() => quiet(event), ITER);
  const fn = createFunction({
    handler: () => ({ handler: quiet }),
    isolation: { name: 'copy', load: async (load) => ({ ...((await load()) as object) }) },
  });
  const viaFunction = await timed(() => fn.invoke(event), ITER);
  await fn.dispose();
  const clean = await timed(() => invokeHandler(quiet, event), ITER);
  // 10,000 timers that belong to the test process, not to any environment.
  const unrelated: NodeJS.Timeout[] = [];
  for (let i = 0; i < 10_000; i++) unrelated.push(setTimeout(() => {}, 3_600_000));
  const loaded = await timed(() => invokeHandler(quiet, event), ITER);
  for (const t of unrelated) clearTimeout(t);
  rows.push(
    {
      area: 'invoke',
      measure: 'warm fn.invoke() (createFunction), CPU time',
      baseline: 'direct await handler(event)',
      ratio: viaFunction.cpu / direct.cpu,
      target: '<= 5 us over the direct call',
      met: viaFunction.cpu - direct.cpu <= 5,
      detail: `${us(viaFunction)} us vs ${us(direct)} us per invoke: ${(viaFunction.cpu - direct.cpu).toFixed(2)} us cpu over`,
    },
    {
      area: 'invoke',
      measure: 'warm invokeHandler with 10,000 unrelated pending timers, CPU time',
      baseline: 'warm invokeHandler in a clean process',
      ratio: loaded.cpu / clean.cpu,
      target: 'within 10%',
      met: loaded.cpu / clean.cpu <= 1.1,
      detail: `${us(loaded)} us vs ${us(clean)} us per invoke`,
    },
  );
  lines.push(
    { case: 'direct await handler(event)', 'us/invoke': us(direct), 'vs steady': '-' },
    {
      case: 'warm fn.invoke() (createFunction)',
      'us/invoke': us(viaFunction),
      'vs steady': `${(viaFunction.cpu - direct.cpu).toFixed(2)} us cpu over direct (target <= 5)`,
    },
    {
      case: 'warm invokeHandler, clean process',
      'us/invoke': us(clean),
      'vs steady': `${(clean.cpu - direct.cpu).toFixed(2)} us cpu over direct (target <= 5)`,
    },
    {
      case: 'warm invokeHandler, 10,000 unrelated pending timers',
      'us/invoke': us(loaded),
      'vs steady': `${((loaded.cpu / clean.cpu - 1) * 100).toFixed(1)}% cpu vs clean (target within 10%)`,
    },
  );
  console.log(`\n## Engine rows (${ITER} sequential invokes each; us per invoke, CPU and wall)\n`);
  table(lines);
}

/** All sections; returns their rows. */
export async function run(options: BenchOptions): Promise<BenchRow[]> {
  if (options.quick) {
    quickRun = true;
    ITER = Math.min(ITER, 3_000);
    TRIALS = Math.min(TRIALS, 500);
    VIRTUAL_RUNS = 20;
    WARM_UP = 3_000;
  }
  console.log(
    `lambda-harness invoke benchmark (Node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  // BENCH_ONLY=engine,warm,virtual,timeout runs some sections (default all).
  const only = new Set((process.env.BENCH_ONLY ?? 'engine,warm,virtual,timeout').split(','));
  // The first-invokes row must run first in the process.
  if (only.has('engine')) await engineRows(await firstInvokes());
  if (only.has('warm')) await warmInvokes();
  if (only.has('virtual')) {
    await virtualTimeout();
    await virtualGarbage();
  }
  if (only.has('timeout')) await realTimeouts();
  return rows;
}

if (isMain(import.meta.url)) await run(standaloneOptions());
