/**
 * Kafka events: Amazon MSK and self-managed Apache Kafka. Records are grouped in a map keyed
 * `topic-partition`, keys and values base64, headers as arrays of byte values.
 */
import type { MSKEvent, MSKRecord, SelfManagedKafkaEvent } from 'aws-lambda';
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import { MskEventSchema, SelfManagedKafkaEventSchema } from '../schemas/streams.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  recordCount,
  recordsCountSchema,
  resolveCommon,
} from './core.js';
import { encodeKinesisData } from './kinesis.js';

/**
 * One Kafka message as a user thinks of it.
 *
 * @example
 * const msg: KafkaMessageInput = { key: 'order-1', value: { total: 5 }, headers: { tenant: 'acme' }, partition: 1 };
 */
export interface KafkaMessageInput {
  /** Strings as UTF-8, bytes as is, other values JSON; base64-encoded. `null` for no key. Default generated. */
  key?: unknown;
  /** Same encoding as `key`. Default a small generated JSON object. */
  value?: unknown;
  /** Header values are strings or bytes; Lambda delivers each as an array of byte values. */
  headers?: Record<string, string | Uint8Array>;
  /** Partition within the topic. Default `index % partitions`. */
  partition?: number;
  /** Topic. Default the event's `topic`. */
  topic?: string;
}

/**
 * Options of {@link mskEvent} and {@link selfManagedKafkaEvent}.
 *
 * @example
 * const options: KafkaEventOptions = { topic: 'orders', partitions: 2, messages: [{ value: 'a' }, { value: 'b' }] };
 */
export interface KafkaEventOptions extends CommonEventOptions {
  /** Records in total. Default one per message, else 1. */
  records?: number;
  /** Default generated. */
  topic?: string;
  /** Partitions records are spread over (round-robin). Default 1. */
  partitions?: number;
  messages?: KafkaMessageInput[];
  /** Default generated (MSK only: the cluster's name in the ARN). */
  clusterName?: string;
  /** `CREATE_TIME` (default) or `LOG_APPEND_TIME`. */
  timestampType?: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  overrides?: DeepPartial<Omit<MSKEvent, 'records'>> & { records?: Record<string, DeepPartial<MSKRecord>[]> };
}

const messageSchema = z.strictObject({
  key: z.unknown().optional(),
  value: z.unknown().optional(),
  headers: z.record(z.string(), z.union([z.string(), z.instanceof(Uint8Array)])).optional(),
  partition: z.number().int().min(0).optional(),
  topic: z
    .string()
    .regex(/^[\w.-]{1,249}$/, 'expected a Kafka topic name')
    .optional(),
});
const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  records: recordsCountSchema,
  topic: z
    .string()
    .regex(/^[\w.-]{1,249}$/, 'expected a Kafka topic name')
    .optional(),
  partitions: z.number().int().min(1).max(1000).optional(),
  messages: z.array(messageSchema).optional(),
  clusterName: z
    .string()
    .regex(/^[A-Za-z][\w-]{0,63}$/, 'expected an MSK cluster name')
    .optional(),
  timestampType: z.enum(['CREATE_TIME', 'LOG_APPEND_TIME']).optional(),
});

