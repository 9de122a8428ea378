/**
 * Response streaming: a handler wrapped in `awslambda.streamifyResponse` is called as
 * `handler(event, responseStream, context)` and what it writes is streamed to the caller. This
 * module models the runtime client's response stream (v3 `ResponseStream.js` / `Runtime.js`
 * handleOnceStreaming, v4 `stream/response-stream.ts` / `streaming-invoke-processor.ts`) and the
 * platform's limits (maximum response size, bandwidth cap after the first bytes), and records
 * every chunk with its time on the invocation's clock. The engine calls {@link startStreaming}
 * instead of its buffered calling convention and asks {@link StreamingInvocation.open} whether an
 * unfinished stream holds the invocation open.
 */
import { Writable } from 'node:stream';
import type { Context } from 'aws-lambda';
import { type LogSink, logRuntimeError, logRuntimeMessage } from '../logs/capture.js';
import type { LegacyCompletion } from '../runtime/context.js';
import { formatErrorForTextLog, intoError, runtimeError, toErrorPayload } from '../runtime/errors.js';
import type { RuntimeProfile } from '../runtime/profiles.js';
import type {
  ErrorPayload,
  InvocationResult,
  StreamedChunk,
  StreamedResponse,
  StreamPrelude,
} from './result.js';

/**
 * Maximum size of a streamed response: 200 MB per the Lambda developer guide ("Response streaming
 * for Lambda functions", since 31 July 2025; 20 MB before). Taken as MiB, like the 6 MB buffered
 * limit (6 MiB + 100 bytes in the platform); the exact byte count is not documented.
 *
 * @example
 * STREAM_MAX_RESPONSE_BYTES; // 209715200
 */
export const STREAM_MAX_RESPONSE_BYTES = 200 * 1024 * 1024;

/**
 * Bytes streamed at uncapped bandwidth ("The first 6 MB of your function's response payload has
 * uncapped bandwidth").
 *
 * @example
 * STREAM_UNCAPPED_BYTES; // 6291456
 */
export const STREAM_UNCAPPED_BYTES = 6 * 1024 * 1024;

/**
 * Bandwidth after the uncapped bytes ("Lambda streams your response at a maximum rate of 2 MBps").
 *
 * @example
 * STREAM_CAPPED_BYTES_PER_SECOND; // 2097152
 */
export const STREAM_CAPPED_BYTES_PER_SECOND = 2 * 1024 * 1024;

/**
 * Content type of a response stream unless the handler sets one.
 *
 * @example
 * result.stream?.contentType === DEFAULT_STREAM_CONTENT_TYPE;
 */
export const DEFAULT_STREAM_CONTENT_TYPE = 'application/octet-stream';

/**
 * Content type `HttpResponseStream.from` sets: a JSON prelude, 8 NUL bytes, then the body.
 *
 * @example
 * result.stream?.contentType === HTTP_INTEGRATION_CONTENT_TYPE; // a prelude was declared
 */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

const NOT_ASYNC_MESSAGE = 'Streaming does not support non-async handlers.';
const NOT_FINISHED_MESSAGE = 'Response stream is not finished.';
const IGNORED_RETURN_MESSAGE = 'Streaming handlers ignore return values.';
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

/**
 * The response stream a streaming handler receives: a Node.js Writable (write, end, drain, pipe
 * into it with `stream.pipeline`) plus `setContentType`, usable before the first write.
 *
 * @example
 * const handler = streamifyResponse(async (event: unknown, stream: ResponseStream) => {
 *   stream.setContentType('text/plain');
 *   stream.end('hello');
 * });
 */
export type ResponseStream = Writable & { setContentType(contentType: string): void };

/**
 * What the streaming runner needs from the engine's run state (the engine's Run implements it).
 *
 * @example
 * const run: StreamingRun = engineRun;
 */
export interface StreamingRun {
  readonly profile: RuntimeProfile;
  readonly sink: LogSink;
  readonly done: boolean;
  /** v3: `context.callbackWaitsForEmptyEventLoop`. */
  waitForEmpty: boolean;
  /** v3: work to run when the event loop drains. */
  beforeExit: (() => void) | undefined;
  complete(c: { kind: 'success'; json: string } | { kind: 'error'; payload: ErrorPayload }): void;
}

/**
 * One streaming invocation in progress.
 *
 * @example
 * const streaming = startStreaming(run, handler, event, makeContext, elapsed);
 * streaming.open(); // true while the response stream is neither finished nor failed
 */
