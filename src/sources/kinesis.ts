/**
 * The Kinesis Data Streams event source mapping over a simulated stream.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import { HarnessError } from '../errors/index.js';
import { payloadText } from '../errors/options.js';
import { encodeKinesisData, kinesisRecord } from '../events/index.js';
import { configError, intOption, objectOption, stringOption, timeOption } from './config.js';
import { SIMULATION_KEYS, SimulationCore, type SimulationOptions } from './core.js';
import {
  STREAM_MAPPING_KEYS,
  StreamEngine,
  type StreamMappingOptions,
  type StreamSimulatorReadSide,
} from './stream.js';

/**
 * A Kinesis stream and its Lambda event source mapping.
 *
 * @example
 * const options: KinesisEventSourceOptions = {
 *   target: fn,
 *   Stream: { StreamName: 'clicks', ShardCount: 4 },
 *   StartingPosition: 'TRIM_HORIZON',
 *   BisectBatchOnFunctionError: true,
 *   MaximumRetryAttempts: 3,
 *   DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:clicks-failed' } },
 * };
 */
export interface KinesisEventSourceOptions extends SimulationOptions, StreamMappingOptions {
  readonly Stream?: {
    /** Default `test-stream`. */
    readonly StreamName?: string;
    /** 1-1000, default 1. */
    readonly ShardCount?: number;
    /** 24-8760, default 24. */
    readonly RetentionPeriodHours?: number;
  };
}

/**
 * A record to put: data (string, bytes or JSON value) and partition key.
 *
 * @example
 * const input: KinesisPutInput = { data: { clicks: 1 }, partitionKey: 'user-1' };
 */
export interface KinesisPutInput {
  readonly data: unknown;
  readonly partitionKey: string;
  /** Arrival time (epoch ms, ISO or Date). Earlier than the start time = already in the stream when the mapping was created. */
  readonly at?: number | string | Date;
}

/**
 * What PutRecord returns.
 *
 * @example
 * const { shardId, sequenceNumber } = sim.put({ data: 'x', partitionKey: 'k' });
 */
