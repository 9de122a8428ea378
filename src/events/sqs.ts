/**
 * SQS events (standard and FIFO queues) as the Lambda event source mapping delivers them.
 */
import type { SQSEvent, SQSMessageAttribute, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import { jsonPayloadSchema } from '../errors/options.js';
import { type Random, WORDS } from '../random/index.js';
import { SqsEventSchema, SqsRecordSchema } from '../schemas/sqs.js';
import { batchFamily } from './batch.js';
import {
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  type EventOverrides,
  encodeBody,
  epochMsString,
  hasOverride,
  md5Hex,
  parseOptions,
  recordCount,
  recordsCountSchema,
  resolveCommon,
  sha256Hex,
} from './core.js';

/**
 * A message attribute as a user thinks of it: a string (`String`), a number (`Number`), bytes
 * (`Binary`), or the explicit SQS form.
 *
 * @example
 * const attrs: Record<string, SqsAttributeInput> = { tenant: 'acme', retries: 3, blob: new Uint8Array([1, 2]) };
 */
export type SqsAttributeInput =
  | string
  | number
  | Uint8Array
  | { dataType: string; stringValue?: string; binaryValue?: string | Uint8Array };

/**
 * One SQS message to put in an event. Everything is optional; missing fields are generated.
 *
 * @example
 * const msg: SqsMessageInput = { body: { orderId: 'o-1' }, messageAttributes: { tenant: 'acme' } };
 */
export interface SqsMessageInput {
  /** A string body, or any JSON value (JSON-encoded). */
  body?: unknown;
  messageAttributes?: Record<string, SqsAttributeInput>;
  /** FIFO only; default one of a few generated group ids. */
  messageGroupId?: string;
  /** FIFO only; default the SHA-256 of the body (content-based deduplication). */
  messageDeduplicationId?: string;
  messageId?: string;
  /** `ApproximateReceiveCount`; default 1. */
  receiveCount?: number;
  /** `SenderId`; default a generated IAM user id (`AIDA…`). */
  senderId?: string;
  /** `AWSTraceHeader`; absent by default. */
  traceHeader?: string;
}

/**
 * Options of {@link sqsEvent}.
 *
 * @example
 * const options: SqsEventOptions = { seed: 1, records: 3, queueName: 'orders', bodies: [{ id: 1 }] };
 */
export interface SqsEventOptions extends CommonEventOptions {
  /** Number of records (default: one per message/body given, else 1). */
  records?: number;
  /** Queue name; a FIFO queue name ends with `.fifo`. Default generated. */
  queueName?: string;
  /** A FIFO queue: adds SequenceNumber, MessageGroupId, MessageDeduplicationId. Default false. */
  fifo?: boolean;
  /** Bodies for records 0..n-1 (strings pass through, other values are JSON-encoded). */
  bodies?: unknown[];
  /** Full message inputs for records 0..n-1 (a message's `body` wins over `bodies[i]`). */
  messages?: SqsMessageInput[];
  /** Marks records as redriven from a dead-letter queue: the source queue name or ARN. */
  redriveSourceQueue?: string;
  /** Deep-partial fields merged over the generated event (`Records[i]` merges by index). */
  overrides?: EventOverrides<SQSEvent>;
}

/**
 * Options of {@link sqsRecord}: one message plus its queue.
 *
 * @example
 * const options: SqsRecordOptions = { body: 'hello', index: 2, fifo: true };
 */
export interface SqsRecordOptions extends CommonEventOptions, SqsMessageInput {
  queueName?: string;
  fifo?: boolean;
  redriveSourceQueue?: string;
  /** Position in its batch: record `i` equals `sqsEvent({ seed }).Records[i]` for the same inputs. */
  index?: number;
  overrides?: DeepPartial<SQSRecord>;
}

const attributeInputSchema = z.union([
  z.string(),
  z.number().finite(),
  z.instanceof(Uint8Array),
  z.strictObject({
    dataType: z
      .string()
      .regex(/^(String|Number|Binary)(\..+)?$/, 'expected String, Number, Binary or a custom type'),
    stringValue: z.string().optional(),
    binaryValue: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
  }),
]);

const messageShape = {
  body: jsonPayloadSchema.optional(),
  messageAttributes: z.record(z.string().min(1), attributeInputSchema).optional(),
  messageGroupId: z.string().min(1).optional(),
  messageDeduplicationId: z.string().min(1).optional(),
  messageId: z.string().min(1).optional(),
  receiveCount: z.number().int().min(1).optional(),
  senderId: z.string().min(1).optional(),
  traceHeader: z.string().min(1).optional(),
};

const queueShape = {
  queueName: z
    .string()
    .regex(
      /^[\w-]{1,75}(\.fifo)?$/,
      'expected 1-80 characters of letters, digits, - and _ (FIFO names end in .fifo)',
    )
    .optional(),
  fifo: z.boolean().optional(),
  redriveSourceQueue: z.string().min(1).optional(),
};

const eventOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...queueShape,
  records: recordsCountSchema,
  bodies: z.array(jsonPayloadSchema).optional(),
  messages: z.array(z.strictObject(messageShape)).optional(),
});

const recordOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...queueShape,
  ...messageShape,
  index: z.number().int().min(0).optional(),
});

function writeChunk(parts: Buffer[], data: Uint8Array): void {
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(data.length, 0);
  parts.push(len, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * The MD5 that SQS reports as `md5OfMessageAttributes`: attributes sorted by name, each encoded as
 * length-prefixed UTF-8 name, length-prefixed data type, a transport byte (1 string, 2 binary,
 * 3 string list, 4 binary list) and the length-prefixed value. Returns `undefined` for no attributes.
 *
 * @example
 * sqsMessageAttributesMd5({ category: { dataType: 'String', stringValue: 'test' } }); // 32 hex digits
 */
export function sqsMessageAttributesMd5(attributes: SQSMessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const attr = attributes[name] as SQSMessageAttribute;
    writeChunk(parts, Buffer.from(name, 'utf8'));
    writeChunk(parts, Buffer.from(attr.dataType, 'utf8'));
    if (attr.binaryValue !== undefined && attr.binaryValue !== null) {
      parts.push(Buffer.from([2]));
      writeChunk(parts, Buffer.from(attr.binaryValue, 'base64'));
    } else if (attr.stringValue !== undefined && attr.stringValue !== null) {
      parts.push(Buffer.from([1]));
      writeChunk(parts, Buffer.from(attr.stringValue, 'utf8'));
    } else if (attr.stringListValues && attr.stringListValues.length > 0) {
      parts.push(Buffer.from([3]));
      for (const v of attr.stringListValues) writeChunk(parts, Buffer.from(v, 'utf8'));
    } else if (attr.binaryListValues && attr.binaryListValues.length > 0) {
      parts.push(Buffer.from([4]));
      for (const v of attr.binaryListValues) writeChunk(parts, Buffer.from(v, 'base64'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

function toAttribute(value: SqsAttributeInput): SQSMessageAttribute {
  if (typeof value === 'string') {
    return { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' };
  }
  if (typeof value === 'number') {
    return { stringValue: String(value), stringListValues: [], binaryListValues: [], dataType: 'Number' };
  }
  if (value instanceof Uint8Array) {
    return {
      binaryValue: Buffer.from(value).toString('base64'),
      stringListValues: [],
      binaryListValues: [],
      dataType: 'Binary',
    };
  }
  const out: SQSMessageAttribute = { stringListValues: [], binaryListValues: [], dataType: value.dataType };
  if (value.stringValue !== undefined) out.stringValue = value.stringValue;
  if (value.binaryValue !== undefined) {
    out.binaryValue =
      typeof value.binaryValue === 'string'
        ? value.binaryValue
        : Buffer.from(value.binaryValue).toString('base64');
  }
  return out;
}

interface QueueContext {
  region: string;
  accountId: string;
  queueArn: string;
  fifo: boolean;
  time: number;
  seqBase: bigint;
  senderId: string;
  groupIds: string[];
  dlqSourceArn: string | undefined;
  rng: Random;
  /** The message input of record `i`, if the caller gave one (its dedup id survives body overrides). */
  messageAt(i: number): SqsMessageInput | undefined;
}

/** One record's inputs: the full message input and the `bodies[i]` shorthand. */
interface SqsRecordInput {
  msg: SqsMessageInput | undefined;
  body: unknown;
}

function queueContext(
  fn: string,
  options: {
    seed?: number | undefined;
    region?: string | undefined;
    accountId?: string | undefined;
    time?: string | number | Date | undefined;
    queueName?: string | undefined;
    fifo?: boolean | undefined;
    redriveSourceQueue?: string | undefined;
  },
  messageAt: (i: number) => SqsMessageInput | undefined,
): QueueContext {
  const common = resolveCommon(options);
  const ev = common.rng.fork('queue');
  const fifo = options.fifo ?? options.queueName?.endsWith('.fifo') ?? false;
  let queueName = options.queueName ?? `${ev.pick(WORDS.adjectives)}-${ev.pick(WORDS.nouns)}-queue`;
  if (fifo && options.queueName === undefined) queueName += '.fifo';
  if (fifo !== queueName.endsWith('.fifo')) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${fn} options.queueName: "${queueName}" ${fifo ? 'must end with ".fifo" for a FIFO queue' : 'ends with ".fifo" but fifo is false'}`,
      { path: 'queueName', hint: 'SQS requires FIFO queue names to end in ".fifo" (and only FIFO queues).' },
    );
  }
  const arnPrefix = `arn:aws:sqs:${common.region}:${common.accountId}:`;
  const dlq = options.redriveSourceQueue;
  return {
    region: common.region,
    accountId: common.accountId,
    queueArn: arnPrefix + queueName,
    fifo,
    time: common.time,
    seqBase: 18_800_000_000_000_000_000n + BigInt(ev.u32()) * 1_000_000_000n,
    senderId: `AIDA${ev.upperAlnum(17)}`,
    groupIds: [`group-${ev.lowerAlnum(4)}`, `group-${ev.lowerAlnum(4)}`, `group-${ev.lowerAlnum(4)}`],
    dlqSourceArn: dlq === undefined ? undefined : dlq.startsWith('arn:') ? dlq : arnPrefix + dlq,
    rng: common.rng,
    messageAt,
  };
}

function defaultBody(r: Random): string {
  return `{"id":"${r.hex(12)}","type":"${r.pick(WORDS.nouns)}.${r.pick(WORDS.verbs)}","quantity":${r.int(1, 20)},"status":"${r.pick(WORDS.statuses)}"}`;
}

/** Builds record `i` of a queue; randomness comes only from the record's own fork. */
function buildRecord(
  ctx: QueueContext,
  i: number,
  msg: SqsMessageInput | undefined,
  bodyIn: unknown,
): SQSRecord {
  const r = ctx.rng.fork(i);
  const messageId = msg?.messageId ?? r.uuid();
  const receiptHandle = `AQEB${r.base64Chars(172)}`;
  const sent = ctx.time + i * 10 + r.int(0, 9);
  const firstReceive = sent + r.int(5, 40);
  const rawBody = msg?.body !== undefined ? msg.body : bodyIn;
  const body = rawBody !== undefined ? encodeBody(rawBody) : defaultBody(r);
  const attributes: SQSRecord['attributes'] = {
    ApproximateReceiveCount: String(msg?.receiveCount ?? 1),
    SentTimestamp: epochMsString(sent),
    SenderId: msg?.senderId ?? ctx.senderId,
    ApproximateFirstReceiveTimestamp: epochMsString(firstReceive),
  };
  if (ctx.fifo) {
    attributes.SequenceNumber = (ctx.seqBase + BigInt(i) * 1_000_000n + BigInt(r.int(0, 999_999))).toString();
    attributes.MessageGroupId = msg?.messageGroupId ?? r.pick(ctx.groupIds);
    attributes.MessageDeduplicationId = msg?.messageDeduplicationId ?? sha256Hex(body);
  }
  if (msg?.traceHeader !== undefined) attributes.AWSTraceHeader = msg.traceHeader;
  if (ctx.dlqSourceArn !== undefined) attributes.DeadLetterQueueSourceArn = ctx.dlqSourceArn;
  const messageAttributes: SQSMessageAttributes = {};
  if (msg?.messageAttributes) {
    for (const [name, value] of Object.entries(msg.messageAttributes))
      messageAttributes[name] = toAttribute(value);
  }
  const record = {
    messageId,
    receiptHandle,
    body,
    attributes,
    messageAttributes,
    md5OfBody: md5Hex(body),
  } as SQSRecord;
  const md5Attrs = sqsMessageAttributesMd5(messageAttributes);
  if (md5Attrs !== undefined) record.md5OfMessageAttributes = md5Attrs;
  record.eventSource = 'aws:sqs';
  record.eventSourceARN = ctx.queueArn;
  record.awsRegion = ctx.region;
  return record;
}

/** Recomputes the derived fields of a merged record unless the override set them explicitly. */
function rederive(record: SQSRecord, override: unknown, ctx: QueueContext, i: number): void {
  if (!hasOverride(override, ['md5OfBody'])) record.md5OfBody = md5Hex(record.body);
  if (!hasOverride(override, ['md5OfMessageAttributes'])) {
    const md5 = sqsMessageAttributesMd5(record.messageAttributes);
    if (md5 === undefined) delete record.md5OfMessageAttributes;
    else record.md5OfMessageAttributes = md5;
  }
  if (
    ctx.fifo &&
    ctx.messageAt(i)?.messageDeduplicationId === undefined &&
    !hasOverride(override, ['attributes', 'MessageDeduplicationId'])
  ) {
    record.attributes.MessageDeduplicationId = sha256Hex(record.body);
  }
}

const sqsFamily = batchFamily({
  eventSchema: SqsEventSchema,
  recordSchema: SqsRecordSchema,
  inputsOption: 'messages',
  build: (ctx: QueueContext, i, input: SqsRecordInput | undefined) =>
    buildRecord(ctx, i, input?.msg, input?.body),
  rederive,
});

/**
 * Generates an SQS event: `records` messages from one queue, with md5OfBody,
 * md5OfMessageAttributes, FIFO sequence numbers and ARNs all consistent.
 *
 * @example
 * const event = sqsEvent({ seed: 1, bodies: [{ orderId: 'o-1' }, 'plain text'] });
 * event.Records[0].body; // '{"orderId":"o-1"}'
 * const fifo = sqsEvent({ fifo: true, records: 3, messages: [{ messageGroupId: 'g1' }] });
 */
export function sqsEvent(options: SqsEventOptions = {}): SQSEvent {
  const fn = 'sqsEvent';
  const opts = parseOptions(eventOptionsSchema, options, fn);
  const messages = opts.messages ?? [];
  const bodies = opts.bodies ?? [];
  const ctx = queueContext(fn, opts, (i) => messages[i]);
  const inputs = Math.max(messages.length, bodies.length);
  // Counted here (the family counts the same way) because FIFO batches are capped before building.
  const count = recordCount(fn, opts.records, inputs, opts.overrides);
  if (ctx.fifo && count > 10) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${fn}() options.records: a FIFO queue delivers at most 10 records per batch, ${count} requested`,
      {
        path: 'records',
        hint: 'Lambda caps FIFO batch size at 10; generate several events for more messages.',
      },
    );
  }
  return sqsFamily.event<SQSEvent>(fn, ctx, {
    records: count,
    inputs: Array.from({ length: inputs }, (_, i) => ({ msg: messages[i], body: bodies[i] })),
    overrides: opts.overrides,
  });
}

/**
 * Generates one SQS record (the record factory behind {@link sqsEvent}).
 *
 * @example
 * const record = sqsRecord({ body: { hello: 'world' }, messageAttributes: { tenant: 'acme' } });
 * record.md5OfMessageAttributes; // computed with the real SQS algorithm
 */
export function sqsRecord(options: SqsRecordOptions = {}): SQSRecord {
  const fn = 'sqsRecord';
  const opts = parseOptions(recordOptionsSchema, options, fn);
  const msg: SqsMessageInput = {};
  for (const key of Object.keys(messageShape) as (keyof SqsMessageInput)[]) {
    if (opts[key] !== undefined) (msg as Record<string, unknown>)[key] = opts[key];
  }
  const ctx = queueContext(fn, opts, () => msg);
  return sqsFamily.record(fn, ctx, {
    index: opts.index,
    input: { msg, body: undefined },
    overrides: opts.overrides,
  });
}