export interface StreamingInvocation {
  /** The response stream is still open (an open connection keeps the runtime waiting). */
  open(): boolean;
  /** What was streamed so far. */
  record(): StreamedResponse;
  /** The invocation's result with its `stream`; a success's `response`/`responseJson` are the body text and its JSON. */
  attach(result: InvocationResult): InvocationResult;
}

/**
 * A live view of a response stream, for printing chunks as they reach the caller.
 *
 * @example
 * const off = onResponseStream((e) => { if (e.type === 'chunk') process.stdout.write(e.chunk.data); });
 */
export type ResponseStreamEvent =
  | { readonly type: 'prelude'; readonly requestId: string; readonly prelude: StreamPrelude }
  | { readonly type: 'chunk'; readonly requestId: string; readonly chunk: StreamedChunk }
  | { readonly type: 'end'; readonly requestId: string; readonly stream: StreamedResponse };

const listeners: Array<(event: ResponseStreamEvent) => void> = [];

/**
 * Watch every response stream of this process: the prelude, each chunk when it reaches the caller,
 * and the end. Returns the function that stops watching. A listener that throws is ignored (it
 * must not change the invocation).
 *
 * @example
 * const off = onResponseStream((e) => { if (e.type === 'chunk') process.stdout.write(e.chunk.data); });
 * try { await invokeHandler(handler, {}); } finally { off(); }
 */
export function onResponseStream(listener: (event: ResponseStreamEvent) => void): () => void {
  listeners.push(listener);
  return () => {
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners.splice(at, 1);
  };
}

function emit(event: ResponseStreamEvent): void {
  for (const l of [...listeners]) {
    try {
      l(event);
    } catch {
      // a watcher's failure is not the handler's
    }
  }
}

interface ChunkEntry {
  data: Buffer;
  atMs: number;
  deliveredAtMs: number | undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function defaultHighWaterMark(profile: RuntimeProfile): number {
  // Node 22 raised the default stream highWaterMark from 16 KiB to 64 KiB.
  return profile.nodeMajor >= 22 ? 64 * 1024 : 16 * 1024;
}

function handlerHighWaterMark(handler: Function): number | undefined {
  const raw = (handler as unknown as Record<symbol, unknown>)[HIGH_WATER_MARK];
  if (raw === undefined || raw === null || raw === false) return undefined;
  const n = Number.parseInt(String(raw), 10);
  return Number.isNaN(n) || n < 0 ? undefined : n;
}

function headersSentError(): Error {
  const err = new Error('Cannot set headers after they are sent to the client');
  (err as { code?: string }).code = 'ERR_HTTP_HEADERS_SENT';
  return err;
}

function socketHangUp(): Error {
  const err = new Error('socket hang up');
  (err as { code?: string }).code = 'ECONNRESET';
  return err;
}

function parsePrelude(bytes: Buffer): StreamPrelude | undefined {
  let end = bytes.length;
  // The prelude is the JSON text; the 8 NUL bytes after it are the delimiter.
  while (end > 0 && bytes[end - 1] === 0) end--;
  const text = bytes.subarray(0, end).toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as StreamPrelude;
    return { value: parsed };
  } catch {
    return { value: text };
  }
}

/** The response stream: a Writable whose transport applies Lambda's limits on the invocation's clock. */
class ResponseStreamModel {
  readonly inner: Writable;
  readonly handle: Record<string, unknown>;
  contentType = DEFAULT_STREAM_CONTENT_TYPE;
  private writeCalled = false;
  private readonly entries: ChunkEntry[] = [];
  private readonly preludeParts: Buffer[] = [];
  private preludePending = 0;
  private preludeAnnounced = false;
  private wireBytes = 0;
  private pipeFreeAt = 0;
  truncated = false;
  writesAfterEnd = 0;
  errorTrailer: ErrorPayload | undefined;
  transportError: unknown;
  private hasTransportError = false;
  finished = false;
  failed = false;
  private waiters: Array<() => void> = [];
  onLimit: (() => void) | undefined;

