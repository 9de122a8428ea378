/**
 * Amazon MQ events: ActiveMQ (`messages[]`) and RabbitMQ (`rmqMessagesByQueue` keyed
 * `queue::virtual-host`), message bodies base64 as Lambda delivers them. Amazon MQ event source
 * mappings have no partial batch response (`FunctionResponseTypes` is not supported): a thrown
 * error returns the whole batch to the broker.
 */
import { z } from 'zod';
import { jsonPayloadSchema } from '../errors/options.js';
import { type Random, WORDS } from '../random/index.js';
import { ActiveMqEventSchema, ActiveMqMessageSchema, RabbitMqEventSchema } from '../schemas/mq.js';
import { batchFamily } from './batch.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  hasOverride,
  parseOptions,
  recordCount,
  recordsCountSchema,
  resolveCommon,
  toBase64,
} from './core.js';

/**
 * An Amazon MQ for ActiveMQ event (`@types/aws-lambda` has no type for it).
 *
 * @example
 * const event: ActiveMqEvent = activeMqEvent();
 */
export type ActiveMqEvent = z.infer<typeof ActiveMqEventSchema>;
/**
 * One ActiveMQ message of an {@link ActiveMqEvent}.
 *
 * @example
 * const message: ActiveMqMessage = activeMqEvent().messages[0]!;
 */
export type ActiveMqMessage = ActiveMqEvent['messages'][number];
/**
 * An Amazon MQ for RabbitMQ event (`@types/aws-lambda` has no type for it).
 *
 * @example
 * const event: RabbitMqEvent = rabbitMqEvent();
 */
export type RabbitMqEvent = z.infer<typeof RabbitMqEventSchema>;
/**
 * One RabbitMQ message of a {@link RabbitMqEvent}.
 *
 * @example
 * const message: RabbitMqMessage = rabbitMqEvent().rmqMessagesByQueue['orders::/']![0]!;
 */
export type RabbitMqMessage = RabbitMqEvent['rmqMessagesByQueue'][string][number];

/** Strings as UTF-8, bytes as is, anything else JSON; then base64. Bytes make a JMS bytes message. */
function encodeMqBody(body: unknown): { data: string; bytes: number; binary: boolean } {
  const buf =
    body instanceof Uint8Array
      ? Buffer.from(body)
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return { data: toBase64(buf), bytes: buf.length, binary: body instanceof Uint8Array };
}

function brokerArn(c: { region: string; accountId: string }, r: Random, name: string): [string, string] {
  const id = `b-${r.uuid()}`;
  return [`arn:aws:mq:${c.region}:${c.accountId}:broker:${name}:${id}`, id];
}

const bodySchema = z.union([z.instanceof(Uint8Array), jsonPayloadSchema]);

/**
 * One ActiveMQ message as a user thinks of it.
 *
 * @example
 * const msg: ActiveMqMessageInput = { body: { orderId: 'o-1' }, properties: { tenant: 'acme' }, correlationId: 'c-1' };
 */
export interface ActiveMqMessageInput {
  /** Strings as UTF-8 (a text message), bytes as is (a bytes message), other values JSON. Default generated JSON. */
  body?: unknown;
  /** JMS properties (string values). */
  properties?: Record<string, string>;
  correlationId?: string | null;
  replyTo?: string | null;
  type?: string | null;
  /** 1 non-persistent, 2 persistent. Default 2. */
  deliveryMode?: 1 | 2;
  /** 0-9. Default 4 (the JMS default). */
  priority?: number;
  /** Absolute expiry in epoch ms, or 0 for none. Default 0. */
  expiration?: number;
  /** True when the broker delivers the message again. Default false. */
  redelivered?: boolean;
}

/**
 * Options of {@link activeMqEvent}.
 *
 * @example
 * const options: ActiveMqEventOptions = { queue: 'orders', bodies: ['a', { b: 1 }] };
 */
export interface ActiveMqEventOptions extends CommonEventOptions {
  /** Messages in total. Default one per input, else 1. */
  records?: number;
  /** The queue (`destination.physicalName`). Default generated. */
  queue?: string;
  /** The broker's name in its ARN. Default generated. */
  brokerName?: string;
  /** Shorthand for `messages` with only a body each. */
  bodies?: unknown[];
  messages?: ActiveMqMessageInput[];
  /** `messages[i]` merges over message `i`; other keys deep-merge. */
  overrides?: DeepPartial<Omit<ActiveMqEvent, 'messages'>> & { messages?: DeepPartial<ActiveMqMessage>[] };
}

