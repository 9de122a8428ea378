/**
 * Environment benchmark: cold start and warm invoke per environment kind (runner, worker,
 * process), against a direct call, a bare `new Worker()` start and a bare child process start.
 * Run alone: `npx tsx bench/environments.ts`; `npm run bench` calls its `run()`.
 *
 * Targets (issue 13): worker warm invoke <= 50 us over a direct call; worker cold start <= 1.5x a
 * bare worker start plus the module graph's own import time. The worker also loads the harness's
 * engine (through tsx when run from source): that is part of its module graph, and the figure
 * "graph import" below measures it in a bare worker so the ratio compares like with like.
 *
 * Env: BENCH_ENV_WARM (warm invocations per kind, default 2000), BENCH_ENV_COLD (cold starts per
 * kind, default 10).
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createFunction, type LambdaFunction } from '../src/index.js';
import { type BenchOptions, type BenchRow, isMain } from './support/row.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const handlerFile = path.join(here, 'fixtures', 'echo.mjs');

/** One kind's figures, in microseconds (warm) and milliseconds (cold). */
export interface EnvironmentFigures {
  readonly kind: string;
  /** Mean warm invoke, microseconds. */
  readonly warmUs: number;
  /** Median cold start (first invocation of a new environment, init included), milliseconds. */
  readonly coldMs: number;
}

/** What {@link runEnvironmentsBench} measured. */
export interface EnvironmentsBenchReport {
  readonly directCallUs: number;
  readonly kinds: readonly EnvironmentFigures[];
  /** Median time to start a bare worker until it posts a message, ms. */
  readonly bareWorkerMs: number;
  /** Median time to start a bare worker that imports the worker environment's graph (engine + handler), ms. */
  readonly workerGraphMs: number;
  /** Median time to fork a bare Node child until it sends a message, ms. */
  readonly bareProcessMs: number;
  readonly workerWarmOverheadUs: number;
  /** Worker warm minus runner warm: what the thread hop adds to the engine's own cost, us. */
  readonly workerOverRunnerUs: number;
  readonly workerColdRatio: number;
  readonly loadAverage: readonly number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function warm(fn: LambdaFunction, n: number): Promise<number> {
  await fn.invoke({ id: 0 });
  for (let i = 0; i < 50; i++) await fn.invoke({ id: i });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn.invoke({ id: i });
  return ((performance.now() - t0) * 1000) / n;
}

async function cold(fn: LambdaFunction, n: number): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    fn.forceColdStart();
    const t0 = performance.now();
    await fn.invoke({ id: i });
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

async function bareWorker(code: string, n: number, env?: Record<string, unknown>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const w = new Worker(code, { eval: true, ...(env ? { workerData: env } : {}) });
    await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    runs.push(performance.now() - t0);
    await w.terminate();
  }
  return median(runs);
}

async function bareProcess(n: number): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const child = fork('-e', ['process.send("ready")'], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    await new Promise((resolve) => child.once('message', resolve));
    runs.push(performance.now() - t0);
    child.kill('SIGKILL');
  }
  return median(runs);
}

/**
 * Measures every kind and the bare baselines; prints nothing.
 *
 * @example
 * const report = await runEnvironmentsBench({ warm: 500, cold: 5 });
 * console.log(report.workerWarmOverheadUs, report.workerColdRatio);
 */