  constructor(
    private readonly requestId: string,
    highWaterMark: number,
    private readonly elapsed: () => number,
  ) {
    this.inner = new Writable({
      highWaterMark,
      write: (chunk: Buffer, _encoding, callback) => this.transfer(chunk, callback),
    });
    // The runtime listens for errors on its request, so none escapes as an uncaught exception; but
    // the listener also rejects the runtime's "headers received" promise, which nobody awaits: an
    // unhandled rejection in the invocation (v3 exits 128, v4 crashes), as in the runtime client.
    const transportError = (err: unknown) => {
      this.fail(err);
      Promise.reject(err);
    };
    this.inner.on('error', transportError);
    this.inner.on('finish', () => {
      this.finished = true;
      this.wake();
    });
    this.inner.on('close', () => {
      // destroy() without an error: the request's socket closes before the runtime's answer.
      if (!this.finished && !this.hasTransportError) transportError(socketHangUp());
    });
    this.handle = this.buildHandle();
  }

  private buildHandle(): Record<string, unknown> {
    const inner = this.inner;
    const handle: Record<string, unknown> = {};
    const passthrough = [
      'cork',
      'uncork',
      'destroy',
      'addListener',
      'emit',
      'eventNames',
      'getMaxListeners',
      'listenerCount',
      'listeners',
      'off',
      'on',
      'once',
      'prependListener',
      'prependOnceListener',
      'rawListeners',
      'removeAllListeners',
      'removeListener',
      'setMaxListeners',
    ] as const;
    for (const name of passthrough) {
      const fn = (inner as unknown as Record<string, Function>)[name] as Function;
      handle[name] = (...args: unknown[]) => {
        const out = fn.apply(inner, args);
        return out === inner ? handle : out;
      };
    }
    handle.write = (chunk: unknown, encoding?: unknown, callback?: unknown) =>
      this.write(chunk, encoding, callback);
    handle.end = (...args: unknown[]) => {
      // ClientRequest.end(chunk) writes the chunk itself: no prelude, no JSON encoding.
      (inner.end as (...a: unknown[]) => unknown).apply(inner, args);
      return handle;
    };
    handle.setContentType = (type: string) => this.setContentType(type);
    for (const prop of ['destroyed', '_onBeforeFirstWrite'] as const) {
      let own: unknown;
      Object.defineProperty(handle, prop, {
        get: () => (prop === 'destroyed' ? inner.destroyed : own),
        set: (v: unknown) => {
          if (prop === '_onBeforeFirstWrite') own = v;
        },
        enumerable: true,
      });
    }
    for (const prop of [
      'writable',
      'writableFinished',
      'writableObjectMode',
      'writableEnded',
      'writableNeedDrain',
      'writableHighWaterMark',
      'writableCorked',
      'writableLength',
    ] as const) {
      Object.defineProperty(handle, prop, { get: () => inner[prop], enumerable: true });
    }
    return handle;
  }

