/**
 * AWS IoT rule events: the rule's Lambda action invokes the function asynchronously with the JSON
 * its SQL statement selected from an MQTT message, plus any SQL function values it adds.
 */
import type { IoTEvent } from 'aws-lambda';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import { WORDS } from '../random/index.js';
import { IotRuleEventSchema } from '../schemas/iot.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  resolveCommon,
  toBase64,
} from './core.js';

/**
 * An IoT SQL function whose value a rule adds to the selected payload (`SELECT *, topic() AS topic`).
 *
 * @example
 * const fns: IotSqlFunction[] = ['topic', 'clientid', 'timestamp'];
 */
export type IotSqlFunction = 'topic' | 'clientid' | 'timestamp' | 'principal';

/**
 * Options of {@link iotRuleEvent}.
 *
 * @example
 * const options: IotRuleEventOptions = { topic: 'sensors/kitchen/temp', payload: { celsius: 21.5 }, select: ['topic', 'timestamp'] };
 */
export interface IotRuleEventOptions<T = Record<string, unknown>> extends CommonEventOptions {
  /** The MQTT message: any JSON value; bytes are base64-encoded as `{ data }` (`SELECT encode(*, 'base64') AS data`). Default a generated telemetry object. */
  payload?: T | Uint8Array;
  /** The MQTT topic (used by `topic()`). Default `devices/<thing>/telemetry`. */
  topic?: string;
  /** The publishing client (used by `clientid()`). Default the thing name. */
  clientId?: string;
  /** SQL functions the rule adds, each under its own name (`topic`, `clientid`, `timestamp`, `principal`). */
  select?: IotSqlFunction[];
  overrides?: DeepPartial<T>;
}

const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  payload: z.union([z.instanceof(Uint8Array), z.json()]).optional(),
  topic: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^#+]+$/, 'expected a topic without wildcards (the topic a message was published on)')
    .optional(),
  clientId: z.string().min(1).max(128).optional(),
  select: z.array(z.enum(['topic', 'clientid', 'timestamp', 'principal'])).optional(),
});

/**
 * Generates the event an AWS IoT rule's Lambda action delivers: the payload the rule selected
 * (default `SELECT *` of a generated telemetry message), plus the SQL functions named in `select`
 * (`topic()`, `clientid()`, `timestamp()` in epoch ms, `principal()` as a certificate id). Bytes
 * become `{ data: base64 }`, as `SELECT encode(*, 'base64') AS data` delivers binary messages.
 * IoT invokes asynchronously: the return value is ignored.
 *
 * @example
 * const event = iotRuleEvent({ topic: 'sensors/kitchen/temp', payload: { celsius: 21.5 }, select: ['topic'] });
 * event; // { celsius: 21.5, topic: 'sensors/kitchen/temp' }
 */
export function iotRuleEvent<T = Record<string, unknown>>(options: IotRuleEventOptions<T> = {}): IoTEvent<T> {
  const fn = 'iotRuleEvent';
  const opts = parseOptions(optionsSchema, options as object, fn) as IotRuleEventOptions<unknown>;
  const c = resolveCommon(opts);
  const r = c.rng.fork('message');
  const thing = `${r.pick(WORDS.adjectives)}-${r.pick(WORDS.nouns)}-${r.int(1, 99)}`;
  const topic = opts.topic ?? `devices/${thing}/telemetry`;
  const generated = {
    deviceId: thing,
    temperature: Math.round((15 + r.float() * 15) * 10) / 10,
    humidity: r.int(20, 80),
    battery: r.int(5, 100),
    ts: Math.floor(c.time / 1000),
  };
  const payload: unknown =
    opts.payload instanceof Uint8Array ? { data: toBase64(opts.payload) } : (opts.payload ?? generated);
  const select = opts.select ?? [];
  let event = payload;
  if (select.length > 0) {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${fn}() options.select: a rule can add SQL function values only to an object payload, received ${JSON.stringify(payload)}`,
        {
          path: 'select',
          hint: 'Give an object payload, or drop `select` (a `SELECT VALUE` rule delivers the bare value).',
        },
      );
    }
    const values: Record<IotSqlFunction, unknown> = {
      topic,
      clientid: opts.clientId ?? thing,
      timestamp: Math.round(c.time),
      principal: r.hex(64),
    };
    event = { ...payload, ...Object.fromEntries(select.map((name) => [name, values[name]])) };
  }
  if (opts.overrides !== undefined && (typeof event !== 'object' || event === null || Array.isArray(event))) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${fn}() options.overrides: only an object payload can be overridden`,
      {
        path: 'overrides',
        hint: 'Pass the value you want as `payload` instead.',
      },
    );
  }
  return applyEventOverrides(
    event,
    opts.overrides as object | undefined,
    IotRuleEventSchema,
    fn,
  ) as IoTEvent<T>;
}