function build(
  fn: string,
  options: object,
  msk: boolean,
): { event: MSKEvent | SelfManagedKafkaEvent; opts: KafkaEventOptions } {
  const opts = parseOptions<KafkaEventOptions>(
    msk ? optionsSchema : optionsSchema.omit({ clusterName: true }),
    options,
    fn,
  );
  const c = resolveCommon(opts);
  const ev = c.rng.fork('cluster');
  const topic = opts.topic ?? `${ev.pick(WORDS.nouns)}-events`;
  const partitions = opts.partitions ?? 1;
  const messages = opts.messages ?? [];
  const count = recordCount(fn, opts.records, messages.length, undefined);
  const cluster = opts.clusterName ?? `${ev.pick(WORDS.adjectives)}-cluster`;
  const clusterId = `${ev.uuid()}-${ev.int(1, 25)}`;
  const offsets = new Map<string, number>();
  const records: Record<string, MSKRecord[]> = {};
  for (let i = 0; i < count; i++) {
    const r = c.rng.fork(i);
    const msg = messages[i];
    const t = msg?.topic ?? topic;
    const partition = msg?.partition ?? i % partitions;
    const mapKey = `${t}-${partition}`;
    const start = offsets.get(mapKey) ?? ev.fork(mapKey).int(0, 100_000);
    offsets.set(mapKey, start + 1);
    const record: MSKRecord = {
      topic: t,
      partition,
      offset: start,
      timestamp: Math.round(c.time) + i * 4 + r.int(0, 3),
      timestampType: opts.timestampType ?? 'CREATE_TIME',
      key: encodeKinesisData(msg?.key ?? `${r.pick(WORDS.nouns)}-${r.int(1, 999)}`),
      value: encodeKinesisData(msg?.value ?? { id: r.hex(12), [r.pick(WORDS.nouns)]: r.int(1, 1000) }),
      headers: Object.entries(msg?.headers ?? {}).map(([name, v]) => ({
        [name]: [...(typeof v === 'string' ? Buffer.from(v, 'utf8') : v)],
      })),
    };
    if (msg?.key === null) delete (record as { key?: string }).key;
    const list = records[mapKey];
    if (list) list.push(record);
    else records[mapKey] = [record];
  }
  const brokers = [1, 2, 3].map((b) =>
    msk
      ? `b-${b}.${cluster}.${ev.lowerAlnum(6)}.c${ev.int(1, 9)}.kafka.${c.region}.amazonaws.com:9092`
      : `kafka-${b}.example.internal:9092`,
  );
  const event = msk
    ? {
        eventSource: 'aws:kafka' as const,
        eventSourceArn: `arn:aws:kafka:${c.region}:${c.accountId}:cluster/${cluster}/${clusterId}`,
        bootstrapServers: brokers.join(','),
        records,
      }
    : { eventSource: 'SelfManagedKafka' as const, bootstrapServers: brokers.join(','), records };
  return { event, opts };
}

/**
 * Generates an Amazon MSK event: records keyed `topic-partition`, offsets increasing per
 * partition, keys/values base64, headers as byte arrays, the cluster ARN and its brokers.
 *
 * @example
 * const event = mskEvent({ topic: 'orders', partitions: 2, messages: [{ key: 'o-1', value: { total: 5 } }, { value: 'x' }] });
 * Object.keys(event.records); // ['orders-0', 'orders-1']
 */
export function mskEvent(options: KafkaEventOptions = {}): MSKEvent {
  const fn = 'mskEvent';
  const { event, opts } = build(fn, options, true);
  return applyEventOverrides(event as MSKEvent, opts.overrides, MskEventSchema, fn);
}

/**
 * Generates a self-managed Apache Kafka event (same record shape as MSK, no cluster ARN).
 *
 * @example
 * const event = selfManagedKafkaEvent({ topic: 'clicks', messages: [{ value: 'hello', headers: { tenant: 'acme' } }] });
 * event.records['clicks-0']![0]!.headers; // [{ tenant: [97, 99, 109, 101] }]
 */
export function selfManagedKafkaEvent(
  options: Omit<KafkaEventOptions, 'clusterName' | 'overrides'> & {
    overrides?: DeepPartial<Omit<SelfManagedKafkaEvent, 'records'>> & {
      records?: Record<string, DeepPartial<MSKRecord>[]>;
    };
  } = {},
): SelfManagedKafkaEvent {
  const fn = 'selfManagedKafkaEvent';
  const { event, opts } = build(fn, options, false);
  return applyEventOverrides(event as SelfManagedKafkaEvent, opts.overrides, SelfManagedKafkaEventSchema, fn);
}