  private write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (this.inner.writableEnded) this.writesAfterEnd++;
    let data = chunk;
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && !(chunk instanceof Uint8Array)) {
      data = JSON.stringify(chunk);
    }
    const hook = this.handle._onBeforeFirstWrite;
    if (!this.writeCalled && typeof hook === 'function') {
      (hook as (write: (c: unknown) => boolean) => void)((c: unknown) => {
        const bytes = typeof c === 'string' ? Buffer.byteLength(c) : (c as Uint8Array).byteLength;
        this.preludePending += bytes;
        return this.inner.write(c as Buffer);
      });
    }
    const ret = (this.inner.write as (...a: unknown[]) => boolean)(data, encoding, callback);
    this.writeCalled = true;
    return ret;
  }

  private setContentType(type: string): void {
    if (this.writeCalled)
      throw runtimeError('Runtime.InvalidStreamingOperation', 'Cannot set content-type, too late.');
    if (this.inner.writableEnded) throw headersSentError();
    this.contentType = String(type);
  }

  /** The transport: bytes past the uncapped allowance leave at the capped rate; the write completes when they have. */
  private transfer(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.truncated || this.failed) {
      callback();
      return;
    }
    const now = this.elapsed();
    let data = chunk;
    if (this.wireBytes + data.length > STREAM_MAX_RESPONSE_BYTES) {
      data = data.subarray(0, STREAM_MAX_RESPONSE_BYTES - this.wireBytes);
      this.truncated = true;
    }
    const startByte = this.wireBytes;
    this.wireBytes += data.length;
    const capped = Math.max(0, this.wireBytes - Math.max(startByte, STREAM_UNCAPPED_BYTES));
    let deliveredAt = now;
    if (capped > 0) {
      const transferStart = Math.max(now, this.pipeFreeAt);
      this.pipeFreeAt = transferStart + (capped / STREAM_CAPPED_BYTES_PER_SECOND) * 1000;
      deliveredAt = this.pipeFreeAt;
    }

    let entry: ChunkEntry | undefined;
    if (this.preludePending > 0) {
      const take = Math.min(this.preludePending, data.length);
      this.preludePending -= take;
      this.preludeParts.push(data.subarray(0, take));
      if (take < data.length) entry = { data: data.subarray(take), atMs: now, deliveredAtMs: undefined };
    } else if (data.length > 0) {
      entry = { data, atMs: now, deliveredAtMs: undefined };
    }
    if (entry) this.entries.push(entry);

    const delivered = () => {
      if (entry) entry.deliveredAtMs = deliveredAt;
      this.announce(entry);
      if (this.truncated) this.onLimit?.();
      callback();
    };
    if (deliveredAt > now) {
      // The engine sees this timer as the handler's pending work, on either clock.
      globalThis.setTimeout(delivered, deliveredAt - now);
    } else {
      if (entry) entry.deliveredAtMs = now;
      this.announce(entry);
      if (this.truncated) this.onLimit?.();
      // A socket completes a write asynchronously: a write past the highWaterMark returns false.
      process.nextTick(callback);
    }
  }

  private announce(entry: ChunkEntry | undefined): void {
    if (!this.preludeAnnounced && this.preludePending === 0 && this.preludeParts.length > 0) {
      this.preludeAnnounced = true;
      const prelude = this.prelude();
      if (prelude) emit({ type: 'prelude', requestId: this.requestId, prelude });
    }
    if (entry && listeners.length > 0)
      emit({ type: 'chunk', requestId: this.requestId, chunk: toChunk(entry) });
  }

  private prelude(): StreamPrelude | undefined {
    if (this.preludeParts.length === 0) return undefined;
    return parsePrelude(Buffer.concat(this.preludeParts));
  }

  fail(err: unknown): void {
    if (this.hasTransportError) return;
    this.hasTransportError = true;
    this.transportError = err;
    this.wake();
  }

  get transportFailed(): boolean {
    return this.hasTransportError;
  }

  /** Resolves when the stream finished or its transport failed (the runtime's `await rapidResponse`). */
  settled(): Promise<void> {
    if (this.finished || this.hasTransportError) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  record(): StreamedResponse {
    const entries = this.entries.slice();
    let body: Buffer | undefined;
    const bodyOf = () => {
      body ??= Buffer.concat(entries.map((e) => e.data));
      return body;
    };
    const out = {
      contentType: this.contentType,
      prelude: this.prelude(),
      chunks: entries.map(toChunk),
      body: Buffer.alloc(0),
      text: '',
      bytes: this.wireBytes,
      ended: this.inner.writableEnded,
      finished: this.finished,
      errorTrailer: this.errorTrailer,
      truncated: this.truncated,
      writesAfterEnd: this.writesAfterEnd,
      firstByteAtMs: entries[0]?.atMs,
    };
    // Concatenated and decoded on first read: a 200 MB stream is not copied unless asked for.
    Object.defineProperty(out, 'body', { get: bodyOf, enumerable: true });
    Object.defineProperty(out, 'text', { get: () => bodyOf().toString('utf8'), enumerable: true });
    return out;
  }
}

function toChunk(e: ChunkEntry): StreamedChunk {
  const chunk = { data: e.data, text: '', atMs: e.atMs, deliveredAtMs: e.deliveredAtMs };
  Object.defineProperty(chunk, 'text', { get: () => e.data.toString('utf8'), enumerable: true });
  return chunk;
}

function formatLoggedError(value: unknown): string {
  return formatErrorForTextLog(value instanceof Error ? value : intoError(value));
}

/**
 * Run a streaming handler as the runtime client does: `handler(event, responseStream, context)`;
 * a non-promise return fails the invocation ("Streaming does not support non-async handlers."); a
 * resolved value other than undefined logs the WARN "Streaming handlers ignore return values.";
 * the runtime then waits for the stream to finish (a stream never ended keeps the invocation open
 * until its timeout); a throw, rejection or stream error is logged as `Invoke Error` and sent as
 * the error trailers. On v3 the context has `callbackWaitsForEmptyEventLoop` (no succeed/fail/done)
 * and, when it is true, the invocation ends when the event loop drains.
 *
 * @example
 * const streaming = startStreaming(run, handler, event, (legacy) => createLambdaContext({ ...input, legacy }), () => clock.now - start);
 */
