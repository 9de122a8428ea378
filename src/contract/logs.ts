/**
 * Log levels of the Lambda Node.js runtime's patched console (AWS_LAMBDA_LOG_LEVEL).
 *
 * @example
 * const level: LogLevel = 'WARN';
 */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/**
 * Where a captured line came from.
 *
 * @example
 * result.logs.filter((l) => l.source === 'function');
 */
export type LogSource =
  /** the handler's console.* calls, formatted by the runtime */
  | 'function'
  /** raw process.stdout/stderr writes, verbatim */
  | 'raw'
  /** lines the runtime client adds (Invoke Error, Uncaught Exception, Init Error, warnings) */
  | 'runtime'
  /** platform lines: START, END, REPORT, INIT_START, INIT_REPORT (text) or platform.* (JSON) */
  | 'platform';

/**
 * One captured log line, exactly as it would reach CloudWatch, plus its parsed parts.
 *
 * @example
 * // console.log('hello %s', 'world') inside a handler, text format:
 * // { text: '2024-01-01T00:00:00.000Z\t<id>\tINFO\thello world', level: 'INFO', message: 'hello world', ... }
 */
export interface LogLine {
  /** The full line as the runtime prints it (text or JSON), without the trailing newline. */
  readonly text: string;
  readonly source: LogSource;
  /** Level for function and runtime lines; undefined for raw writes and platform lines. */
  readonly level: LogLevel | undefined;
  /** Request id the line is attributed to; undefined during init (printed `undefined`/`-`). */
  readonly requestId: string | undefined;
  /** The message part: util.format of the arguments (text) or the `message` value (JSON). */
  readonly message: unknown;
  /** The parsed JSON object when the line is a JSON log line. */
  readonly json: Record<string, unknown> | undefined;
  /** ISO timestamp of the line (virtual time when the invocation runs on a virtual clock). */
  readonly timestamp: string;
  readonly stream: 'stdout' | 'stderr';
}

/**
 * The fields of a REPORT line.
 *
 * @example
 * expect(result.report).toMatchObject({ memorySizeMB: 128, status: undefined });
 */
export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMB: number;
  readonly maxMemoryUsedMB: number;
  /** Present only on the first invocation of an on-demand environment. */
  readonly initDurationMs: number | undefined;
  /** `timeout`, `error` and so on when the platform adds a Status field; undefined on success. */
  readonly status: string | undefined;
}
