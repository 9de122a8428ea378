import { RealDate } from '../runtime/real-clock.js';
import type { LogLevel, LogLine, LogSource } from './types.js';

let lastIsoMs = Number.NaN;
let lastIso = '';

/**
 * `new Date(ms).toISOString()` with the last result remembered (consecutive lines of an
 * invocation mostly share their millisecond). Internal to the invoker's log capture.
 *
 * @example
 * isoTimestamp(0); // '1970-01-01T00:00:00.000Z'
 */
export function isoTimestamp(ms: number): string {
  if (ms === lastIsoMs) return lastIso;
  const iso = new RealDate(ms).toISOString();
  lastIsoMs = ms;
  lastIso = iso;
  return iso;
}

/**
 * Numeric order of the runtime's log levels (TRACE lowest).
 *
 * @example
 * LOG_LEVEL_ORDER.WARN > LOG_LEVEL_ORDER.INFO; // true
 */
export const LOG_LEVEL_ORDER: Readonly<Record<LogLevel, number>> = Object.freeze({
  TRACE: 0,
  DEBUG: 1,
  INFO: 2,
  WARN: 3,
  ERROR: 4,
  FATAL: 5,
});

/**
 * Whether a string is one of the runtime's log levels (case-insensitive, as AWS_LAMBDA_LOG_LEVEL).
 *
 * @example
 * parseLogLevel('warn'); // 'WARN'
 */
export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  const up = value.toUpperCase();
  return Object.hasOwn(LOG_LEVEL_ORDER, up) ? (up as LogLevel) : undefined;
}

/**
 * One captured line: a plain data object with own enumerable fields (so `toEqual`, snapshots and
 * `JSON.stringify` see every field). For JSON-format lines `json` is the parsed line and `message`
 * its `message` value.
 *
 * @example
 * new CapturedLine('x', 'raw', undefined, 'req', 'x', '2024-01-01T00:00:00.000Z', 'stdout', false).text; // 'x'
 */
export class CapturedLine implements LogLine {
  readonly text: string;
  readonly source: LogSource;
  readonly level: LogLevel | undefined;
  readonly requestId: string | undefined;
  readonly message: unknown;
  readonly json: Record<string, unknown> | undefined;
  readonly timestamp: string;
  readonly stream: 'stdout' | 'stderr';

  constructor(
    text: string,
    source: LogSource,
    level: LogLevel | undefined,
    requestId: string | undefined,
    message: unknown,
    /** ISO string, or epoch ms. */
    timestamp: string | number,
    stream: 'stdout' | 'stderr',
    isJson: boolean,
  ) {
    this.text = text;
    this.source = source;
    this.level = level;
    this.requestId = requestId;
    let json: Record<string, unknown> | undefined;
    if (isJson) {
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
    }
    this.message = isJson && source !== 'platform' ? json?.message : message;
    this.json = json;
    this.timestamp = typeof timestamp === 'number' ? isoTimestamp(timestamp) : timestamp;
    this.stream = stream;
  }
}

/** Format a duration in ms with two decimals as REPORT lines do (toFixed(2) without its cost). */
function ms2(value: number): string {
  if (!(value >= 0 && value < 1e12)) return value.toFixed(2);
  const cents = Math.round(value * 100);
  const whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  return `${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/**
 * Inputs of a REPORT line.
 *
 * @example
 * formatReportLine({ requestId: 'id', durationMs: 1.5, billedDurationMs: 2, memorySizeMB: 128, maxMemoryUsedMB: 64, initDurationMs: undefined, status: undefined });
 */
export interface ReportLineInput {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMB: number;
  readonly maxMemoryUsedMB: number;
  readonly initDurationMs: number | undefined;
  readonly status: string | undefined;
  readonly errorType?: string | undefined;
}

/**
 * The text REPORT line, fields tab-separated, `Init Duration` last (before any Status), trailing tab.
 *
 * @example
 * formatReportLine({ requestId: 'id', durationMs: 128.83, billedDurationMs: 296, memorySizeMB: 128, maxMemoryUsedMB: 74, initDurationMs: 166.62, status: undefined });
 * // 'REPORT RequestId: id\tDuration: 128.83 ms\tBilled Duration: 296 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\t'
 */
export function formatReportLine(r: ReportLineInput): string {
  let line = `REPORT RequestId: ${r.requestId}\tDuration: ${ms2(r.durationMs)} ms\tBilled Duration: ${r.billedDurationMs} ms\tMemory Size: ${r.memorySizeMB} MB\tMax Memory Used: ${r.maxMemoryUsedMB} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${ms2(r.initDurationMs)} ms\t`;
  if (r.status !== undefined) {
    line += `Status: ${r.status}\t`;
    if (r.errorType !== undefined) line += `Error Type: ${r.errorType}\t`;
  }
  return line;
}

/**
 * The START line (a space before `Version:`, as in real CloudWatch logs).
 *
 * @example
 * formatStartLine('id', '$LATEST'); // 'START RequestId: id Version: $LATEST'
 */
export function formatStartLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

/**
 * The END line.
 *
 * @example
 * formatEndLine('id'); // 'END RequestId: id'
 */
export function formatEndLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/**
 * All lines of a result (or any list of lines) as one printable block, for failure messages.
 *
 * @example
 * const result = await invokeHandler(handler, event);
 * if (result.outcome !== 'success') console.error(formatLogs(result));
 */
export function formatLogs(result: { readonly logs: readonly LogLine[] } | readonly LogLine[]): string {
  const lines = Array.isArray(result) ? result : (result as { logs: readonly LogLine[] }).logs;
  let out = '';
  for (const line of lines as readonly LogLine[]) out += `${line.text}\n`;
  return out;
}