export function startStreaming(
  run: StreamingRun & { readonly requestId: string },
  handler: Function,
  event: unknown,
  makeContext: (legacy: LegacyCompletion | undefined) => Context,
  elapsed: () => number,
): StreamingInvocation {
  const { profile } = run;
  const hwm = handlerHighWaterMark(handler) ?? defaultHighWaterMark(profile);
  const stream = new ResponseStreamModel(run.requestId, hwm, () => Math.round(elapsed() * 100) / 100);
  let settledOutcome = false;

  const finish = (
    completion: { kind: 'success'; json: string } | { kind: 'error'; payload: ErrorPayload },
  ) => {
    if (settledOutcome) return;
    settledOutcome = true;
    if (listeners.length > 0) emit({ type: 'end', requestId: run.requestId, stream: stream.record() });
    // v3 schedules the next invocation only once the event loop drains (callbackWaitsForEmptyEventLoop).
    if (profile.callbacks && run.waitForEmpty) run.beforeExit = () => run.complete(completion);
    else run.complete(completion);
  };
  // The body reaches the result through attach(); the completion only says "success".
  const success = () => finish({ kind: 'success', json: 'null' });
  const fail = (err: unknown) => {
    if (settledOutcome) return;
    logRuntimeError(run.sink, 'Invoke Error', intoError(err), formatLoggedError(err));
    const payload = toErrorPayload(err, profile.generation);
    // Trailers only reach the caller of a stream not yet finished; after that the caller already
    // has the whole response.
    if (stream.finished) {
      success();
      return;
    }
    stream.errorTrailer = payload;
    stream.failed = true;
    finish({ kind: 'error', payload });
  };
  stream.onLimit = () => {
    if (settledOutcome) return;
    const payload: ErrorPayload = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${STREAM_MAX_RESPONSE_BYTES} bytes).`,
    };
    stream.errorTrailer = payload;
    stream.failed = true;
    settledOutcome = true;
    if (listeners.length > 0) emit({ type: 'end', requestId: run.requestId, stream: stream.record() });
    run.complete({ kind: 'error', payload });
  };

  let context: Context;
  if (profile.callbacks) {
    const noop = () => {};
    const ctx = makeContext({
      succeed: noop,
      fail: noop,
      done: noop,
      getWait: () => run.waitForEmpty,
      setWait: (v) => {
        run.waitForEmpty = v;
      },
    }) as unknown as Record<string, unknown>;
    // The v3 streaming context carries callbackWaitsForEmptyEventLoop but none of the legacy completions.
    delete ctx.succeed;
    delete ctx.fail;
    delete ctx.done;
    context = ctx as unknown as Context;
  } else context = makeContext(undefined);

  const afterHandler = async (value: unknown) => {
    if (value !== undefined) logRuntimeMessage(run.sink, 'WARN', IGNORED_RETURN_MESSAGE);
    await stream.settled();
    if (stream.transportFailed) fail(stream.transportError);
    else if (!stream.finished) fail(runnerError(profile, NOT_FINISHED_MESSAGE));
    else success();
  };

  let returned: unknown;
  try {
    returned = handler(event, stream.handle, context);
  } catch (err) {
    fail(err);
    return invocation(stream, () => settledOutcome);
  }
  if (!isPromiseLike(returned)) fail(runnerError(profile, NOT_ASYNC_MESSAGE));
  else Promise.resolve(returned).then(afterHandler, fail).catch(fail);
  return invocation(stream, () => settledOutcome);
}

/** v3 fails with the bare string (errorType "string"); v4 throws an Error. */
function runnerError(profile: RuntimeProfile, message: string): unknown {
  return profile.generation === 'v3' ? message : new Error(message);
}

function invocation(stream: ResponseStreamModel, settled: () => boolean): StreamingInvocation {
  return {
    open: () => !settled() && !stream.finished && !stream.transportFailed && !stream.inner.destroyed,
    record: () => stream.record(),
    attach: (result) => {
      const record = stream.record();
      if (result.outcome !== 'success') return { ...result, stream: record };
      const out = { ...result, stream: record };
      Object.defineProperty(out, 'response', { get: () => record.text, enumerable: true });
      Object.defineProperty(out, 'responseJson', {
        get: () => JSON.stringify(record.text),
        enumerable: true,
      });
      return out;
    },
  };
}
