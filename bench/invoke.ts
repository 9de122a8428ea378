/**
 * Invoker benchmark: `npx tsx bench/invoke.ts` (one process, prints tables).
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
 * Env: BENCH_TRIALS (default 10000), BENCH_BATCH (default 100), BENCH_ITER (default 20000).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { invokeHandler } from '../src/invoke/index.js';
import { createFunction } from '../src/lifecycle/index.js';

const require = createRequire(import.meta.url);
const lambdaLocal = require('lambda-local') as {
  execute(opts: Record<string, unknown>): Promise<unknown>;
  setLogger(logger: unknown): void;
  getLogger(): { level: string; transports: unknown[] };
};
const LambdaTester = require('lambda-tester') as (h: Function) => {
  event(e: unknown): { expectResult(fn?: (r: unknown) => void): Promise<unknown> };
};

const ITER = Number(process.env.BENCH_ITER ?? 20_000);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);

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
  const rows: Record<string, string | number>[] = [];
  for (const [label, handler, lines] of [
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
    rows.push(
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
    if (lines > 0) {
      const baseRow = rows.find(
        (r) => r.case === 'trivial handler' && String(r.runner).startsWith('invokeHandler'),
      );
      const base = Number(baseRow?.['us/invoke']);
      const baseCpu = Number(baseRow?.['cpu us/invoke']);
      rows.push({
        case: label,
        runner: 'invokeHandler: cost per captured line',
        'us/invoke': ((harness - base) / lines).toFixed(2),
        'over direct (us)': '-',
        'cpu us/invoke': ((harnessCpu - baseCpu) / lines).toFixed(2),
      });
    }
  }
  console.log(
    `\n## Warm invoke (${ITER} sequential invokes each; lambda-local/lambda-tester ${Math.min(ITER, 5_000)})\n`,
  );
  table(rows);
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

async function virtualTimeout(): Promise<void> {
  const handler = () => new Promise(() => setTimeout(() => {}, 20 * 60_000));
  const sleeper = async () => {
    await new Promise((r) => setTimeout(r, 10 * 60_000));
    return 'slept';
  };
  const runs = 200;
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

/** Mean us per call of `n` sequential calls, no warm-up (for the cold-process row). */
async function meanOf(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - start) / n) * 1000;
}

/** Runs first, in a fresh process: how warm is the warm path from the start? */
async function firstInvokes(): Promise<Record<string, string | number>[]> {
  const first = await meanOf(() => invokeHandler(quiet, event), 1_000);
  for (let i = 0; i < 20_000; i++) await invokeHandler(quiet, event);
  const steady = await meanOf(() => invokeHandler(quiet, event), ITER);
  return [
    {
      case: 'invokeHandler: first 1,000 invokes of the process',
      'us/invoke': first.toFixed(2),
      'vs steady': `${(first / steady).toFixed(2)}x (target <= 2x)`,
    },
    {
      case: 'invokeHandler: steady state (after 21,000)',
      'us/invoke': steady.toFixed(2),
      'vs steady': '1.00x',
    },
  ];
}

async function engineRows(firstRows: Record<string, string | number>[]): Promise<void> {
  const rows: Record<string, string | number>[] = [...firstRows];
  const direct = await measure(() => quiet(event), ITER);
  const fn = createFunction({
    handler: () => ({ handler: quiet }),
    isolation: { name: 'copy', load: async (load) => ({ ...((await load()) as object) }) },
  });
  const viaFunction = await measure(() => fn.invoke(event), ITER);
  await fn.dispose();
  const clean = await measure(() => invokeHandler(quiet, event), ITER);
  // 10,000 timers that belong to the test process, not to any environment.
  const unrelated: NodeJS.Timeout[] = [];
  for (let i = 0; i < 10_000; i++) unrelated.push(setTimeout(() => {}, 3_600_000));
  const loaded = await measure(() => invokeHandler(quiet, event), ITER);
  for (const t of unrelated) clearTimeout(t);
  rows.push(
    { case: 'direct await handler(event)', 'us/invoke': direct.toFixed(2), 'vs steady': '-' },
    {
      case: 'warm fn.invoke() (createFunction)',
      'us/invoke': viaFunction.toFixed(2),
      'vs steady': `${(viaFunction - direct).toFixed(2)} us over direct (target <= 5)`,
    },
    {
      case: 'warm invokeHandler, clean process',
      'us/invoke': clean.toFixed(2),
      'vs steady': `${(clean - direct).toFixed(2)} us over direct (target <= 5)`,
    },
    {
      case: 'warm invokeHandler, 10,000 unrelated pending timers',
      'us/invoke': loaded.toFixed(2),
      'vs steady': `${((loaded / clean - 1) * 100).toFixed(1)}% vs clean (target within 10%)`,
    },
  );
  console.log(`\n## Engine rows (${ITER} sequential invokes each)\n`);
  table(rows);
}

console.log(
  `lambda-harness invoke benchmark (Node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
);
const firstRows = await firstInvokes();
await engineRows(firstRows);
await warmInvokes();
await virtualTimeout();
await realTimeouts();
