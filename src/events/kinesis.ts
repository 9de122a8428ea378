/**
 * Kinesis Data Streams events: one shard's batch with increasing sequence numbers.
 */
import type { KinesisStreamEvent, KinesisStreamRecord, KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { z } from 'zod';
import { jsonPayloadSchema } from '../errors/options.js';
import { type Random, WORDS } from '../random/index.js';
import { KinesisEventSchema, KinesisRecordSchema } from '../schemas/kinesis.js';
import { batchFamily } from './batch.js';
import {
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  type EventOverrides,
  epochSecondsFloat,
  hasOverride,
  parseOptions,
  recordsCountSchema,
  resolveCommon,
  type TumblingWindowInput,
  tumblingWindowFields,
  tumblingWindowSchema,
} from './core.js';

/**
 * One Kinesis record as a user thinks of it.
 *
 * @example
 * const input: KinesisRecordInput = { data: { clicks: 3 }, partitionKey: 'user-1' };
 */
export interface KinesisRecordInput {
  /** A string (UTF-8), bytes, or any JSON value (JSON-encoded); base64-encoded into the record. */
  data?: unknown;
  partitionKey?: string;
}

/**
 * Options of {@link kinesisEvent}.
 *
 * @example
 * const options: KinesisEventOptions = { records: 5, streamName: 'clicks', data: ['a', { b: 1 }, Buffer.from('c')] };
 */
export interface KinesisEventOptions extends CommonEventOptions {
  records?: number;
  streamName?: string;
  /** Shard id, for example `shardId-000000000006`. Default generated. */
  shardId?: string;
  /** An encrypted stream: adds `encryptionType: "KMS"`. */
  encrypted?: boolean;
  /** Function name used in `invokeIdentityArn` (the execution role). */
  functionName?: string;
  /** Payloads of records 0..n-1. */
  data?: unknown[];
  /** Full record inputs (an input's `data` wins over `data[i]`). */
  inputs?: KinesisRecordInput[];
  /** A tumbling-window invocation: adds `window`, `state`, `shardId`, `eventSourceARN` and the flags. */
  tumblingWindow?: TumblingWindowInput;
  overrides?: EventOverrides<KinesisStreamEvent>;
}

/**
 * Options of {@link kinesisRecord}.
 *
 * @example
 * const options: KinesisRecordOptions = { data: 'hello', index: 1 };
 */
export interface KinesisRecordOptions extends CommonEventOptions, KinesisRecordInput {
  streamName?: string;
  shardId?: string;
  encrypted?: boolean;
  functionName?: string;
  index?: number;
  overrides?: DeepPartial<KinesisStreamRecord>;
}

const streamShape = {
  streamName: z
    .string()
    .regex(/^[\w.-]{1,128}$/, 'expected 1-128 letters, digits, _, . or -')
    .optional(),
  shardId: z
    .string()
    .regex(/^shardId-\d{12}$/, 'expected "shardId-" and 12 digits')
    .optional(),
  encrypted: z.boolean().optional(),
  functionName: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'expected a Lambda function name')
    .optional(),
};
const inputShape = {
  data: jsonPayloadSchema.optional(),
  partitionKey: z.string().min(1).max(256).optional(),
};

const eventOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...streamShape,
  records: recordsCountSchema,
  data: z.array(jsonPayloadSchema).optional(),
  inputs: z.array(z.strictObject(inputShape)).optional(),
  tumblingWindow: tumblingWindowSchema.optional(),
});
const recordOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...streamShape,
  ...inputShape,
  index: z.number().int().min(0).optional(),
});

interface StreamContext {
  region: string;
  streamArn: string;
  roleArn: string;
  shardId: string;
  encrypted: boolean;
  time: number;
  seqBase: bigint;
  rng: Random;
}

function streamContext(
  options: Omit<KinesisRecordOptions, 'overrides' | 'index' | 'data' | 'partitionKey'>,
): StreamContext {
  const c = resolveCommon(options);
  const ev = c.rng.fork('stream');
  const streamName = options.streamName ?? `${ev.pick(WORDS.adjectives)}-${ev.pick(WORDS.nouns)}-stream`;
  const functionName = options.functionName ?? `${ev.pick(WORDS.nouns)}-processor`;
  return {
    region: c.region,
    streamArn: `arn:aws:kinesis:${c.region}:${c.accountId}:stream/${streamName}`,
    roleArn: `arn:aws:iam::${c.accountId}:role/${functionName}-role`,
    shardId: options.shardId ?? `shardId-${String(ev.int(0, 15)).padStart(12, '0')}`,
    encrypted: options.encrypted ?? false,
    time: c.time,
    // About 56 digits, like real sequence numbers; each record adds more than the random jitter.
    seqBase: BigInt(`4959${ev.digits(52)}`),
    rng: c.rng,
  };
}

