/**
 * One simulator run in a fresh process, for bench/scaling.ts: sends n items, runs to the end and
 * prints one JSON line with the wall and CPU time and the heap the finished simulation holds.
 * Usage: node --expose-gc --import tsx bench/support/scaling-child.ts <sqs|kinesis|dynamodb> <n> <batch> <all|histories|summary>
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { DynamoDBStreamEvent, KinesisStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';
import { createRandom } from '../../src/random/index.js';
import {
  type AccountingSummary,
  createDynamoDBEventSource,
  createKinesisEventSource,
  createSqsEventSource,
  type SimulationRetention,
} from '../../src/sources/index.js';

const [kind, nText, batchText, retainText] = process.argv.slice(2);
const n = Number(nText);
const batch = Number(batchText);
const retain = (retainText ?? 'all') as SimulationRetention;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** 1% of SQS messages are poison: reported as batch item failures until they are dead-lettered. */
const sqsHandler = async (event: SQSEvent): Promise<SQSBatchResponse> => ({
  batchItemFailures: event.Records.filter((r) => r.body.endsWith('!')).map((r) => ({
    itemIdentifier: r.messageId,
  })),
});
/** 0.1% of stream records are poison: the batch throws, is bisected, the poison goes to on-failure. */
const kinesisHandler = async (event: KinesisStreamEvent): Promise<void> => {
  for (const r of event.Records) if (r.kinesis.partitionKey.endsWith('!')) throw new Error('poison record');
};
const dynamoHandler = async (event: DynamoDBStreamEvent): Promise<void> => {
  for (const r of event.Records)
    if (r.dynamodb?.NewImage?.poison !== undefined) throw new Error('poison record');
};

/** Builds the simulator and sends n items; returns it with its run. */
async function simulate(
  count: number,
): Promise<{ summary: AccountingSummary; sim: unknown; coldStarts: number }> {
  const rng = createRandom(42);
  let summary: AccountingSummary;
  let keep: unknown;
  let fn: LambdaFunction;
  if (kind === 'sqs') {
    fn = createFunction({ handler: () => sqsHandler, functionName: 'sqs-bench', timeout: 30 });
    const sim = createSqsEventSource({
      target: fn,
      Queue: { VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 3 } },
      BatchSize: batch,
      ...(batch > 10 ? { MaximumBatchingWindowInSeconds: 1 } : {}),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      retain,
    });
    for (let i = 0; i < count; i++) sim.send(rng.float() < 0.01 ? `{"n":${i}}!` : `{"n":${i}}`);
    summary = await sim.run();
    keep = sim;
  } else if (kind === 'kinesis') {
    fn = createFunction({ handler: () => kinesisHandler, functionName: 'kinesis-bench', timeout: 30 });
    const sim = createKinesisEventSource({
      target: fn,
      Stream: { ShardCount: 4 },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: batch,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
      retain,
    });
    for (let i = 0; i < count; i++) {
      sim.put({
        data: `{"n":${i}}`,
        partitionKey: rng.float() < 0.001 ? `user-${i % 500}!` : `user-${i % 500}`,
      });
    }
    summary = await sim.run();
    keep = sim;
  } else if (kind === 'dynamodb') {
    fn = createFunction({ handler: () => dynamoHandler, functionName: 'ddb-bench', timeout: 30 });
    const sim = createDynamoDBEventSource({
      target: fn,
      Table: { TableName: 'Orders', ShardCount: 4 },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: batch,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
      retain,
    });
    for (let i = 0; i < count; i++) {
      sim.write({
        eventName: 'INSERT',
        newImage: rng.float() < 0.001 ? { id: `o-${i}`, n: i, poison: true } : { id: `o-${i}`, n: i },
      });
    }
    summary = await sim.run();
    keep = sim;
  } else throw new Error(`unknown simulator ${kind}`);
  return { summary, sim: keep, coldStarts: fn.stats.coldStarts };
}

// Warm-up: load and compile everything a run touches, so the heap measured below is the simulation's.
await simulate(200);
// Main-thread garbage collection pauses during the run, in wall time (a busy machine inflates them).
let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});
gc();
gc();
const heapBefore = process.memoryUsage().heapUsed;
gcObserver.observe({ entryTypes: ['gc'] });
const cpu = process.cpuUsage();
const start = performance.now();
const { summary, sim: keep, coldStarts } = await simulate(n);
const wallMs = performance.now() - start;
const used = process.cpuUsage(cpu);
await new Promise((resolve) => setImmediate(resolve)); // let the observer see the last entries
gcObserver.disconnect();
gc();
gc();
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  JSON.stringify({
    kind,
    n,
    batch,
    retain,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    gcMs,
    heapBytesPerItem: (heapAfter - heapBefore) / n,
    heapMB: heapAfter / 2 ** 20,
    invocations: summary.invocations,
    // Each concurrent batch needs its own function instance: the SQS poller ramps up to 1,000.
    coldStarts,
    balanced: summary.balanced && summary.byStatus['in-flight'] === 0,
    alive: keep !== undefined,
  }),
);