export interface KinesisPutResult {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/**
 * A simulated Kinesis stream with its event source mapping.
 *
 * @example
 * const sim = createKinesisEventSource({ target: fn, StartingPosition: 'TRIM_HORIZON', Stream: { ShardCount: 2 } });
 * const { sequenceNumber } = sim.put({ data: { n: 1 }, partitionKey: 'a' });
 * await sim.run();
 * sim.history(sequenceNumber).status; // 'succeeded'
 */
export interface KinesisEventSourceSimulator extends StreamSimulatorReadSide {
  put(input: KinesisPutInput): KinesisPutResult;
  putMany(inputs: readonly KinesisPutInput[]): KinesisPutResult[];
}

/** The counter's place in a sequence number: above the 20-digit tail. */
const COUNTER_UNIT = 10n ** 20n;
const KEYS = [...SIMULATION_KEYS, ...STREAM_MAPPING_KEYS, 'Stream'];
const WHERE = 'createKinesisEventSource options';

/**
 * Creates a simulated Kinesis stream with a Lambda event source mapping. Records are built with
 * the Kinesis event generator (base64 data, float-seconds arrival, `shardId:sequenceNumber` ids).
 *
 * @example
 * import { createFunction, createKinesisEventSource } from 'lambda-harness';
 * const sim = createKinesisEventSource({
 *   target: createFunction({ handler: () => import('./clicks.js') }),
 *   Stream: { ShardCount: 4 },
 *   StartingPosition: 'TRIM_HORIZON',
 *   BatchSize: 100,
 *   BisectBatchOnFunctionError: true,
 *   MaximumRetryAttempts: 2,
 * });
 * for (let i = 0; i < 1000; i++) sim.put({ data: { i }, partitionKey: `user-${i % 50}` });
 * const summary = await sim.run();
 */
export function createKinesisEventSource(options: KinesisEventSourceOptions): KinesisEventSourceSimulator {
  if (options === undefined) throw configError(WHERE, '', 'expected an object with a target');
  const o = objectOption(options, KEYS, WHERE, '');
  const core = new SimulationCore(o, WHERE);
  const s = objectOption(o.Stream, ['StreamName', 'ShardCount', 'RetentionPeriodHours'], WHERE, 'Stream');
  const streamName =
    stringOption(
      s,
      'StreamName',
      /^[\w.-]{1,128}$/,
      'a stream name (1-128 letters, digits, _ . -)',
      WHERE,
      'Stream.',
    ) ?? 'test-stream';
  const shardCount = intOption(s, 'ShardCount', 1, 1000, 1, WHERE, 'Stream.');
  const retentionMs = intOption(s, 'RetentionPeriodHours', 24, 8760, 24, WHERE, 'Stream.') * 3_600_000;
  const shardIds = Array.from({ length: shardCount }, (_, i) => `shardId-${String(i).padStart(12, '0')}`);
  const template = kinesisRecord({
    seed: core.rng.seed,
    streamName,
    shardId: shardIds[0] as string,
    region: core.region,
    accountId: core.accountId,
    time: core.startTime,
    functionName: core.target.functionName.slice(0, 64),
    data: '',
    partitionKey: 'p',
  });
  const streamArn = template.eventSourceARN;
  const engine = new StreamEngine(
    core,
    {
      name: 'kinesis',
      where: WHERE,
      streamArn,
      retentionMs,
      batchInfoKey: 'KinesisBatchInfo',
      allowAtTimestamp: true,
      // A queued record keeps its sequence number, partition key, arrival and base64 data (the
      // source); the event record is built at each delivery.
      record: (rec, shardId): KinesisStreamRecord => ({
        ...template,
        kinesis: {
          ...template.kinesis,
          partitionKey: rec.partitionKey,
          sequenceNumber: rec.id,
          data: rec.source as string,
          approximateArrivalTimestamp: rec.arrival / 1000,
        },
        eventID: `${shardId}:${rec.id}`,
      }),
    },
    o,
    shardIds,
  );
  // 56-digit sequence numbers, increasing per shard: prefix, 7-digit shard, 25-digit counter, fixed tail.
  const seqHead = template.kinesis.sequenceNumber.slice(0, 4);
  const seqTail = template.kinesis.sequenceNumber.slice(-20);
  // Each shard's number with a zero counter: adding the counter to it gives the whole number as one
  // flat string (a concatenation would keep its four pieces for every record in the stream).
  const seqBase = Array.from({ length: shardCount }, (_, shard) =>
    BigInt(`${seqHead}${String(shard).padStart(7, '0')}${'0'.repeat(25)}${seqTail}`),
  );
  const counters = new Array<number>(shardCount).fill(0);
  const lastArrival = new Array<number>(shardCount).fill(Number.NEGATIVE_INFINITY);
  let ran = false;

  const put = (input: KinesisPutInput): KinesisPutResult => {
    const i = objectOption(input, ['data', 'partitionKey', 'at'], 'sim.put', '');
    if (typeof i.partitionKey !== 'string' || i.partitionKey.length === 0 || i.partitionKey.length > 256) {
      throw new HarnessError('INVALID_OPTIONS', 'sim.put.partitionKey: expected 1-256 characters', {
        path: 'partitionKey',
      });
    }
    if (i.data === undefined)
      throw new HarnessError('INVALID_OPTIONS', 'sim.put.data: required', { path: 'data' });
    const partitionKey = i.partitionKey;
    let at = timeOption(i.at, 'sim.put', 'at') ?? core.sendTime();
    if (at < core.now && (ran || at >= core.startTime)) at = core.now;
    const shard = engine.shardFor(partitionKey);
    at = Math.max(at, lastArrival[shard] as number);
    lastArrival[shard] = at;
    const n = counters[shard] as number;
    counters[shard] = n + 1;
    const shardId = shardIds[shard] as string;
    const sequenceNumber = ((seqBase[shard] as bigint) + BigInt(n + 1) * COUNTER_UNIT).toString();
    const data = encodeKinesisData(
      i.data instanceof Uint8Array ? i.data : payloadText(i.data, 'INVALID_OPTIONS', 'sim.put', 'data'),
    );
    engine.add(shard, {
      id: sequenceNumber,
      arrival: at,
      partitionKey,
      source: data,
      size: data.length + partitionKey.length + 300,
    });
    return { shardId, sequenceNumber };
  };

  return {
    put,
    putMany: (inputs) => inputs.map(put),
    run: (runOptions) => {
      ran = true;
      return core.run(runOptions, 'kinesisEventSource');
    },
    accounting: () => core.accounting(),
    history: (id) => core.history(id, 'kinesisEventSource'),
    histories: () => core.histories(),
    ids: (status) => core.idsWithStatus(status),
    invocations: core.invocations,
    destinations: { onSuccess: [], onFailure: engine.onFailure },
    shardIds,
    streamArn,
    get now() {
      return core.now;
    },
  };
}
