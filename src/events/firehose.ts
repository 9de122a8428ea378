/**
 * Kinesis Data Firehose data-transformation events (Direct PUT or a Kinesis stream as source).
 */
import type {
  FirehoseRecordMetadata,
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
} from 'aws-lambda';
import { z } from 'zod';
import { type Random, WORDS } from '../random/index.js';
import { FirehoseEventSchema, FirehoseRecordSchema } from '../schemas/streams.js';
import { batchFamily } from './batch.js';
import {
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  recordsCountSchema,
  resolveCommon,
} from './core.js';
import { encodeKinesisData } from './kinesis.js';

/**
 * Options of {@link firehoseEvent}.
 *
 * @example
 * const options: FirehoseEventOptions = { deliveryStreamName: 'clicks', data: [{ page: '/' }, 'raw line'] };
 */
export interface FirehoseEventOptions extends CommonEventOptions {
  /** Records. Default one per `data` item, else 1. */
  records?: number;
  /** Default generated. */
  deliveryStreamName?: string;
  /** Payloads: strings as UTF-8, bytes as is, other values JSON; then base64. */
  data?: unknown[];
  /** A Kinesis stream as source: adds `sourceKinesisStreamArn` and each record's `kinesisRecordMetadata`. */
  sourceStreamName?: string;
  /** Element-wise over `records` (like `Records` elsewhere); other keys deep-merge. */
  overrides?: DeepPartial<Omit<FirehoseTransformationEvent, 'records'>> & {
    records?: DeepPartial<FirehoseTransformationEventRecord>[];
  };
}

const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  records: recordsCountSchema,
  deliveryStreamName: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'expected a delivery stream name')
    .optional(),
  data: z.array(z.unknown()).optional(),
  sourceStreamName: z
    .string()
    .regex(/^[\w.-]{1,128}$/, 'expected a Kinesis stream name')
    .optional(),
});

interface DeliveryContext {
  time: number;
  rng: Random;
  recordIdBase: bigint;
  shardId: string | undefined;
  seqBase: bigint;
}

const family = batchFamily({
  eventSchema: FirehoseEventSchema,
  recordSchema: FirehoseRecordSchema,
  recordsKey: 'records',
  inputsOption: 'data',
  build(ctx: DeliveryContext, i: number, data: unknown): FirehoseTransformationEventRecord {
    const r = ctx.rng.fork(i);
    const arrival = Math.round(ctx.time) + i * 3 + r.int(0, 2);
    const payload =
      data !== undefined
        ? encodeKinesisData(data)
        : encodeKinesisData(`{"id":"${r.hex(12)}","${r.pick(WORDS.nouns)}":${r.int(1, 1000)}}\n`);
    // Record ids are opaque ~56-digit strings, unique and increasing within an invocation.
    const record: FirehoseTransformationEventRecord = {
      recordId: (ctx.recordIdBase + BigInt(i) * 10n ** 18n + BigInt(r.u32())).toString(),
      approximateArrivalTimestamp: arrival,
      data: payload,
    };
    if (ctx.shardId !== undefined) {
      // Firehose sends numbers for the timestamp and subsequence number (@types/aws-lambda says strings).
      record.kinesisRecordMetadata = {
        shardId: ctx.shardId,
        partitionKey: `${r.pick(WORDS.nouns)}-${r.int(1, 999)}`,
        approximateArrivalTimestamp: arrival,
        sequenceNumber: (ctx.seqBase + BigInt(i) * 10n ** 20n).toString(),
        subsequenceNumber: 0,
      } as unknown as FirehoseRecordMetadata;
    }
    return record;
  },
});

/**
 * Generates a Firehose transformation event: unique increasing `recordId`s, epoch-ms
 * `approximateArrivalTimestamp`s from the reference time, base64 `data`; with `sourceStreamName`,
 * the Kinesis source ARN and per-record metadata. Answer it with `firehoseResult()`-shaped output
 * and check it with `toBeFirehoseTransformationResult(event)`.
 *
 * @example
 * const event = firehoseEvent({ data: ['a', 'b'] });
 * Buffer.from(event.records[1]!.data, 'base64').toString(); // 'b'
 */
export function firehoseEvent(options: FirehoseEventOptions = {}): FirehoseTransformationEvent {
  const fn = 'firehoseEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const ev = c.rng.fork('delivery');
  const name = opts.deliveryStreamName ?? `${ev.pick(WORDS.adjectives)}-${ev.pick(WORDS.nouns)}-delivery`;
  const ctx: DeliveryContext = {
    time: c.time,
    rng: c.rng,
    recordIdBase: BigInt(`495${ev.digits(53)}`),
    shardId: opts.sourceStreamName ? `shardId-${String(ev.int(0, 15)).padStart(12, '0')}` : undefined,
    seqBase: BigInt(`4959${ev.digits(52)}`),
  };
  const invocationId = ev.uuid();
  return family.event(
    fn,
    ctx,
    { records: opts.records, inputs: opts.data ?? [], overrides: opts.overrides },
    (records) => {
      const event: FirehoseTransformationEvent = {
        invocationId,
        deliveryStreamArn: `arn:aws:firehose:${c.region}:${c.accountId}:deliverystream/${name}`,
        region: c.region,
        records,
      };
      if (opts.sourceStreamName) {
        // Key order as Firehose sends it: the source ARN before the records.
        return {
          invocationId,
          deliveryStreamArn: event.deliveryStreamArn,
          sourceKinesisStreamArn: `arn:aws:kinesis:${c.region}:${c.accountId}:stream/${opts.sourceStreamName}`,
          region: c.region,
          records,
        };
      }
      return event;
    },
  );
}
