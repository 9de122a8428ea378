/**
 * SNS notifications delivered to Lambda.
 */
import type { SNSEvent, SNSEventRecord, SNSMessageAttributes } from 'aws-lambda';
import { z } from 'zod';
import { jsonPayloadSchema } from '../errors/options.js';
import { type Random, WORDS } from '../random/index.js';
import { SnsEventSchema, SnsRecordSchema } from '../schemas/sns.js';
import { batchFamily } from './batch.js';
import {
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  type EventOverrides,
  encodeBody,
  isoWithMs,
  parseOptions,
  recordsCountSchema,
  resolveCommon,
} from './core.js';

/**
 * An SNS message attribute as a user thinks of it: string, number, string array, bytes, or explicit.
 *
 * @example
 * const attrs: Record<string, SnsAttributeInput> = { tenant: 'acme', priority: 2, tags: ['a', 'b'] };
 */
export type SnsAttributeInput = string | number | string[] | Uint8Array | { Type: string; Value: string };

/**
 * One SNS message.
 *
 * @example
 * const msg: SnsMessageInput = { message: { orderId: 'o-1' }, subject: 'Order', messageAttributes: { tenant: 'acme' } };
 */
export interface SnsMessageInput {
  /** A string, or any JSON value (JSON-encoded). */
  message?: unknown;
  /** `Subject`; `null` (the default) when none. */
  subject?: string | null;
  messageAttributes?: Record<string, SnsAttributeInput>;
}

/**
 * Options of {@link snsEvent}.
 *
 * @example
 * const options: SnsEventOptions = { topicName: 'orders', message: 'hello' };
 */
export interface SnsEventOptions extends CommonEventOptions, SnsMessageInput {
  /** Records (SNS delivers one per invocation in practice). Default 1. */
  records?: number;
  topicName?: string;
  /** Messages of records 0..n-1 (the top-level message fields apply to record 0). */
  messages?: SnsMessageInput[];
  overrides?: EventOverrides<SNSEvent>;
}

/**
 * Options of {@link snsRecord}.
 *
 * @example
 * const options: SnsRecordOptions = { message: { a: 1 } };
 */
export interface SnsRecordOptions extends CommonEventOptions, SnsMessageInput {
  topicName?: string;
  index?: number;
  overrides?: DeepPartial<SNSEventRecord>;
}

const attributeSchema = z.union([
  z.string(),
  z.number().finite(),
  z.array(z.string()),
  z.instanceof(Uint8Array),
  z.strictObject({ Type: z.string(), Value: z.string() }),
]);
const messageShape = {
  message: jsonPayloadSchema.optional(),
  subject: z.string().max(100).nullable().optional(),
  messageAttributes: z.record(z.string().min(1), attributeSchema).optional(),
};
const topicShape = {
  topicName: z
    .string()
    .regex(/^[\w-]{1,256}(\.fifo)?$/, 'expected an SNS topic name')
    .optional(),
};
const eventOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...topicShape,
  ...messageShape,
  records: recordsCountSchema,
  messages: z.array(z.strictObject(messageShape)).optional(),
});
const recordOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...topicShape,
  ...messageShape,
  index: z.number().int().min(0).optional(),
});

function toAttributes(input: Record<string, SnsAttributeInput> | undefined): SNSMessageAttributes {
  const out: SNSMessageAttributes = {};
  for (const [name, v] of Object.entries(input ?? {})) {
    if (typeof v === 'string') out[name] = { Type: 'String', Value: v };
    else if (typeof v === 'number') out[name] = { Type: 'Number', Value: String(v) };
    else if (Array.isArray(v)) out[name] = { Type: 'String.Array', Value: JSON.stringify(v) };
    else if (v instanceof Uint8Array)
      out[name] = { Type: 'Binary', Value: Buffer.from(v).toString('base64') };
    else out[name] = { Type: v.Type, Value: v.Value };
  }
  return out;
}

interface TopicContext {
  region: string;
  topicArn: string;
  time: number;
  rng: Random;
}

function topicContext(options: {
  seed?: number | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  time?: string | number | Date | undefined;
  topicName?: string | undefined;
}): TopicContext {
  const c = resolveCommon(options);
  const ev = c.rng.fork('topic');
  const topic = options.topicName ?? `${ev.pick(WORDS.nouns)}-${ev.pick(WORDS.verbs)}-topic`;
  return {
    region: c.region,
    topicArn: `arn:aws:sns:${c.region}:${c.accountId}:${topic}`,
    time: c.time,
    rng: c.rng,
  };
}