const queueName = z
  .string()
  .regex(/^[\w.:/-]{1,255}$/, 'expected a queue name')
  .optional();
const brokerName = z
  .string()
  .regex(/^[\w-]{1,50}$/, 'expected a broker name (letters, digits, - and _)')
  .optional();
const activeMessageSchema = z.strictObject({
  body: bodySchema.optional(),
  properties: z.record(z.string(), z.string()).optional(),
  correlationId: z.string().nullable().optional(),
  replyTo: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  deliveryMode: z.union([z.literal(1), z.literal(2)]).optional(),
  priority: z.number().int().min(0).max(9).optional(),
  expiration: z.number().int().min(0).optional(),
  redelivered: z.boolean().optional(),
});
const activeOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  records: recordsCountSchema,
  queue: queueName,
  brokerName,
  bodies: z.array(bodySchema).optional(),
  messages: z.array(activeMessageSchema).optional(),
});

interface ActiveContext {
  rng: Random;
  time: number;
  queue: string;
  host: string;
  connection: string;
}

const activeFamily = batchFamily({
  eventSchema: ActiveMqEventSchema,
  recordSchema: ActiveMqMessageSchema,
  recordsKey: 'messages',
  inputsOption: 'messages',
  build(ctx: ActiveContext, i: number, msg: ActiveMqMessageInput | undefined): ActiveMqMessage {
    const r = ctx.rng.fork(i);
    const body = encodeMqBody(msg?.body ?? { id: r.hex(12), [r.pick(WORDS.nouns)]: r.int(1, 1000) });
    const sent = Math.round(ctx.time) + i * 5 + r.int(0, 4);
    return {
      messageID: `ID:${ctx.host}-${ctx.connection}:1:1:1:${i + 1}`,
      messageType: body.binary ? 'jms/bytes-message' : 'jms/text-message',
      deliveryMode: msg?.deliveryMode ?? 2,
      replyTo: msg?.replyTo ?? null,
      type: msg?.type ?? null,
      expiration: String(msg?.expiration ?? 0),
      priority: msg?.priority ?? 4,
      correlationId: msg?.correlationId ?? null,
      redelivered: msg?.redelivered ?? false,
      destination: { physicalName: ctx.queue },
      data: body.data,
      timestamp: sent,
      brokerInTime: sent,
      brokerOutTime: sent + r.int(1, 30),
      ...(msg?.properties ? { properties: msg.properties } : {}),
    };
  },
});

/**
 * Generates an Amazon MQ for ActiveMQ event: `eventSource` `aws:mq`, the broker ARN, and
 * `messages[]` with base64 `data` (a text message for strings and JSON, a bytes message for bytes),
 * JMS ids from the broker's host, epoch-ms `timestamp`/`brokerInTime`/`brokerOutTime`.
 * Amazon MQ has no partial batch response: answer a failure by throwing (the batch returns to the
 * broker, which redelivers it up to 6 times, then to its dead-letter queue).
 *
 * @example
 * const event = activeMqEvent({ queue: 'orders', bodies: ['plain', { orderId: 'o-1' }] });
 * Buffer.from(event.messages[1]!.data, 'base64').toString(); // '{"orderId":"o-1"}'
 */
