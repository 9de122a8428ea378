import { format } from 'node:util';
import { jsonLogErrorReplacer } from '../runtime/errors.js';
import { Buffer, JSON } from '../runtime/intrinsics.js';
import { invocationScope } from '../runtime/scope.js';
import { handlerFramesIn, handlerStack } from '../runtime/stack.js';
import { CapturedLine, isoTimestamp, LOG_LEVEL_ORDER } from './format.js';
import type { LogLevel, LogLine } from './types.js';

/**
 * Where the console and stdout/stderr writes of one invocation (or init phase) go.
 *
 * @example
 * const sink = createLogSink({ requestId: 'id', initRequestIdText: '-', format: 'Text', level: undefined, echo: false, now: Date.now });
 */
export interface LogSink {
  readonly lines: CapturedLine[];
  /** Request id of the lines; undefined during init. */
  requestId: string | undefined;
  readonly initRequestIdText: 'undefined' | '-';
  readonly format: 'Text' | 'JSON';
  /** Lines below this level are dropped (AWS_LAMBDA_LOG_LEVEL). */
  readonly minLevel: number;
  /** Also print each line to the real terminal as it is captured. */
  readonly echo: boolean;
  /** The clock used for timestamps (virtual during a virtual-time invocation). */
  now: () => number;
  readonly tenantId?: string | undefined;
  /** When true, further lines are ignored (the invocation's result was already built). */
  closed: boolean;
  /** Node's "(Use `node --trace-warnings ...`)" hint was already printed here (Node prints it once per process). */
  warningHintShown?: boolean;
}

/**
 * Create a sink.
 *
 * @example
 * createLogSink({ requestId: undefined, initRequestIdText: 'undefined', format: 'JSON', level: 'WARN', echo: false, now: Date.now });
 */
export function createLogSink(input: {
  requestId: string | undefined;
  initRequestIdText: 'undefined' | '-';
  format: 'Text' | 'JSON';
  level: LogLevel | undefined;
  echo: boolean;
  now: () => number;
  tenantId?: string | undefined;
}): LogSink {
  return {
    lines: [],
    requestId: input.requestId,
    initRequestIdText: input.initRequestIdText,
    format: input.format,
    minLevel: input.level === undefined ? 0 : LOG_LEVEL_ORDER[input.level],
    echo: input.echo,
    now: input.now,
    tenantId: input.tenantId,
    closed: false,
  };
}

let realStdoutWrite: typeof process.stdout.write | undefined;
let realStderrWrite: typeof process.stderr.write | undefined;

function echoLine(line: LogLine): void {
  const write =
    line.stream === 'stderr'
      ? (realStderrWrite ?? process.stderr.write)
      : (realStdoutWrite ?? process.stdout.write);
  const stream = line.stream === 'stderr' ? process.stderr : process.stdout;
  write.call(stream, `${line.text}\n`);
}

function push(sink: LogSink, line: CapturedLine): void {
  if (sink.closed) return;
  sink.lines.push(line);
  if (sink.echo) echoLine(line);
}

/**
 * Log a console call as the runtime's patched console would: level filter, then the text line
 * `<ISO>\t<id>\t<LEVEL>\t<util.format>` (newlines become `\r`) or the JSON object line.
 *
 * @example
 * logConsoleCall(sink, 'INFO', ['hello %s', 'world']);
 */
export function logConsoleCall(sink: LogSink, level: LogLevel, args: readonly unknown[]): void {
  if (LOG_LEVEL_ORDER[level] < sink.minLevel || sink.closed) return;
  const timestamp = isoTimestamp(sink.now());
  if (sink.format === 'Text') {
    let msg = args.length === 0 ? 'undefined' : format(...(args as unknown[]));
    const rid = sink.requestId ?? sink.initRequestIdText;
    let printed = msg;
    if (msg.includes('\n')) {
      // A printed stack (an Error anywhere in the arguments) shows the handler's frames, not the harness's.
      msg = handlerFramesIn(msg);
      printed = msg.replaceAll('\n', '\r');
    }
    const text = `${timestamp}\t${rid}\t${level}\t${printed}`;
    push(sink, new CapturedLine(text, 'function', level, sink.requestId, msg, timestamp, 'stdout', false));
    return;
  }
  push(
    sink,
    new CapturedLine(
      jsonLine(sink, timestamp, level, args),
      'function',
      level,
      sink.requestId,
      undefined,
      timestamp,
      'stdout',
      true,
    ),
  );
}

function jsonLine(sink: LogSink, timestamp: string, level: LogLevel, args: readonly unknown[]): string {
  const obj: Record<string, unknown> = {
    timestamp,
    level,
    requestId: sink.requestId ?? (sink.initRequestIdText === '-' ? '-' : undefined),
  };
  if (sink.tenantId !== undefined) obj.tenantId = sink.tenantId;
  if (args.length <= 1) {
    obj.message = args[0];
    try {
      return JSON.stringify(obj, jsonLogErrorReplacer);
    } catch {
      obj.message = handlerFramesIn(format(args[0]));
      return JSON.stringify(obj);
    }
  }
  obj.message = handlerFramesIn(format(...(args as unknown[])));
  for (const a of args) {
    if (a instanceof Error) {
      obj.errorType = a.constructor?.name ?? 'UnknownError';
      obj.errorMessage = a.message;
      obj.stackTrace = typeof a.stack === 'string' ? handlerStack(a.stack).split('\n') : [];
      break;
    }
  }
  return JSON.stringify(obj);
}

