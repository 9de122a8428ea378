import { HarnessError } from '../errors/index.js';
import { parseLogLevel } from '../logs/format.js';
import type { LogLevel } from '../logs/types.js';
import {
  DEFAULT_RUNTIME,
  getRuntimeProfile,
  RUNTIME_NAMES,
  type RuntimeProfile,
} from '../runtime/profiles.js';
import type { RuntimeName } from './result.js';

/**
 * Function configuration shared by init and invoke (what you would set on a Lambda function).
 *
 * @example
 * const options: FunctionOptions = { runtime: 'nodejs22.x', functionName: 'orders', timeout: 10, memorySize: 512,
 *   env: { TABLE_NAME: 'orders' }, logFormat: 'JSON', logLevel: 'WARN' };
 */
export interface FunctionOptions {
  /** Runtime profile; default `nodejs24.x`. */
  readonly runtime?: RuntimeName;
  /** Default `test-function`. */
  readonly functionName?: string;
  /** Default `$LATEST`. */
  readonly functionVersion?: string;
  /** Alias or version the caller used; appended to invokedFunctionArn. */
  readonly qualifier?: string;
  /** MB, 128-10240; default 128. */
  readonly memorySize?: number;
  /** Seconds, > 0 and <= 900 (fractions allowed for fast tests); default 3. */
  readonly timeout?: number;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** 12 digits; default `123456789012`. */
  readonly accountId?: string;
  /** `_HANDLER`; default `index.handler`. */
  readonly handler?: string;
  /** User environment variables; `undefined` removes a variable for the handler. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** AWS_LAMBDA_LOG_FORMAT; default Text (or the value in `env`). */
  readonly logFormat?: 'Text' | 'JSON';
  /** AWS_LAMBDA_LOG_LEVEL (application log level). */
  readonly logLevel?: LogLevel;
  /** Default log group `/aws/lambda/<functionName>`. */
  readonly logGroupName?: string;
  /** `silent` (default) or `echo` every captured line to the terminal; env LAMBDA_HARNESS_LOGS=echo also echoes. */
  readonly logs?: 'silent' | 'echo';
}

/**
 * Validated, defaulted function configuration.
 *
 * @example
 * const settings = resolveFunctionSettings({ runtime: 'nodejs20.x' }, 'invokeHandler options');
 * settings.timeoutMs; // 3000
 */
export interface FunctionSettings {
  readonly profile: RuntimeProfile;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly qualifier: string | undefined;
  readonly memorySizeMB: number;
  readonly timeoutMs: number;
  readonly region: string;
  readonly accountId: string;
  readonly handlerName: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logFormat: 'Text' | 'JSON';
  readonly logLevel: LogLevel | undefined;
  readonly logGroupName: string;
  readonly echo: boolean;
  readonly invokedFunctionArn: string;
}

/**
 * Keys accepted by {@link resolveFunctionSettings}.
 *
 * @example
 * FUNCTION_OPTION_KEYS.includes('timeout'); // true
 */
export const FUNCTION_OPTION_KEYS: readonly string[] = [
  'runtime',
  'functionName',
  'functionVersion',
  'qualifier',
  'memorySize',
  'timeout',
  'region',
  'accountId',
  'handler',
  'env',
  'logFormat',
  'logLevel',
  'logGroupName',
  'logs',
];

function bad(where: string, key: string, message: string, hint?: string): HarnessError {
  return new HarnessError('INVALID_OPTIONS', `${where}.${key}: ${message}`, {
    path: key,
    ...(hint ? { hint } : {}),
  });
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function str(where: string, o: Record<string, unknown>, key: string, dflt: string, re?: RegExp): string {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || v.length === 0 || (re && !re.test(v))) {
    throw bad(
      where,
      key,
      `expected ${re ? `a string matching ${re}` : 'a non-empty string'}, received ${describe(v)}`,
    );
  }
  return v;
}

let defaultSettings: FunctionSettings | undefined;

