/**
 * Shared machinery of the event generators: common options, the pinned clock, time formats,
 * override merging and validation, and the hashes AWS derives from payloads.
 */
import { hash } from 'node:crypto';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import {
  epochMsSchema,
  field,
  formatPath,
  isPlainObject,
  issuesError,
  parseWith,
  requireObject,
  seedSchema,
} from '../errors/options.js';
import { createRandom, DEFAULT_SEED, type Random } from '../random/index.js';

/**
 * The instant every generator starts from unless `time` is given: 2024-01-15T12:00:00.000Z.
 *
 * @example
 * new Date(REFERENCE_TIME).toISOString(); // '2024-01-15T12:00:00.000Z'
 */
export const REFERENCE_TIME = Date.UTC(2024, 0, 15, 12, 0, 0, 0);
/**
 * Region used when `region` is not given.
 *
 * @example
 * sqsEvent().Records[0]?.awsRegion === DEFAULT_REGION; // true
 */
export const DEFAULT_REGION = 'us-east-1';
/**
 * Account id used when `accountId` is not given (the documentation placeholder).
 *
 * @example
 * scheduledEvent().account === DEFAULT_ACCOUNT_ID; // true
 */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/**
 * Options every generator accepts. All are JSON-friendly (except that `time` may also be a Date).
 *
 * @example
 * const common: CommonEventOptions = { seed: 7, region: 'eu-west-1', accountId: '111122223333', time: '2024-06-01T00:00:00Z' };
 */
export interface CommonEventOptions {
  /** Seed of the private random stream; the same seed gives a deep-equal event. Default 1337. */
  seed?: number;
  /** AWS region used in every ARN and region field. Default `us-east-1`. */
  region?: string;
  /** 12-digit account id used in every ARN and account field. Default `123456789012`. */
  accountId?: string;
  /** Reference time (ISO string, epoch ms or Date). Default 2024-01-15T12:00:00.000Z. */
  time?: string | number | Date;
}

/**
 * A deep partial of an event for `overrides`: objects merge key by key, arrays replace the whole
 * default array (except a top-level `Records` array, see {@link EventOverrides}).
 *
 * @example
 * const o: DeepPartial<{ a: { b: string; c: number } }> = { a: { b: 'x' } };
 */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/**
 * Overrides for an event: a deep partial where the top-level `Records` array merges element by
 * element (override `Records[i]` deep-merges over generated record `i`; extra elements add records).
 *
 * @example
 * const o: EventOverrides<import('aws-lambda').SQSEvent> = { Records: [{ body: 'hello' }] };
 */
export type EventOverrides<T> = T extends { Records: (infer R)[] }
  ? { [K in Exclude<keyof T, 'Records'>]?: DeepPartial<T[K]> } & { Records?: DeepPartial<R>[] }
  : DeepPartial<T>;

/** The resolved common options every builder receives. */
export interface ResolvedCommon {
  seed: number;
  region: string;
  accountId: string;
  /** Reference time in epoch ms. */
  time: number;
  rng: Random;
}

const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'expected an AWS region such as "us-east-1"');

/** Zod shape of {@link CommonEventOptions}; each source extends it and makes it strict. */
export const commonOptionsShape = {
  seed: seedSchema.optional(),
  region: regionSchema.optional(),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'expected a 12-digit account id')
    .optional(),
  time: field(
    z.union([
      z.string().refine((s) => epochMsSchema.safeParse(Date.parse(s)).success, 'expected an ISO date string'),
      epochMsSchema,
      z.date().refine((d) => epochMsSchema.safeParse(d.getTime()).success, 'expected a valid Date'),
    ]),
    'an ISO date string, epoch ms or a Date, from 1970 to year 9999',
  ).optional(),
  overrides: z
    .custom<Record<string, unknown>>(isPlainObject, 'expected a plain object of event fields')
    .optional(),
};

export { formatPath, isPlainObject };

/**
 * Parses generator options with a strict zod schema, throwing `INVALID_OPTIONS` that names the option
 * (through the house's one options formatter).
 */
