/**
 * The DynamoDB Streams event source mapping over a simulated table stream.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { HarnessError } from '../errors/index.js';
import {
  type DynamoDBChangeInput,
  type DynamoDBKeySchema,
  dynamoDBRecordMaker,
  dynamoDBStreamRecord,
  type StreamViewType,
} from '../events/index.js';
import { configError, intOption, objectOption, stringOption, timeOption } from './config.js';
import { SIMULATION_KEYS, SimulationCore, type SimulationOptions } from './core.js';
import {
  STREAM_MAPPING_KEYS,
  StreamEngine,
  type StreamMappingOptions,
  type StreamSimulatorReadSide,
} from './stream.js';

/**
 * A DynamoDB table stream and its Lambda event source mapping.
 *
 * @example
 * const options: DynamoDBEventSourceOptions = {
 *   target: fn,
 *   Table: { TableName: 'Orders', KeySchema: { partitionKey: 'orderId' } },
 *   StartingPosition: 'LATEST',
 *   FunctionResponseTypes: ['ReportBatchItemFailures'],
 * };
 */
export interface DynamoDBEventSourceOptions
  extends SimulationOptions,
    Omit<StreamMappingOptions, 'StartingPosition'> {
  readonly StartingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly Table?: {
    /** Default `test-table`. */
    readonly TableName?: string;
    /** Default `{ partitionKey: 'id' }`. */
    readonly KeySchema?: DynamoDBKeySchema;
    /** Default NEW_AND_OLD_IMAGES. */
    readonly StreamViewType?: StreamViewType;
    /** Stream shards (1-100), default 1. Items go to a shard by partition key. */
    readonly ShardCount?: number;
  };
}

/**
 * An item change to write into the stream, plus its time.
 *
 * @example
 * const change: DynamoDBWriteInput = { eventName: 'MODIFY', oldImage: { id: 'a', n: 1 }, newImage: { id: 'a', n: 2 } };
 */
export interface DynamoDBWriteInput extends DynamoDBChangeInput {
  readonly at?: number | string | Date;
}

/**
 * A simulated DynamoDB stream with its event source mapping.
 *
 * @example
 * const sim = createDynamoDBEventSource({ target: fn, StartingPosition: 'TRIM_HORIZON' });
 * const { sequenceNumber } = sim.write({ newImage: { id: 'a', total: 3 } });
 * await sim.run();
 * sim.history(sequenceNumber).status; // 'succeeded'
 */
export interface DynamoDBEventSourceSimulator extends StreamSimulatorReadSide {
  write(change: DynamoDBWriteInput): { readonly shardId: string; readonly sequenceNumber: string };
}

const KEYS = [...SIMULATION_KEYS, ...STREAM_MAPPING_KEYS, 'Table'];
const WHERE = 'createDynamoDBEventSource options';
const RETENTION_MS = 24 * 3_600_000;

/**
 * Creates a simulated DynamoDB stream with a Lambda event source mapping. Records are built with
 * the DynamoDB Streams generator (marshalled images, Keys from the key schema, SizeBytes).
 *
 * @example
 * import { createDynamoDBEventSource, createFunction } from 'lambda-harness';
 * const sim = createDynamoDBEventSource({
 *   target: createFunction({ handler: () => import('./projector.js') }),
 *   Table: { TableName: 'Orders', KeySchema: { partitionKey: 'orderId' } },
 *   StartingPosition: 'TRIM_HORIZON',
 *   MaximumRetryAttempts: 2,
 * });
 * sim.write({ eventName: 'INSERT', newImage: { orderId: 'o-1', total: 10 } });
 * await sim.run();
 */
