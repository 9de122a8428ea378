/**
 * Validation helpers for simulator configuration: every failure is a HarnessError
 * INVALID_CONFIGURATION naming the option path, as Lambda's API would reject it.
 */
import { HarnessError } from '../errors/index.js';
import { describeValue as describe, epochMsSchema, joinPath, unknownKeyError } from '../errors/options.js';

/** A HarnessError INVALID_CONFIGURATION for `where.path` (the options primitive's message shape). */
export function configError(where: string, path: string, message: string, hint?: string): HarnessError {
  return new HarnessError('INVALID_CONFIGURATION', `${joinPath(where, path)}: ${message}`, {
    path,
    ...(hint ? { hint } : {}),
  });
}

/** Real Lambda settings the simulators do not model: named as such rather than as typos. */
const NOT_SIMULATED: Readonly<Record<string, string>> = {
  TumblingWindowInSeconds:
    'tumbling windows are not simulated; test the windowed handler with kinesisEvent({ tumblingWindow }) instead',
  KMSKeyArn: 'filter-criteria encryption is not simulated',
  ProvisionedPollerConfig: 'provisioned pollers are not simulated',
  MetricsConfig: 'event source mapping metrics are not simulated',
};

/** Reads an optional plain object and rejects keys not in `known`. */
export function objectOption(
  value: unknown,
  known: readonly string[],
  where: string,
  path: string,
): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(where, path, `expected an object, received ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      const unsupported = path === '' ? NOT_SIMULATED[key] : undefined;
      if (unsupported !== undefined) {
        throw new HarnessError('UNSUPPORTED', `${where}.${key}: ${unsupported}`, { path: key });
      }
      throw unknownKeyError('INVALID_CONFIGURATION', joinPath(where, path), key, known, path);
    }
  }
  return o;
}

/** Reads an optional integer in [min, max] (with an optional list of extra allowed values). */
export function intOption(
  o: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  fallback: number,
  where: string,
  prefix = '',
  also: readonly number[] = [],
): number {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || ((v < min || v > max) && !also.includes(v))) {
    const extra = also.length > 0 ? ` (or ${also.join(', ')})` : '';
    throw configError(
      where,
      prefix + key,
      `expected an integer from ${min} to ${max}${extra}, received ${describe(v)}`,
    );
  }
  return v;
}

/** Reads an optional boolean. */
export function boolOption(
  o: Record<string, unknown>,
  key: string,
  fallback: boolean,
  where: string,
  prefix = '',
): boolean {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean')
    throw configError(where, prefix + key, `expected a boolean, received ${describe(v)}`);
  return v;
}

/** Reads an optional string matching `pattern`. */
export function stringOption(
  o: Record<string, unknown>,
  key: string,
  pattern: RegExp,
  expected: string,
  where: string,
  prefix = '',
): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !pattern.test(v)) {
    throw configError(where, prefix + key, `expected ${expected}, received ${describe(v)}`);
  }
  return v;
}

/** Parses a time option (epoch ms, ISO string or Date) to epoch ms. */
export function timeOption(v: unknown, where: string, path: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : v;
  if (!epochMsSchema.safeParse(ms).success) {
    throw configError(
      where,
      path,
      `expected epoch ms from 1970 to year 9999, an ISO date string or a valid Date, received ${describe(v)}`,
    );
  }
  return ms as number;
}

/** Reads a `FunctionResponseTypes` list: only `ReportBatchItemFailures` exists. */
export function responseTypesOption(o: Record<string, unknown>, where: string): boolean {
  const v = o.FunctionResponseTypes;
  if (v === undefined) return false;
  if (!Array.isArray(v) || v.some((t) => t !== 'ReportBatchItemFailures')) {
    throw configError(
      where,
      'FunctionResponseTypes',
      `expected [] or ['ReportBatchItemFailures'], received ${Array.isArray(v) ? JSON.stringify(v.map(String)) : describe(v)}`,
    );
  }
  return v.length > 0;
}

/**
 * The service a destination or DLQ ARN names (`DestinationDelivery.kind`).
 *
 * @example
 * const toQueues = sim.destinations.onFailure.filter((d) => d.kind === ('sqs' satisfies ArnKind));
 */
export type ArnKind = 'sqs' | 'sns' | 'lambda' | 'events' | 's3';

/** Validates a destination ARN and returns its service. */
export function arnOption(
  v: unknown,
  allowed: readonly ArnKind[],
  where: string,
  path: string,
): string | undefined {
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^arn:aws[\w-]*:(sqs|sns|lambda|events|s3):/.exec(v) : null;
  if (!m || !allowed.includes(m[1] as ArnKind)) {
    throw configError(
      where,
      path,
      `expected the ARN of ${allowed.map((a) => (a === 'events' ? 'an EventBridge bus' : `an ${a.toUpperCase()} resource`)).join(', ')}, received ${describe(v)}`,
    );
  }
  return v as string;
}

/** The service of a validated ARN. */
export function arnKind(arn: string): ArnKind {
  return arn.split(':')[2] as ArnKind;
}