export function parseOptions<O extends object>(schema: z.ZodType, options: O | undefined, fn: string): O {
  const where = `${fn}() options`;
  if (options !== undefined) requireObject(options, 'INVALID_OPTIONS', where);
  return parseWith(
    schema,
    options,
    'INVALID_OPTIONS',
    where,
    `Check the option names and types of ${fn}() (unknown options are rejected so typos fail loudly).`,
  ) as O;
}

/** Resolves seed, region, account and the reference clock. */
export function resolveCommon(options: {
  seed?: number | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  time?: string | number | Date | undefined;
}): ResolvedCommon {
  const seed = options.seed ?? DEFAULT_SEED;
  const time =
    options.time === undefined
      ? REFERENCE_TIME
      : options.time instanceof Date
        ? options.time.getTime()
        : typeof options.time === 'number'
          ? options.time
          : Date.parse(options.time);
  return {
    seed,
    region: options.region ?? DEFAULT_REGION,
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    time,
    rng: createRandom(seed),
  };
}

/**
 * Validates a finished event against its source schema; used after overrides were merged so a bad
 * override is reported with its path and the expected shape.
 */
export function validateEvent<S extends z.ZodType>(schema: S, event: unknown, fn: string): void {
  const result = schema.safeParse(event);
  if (result.success) return;
  throw issuesError(
    result.error.issues,
    schema,
    event,
    'INVALID_OVERRIDE',
    `${fn}() overrides`,
    'Overrides are merged over a valid default event (objects merge, arrays replace); the merged event must keep the real AWS shape.',
    'field',
  );
}

/** Sets an own property, even one named `__proto__` (which plain assignment would treat as the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneValue(value[key]));
    return out as T;
  }
  return value;
}

/** Deep-merges `over` onto `base`: objects merge, arrays and scalars replace. Never mutates inputs. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(base)) setOwn(out, key, base[key]);
    for (const key of Object.keys(over)) {
      const value = over[key];
      if (value === undefined) continue;
      setOwn(out, key, deepMerge(Object.hasOwn(base, key) ? base[key] : undefined, value));
    }
    return out;
  }
  return cloneValue(over);
}

/**
 * Merges event overrides: like {@link deepMerge}, except that a top-level `Records` array merges
 * element by element with the generated records.
 */
export function mergeEventOverrides<T>(event: T, overrides: object | undefined): T {
  if (!overrides) return event;
  const { Records: recordOverrides, ...rest } = overrides as Record<string, unknown>;
  const merged = deepMerge(event, rest) as Record<string, unknown>;
  if (recordOverrides !== undefined) {
    const baseRecords = (event as { Records?: unknown[] }).Records;
    if (Array.isArray(recordOverrides) && Array.isArray(baseRecords)) {
      merged.Records = baseRecords.map((record, i) =>
        i < recordOverrides.length ? deepMerge(record, recordOverrides[i]) : record,
      );
    } else {
      merged.Records = cloneValue(recordOverrides);
    }
  }
  return merged as T;
}

/**
 * The tail every event generator shares: merge the overrides over the generated event, validate
 * the result against the source's schema (naming the bad path), then let the generator recompute
 * its derived fields from the merged input. Without overrides the event is returned as generated.
 */
export function applyEventOverrides<T, O extends object, S extends z.ZodType>(
  event: T,
  overrides: O | undefined,
  schema: S,
  fn: string,
  rederive?: (merged: T, overrides: O) => void,
): T {
  return applyOverrides(mergeEventOverrides, event, overrides, schema, fn, rederive);
}

/**
 * The same tail for a record factory: the overrides deep-merge over one generated record.
 */
export function applyRecordOverrides<T, O extends object, S extends z.ZodType>(
  record: T,
  overrides: O | undefined,
  schema: S,
  fn: string,
  rederive?: (merged: T, overrides: O) => void,
): T {
  return applyOverrides((base, over) => deepMerge(base, over) as T, record, overrides, schema, fn, rederive);
}

function applyOverrides<T, O extends object, S extends z.ZodType>(
  merge: (value: T, overrides: O) => T,
  value: T,
  overrides: O | undefined,
  schema: S,
  fn: string,
  rederive: ((merged: T, overrides: O) => void) | undefined,
): T {
  if (!overrides) return value;
  const merged = merge(value, overrides);
  validateEvent(schema, merged, fn);
  rederive?.(merged, overrides);
  return merged;
}