function buildRecord(ctx: TopicContext, i: number, msg: SnsMessageInput | undefined): SNSEventRecord {
  const r = ctx.rng.fork(i);
  const subscriptionArn = `${ctx.topicArn}:${r.uuid()}`;
  const message =
    msg?.message !== undefined
      ? encodeBody(msg.message)
      : `{"id":"${r.hex(12)}","type":"${r.pick(WORDS.nouns)}.${r.pick(WORDS.verbs)}"}`;
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: subscriptionArn,
    Sns: {
      Type: 'Notification',
      MessageId: r.uuid(),
      TopicArn: ctx.topicArn,
      Subject: (msg?.subject ?? null) as string,
      Message: message,
      Timestamp: isoWithMs(ctx.time + i * 10 + r.int(0, 9)),
      SignatureVersion: '1',
      Signature: `${r.base64Chars(342)}==`,
      SigningCertUrl: `https://sns.${ctx.region}.amazonaws.com/SimpleNotificationService-${r.hex(32)}.pem`,
      UnsubscribeUrl: `https://sns.${ctx.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
      MessageAttributes: toAttributes(msg?.messageAttributes),
    },
  };
}

const snsFamily = batchFamily({
  eventSchema: SnsEventSchema,
  recordSchema: SnsRecordSchema,
  inputsOption: 'messages',
  build: (ctx: TopicContext, i: number, msg: SnsMessageInput | undefined) => buildRecord(ctx, i, msg),
});

/**
 * Generates an SNS event: JSON-encoded messages, `Subject` `null` unless given, ISO timestamps with
 * ms, subscription ARN = topic ARN + subscription id, typed message attributes.
 *
 * @example
 * const event = snsEvent({ message: { orderId: 'o-1' }, messageAttributes: { tenant: 'acme' } });
 * JSON.parse(event.Records[0]!.Sns.Message); // { orderId: 'o-1' }
 */
export function snsEvent(options: SnsEventOptions = {}): SNSEvent {
  const fn = 'snsEvent';
  const opts = parseOptions(eventOptionsSchema, options, fn);
  const ctx = topicContext(opts);
  const messages = [...(opts.messages ?? [])];
  const top: SnsMessageInput = {};
  if (opts.message !== undefined) top.message = opts.message;
  if (opts.subject !== undefined) top.subject = opts.subject;
  if (opts.messageAttributes !== undefined) top.messageAttributes = opts.messageAttributes;
  if (Object.keys(top).length > 0) messages[0] = { ...top, ...messages[0] };
  return snsFamily.event<SNSEvent>(fn, ctx, {
    records: opts.records,
    inputs: messages,
    overrides: opts.overrides,
  });
}

/**
 * Generates one SNS record (the record factory behind {@link snsEvent}).
 *
 * @example
 * const record = snsRecord({ message: 'ping', subject: 'Health' });
 */
export function snsRecord(options: SnsRecordOptions = {}): SNSEventRecord {
  const fn = 'snsRecord';
  const opts = parseOptions(recordOptionsSchema, options, fn);
  const ctx = topicContext(opts);
  const msg: SnsMessageInput = {};
  if (opts.message !== undefined) msg.message = opts.message;
  if (opts.subject !== undefined) msg.subject = opts.subject;
  if (opts.messageAttributes !== undefined) msg.messageAttributes = opts.messageAttributes;
  return snsFamily.record(fn, ctx, { index: opts.index, input: msg, overrides: opts.overrides });
}

/**
 * The JSON envelope SNS writes into an SQS message body when a queue subscribes to a topic without
 * raw message delivery. Note the capitalised `SigningCertURL` / `UnsubscribeURL` (the Lambda SNS
 * event spells them `...Url`), and `MessageAttributes` only when there are attributes.
 *
 * @example
 * const envelope = snsNotification({ message: { orderId: 'o-1' }, topicName: 'orders' });
 * const event = sqsEvent({ bodies: [envelope] }); // SNS -> SQS -> Lambda
 */
export interface SnsNotification {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
  MessageAttributes?: SNSMessageAttributes;
}

/**
 * Builds the SNS-to-SQS envelope (see {@link SnsNotification}) from the same inputs as
 * {@link snsRecord}; pass it as an SQS body to test SNS fan-out through a queue.
 *
 * @example
 * const event = sqsEvent({ bodies: [snsNotification({ message: 'hello', subject: 'Greeting' })] });
 * JSON.parse(event.Records[0]!.body).Message; // 'hello'
 */
export function snsNotification(options: Omit<SnsRecordOptions, 'overrides'> = {}): SnsNotification {
  const fn = 'snsNotification';
  const opts = parseOptions(recordOptionsSchema.omit({ overrides: true }), options, fn);
  const ctx = topicContext(opts);
  const msg: SnsMessageInput = {};
  if (opts.message !== undefined) msg.message = opts.message;
  if (opts.subject !== undefined) msg.subject = opts.subject;
  if (opts.messageAttributes !== undefined) msg.messageAttributes = opts.messageAttributes;
  const { Sns } = buildRecord(ctx, opts.index ?? 0, msg);
  const out: SnsNotification = {
    Type: 'Notification',
    MessageId: Sns.MessageId,
    TopicArn: Sns.TopicArn,
    Message: Sns.Message,
    Timestamp: Sns.Timestamp,
    SignatureVersion: Sns.SignatureVersion,
    Signature: Sns.Signature,
    SigningCertURL: Sns.SigningCertUrl,
    UnsubscribeURL: Sns.UnsubscribeUrl,
  };
  if (Sns.Subject !== null && Sns.Subject !== undefined) out.Subject = Sns.Subject;
  if (Object.keys(Sns.MessageAttributes).length > 0) out.MessageAttributes = Sns.MessageAttributes;
  return out;
}