export function activeMqEvent(options: ActiveMqEventOptions = {}): ActiveMqEvent {
  const fn = 'activeMqEvent';
  const opts = parseOptions(activeOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const ev = c.rng.fork('broker');
  const name = opts.brokerName ?? `${ev.pick(WORDS.adjectives)}-broker`;
  const [arn, id] = brokerArn(c, ev, name);
  const inputs: (ActiveMqMessageInput | undefined)[] =
    opts.messages ?? (opts.bodies ?? []).map((body) => ({ body }));
  if (opts.messages && opts.bodies) {
    opts.bodies.forEach((body, i) => {
      inputs[i] = { ...(inputs[i] ?? {}), body };
    });
  }
  const ctx: ActiveContext = {
    rng: c.rng,
    time: c.time,
    queue: opts.queue ?? `${ev.pick(WORDS.nouns)}-queue`,
    host: `${id}-1.mq.${c.region}.amazonaws.com`,
    connection: `${ev.int(30000, 60000)}-${Math.round(c.time) - ev.int(60_000, 86_400_000)}-${ev.int(1, 9)}`,
  };
  return activeFamily.event(
    fn,
    ctx,
    { records: opts.records, inputs, overrides: opts.overrides },
    (messages) => ({
      eventSource: 'aws:mq',
      eventSourceArn: arn,
      messages,
    }),
  );
}

/**
 * One RabbitMQ message as a user thinks of it.
 *
 * @example
 * const msg: RabbitMqMessageInput = { body: { orderId: 'o-1' }, headers: { tenant: 'acme', retries: 2 }, queue: 'orders' };
 */
export interface RabbitMqMessageInput {
  /** Strings as UTF-8, bytes as is, other values JSON; then base64. Default generated JSON. */
  body?: unknown;
  /** AMQP headers: strings arrive as `{ bytes: [...] }`, numbers and booleans as is. */
  headers?: Record<string, string | number | boolean>;
  /** Default `application/json` for JSON bodies, `text/plain` for strings, `application/octet-stream` for bytes. */
  contentType?: string | null;
  correlationId?: string | null;
  messageId?: string | null;
  replyTo?: string | null;
  type?: string | null;
  appId?: string | null;
  /** Per-message TTL in ms (`expiration`). */
  expiration?: number;
  /** 1 non-persistent, 2 persistent. Default 2. */
  deliveryMode?: 1 | 2;
  /** Default null (no priority set). */
  priority?: number | null;
  redelivered?: boolean;
  /** The queue this message came from. Default the event's `queue`. */
  queue?: string;
}

/**
 * Options of {@link rabbitMqEvent}.
 *
 * @example
 * const options: RabbitMqEventOptions = { queue: 'orders', virtualHost: '/', bodies: ['a', 'b'] };
 */
export interface RabbitMqEventOptions extends CommonEventOptions {
  /** Messages in total. Default one per input, else 1. */
  records?: number;
  /** Default generated. */
  queue?: string;
  /** Default `/`. */
  virtualHost?: string;
  /** The broker's name in its ARN. Default generated. */
  brokerName?: string;
  /** Shorthand for `messages` with only a body each. */
  bodies?: unknown[];
  messages?: RabbitMqMessageInput[];
  /** `rmqMessagesByQueue["queue::vhost"][i]` merges over that message; `bodySize` follows `data`. */
  overrides?: DeepPartial<Omit<RabbitMqEvent, 'rmqMessagesByQueue'>> & {
    rmqMessagesByQueue?: Record<string, DeepPartial<RabbitMqMessage>[]>;
  };
}

const rabbitMessageSchema = z.strictObject({
  body: bodySchema.optional(),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  contentType: z.string().nullable().optional(),
  correlationId: z.string().nullable().optional(),
  messageId: z.string().nullable().optional(),
  replyTo: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  appId: z.string().nullable().optional(),
  expiration: z.number().int().min(0).optional(),
  deliveryMode: z.union([z.literal(1), z.literal(2)]).optional(),
  priority: z.number().int().min(0).max(255).nullable().optional(),
  redelivered: z.boolean().optional(),
  queue: queueName,
});
const rabbitOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  records: recordsCountSchema,
  queue: queueName,
  virtualHost: z.string().min(1).max(255).optional(),
  brokerName,
  bodies: z.array(bodySchema).optional(),
  messages: z.array(rabbitMessageSchema).optional(),
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The AMQP timestamp as Lambda renders it in RabbitMQ events (Java's medium date-time, UTC).
 *
 * @example
 * rabbitTimestamp(Date.UTC(2024, 0, 15, 12, 0, 0)); // 'Jan 15, 2024, 12:00:00 PM'
 */
export function rabbitTimestamp(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

function rabbitHeaders(headers: Record<string, string | number | boolean>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      typeof v === 'string' ? { bytes: [...Buffer.from(v, 'utf8')] } : v,
    ]),
  );
}

/**
 * Generates an Amazon MQ for RabbitMQ event: `eventSource` `aws:rmq`, the broker ARN, and
 * `rmqMessagesByQueue` keyed `queue::virtual-host` (`orders::/` on the default host), each message
 * with its AMQP `basicProperties` (string headers as byte arrays, the timestamp as Lambda renders
 * it, `bodySize` the decoded body's byte length) and base64 `data`. No partial batch response.
 *
 * @example
 * const event = rabbitMqEvent({ queue: 'orders', messages: [{ body: { id: 1 }, headers: { tenant: 'acme' } }] });
 * Object.keys(event.rmqMessagesByQueue); // ['orders::/']
 */