/**
 * Validate function options (unknown keys are rejected) and fill in Lambda's defaults.
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
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new HarnessError('INVALID_OPTIONS', `${where}: expected an object, received ${describe(options)}`);
  }
  if (options === undefined && defaultSettings && extraKeys.length === 0) return defaultSettings;
  const o = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!FUNCTION_OPTION_KEYS.includes(key) && !extraKeys.includes(key)) {
      throw bad(
        where,
        key,
        'unknown option',
        `Known options: ${[...FUNCTION_OPTION_KEYS, ...extraKeys].join(', ')}.`,
      );
    }
  }
  const runtimeName = o.runtime === undefined ? DEFAULT_RUNTIME : o.runtime;
  const profile = typeof runtimeName === 'string' ? getRuntimeProfile(runtimeName) : undefined;
  if (!profile) {
    throw bad(
      where,
      'runtime',
      `expected one of ${RUNTIME_NAMES.join(', ')}, received ${describe(runtimeName)}`,
    );
  }
  const functionName = str(where, o, 'functionName', 'test-function', /^[a-zA-Z0-9-_]{1,64}$/);
  const functionVersion = str(where, o, 'functionVersion', '$LATEST', /^(\$LATEST|[0-9]+)$/);
  const qualifier =
    o.qualifier === undefined ? undefined : str(where, o, 'qualifier', '', /^[a-zA-Z0-9$_-]{1,128}$/);
  const region = str(where, o, 'region', 'us-east-1', /^[a-z]{2}(-[a-z]+)+-\d$/);
  const accountId = str(where, o, 'accountId', '123456789012', /^\d{12}$/);
  const handlerName = str(where, o, 'handler', 'index.handler');
  const logGroupName = str(where, o, 'logGroupName', `/aws/lambda/${functionName}`);
  const memory = o.memorySize === undefined ? 128 : o.memorySize;
  if (typeof memory !== 'number' || !Number.isInteger(memory) || memory < 128 || memory > 10240) {
    throw bad(
      where,
      'memorySize',
      `expected an integer from 128 to 10240 (MB), received ${describe(memory)}`,
    );
  }
  const timeout = o.timeout === undefined ? 3 : o.timeout;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > 900) {
    throw bad(
      where,
      'timeout',
      `expected seconds > 0 and <= 900, received ${describe(timeout)}`,
      'Lambda timeouts are 1-900 s; fractions such as 0.1 are allowed for fast tests.',
    );
  }
  const env = o.env === undefined ? {} : o.env;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw bad(where, 'env', `expected an object of strings, received ${describe(env)}`);
  }
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && typeof v !== 'string') {
      throw bad(where, `env.${k}`, `expected a string or undefined, received ${describe(v)}`);
    }
  }
  const envRec = env as Record<string, string | undefined>;
  let logFormat: 'Text' | 'JSON' = 'Text';
  const fmt = o.logFormat ?? envRec.AWS_LAMBDA_LOG_FORMAT;
  if (fmt !== undefined) {
    if (typeof fmt !== 'string' || !['TEXT', 'JSON'].includes(fmt.toUpperCase())) {
      throw bad(where, 'logFormat', `expected 'Text' or 'JSON', received ${describe(fmt)}`);
    }
    logFormat = fmt.toUpperCase() === 'JSON' ? 'JSON' : 'Text';
  }
  const lvlRaw = o.logLevel ?? envRec.AWS_LAMBDA_LOG_LEVEL;
  const logLevel = parseLogLevel(typeof lvlRaw === 'string' ? lvlRaw : undefined);
  if (lvlRaw !== undefined && logLevel === undefined) {
    throw bad(
      where,
      'logLevel',
      `expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, received ${describe(lvlRaw)}`,
    );
  }
  const logs = o.logs === undefined ? 'silent' : o.logs;
  if (logs !== 'silent' && logs !== 'echo') {
    throw bad(where, 'logs', `expected 'silent' or 'echo', received ${describe(logs)}`);
  }
  const settings: FunctionSettings = {
    profile,
    functionName,
    functionVersion,
    qualifier,
    memorySizeMB: memory,
    timeoutMs: Math.round(timeout * 1000),
    region,
    accountId,
    handlerName,
    env: envRec,
    logFormat,
    logLevel,
    logGroupName,
    echo: logs === 'echo' || process.env.LAMBDA_HARNESS_LOGS === 'echo',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}${qualifier ? `:${qualifier}` : ''}`,
  };
  if (options === undefined && extraKeys.length === 0) defaultSettings = settings;
  return settings;
}