/**
 * Log a line the runtime client itself prints (`Invoke Error`, `Uncaught Exception`, `Init Error`,
 * `Unhandled Promise Rejection`): text `<prefix> \t<json>` at ERROR, or in JSON format the error
 * as a single-argument `console.error(error)`.
 *
 * @example
 * logRuntimeError(sink, 'Invoke Error', new Error('boom'), '{"errorType":"Error",...}');
 */
export function logRuntimeError(sink: LogSink, prefix: string, error: unknown, textJson: string): void {
  if (LOG_LEVEL_ORDER.ERROR < sink.minLevel || sink.closed) return;
  const timestamp = isoTimestamp(sink.now());
  if (sink.format === 'Text') {
    const msg = `${prefix} \t${textJson}`;
    const rid = sink.requestId ?? sink.initRequestIdText;
    const text = `${timestamp}\t${rid}\tERROR\t${msg.includes('\n') ? msg.replaceAll('\n', '\r') : msg}`;
    push(sink, new CapturedLine(text, 'runtime', 'ERROR', sink.requestId, msg, timestamp, 'stdout', false));
    return;
  }
  push(
    sink,
    new CapturedLine(
      jsonLine(sink, timestamp, 'ERROR', [error]),
      'runtime',
      'ERROR',
      sink.requestId,
      undefined,
      timestamp,
      'stdout',
      true,
    ),
  );
}

/**
 * Log a runtime line that is a plain console call (for example a WARN from the runtime).
 *
 * @example
 * logRuntimeMessage(sink, 'WARN', 'Streaming handlers ignore return values.');
 */
export function logRuntimeMessage(sink: LogSink, level: LogLevel, message: string): void {
  const before = sink.lines.length;
  logConsoleCall(sink, level, [message]);
  const line = sink.lines[before];
  if (line) {
    sink.lines[before] = new CapturedLine(
      line.text,
      'runtime',
      line.level,
      line.requestId,
      line.message,
      line.timestamp,
      line.stream,
      sink.format === 'JSON',
    );
  }
}

/**
 * Add a verbatim line (raw stdout/stderr write, or a runtime/platform line that has no prefix).
 *
 * @example
 * logRawLine(sink, 'raw', 'plain text', 'stdout');
 */
export function logRawLine(
  sink: LogSink,
  source: 'raw' | 'platform' | 'runtime',
  text: string,
  stream: 'stdout' | 'stderr',
  isJson = false,
): void {
  if (sink.closed) return;
  push(sink, new CapturedLine(text, source, undefined, sink.requestId, text, sink.now(), stream, isJson));
}

const CONSOLE_LEVELS: ReadonlyArray<readonly [string, LogLevel]> = [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
  ['fatal', 'FATAL'],
];

let depth = 0;
let savedStdoutWrite: Function | undefined;
let savedStderrWrite: Function | undefined;

function currentSink(): LogSink | undefined {
  const sink = invocationScope.getStore()?.sink as LogSink | undefined;
  return sink && !sink.closed ? sink : undefined;
}

/**
 * Log a process warning (`process.emitWarning`, Node's own warnings) raised inside an init or
 * invocation scope the way the runtime sees it: Node prints warnings through `console.error`, which
 * the runtime client has patched, so the warning becomes ONE ERROR line of the current request id
 * (`undefined`/`-` at init) with its lines joined by `\r` (observed: esm-syntax-in-cjs). The text is
 * Node's: `(node:<pid>) [code] Name: message`, the detail, and on the first warning of the sink the
 * `(Use \`node --trace-warnings ...\` …)` hint. Returns false outside any scope (the test process's
 * own warnings are left to Node); returns true when the warning was taken (logged, or dropped where
 * Node would not print it either).
 *
 * @example
 * process.on('warning', (w) => logProcessWarning(w));
 */
export function logProcessWarning(warning: unknown): boolean {
  const sink = currentSink();
  if (!sink) return false;
  if (!(warning instanceof Error)) return true;
  const isDeprecation = warning.name === 'DeprecationWarning';
  if (isDeprecation && process.noDeprecation) return true;
  const trace =
    (process as { traceProcessWarnings?: boolean }).traceProcessWarnings ||
    (isDeprecation && process.traceDeprecation);
  const code = (warning as { code?: unknown }).code;
  const detail = (warning as { detail?: unknown }).detail;
  let msg = `(node:${process.pid}) `;
  if (code) msg += `[${String(code)}] `;
  msg += trace && warning.stack ? warning.stack : String(warning);
  if (typeof detail === 'string') msg += `\n${detail}`;
  if (!trace && !sink.warningHintShown) {
    const flag = isDeprecation ? '--trace-deprecation' : '--trace-warnings';
    msg += `\n(Use \`node ${flag} ...\` to show where the warning was created)`;
    sink.warningHintShown = true;
  }
  logConsoleCall(sink, 'ERROR', [msg]);
  return true;
}