/** True when `overrides` sets the value at `path` explicitly. */
export function hasOverride(overrides: unknown, path: readonly (string | number)[]): boolean {
  let cur: unknown = overrides;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string | number, unknown>)[key];
    if (cur === undefined) return false;
  }
  return true;
}

/** The per-record override object at `Records[i]`, if any. */
export function recordOverride(overrides: object | undefined, i: number): unknown {
  const records = (overrides as { Records?: unknown } | undefined)?.Records;
  return Array.isArray(records) ? records[i] : undefined;
}

/** Hex MD5 of a string (UTF-8) or bytes. */
export function md5Hex(data: string | Uint8Array): string {
  return hash('md5', data, 'hex');
}

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** Base64 of a string (UTF-8) or bytes. */
export function toBase64(data: string | Uint8Array): string {
  return Buffer.from(data as Uint8Array).toString('base64');
}

/** A payload a user thinks in: strings pass through, anything else is JSON-encoded. */
export function encodeBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** Epoch ms as the string SQS uses in `attributes` (`"1545082649183"`). */
export function epochMsString(ms: number): string {
  return String(Math.round(ms));
}

/** Epoch seconds with a millisecond fraction, as Kinesis uses (`1545084650.987`). */
export function epochSecondsFloat(ms: number): number {
  return Math.round(ms) / 1000;
}

/** ISO 8601 with milliseconds (`2024-01-15T12:00:00.000Z`). */
export function isoWithMs(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

/** ISO 8601 without milliseconds (`2024-01-15T12:00:00Z`), as EventBridge uses. */
export function isoNoMs(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Common-log-format time as API Gateway uses (`15/Jan/2024:12:00:00 +0000`). */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
}

/**
 * A tumbling-window invocation of a Kinesis or DynamoDB Streams mapping.
 *
 * @example
 * const window: TumblingWindowInput = { seconds: 60, state: { count: 3 }, final: true };
 */
export interface TumblingWindowInput {
  /** Window length, 1-900 s (`TumblingWindowInSeconds`). Default 60. The window holds the reference time. */
  seconds?: number;
  /** The `state` the previous invocation of this window returned. Default `{}`. */
  state?: Record<string, unknown>;
  /** `isFinalInvokeForWindow`. Default false. */
  final?: boolean;
  /** `isWindowTerminatedEarly` (state over 1 MB). Default false. */
  terminatedEarly?: boolean;
}

/** Zod schema of {@link TumblingWindowInput}. */
export const tumblingWindowSchema = z.strictObject({
  seconds: z.number().int().min(1).max(900).optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  final: z.boolean().optional(),
  terminatedEarly: z.boolean().optional(),
});

/** The fields a tumbling-window invocation adds to a stream event. */
export function tumblingWindowFields(
  input: TumblingWindowInput,
  time: number,
  shardId: string,
  eventSourceARN: string,
): {
  window: { start: string; end: string };
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
} {
  const ms = (input.seconds ?? 60) * 1000;
  const start = Math.floor(time / ms) * ms;
  return {
    window: { start: isoWithMs(start), end: isoWithMs(start + ms) },
    state: input.state ?? {},
    shardId,
    eventSourceARN,
    isFinalInvokeForWindow: input.final ?? false,
    isWindowTerminatedEarly: input.terminatedEarly ?? false,
  };
}

/** Validates the `records` count option shared by batch sources. */
export const recordsCountSchema = z.number().int().min(1).max(10_000).optional();

/** Resolves the number of records: the explicit count, else the inputs given, else 1. */
export function recordCount(
  fn: string,
  explicit: number | undefined,
  inputs: number,
  overrides: object | undefined,
): number {
  if (explicit !== undefined && inputs > explicit) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${fn} options.records: ${explicit} records requested but ${inputs} record inputs were given`,
      {
        path: 'records',
        hint: 'Omit `records` to get one record per input, or give at most `records` inputs.',
      },
    );
  }
  const records = (overrides as { Records?: unknown } | undefined)?.Records;
  const overrideCount = Array.isArray(records) ? records.length : 0;
  return Math.max(explicit ?? Math.max(inputs, 1), overrideCount);
}