export async function runEnvironmentsBench(
  options: { warm?: number; cold?: number } = {},
): Promise<EnvironmentsBenchReport> {
  const warmN = options.warm ?? Number(process.env.BENCH_ENV_WARM ?? 2000);
  const coldN = options.cold ?? Number(process.env.BENCH_ENV_COLD ?? 10);
  const { handler } = (await import(pathToFileURL(handlerFile).href)) as {
    handler: (e: { id: number }) => Promise<unknown>;
  };
  for (let i = 0; i < 1000; i++) await handler({ id: i });
  const t0 = performance.now();
  for (let i = 0; i < warmN * 10; i++) await handler({ id: i });
  const directCallUs = ((performance.now() - t0) * 1000) / (warmN * 10);

  const kinds: EnvironmentFigures[] = [];
  for (const kind of ['runner', 'worker', 'process'] as const) {
    const fn = createFunction({ handler: handlerFile, handlerName: 'echo.handler', environment: kind });
    const warmUs = await warm(fn, kind === 'process' ? Math.ceil(warmN / 4) : warmN);
    const coldMs = await cold(fn, coldN);
    await fn.dispose();
    kinds.push({ kind, warmUs: Math.round(warmUs * 10) / 10, coldMs: Math.round(coldMs * 10) / 10 });
  }

  const bareWorkerMs = await bareWorker(`require('node:worker_threads').parentPort.postMessage(1)`, coldN);
  // The worker environment's own graph: tsx (from source), the harness's environment server, the handler.
  const entry = pathToFileURL(path.join(here, '..', 'src', 'lifecycle', 'isolated', 'serve.ts')).href;
  const workerGraphMs = await bareWorker(
    `const { parentPort, workerData } = require('node:worker_threads');
     (async () => {
       (await import(workerData.tsx)).register();
       await import(workerData.entry);
       await import(workerData.handler);
       parentPort.postMessage(1);
     })();`,
    coldN,
    {
      tsx: pathToFileURL(path.join(here, '..', 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs'))
        .href,
      entry,
      handler: pathToFileURL(handlerFile).href,
    },
  );
  const bareProcessMs = await bareProcess(coldN);
  const worker = kinds.find((k) => k.kind === 'worker') as EnvironmentFigures;
  const runner = kinds.find((k) => k.kind === 'runner') as EnvironmentFigures;
  return {
    directCallUs: Math.round(directCallUs * 100) / 100,
    kinds,
    bareWorkerMs: Math.round(bareWorkerMs * 10) / 10,
    workerGraphMs: Math.round(workerGraphMs * 10) / 10,
    bareProcessMs: Math.round(bareProcessMs * 10) / 10,
    workerWarmOverheadUs: Math.round((worker.warmUs - directCallUs) * 10) / 10,
    workerOverRunnerUs: Math.round((worker.warmUs - runner.warmUs) * 10) / 10,
    workerColdRatio: Math.round((worker.coldMs / workerGraphMs) * 100) / 100,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/**
 * Prints the report as a table with the targets.
 *
 * @example
 * printEnvironmentsBench(await runEnvironmentsBench());
 */
export function printEnvironmentsBench(r: EnvironmentsBenchReport): void {
  console.log(`Environments (load average ${r.loadAverage.join(' ')}; node ${process.version})`);
  console.log(`  direct call                         ${r.directCallUs} us`);
  for (const k of r.kinds)
    console.log(`  ${k.kind.padEnd(8)} warm ${String(k.warmUs).padStart(8)} us   cold ${k.coldMs} ms`);
  console.log(`  bare new Worker() start             ${r.bareWorkerMs} ms`);
  console.log(`  bare worker + environment graph     ${r.workerGraphMs} ms (tsx, engine, handler)`);
  console.log(`  bare child process start            ${r.bareProcessMs} ms`);
  const warmOk = r.workerWarmOverheadUs <= 50;
  const coldOk = r.workerColdRatio <= 1.5;
  console.log(
    `  worker warm overhead over a direct call: ${r.workerWarmOverheadUs} us (target <= 50 us: ${warmOk ? 'met' : 'MISSED'})`,
  );
  console.log(`  worker warm over runner warm (the thread hop alone): ${r.workerOverRunnerUs} us`);
  console.log(
    `  worker cold / (bare worker + graph import): ${r.workerColdRatio}x (target <= 1.5x: ${coldOk ? 'met' : 'MISSED'})`,
  );
}

/** The environment kinds' rows for `npm run bench`. */
export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const r = await runEnvironmentsBench(options.quick ? { warm: 300, cold: 3 } : {});
  const runner = r.kinds.find((k) => k.kind === 'runner') as EnvironmentFigures;
  const worker = r.kinds.find((k) => k.kind === 'worker') as EnvironmentFigures;
  const child = r.kinds.find((k) => k.kind === 'process') as EnvironmentFigures;
  const direct = `direct call (${r.directCallUs} us)`;
  return [
    {
      area: 'environments',
      measure: 'warm invoke, runner environment',
      baseline: direct,
      ratio: runner.warmUs / r.directCallUs,
      detail: `${runner.warmUs} us`,
    },
    {
      area: 'environments',
      measure: 'warm invoke, worker environment',
      baseline: direct,
      ratio: worker.warmUs / r.directCallUs,
      target: '<= 50 us over a direct call',
      met: r.workerWarmOverheadUs <= 50,
      detail: `${worker.warmUs} us; ${r.workerWarmOverheadUs} us over the direct call, ${r.workerOverRunnerUs} us over the runner`,
      headline: true,
    },
    {
      area: 'environments',
      measure: 'warm invoke, process environment',
      baseline: direct,
      ratio: child.warmUs / r.directCallUs,
      detail: `${child.warmUs} us`,
    },
    {
      area: 'environments',
      measure: 'cold start, worker environment',
      baseline: `a bare worker importing tsx, the environment server and the handler (${r.workerGraphMs} ms)`,
      ratio: r.workerColdRatio,
      target: '<= 1.5x',
      met: r.workerColdRatio <= 1.5,
      detail: `${worker.coldMs} ms; bare new Worker() ${r.bareWorkerMs} ms`,
      headline: true,
    },
    {
      area: 'environments',
      measure: 'cold start, process environment',
      baseline: `a bare child process start (${r.bareProcessMs} ms)`,
      ratio: child.coldMs / r.bareProcessMs,
      detail: `${child.coldMs} ms`,
    },
  ];
}

if (isMain(import.meta.url)) printEnvironmentsBench(await runEnvironmentsBench());