function makeConsoleMethod(index: number, name: string, level: LogLevel): Function {
  return function (this: unknown, ...args: unknown[]) {
    const sink = currentSink();
    if (sink) {
      logConsoleCall(sink, level, args);
      return;
    }
    const previous = savedConsole[index];
    if (typeof previous === 'function') return previous.apply(this, args);
    // console.fatal does not exist outside the runtime: fall back to console.error.
    if (name === 'fatal') return (savedConsole[ERROR_INDEX] as Function | undefined)?.apply(console, args);
    return undefined;
  };
}

function makeWrite(stream: 'stdout' | 'stderr'): Function {
  const target = stream === 'stdout' ? process.stdout : process.stderr;
  return function (this: unknown, chunk: unknown, encoding?: unknown, cb?: unknown) {
    const sink = currentSink();
    const previous = (stream === 'stdout' ? savedStdoutWrite : savedStderrWrite) ?? target.write;
    if (!sink) return previous.call(this ?? target, chunk, encoding, cb);
    let text =
      typeof chunk === 'string'
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')
          : String(chunk);
    if (text.endsWith('\n')) text = text.slice(0, -1);
    for (const part of text.split('\n')) logRawLine(sink, 'raw', part, stream);
    const callback = typeof encoding === 'function' ? encoding : cb;
    if (typeof callback === 'function') queueMicrotask(() => (callback as () => void)());
    return true;
  };
}

const patchedStdout = makeWrite('stdout');
const patchedStderr = makeWrite('stderr');

/**
 * Start routing `console.*` and raw `process.stdout/stderr.write` calls made inside an invocation
 * scope into that scope's sink (calls from outside any scope pass through unchanged). Reference
 * counted; the returned function closes this capture and, with the last one, restores every
 * original method, unless someone else replaced it meanwhile (then theirs is left in place).
 *
 * @example
 * const close = openCaptureScope();
 * try { await invocationScope.run(scope, handlerCall); } finally { close(); }
 */
export function openCaptureScope(): () => void {
  enterCapture();
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    exitCapture();
  };
}

/**
 * Closure-free form of {@link openCaptureScope}; match each call with {@link exitCapture}.
 *
 * @example
 * enterCapture();
 * try { ... } finally { exitCapture(); }
 */
export function enterCapture(): void {
  if (depth++ === 0) install();
}

/**
 * Leave a capture entered with {@link enterCapture}.
 *
 * @example
 * exitCapture();
 */
export function exitCapture(): void {
  if (depth === 0) return;
  if (--depth === 0) uninstall();
}

const CONSOLE_NAMES = CONSOLE_LEVELS.map(([name]) => name);
const ERROR_INDEX = CONSOLE_NAMES.indexOf('error');
const PATCHED_CONSOLE = CONSOLE_LEVELS.map(([name, level], i) => makeConsoleMethod(i, name, level));
/** The console methods replaced by the installed patch, by CONSOLE_NAMES index. */
const savedConsole: unknown[] = CONSOLE_NAMES.map(() => undefined);
let stdoutStream: NodeJS.WriteStream | undefined;
let stderrStream: NodeJS.WriteStream | undefined;

function install(): void {
  const con = console as unknown as Record<string, unknown>;
  for (let i = 0; i < CONSOLE_NAMES.length; i++) {
    const name = CONSOLE_NAMES[i] as string;
    const previous = con[name];
    savedConsole[i] = previous;
    con[name] = PATCHED_CONSOLE[i];
  }
  stdoutStream ??= process.stdout;
  stderrStream ??= process.stderr;
  savedStdoutWrite = stdoutStream.write;
  savedStderrWrite = stderrStream.write;
  realStdoutWrite = savedStdoutWrite as typeof process.stdout.write;
  realStderrWrite = savedStderrWrite as typeof process.stderr.write;
  stdoutStream.write = patchedStdout as typeof process.stdout.write;
  stderrStream.write = patchedStderr as typeof process.stderr.write;
}

function uninstall(): void {
  const con = console as unknown as Record<string, unknown>;
  for (let i = 0; i < CONSOLE_NAMES.length; i++) {
    const name = CONSOLE_NAMES[i] as string;
    if (con[name] === PATCHED_CONSOLE[i]) {
      const prev = savedConsole[i];
      if (prev === undefined) delete con[name];
      else con[name] = prev;
    }
    savedConsole[i] = undefined;
  }
  if (stdoutStream && stdoutStream.write === patchedStdout && savedStdoutWrite)
    stdoutStream.write = savedStdoutWrite as typeof process.stdout.write;
  if (stderrStream && stderrStream.write === patchedStderr && savedStderrWrite)
    stderrStream.write = savedStderrWrite as typeof process.stderr.write;
  savedStdoutWrite = undefined;
  savedStderrWrite = undefined;
}