/**
 * Encodes a user payload as Kinesis data: strings as UTF-8, bytes as is, other values as JSON; then base64.
 *
 * @example
 * encodeKinesisData({ a: 1 }); // 'eyJhIjoxfQ=='
 */
export function encodeKinesisData(data: unknown): string {
  if (data instanceof Uint8Array)
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  return Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8').toString('base64');
}

function buildRecord(
  ctx: StreamContext,
  i: number,
  input: KinesisRecordInput | undefined,
  dataIn: unknown,
): KinesisStreamRecord {
  const r = ctx.rng.fork(i);
  const sequenceNumber = (ctx.seqBase + BigInt(i) * 10n ** 20n + BigInt(r.u32()) * 10n ** 9n).toString();
  const raw = input?.data !== undefined ? input.data : dataIn;
  const data =
    raw !== undefined
      ? encodeKinesisData(raw)
      : encodeKinesisData(
          `{"id":"${r.hex(12)}","type":"${r.pick(WORDS.nouns)}.${r.pick(WORDS.verbs)}","value":${r.int(1, 1000)}}`,
        );
  const kinesis: KinesisStreamRecord['kinesis'] & { encryptionType?: 'KMS' } = {
    kinesisSchemaVersion: '1.0',
    partitionKey: input?.partitionKey ?? `${r.pick(WORDS.nouns)}-${r.int(1, 999)}`,
    sequenceNumber,
    data,
    approximateArrivalTimestamp: epochSecondsFloat(ctx.time + i * 5 + r.int(0, 4)),
  };
  if (ctx.encrypted) kinesis.encryptionType = 'KMS';
  return {
    kinesis,
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${ctx.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: ctx.roleArn,
    awsRegion: ctx.region,
    eventSourceARN: ctx.streamArn,
  };
}

function rederive(record: KinesisStreamRecord, override: unknown, shardId: string): void {
  if (!hasOverride(override, ['eventID'])) record.eventID = `${shardId}:${record.kinesis.sequenceNumber}`;
}

const kinesisFamily = batchFamily({
  eventSchema: KinesisEventSchema,
  recordSchema: KinesisRecordSchema,
  inputsOption: 'inputs',
  build: (
    ctx: StreamContext,
    i: number,
    slot: { input?: KinesisRecordInput | undefined; data?: unknown } | undefined,
  ) => buildRecord(ctx, i, slot?.input, slot?.data),
  rederive: (record: KinesisStreamRecord, override, ctx) => rederive(record, override, ctx.shardId),
});

/**
 * Generates a Kinesis Data Streams event: one shard, increasing sequence numbers, base64 data,
 * float-seconds arrival timestamps, `eventID` = `shardId:sequenceNumber`.
 *
 * @example
 * const event = kinesisEvent({ data: [{ clicks: 1 }, 'raw text', Buffer.from([0xff])] });
 * Buffer.from(event.Records[1]!.kinesis.data, 'base64').toString(); // 'raw text'
 * const windowed = kinesisEvent({ tumblingWindow: { seconds: 30, state: { total: 4 } } });
 * windowed.window; // { start: '2024-01-15T12:00:00.000Z', end: '2024-01-15T12:00:30.000Z' }
 */
export function kinesisEvent(
  options: KinesisEventOptions & { tumblingWindow: TumblingWindowInput },
): KinesisStreamTumblingWindowEvent;
export function kinesisEvent(options?: KinesisEventOptions): KinesisStreamEvent;
export function kinesisEvent(options: KinesisEventOptions = {}): KinesisStreamEvent {
  const fn = 'kinesisEvent';
  const opts = parseOptions(eventOptionsSchema, options, fn);
  const ctx = streamContext(opts);
  const inputs = opts.inputs ?? [];
  const data = opts.data ?? [];
  const slots = Array.from({ length: Math.max(inputs.length, data.length) }, (_, i) => ({
    input: inputs[i],
    data: data[i],
  }));
  const window = opts.tumblingWindow;
  return kinesisFamily.event(
    fn,
    ctx,
    { records: opts.records, inputs: slots, overrides: opts.overrides },
    (Records): KinesisStreamEvent =>
      window
        ? { Records, ...tumblingWindowFields(window, ctx.time, ctx.shardId, ctx.streamArn) }
        : { Records },
  );
}

/**
 * Generates one Kinesis record (the record factory behind {@link kinesisEvent}).
 *
 * @example
 * const record = kinesisRecord({ data: { hello: 'world' }, partitionKey: 'k1' });
 */
export function kinesisRecord(options: KinesisRecordOptions = {}): KinesisStreamRecord {
  const fn = 'kinesisRecord';
  const opts = parseOptions(recordOptionsSchema, options, fn);
  const ctx = streamContext(opts);
  const input: KinesisRecordInput = {};
  if (opts.data !== undefined) input.data = opts.data;
  if (opts.partitionKey !== undefined) input.partitionKey = opts.partitionKey;
  return kinesisFamily.record(fn, ctx, { index: opts.index, input: { input }, overrides: opts.overrides });
}
