import { epochMsSchema, field, parseWith, requireObject, z } from '../errors/options.js';
import { parseLogLevel } from '../logs/format.js';
import { RUNTIME_NAMES } from '../runtime/profiles.js';
import type { ClockOption } from './engine.js';
import type { RuntimeName } from './result.js';
import { type FunctionOptions, type FunctionSettings, settingsFrom } from './settings-core.js';

export type { FunctionOptions, FunctionSettings } from './settings-core.js';
export { settingsFrom };

/** Why seconds are capped: Node's timers hold at most 2^31-1 ms, and Lambda's limits are far below. */
const LAMBDA_MAX_TIMEOUT_S = 900;

/**
 * The zod shape of {@link FunctionOptions}: the one place their checks live. Each field carries the
 * text the shared formatter prints (`<where>.<key>: expected ..., received ...`).
 *
 * @example
 * Object.keys(functionOptionsShape).includes('timeout'); // true
 */
export const functionOptionsShape = {
  runtime: field(
    z.enum(RUNTIME_NAMES as [RuntimeName, ...RuntimeName[]]),
    `one of ${RUNTIME_NAMES.join(', ')}`,
  ).optional(),
  functionName: field(
    z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/),
    'a string matching /^[a-zA-Z0-9-_]{1,64}$/',
  ).optional(),
  functionVersion: field(
    z.string().regex(/^(\$LATEST|[0-9]+)$/),
    'a string matching /^(\\$LATEST|[0-9]+)$/',
  ).optional(),
  qualifier: field(
    z.string().regex(/^[a-zA-Z0-9$_-]{1,128}$/),
    'a string matching /^[a-zA-Z0-9$_-]{1,128}$/',
  ).optional(),
  memorySize: field(z.number().int().min(128).max(10240), 'an integer from 128 to 10240 (MB)').optional(),
  timeout: field(
    z.number().finite().gt(0).max(LAMBDA_MAX_TIMEOUT_S),
    'seconds > 0 and <= 900',
    'Lambda timeouts are 1-900 s; fractions such as 0.1 are allowed for fast tests.',
  ).optional(),
  region: field(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/),
    'a string matching /^[a-z]{2}(-[a-z]+)+-\\d$/',
  ).optional(),
  accountId: field(z.string().regex(/^\d{12}$/), 'a string matching /^\\d{12}$/').optional(),
  handler: field(z.string().min(1), 'a non-empty string').optional(),
  env: field(
    z.record(z.string(), field(z.string().optional(), 'a string or undefined')),
    'an object of strings',
  ).optional(),
  logFormat: field(
    z.string().refine((v) => ['TEXT', 'JSON'].includes(v.toUpperCase())),
    "'Text' or 'JSON'",
  ).optional(),
  logLevel: field(
    z.string().refine((v) => parseLogLevel(v) !== undefined),
    'one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL',
  ).optional(),
  logGroupName: field(z.string().min(1), 'a non-empty string').optional(),
  logs: field(z.enum(['silent', 'echo']), "'silent' or 'echo'").optional(),
};

/**
 * Keys accepted by {@link resolveFunctionSettings}.
 *
 * @example
 * FUNCTION_OPTION_KEYS.includes('timeout'); // true
 */
export const FUNCTION_OPTION_KEYS: readonly string[] = Object.keys(functionOptionsShape);

/** A UUID as Lambda prints request ids. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The one clock parser: `'real'`, `'virtual'`, `{ mode: 'real' }` or `{ mode: 'virtual', startMs }`
 * with `startMs` inside the range of a Date. `startMs` with the real clock is rejected: the real
 * clock cannot be pinned, and ignoring it would be a silently wrong result.
 *
 * @example
 * clockSchema.parse('virtual'); // { mode: 'virtual' }
 */
export const clockSchema = field(
  z.union([
    z.literal('real').transform((): ClockOption => ({ mode: 'real' })),
    z.literal('virtual').transform((): ClockOption => ({ mode: 'virtual' })),
    // Keyed by mode, so a bad startMs or a typo is reported at its own path.
    z
      .discriminatedUnion('mode', [
        z.strictObject({ mode: z.literal('real') }),
        z.strictObject({ mode: z.literal('virtual'), startMs: epochMsSchema.optional() }),
      ])
      .transform(
        (v): ClockOption =>
          v.mode === 'virtual' && v.startMs !== undefined
            ? { mode: 'virtual', startMs: v.startMs }
            : { mode: v.mode },
      ),
  ]),
  "'real', 'virtual' or { mode: 'virtual', startMs }",
  'startMs (epoch ms from 1970 to year 9999) pins the start of the virtual clock; the real clock cannot be pinned.',
);

/**
 * Parse a clock option (`'real'`, `'virtual'` or `{ mode, startMs }`); `undefined` is the real clock.
 *
 * @example
 * parseClockOption('virtual', 'fn.invoke options.clock'); // { mode: 'virtual' }
 */
export function parseClockOption(value: unknown, where: string): ClockOption {
  if (value === undefined || value === 'real') return REAL_CLOCK;
  const dot = where.lastIndexOf('.clock');
  const root = dot >= 0 ? where.slice(0, dot) : where;
  return parseWith(z.object({ clock: clockSchema }), { clock: value }, 'INVALID_OPTIONS', root).clock;
}

const REAL_CLOCK: ClockOption = { mode: 'real' };

/**
 * The zod shape of the per-invocation inputs shared by `invokeHandler` and `fn.invoke`.
 *
 * @example
 * Object.keys(invocationOptionsShape); // ['clock', 'requestId', 'traceId', 'identity', 'clientContext', 'tenantId']
 */
export const invocationOptionsShape = {
  clock: clockSchema.optional(),
  requestId: field(z.string().regex(UUID), 'a lowercase UUID').optional(),
  traceId: field(z.string().nullable(), 'a trace header string or null').optional(),
  identity: field(
    z.strictObject({
      cognitoIdentityId: z.string().optional(),
      cognitoIdentityPoolId: z.string().optional(),
    }),
    '{ cognitoIdentityId?, cognitoIdentityPoolId? } (strings)',
  ).optional(),
  clientContext: z.unknown().optional(),
  tenantId: field(z.string(), 'a string').optional(),
};

/** The parsed per-invocation inputs. */
export type InvocationInputs = z.output<z.ZodObject<typeof invocationOptionsShape>>;

let defaultSettings: FunctionSettings | undefined;

/**
 * Validate function options (unknown keys are rejected, with the valid keys and the likely typo)
 * and fill in Lambda's defaults. `extraKeys` are keys the caller validates itself.
 * `LAMBDA_HARNESS_LOGS=echo` in the environment turns on `logs: 'echo'`.
 *
 * @example
 * resolveFunctionSettings({ timeout: 0 }, 'invokeHandler options');
 * // throws HarnessError INVALID_OPTIONS "invokeHandler options.timeout: expected seconds > 0 and <= 900, received number 0"
 */
export function resolveFunctionSettings(
  options: FunctionOptions | undefined,
  where: string,
  extraKeys: readonly string[] = [],
): FunctionSettings {
  if (options === undefined && defaultSettings && extraKeys.length === 0) return defaultSettings;
  if (options !== undefined) requireObject(options, 'INVALID_OPTIONS', where);
  const shape: Record<string, z.ZodType> = { ...functionOptionsShape };
  for (const key of extraKeys) shape[key] ??= z.unknown();
  const o = parseWith(z.strictObject(shape), options, 'INVALID_OPTIONS', where) as FunctionOptions;
  const settings = settingsFrom(o, where);
  if (options === undefined && extraKeys.length === 0) defaultSettings = settings;
  return settings;
}