export function createDynamoDBEventSource(options: DynamoDBEventSourceOptions): DynamoDBEventSourceSimulator {
  if (options === undefined) throw configError(WHERE, '', 'expected an object with a target');
  const o = objectOption(options, KEYS, WHERE, '');
  const core = new SimulationCore(o, WHERE);
  const t = objectOption(o.Table, ['TableName', 'KeySchema', 'StreamViewType', 'ShardCount'], WHERE, 'Table');
  const tableName =
    stringOption(
      t,
      'TableName',
      /^[\w.-]{3,255}$/,
      'a table name (3-255 letters, digits, _ . -)',
      WHERE,
      'Table.',
    ) ?? 'test-table';
  const keySchema = (t.KeySchema as DynamoDBKeySchema | undefined) ?? { partitionKey: 'id' };
  const viewType = t.StreamViewType as StreamViewType | undefined;
  const shardCount = intOption(t, 'ShardCount', 1, 100, 1, WHERE, 'Table.');
  const common = {
    seed: core.rng.seed,
    tableName,
    keySchema,
    region: core.region,
    accountId: core.accountId,
    time: core.startTime,
    ...(viewType !== undefined ? { streamViewType: viewType } : {}),
  };
  const template = dynamoDBStreamRecord({
    ...common,
    newImage: { [keySchema.partitionKey]: 'x', ...(keySchema.sortKey ? { [keySchema.sortKey]: 'y' } : {}) },
  });
  const streamArn = template.eventSourceARN as string;
  const shardIds = Array.from(
    { length: shardCount },
    (_, i) => `shardId-${String(core.startTime + i).padStart(20, '0')}-${core.rng.fork(`shard-${i}`).hex(8)}`,
  );
  const engine = new StreamEngine(
    core,
    {
      name: 'dynamodb',
      where: WHERE,
      streamArn,
      retentionMs: RETENTION_MS,
      batchInfoKey: 'DDBStreamBatchInfo',
      allowAtTimestamp: false,
      record: (rec) => rec.source,
    },
    o,
    shardIds,
  );
  const counters = new Array<number>(shardCount).fill(0);
  const lastArrival = new Array<number>(shardCount).fill(Number.NEGATIVE_INFINITY);
  // The table is resolved once; each write builds what dynamoDBStreamRecord({ ...common, index, ...change }) would.
  const makeRecord = dynamoDBRecordMaker(common, 'dynamoDBStreamRecord');
  let n = 0;
  let ran = false;

  const write = (input: DynamoDBWriteInput): { shardId: string; sequenceNumber: string } => {
    const i = objectOption(input, ['eventName', 'newImage', 'oldImage', 'ttl', 'at'], 'sim.write', '');
    let at = timeOption(i.at, 'sim.write', 'at') ?? core.sendTime();
    if (at < core.now && (ran || at >= core.startTime)) at = core.now;
    const change: DynamoDBChangeInput = {};
    if (i.eventName !== undefined)
      change.eventName = i.eventName as DynamoDBChangeInput['eventName'] & string;
    if (i.newImage !== undefined) change.newImage = i.newImage as Record<string, unknown>;
    if (i.oldImage !== undefined) change.oldImage = i.oldImage as Record<string, unknown>;
    if (i.ttl !== undefined) change.ttl = i.ttl as boolean;
    const record: DynamoDBRecord = makeRecord(n++, change);
    const keys = record.dynamodb?.Keys;
    if (!keys)
      throw new HarnessError('INVALID_EVENT', 'sim.write: the change has no key attributes', {
        path: 'newImage',
      });
    const partitionKey = JSON.stringify(keys[keySchema.partitionKey] ?? keys);
    const shard = engine.shardFor(partitionKey);
    at = Math.max(at, lastArrival[shard] as number);
    lastArrival[shard] = at;
    const k = counters[shard] as number;
    counters[shard] = k + 1;
    const sequenceNumber = (BigInt(shard + 1) * 10n ** 24n + BigInt(k + 1) * 100n).toString();
    const dynamodb = {
      ...record.dynamodb,
      SequenceNumber: sequenceNumber,
      ApproximateCreationDateTime: Math.floor(at / 1000),
    };
    const out: DynamoDBRecord = { ...record, dynamodb };
    engine.add(shard, {
      id: sequenceNumber,
      arrival: at,
      partitionKey,
      source: out,
      size: (record.dynamodb?.SizeBytes ?? 100) + 300,
    });
    return { shardId: shardIds[shard] as string, sequenceNumber };
  };

  return {
    write,
    run: (runOptions) => {
      ran = true;
      return core.run(runOptions, 'dynamoDBEventSource');
    },
    accounting: () => core.accounting(),
    history: (id) => core.history(id, 'dynamoDBEventSource'),
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