export function rabbitMqEvent(options: RabbitMqEventOptions = {}): RabbitMqEvent {
  const fn = 'rabbitMqEvent';
  const opts = parseOptions(rabbitOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const ev = c.rng.fork('broker');
  const name = opts.brokerName ?? `${ev.pick(WORDS.adjectives)}-broker`;
  const [arn] = brokerArn(c, ev, name);
  const vhost = opts.virtualHost ?? '/';
  const queue = opts.queue ?? `${ev.pick(WORDS.nouns)}-queue`;
  const inputs: (RabbitMqMessageInput | undefined)[] =
    opts.messages ?? (opts.bodies ?? []).map((body) => ({ body }));
  if (opts.messages && opts.bodies) {
    opts.bodies.forEach((body, i) => {
      inputs[i] = { ...(inputs[i] ?? {}), body };
    });
  }
  const count = recordCount(fn, opts.records, inputs.length, undefined);
  const userId = `AIDA${ev.upperAlnum(16)}`;
  const byQueue: Record<string, RabbitMqMessage[]> = {};
  for (let i = 0; i < count; i++) {
    const r = c.rng.fork(i);
    const msg = inputs[i];
    const raw = msg?.body ?? { id: r.hex(12), [r.pick(WORDS.nouns)]: r.int(1, 1000) };
    const body = encodeMqBody(raw);
    const contentType =
      msg?.contentType !== undefined
        ? msg.contentType
        : body.binary
          ? 'application/octet-stream'
          : typeof raw === 'string'
            ? 'text/plain'
            : 'application/json';
    const message: RabbitMqMessage = {
      basicProperties: {
        contentType,
        contentEncoding: null,
        headers: msg?.headers ? (rabbitHeaders(msg.headers) as never) : null,
        deliveryMode: msg?.deliveryMode ?? 2,
        priority: msg?.priority ?? null,
        correlationId: msg?.correlationId ?? null,
        replyTo: msg?.replyTo ?? null,
        expiration: msg?.expiration !== undefined ? String(msg.expiration) : null,
        messageId: msg?.messageId ?? null,
        timestamp: rabbitTimestamp(c.time + i * 5),
        type: msg?.type ?? null,
        userId,
        appId: msg?.appId ?? null,
        clusterId: null,
        bodySize: body.bytes,
      },
      redelivered: msg?.redelivered ?? false,
      data: body.data,
    };
    const key = `${msg?.queue ?? queue}::${vhost}`;
    const list = byQueue[key];
    if (list) list.push(message);
    else byQueue[key] = [message];
  }
  const event: RabbitMqEvent = { eventSource: 'aws:rmq', eventSourceArn: arn, rmqMessagesByQueue: byQueue };
  const overrides = opts.overrides;
  if (!overrides) return event;
  const { rmqMessagesByQueue: queueOverrides, ...rest } = overrides as Record<string, unknown>;
  // Each queue's list merges element by element, like Records elsewhere; bodySize follows data
  // unless the override sets it (before validation, which checks that they agree).
  const merged: Record<string, unknown> = { ...rest };
  if (
    queueOverrides !== undefined &&
    (typeof queueOverrides !== 'object' || queueOverrides === null || Array.isArray(queueOverrides))
  ) {
    // Not a map of queues: let validation name it.
    merged.rmqMessagesByQueue = queueOverrides;
  } else if (queueOverrides !== undefined) {
    const lists: Record<string, unknown> = { ...byQueue };
    for (const [key, list] of Object.entries(queueOverrides as Record<string, unknown>)) {
      const base = byQueue[key] ?? [];
      if (!Array.isArray(list)) {
        lists[key] = list;
        continue;
      }
      lists[key] = [
        ...base.map((m, i) => (i < list.length ? mergeMessage(m, list[i]) : m)),
        ...list.slice(base.length),
      ];
    }
    merged.rmqMessagesByQueue = lists;
  }
  return applyEventOverrides(event, merged as never, RabbitMqEventSchema, fn);
}

function mergeMessage(base: RabbitMqMessage, over: unknown): unknown {
  if (over === null || typeof over !== 'object' || Array.isArray(over)) return over;
  const o = over as Record<string, unknown>;
  const props = o.basicProperties;
  const out = {
    ...base,
    ...o,
    basicProperties:
      props && typeof props === 'object' && !Array.isArray(props)
        ? { ...base.basicProperties, ...(props as object) }
        : (props ?? base.basicProperties),
  } as RabbitMqMessage;
  if (typeof o.data === 'string' && !hasOverride(o, ['basicProperties', 'bodySize']) && out.basicProperties) {
    out.basicProperties = { ...out.basicProperties, bodySize: Buffer.from(o.data, 'base64').length };
  }
  return out;
}
