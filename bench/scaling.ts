/**
 * Simulator scaling: `npx tsx bench/scaling.ts [--quick] [--million]` (or through `npm run bench`).
 *
 * Each simulator (SQS, Kinesis and DynamoDB Streams, each at batch 10 and batch 100) runs 10^4 and
 * 10^5 items, and 10^6 with --million (--quick: 10^3 and 10^4, SQS and Kinesis at batch 100 only),
 * each size in a fresh process so one run's heap and JIT state do not colour the next. Rows:
 * - time of 10x the items as a ratio of the smaller run (target < 10x: linear), by CPU time of the
 *   process (user + system, GC threads included), which a busy machine disturbs less than wall time;
 * - heap a finished item keeps with full history (`retain: 'histories'`, target <= 1 KB);
 * - heap per item in summary mode at the largest size (O(1): target <= 64 B, which is the counts
 *   plus the failures with their histories);
 * - the heap per item with the default `retain: 'all'` (invocation log with every event), for reference.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type BenchOptions, type BenchRow, isMain, printRows, standaloneOptions } from './support/row.js';

const run$ = promisify(execFile);
const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'scaling-child.ts');

interface ChildResult {
  kind: string;
  n: number;
  batch: number;
  retain: string;
  wallMs: number;
  cpuMs: number;
  /** Main-thread garbage collection pauses during the run. */
  gcMs: number;
  heapBytesPerItem: number;
  heapMB: number;
  invocations: number;
  balanced: boolean;
}

/** Runs one simulation in a fresh node process. */
async function child(kind: string, n: number, batch: number, retain: string): Promise<ChildResult> {
  const { stdout } = await run$(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=4096',
      '--import',
      'tsx',
      CHILD,
      kind,
      String(n),
      String(batch),
      retain,
    ],
    { maxBuffer: 1 << 20, cwd: path.dirname(path.dirname(CHILD)) },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult;
  if (!result.balanced) throw new Error(`${kind} x ${n}: the run did not account for every item`);
  process.stderr.write(
    `  scaling ${kind} batch ${batch} ${retain} x ${n}: ${(result.wallMs / 1000).toFixed(1)} s wall, ` +
      `${(result.cpuMs / 1000).toFixed(1)} s cpu (${(result.gcMs / 1000).toFixed(1)} s GC), ${result.heapBytesPerItem.toFixed(0)} B/item\n`,
  );
  return result;
}

const fmtN = (n: number) =>
  Number.isInteger(Math.log10(n)) ? `10^${Math.log10(n)}` : n.toLocaleString('en-US');
const fmtS = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

interface Scenario {
  readonly kind: 'sqs' | 'kinesis' | 'dynamodb';
  readonly batch: number;
  readonly label: string;
}

const SCENARIOS: readonly Scenario[] = [
  { kind: 'sqs', batch: 10, label: 'SQS, batch 10, 1% to the DLQ after 3 receives' },
  { kind: 'sqs', batch: 100, label: 'SQS, batch 100 (window 1 s), 1% to the DLQ' },
  { kind: 'kinesis', batch: 10, label: 'Kinesis, 4 shards, batch 10, bisect, 0.1% poison' },
  { kind: 'kinesis', batch: 100, label: 'Kinesis, 4 shards, batch 100, bisect, 0.1% poison' },
  { kind: 'dynamodb', batch: 10, label: 'DynamoDB Streams, 4 shards, batch 10, bisect, 0.1% poison' },
  { kind: 'dynamodb', batch: 100, label: 'DynamoDB Streams, 4 shards, batch 100, bisect, 0.1% poison' },
];

/** The CI smoke keeps one stream simulator and one batch size for it. */
const QUICK = (s: Scenario) => s.kind === 'sqs' || (s.kind === 'kinesis' && s.batch === 100);

/** Scaling rows for every simulator. */
export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const sizes = options.quick
    ? [1_000, 10_000]
    : options.million
      ? [10_000, 100_000, 1_000_000]
      : [10_000, 100_000];
  const rows: BenchRow[] = [];
  for (const s of options.quick ? SCENARIOS.filter(QUICK) : SCENARIOS) {
    const runs: ChildResult[] = [];
    for (const n of sizes) runs.push(await child(s.kind, n, s.batch, 'histories'));
    const largest = runs.at(-1) as ChildResult;
    for (let i = 1; i < runs.length; i++) {
      const small = runs[i - 1] as ChildResult;
      const big = runs[i] as ChildResult;
      const ratio = big.cpuMs / small.cpuMs;
      rows.push({
        area: 'scaling',
        measure: `${s.label}: ${fmtN(big.n)} items`,
        baseline: `${fmtN(small.n)} items, same simulator (CPU time)`,
        ratio,
        target: '< 10x',
        met: ratio < 10,
        headline: s.kind === 'sqs' && s.batch === 10 && i === runs.length - 1,
        detail:
          `${fmtN(small.n)}: ${fmtS(small.cpuMs)} cpu (${fmtS(small.gcMs)} GC pauses, wall) / ${fmtS(small.wallMs)} wall; ` +
          `${fmtN(big.n)}: ${fmtS(big.cpuMs)} cpu (${fmtS(big.gcMs)} GC pauses, wall) / ${fmtS(big.wallMs)} wall, heap ${big.heapMB.toFixed(0)} MB`,
      });
    }
    rows.push({
      area: 'scaling',
      measure: `${s.label}: heap per finished item, full history, ${fmtN(largest.n)}`,
      baseline: 'absolute (bytes per item)',
      ratio: undefined,
      target: '<= 1 KB',
      met: largest.heapBytesPerItem <= 1024,
      headline: s.kind === 'sqs' && s.batch === 10,
      detail: `${largest.heapBytesPerItem.toFixed(0)} B per item (retain: 'histories'), ${largest.invocations.toLocaleString('en-US')} invocations`,
    });
    const summary = await child(s.kind, largest.n, s.batch, 'summary');
    rows.push({
      area: 'scaling',
      measure: `${s.label}: heap per item in summary mode, ${fmtN(summary.n)}`,
      baseline: 'absolute (bytes per item: counts, plus the failures with their histories)',
      ratio: undefined,
      // Below 10^5 items the heap's own noise (about a megabyte) is too large a share to judge.
      ...(options.quick ? {} : { target: '<= 64 B (O(1))', met: summary.heapBytesPerItem <= 64 }),
      detail: `${summary.heapBytesPerItem.toFixed(0)} B per item; ${fmtS(summary.cpuMs)} cpu / ${fmtS(summary.wallMs)} wall`,
    });
    if (options.quick) continue;
    const all = await child(s.kind, Math.min(100_000, largest.n), s.batch, 'all');
    rows.push({
      area: 'scaling',
      measure: `${s.label}: heap per item with the invocation log (retain: 'all', the default), ${fmtN(all.n)}`,
      baseline: 'absolute (bytes per item)',
      ratio: undefined,
      detail: `${all.heapBytesPerItem.toFixed(0)} B per item; every event and result kept in sim.invocations`,
    });
  }
  return rows;
}

if (isMain(import.meta.url)) printRows(await run(standaloneOptions()));
