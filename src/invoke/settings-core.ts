/**
 * Function options turned into settings, without validation: the zod-free half of settings.ts.
 * The isolated child imports only this (its options were validated by the parent), so the
 * harness never loads zod into the process whose cold start it measures.
 */
import { describeValue } from '../errors/describe.js';
import { HarnessError } from '../errors/index.js';
import { parseLogLevel } from '../logs/format.js';
import type { LogLevel } from '../logs/types.js';
import { DEFAULT_RUNTIME, getRuntimeProfile, type RuntimeProfile } from '../runtime/profiles.js';
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

function envError(where: string, name: string, expected: string, value: unknown): HarnessError {
  return new HarnessError(
    'INVALID_OPTIONS',
    `${where}.env.${name}: expected ${expected}, received ${describeValue(value)}`,
    { path: `env.${name}` },
  );
}

/**
 * Turns parsed {@link FunctionOptions} into settings (defaults, env-derived log settings, ARN).
 *
 * @example
 * settingsFrom({ timeout: 5 }, 'options').timeoutMs; // 5000
 */
export function settingsFrom(o: FunctionOptions, where: string): FunctionSettings {
  const profile = getRuntimeProfile(o.runtime ?? DEFAULT_RUNTIME) as RuntimeProfile;
  const functionName = o.functionName ?? 'test-function';
  const region = o.region ?? 'us-east-1';
  const accountId = o.accountId ?? '123456789012';
  const env = (o.env ?? {}) as Record<string, string | undefined>;
  const fmt = o.logFormat ?? env.AWS_LAMBDA_LOG_FORMAT;
  if (fmt !== undefined && !['TEXT', 'JSON'].includes(fmt.toUpperCase())) {
    throw envError(where, 'AWS_LAMBDA_LOG_FORMAT', "'Text' or 'JSON'", fmt);
  }
  const lvlRaw = o.logLevel ?? env.AWS_LAMBDA_LOG_LEVEL;
  const logLevel = parseLogLevel(lvlRaw);
  if (lvlRaw !== undefined && logLevel === undefined) {
    throw envError(where, 'AWS_LAMBDA_LOG_LEVEL', 'one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL', lvlRaw);
  }
  const qualifier = o.qualifier;
  const settings: FunctionSettings = {
    profile,
    functionName,
    functionVersion: o.functionVersion ?? '$LATEST',
    qualifier,
    memorySizeMB: o.memorySize ?? 128,
    timeoutMs: Math.round((o.timeout ?? 3) * 1000),
    region,
    accountId,
    handlerName: o.handler ?? 'index.handler',
    env,
    logFormat: fmt?.toUpperCase() === 'JSON' ? 'JSON' : 'Text',
    logLevel,
    logGroupName: o.logGroupName ?? `/aws/lambda/${functionName}`,
    echo: o.logs === 'echo' || process.env.LAMBDA_HARNESS_LOGS === 'echo',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}${qualifier ? `:${qualifier}` : ''}`,
  };
  return settings;
}
