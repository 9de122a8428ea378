// Invocation-model throughput on the virtual clock, with the handler run through the real function
// layer (createFunction -> invokeFunction, virtual clock). Run: npx tsx bench/sources.ts [--quick], or
// through `npm run bench`. (Scaling to 10^6 with heap figures is bench/scaling.ts.)
// Baseline (same process): the same number of fn.invoke() calls made directly in a loop with one event
// of the average batch size built up front; the ratio shows what the simulator (queues, scheduling,
// per-receive records, accounting, histories) costs on top of the invocations themselves.
import type { KinesisStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { kinesisEvent, sqsEvent } from '../src/events/index.js';
import { createFunction } from '../src/lifecycle/index.js';
import { createRandom } from '../src/random/index.js';
import { createKinesisEventSource, createSqsEventSource } from '../src/sources/index.js';
import { type BenchOptions, type BenchRow, isMain, printRows, standaloneOptions } from './support/row.js';

interface Row {
  scenario: string;
  items: number;
  invocations: number;
  wallMs: number;
  cpuMs: number;
  perSecond: number;
  baselineMs: number;
  ratio: number;
  outcome: string;
}

/** 1% of SQS messages are poison: the handler reports them as batch item failures every time. */
function sqsHandler() {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => ({
    batchItemFailures: event.Records.filter((r) => r.body.endsWith('!')).map((r) => ({
      itemIdentifier: r.messageId,
    })),
  });
}

async function baseline(
  invocations: number,
  event: unknown,
  handler: (e: never) => unknown,
): Promise<number> {
  const fn = createFunction({ handler: () => handler, functionName: 'baseline', timeout: 30 });
  const t = performance.now();
  for (let i = 0; i < invocations; i++) await fn.invoke(event, { clock: { mode: 'virtual', startMs: i } });
  const ms = performance.now() - t;
  await fn.dispose();
  return ms;
}

async function benchSqs(n: number): Promise<Row> {
  const fn = createFunction({ handler: () => sqsHandler(), functionName: 'sqs-bench', timeout: 30 });
  const rng = createRandom(42);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const sim = createSqsEventSource({
    target: fn,
    Queue: { VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 3 } },
    BatchSize: 100,
    MaximumBatchingWindowInSeconds: 1,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  });
  for (let i = 0; i < n; i++) sim.send(rng.float() < 0.01 ? `{"n":${i}}!` : `{"n":${i}}`);
  const a = await sim.run();
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  await fn.dispose();
  const sample = sqsEvent({ records: Math.max(1, Math.round(a.deliveries / a.invocations)) });
  const baselineMs = await baseline(a.invocations, sample, sqsHandler() as never);
  return {
    scenario: 'SQS batch 100, 1% poison, DLQ after 3',
    items: n,
    invocations: a.invocations,
    wallMs,
    cpuMs,
    perSecond: n / (wallMs / 1000),
    baselineMs,
    ratio: wallMs / baselineMs,
    outcome: `ok ${a.byStatus.succeeded}, dlq ${a.byStatus['dead-lettered']}, balanced ${a.balanced}`,
  };
}

/** 0.1% of Kinesis records are poison: the handler throws when a batch contains one. */
function kinesisHandler() {
  return async (event: KinesisStreamEvent): Promise<void> => {
    for (const r of event.Records) if (r.kinesis.partitionKey.endsWith('!')) throw new Error('poison record');
  };
}

async function benchKinesis(n: number): Promise<Row> {
  const fn = createFunction({ handler: () => kinesisHandler(), functionName: 'kinesis-bench', timeout: 30 });
  const rng = createRandom(7);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const sim = createKinesisEventSource({
    target: fn,
    Stream: { ShardCount: 4 },
    StartingPosition: 'TRIM_HORIZON',
    BatchSize: 100,
    BisectBatchOnFunctionError: true,
    MaximumRetryAttempts: 1,
    DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:kinesis-failures' } },
  });
  for (let i = 0; i < n; i++)
    sim.put({
      data: `{"n":${i}}`,
      partitionKey: rng.float() < 0.001 ? `user-${i % 500}!` : `user-${i % 500}`,
    });
  const a = await sim.run();
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  await fn.dispose();
  const sample = kinesisEvent({ records: Math.max(1, Math.round(a.deliveries / a.invocations)) });
  const baselineMs = await baseline(a.invocations, sample, kinesisHandler() as never);
  return {
    scenario: 'Kinesis 4 shards, batch 100, bisect, 0.1% poison',
    items: n,
    invocations: a.invocations,
    wallMs,
    cpuMs,
    perSecond: n / (wallMs / 1000),
    baselineMs,
    ratio: wallMs / baselineMs,
    outcome: `ok ${a.byStatus.succeeded}, on-failure ${a.byStatus['failure-destination']}, balanced ${a.balanced}`,
  };
}

/** Each simulator against the same number of direct fn.invoke() calls. */
export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const n = options.quick ? 10_000 : 100_000;
  const rows: BenchRow[] = [];
  for (const r of [await benchSqs(n), await benchKinesis(n)]) {
    console.error(
      `  ${r.scenario} x ${r.items}: ${Math.round(r.wallMs)} ms wall, ${Math.round(r.cpuMs)} ms cpu`,
    );
    const per100k = (r.wallMs / r.items) * 100_000;
    rows.push({
      area: 'sources',
      measure: `${r.scenario}, ${r.items.toLocaleString('en-US')} items`,
      baseline: `the same ${r.invocations.toLocaleString('en-US')} fn.invoke() calls made directly`,
      ratio: r.ratio,
      target: '< 2 s wall per 10^5 items',
      met: per100k < 2000,
      detail: `${(r.wallMs / 1000).toFixed(2)} s wall (${(per100k / 1000).toFixed(2)} s per 10^5), ${(r.cpuMs / 1000).toFixed(2)} s cpu, baseline ${(r.baselineMs / 1000).toFixed(2)} s; ${r.outcome}`,
      headline: r.scenario.startsWith('SQS'),
    });
  }
  return rows;
}

if (isMain(import.meta.url)) printRows(await run(standaloneOptions()));
