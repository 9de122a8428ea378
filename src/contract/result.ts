import type { LogLine, ReportFields } from './logs.js';

/**
 * The managed Node.js runtimes the harness reproduces.
 *
 * @example
 * const runtime: RuntimeName = 'nodejs22.x';
 */
export type RuntimeName = 'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x';

/**
 * The error body a synchronous invoker receives when a function fails, exactly as the runtime
 * serialises it (`X-Amz-Function-Error: Unhandled`).
 *
 * @example
 * const payload: ErrorPayload = { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at handler (index.js:1:1)'] };
 */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  /** Stack lines; absent on platform errors such as Sandbox.Timedout. */
  readonly trace?: readonly string[];
}

/**
 * Where a failure happened.
 *
 * @example
 * if (result.outcome === 'error' && result.phase === 'init') console.log('init failed');
 */
export type FailurePhase = 'init' | 'invoke';

/**
 * Work still pending in the handler's environment when the response was posted.
 *
 * @example
 * expect(result.pendingWork).toMatchObject({ timers: 1, descriptions: ['setTimeout 500 ms'] });
 */
export interface PendingWork {
  readonly timers: number;
  readonly intervals: number;
  readonly immediates: number;
  /** Short human descriptions, for example `setTimeout 500 ms`. */
  readonly descriptions: readonly string[];
}

/**
 * The HTTP status, headers and cookies a streaming handler sent through
 * `awslambda.HttpResponseStream.from(stream, prelude)` (the JSON written before the 8 NUL bytes).
 *
 * @example
 * const prelude: StreamPrelude = { statusCode: 201, headers: { 'content-type': 'text/plain' }, cookies: ['a=1'] };
 */
export interface StreamPrelude {
  readonly statusCode?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
  readonly [key: string]: unknown;
}

/**
 * One piece of a streamed response body, as the handler wrote it.
 *
 * @example
 * const first: StreamedChunk = result.stream!.chunks[0]!; first.text; // 'hello '
 */
export interface StreamedChunk {
  /** The bytes written (strings are UTF-8 encoded, other values JSON-encoded, as the runtime does). */
  readonly data: Buffer;
  /** `data` decoded as UTF-8. */
  readonly text: string;
  /** Ms after the invocation started (on its clock, real or virtual) when the handler wrote it. */
  readonly atMs: number;
  /** Ms after the invocation started when its last byte reached the caller (bandwidth cap applied); undefined if it never did. */
  readonly deliveredAtMs: number | undefined;
}

/**
 * What a streaming handler (`awslambda.streamifyResponse`) sent: the body chunks in order with their
 * times, the HTTP prelude, and how the stream ended.
 *
 * @example
 * expect(result.stream?.text).toBe('hello world');
 * expect(result.stream?.ended).toBe(true);
 */
export interface StreamedResponse {
  /** Content-Type of the response stream: `application/octet-stream` unless set; `application/vnd.awslambda.http-integration-response` with a prelude. */
  readonly contentType: string;
  /** The prelude written by `HttpResponseStream.from`, parsed; undefined when none was sent (no prelude, or no `write()` call). */
  readonly prelude: StreamPrelude | undefined;
  /** Body chunks (prelude and its NUL delimiter excluded), in the order written. */
  readonly chunks: readonly StreamedChunk[];
  /** Body bytes, concatenated. */
  readonly body: Buffer;
  /** Body decoded as UTF-8. */
  readonly text: string;
  /** Bytes on the wire (prelude, delimiter and body). */
  readonly bytes: number;
  /** The handler called `end()`. */
  readonly ended: boolean;
  /** Every byte was handed over and the stream finished (what the runtime waits for). */
  readonly finished: boolean;
  /** The error the runtime sent as HTTP trailers (`Lambda-Runtime-Function-Error-Type` / `-Body`), if any. */
  readonly errorTrailer: ErrorPayload | undefined;
  /** The maximum response size cut the stream; bytes past it were dropped. */
  readonly truncated: boolean;
  /** `write()` calls made after `end()` (each one failed with `write after end`). */
  readonly writesAfterEnd: number;
  /** Ms after the start when the first body byte was written; undefined if none was. */
  readonly firstByteAtMs: number | undefined;
}

/**
 * The fields every {@link InvocationResult} has, whatever its outcome.
 *
 * @example
 * function summary(result: InvocationResultBase): string {
 *   return `${result.requestId}: ${result.durationMs} ms, ${result.logs.length} lines`;
 * }
 */
export interface InvocationResultBase {
  /** The invocation's request id (lowercase UUID). */
  readonly requestId: string;
  readonly functionName: string;
  readonly runtime: RuntimeName;
  /** True when this invocation ran the function's init phase (a cold start). */
  readonly coldStart: boolean;
  /** Wall or virtual duration of the invoke phase, in ms (two decimals as in REPORT). */
  readonly durationMs: number;
  /** Billed duration per the current rule: ceil(init + duration) for on-demand cold starts. */
  readonly billedDurationMs: number;
  /** Init duration in ms on cold starts of on-demand environments; undefined otherwise. */
  readonly initDurationMs: number | undefined;
  /** Every line captured for this invocation, platform lines included, in order. */
  readonly logs: readonly LogLine[];
  /** The REPORT line's fields. */
  readonly report: ReportFields;
  /** Work left running after completion (on Lambda it would resume in a later invocation). */
  readonly pendingWork: PendingWork;
  /** Present for streaming handlers (`awslambda.streamifyResponse`): what was streamed and how it ended. */
  readonly stream?: StreamedResponse;
}

/**
 * The handler completed and its response was serialised.
 *
 * @example
 * if (result.outcome === 'success') expect(result.response).toEqual({ ok: true });
 */
export interface SuccessResult extends InvocationResultBase {
  readonly outcome: 'success';
  /** The response as the invoker receives it: JSON.parse(JSON.stringify(result ?? null)); for a streaming handler, the streamed body as text. */
  readonly response: unknown;
  /** The response body bytes as posted (the JSON text; for a streaming handler, the streamed body as text). */
  readonly responseJson: string;
}

/**
 * The handler (or its init) failed, or the runtime crashed.
 *
 * @example
 * if (result.outcome === 'error') expect(result.error.errorType).toBe('TypeError');
 */
export interface ErrorResult extends InvocationResultBase {
  readonly outcome: 'error';
  readonly error: ErrorPayload;
  readonly phase: FailurePhase;
}

/**
 * The invocation hit its deadline.
 *
 * @example
 * if (result.outcome === 'timeout') expect(result.error.errorType).toBe('Sandbox.Timedout');
 */
export interface TimeoutResult extends InvocationResultBase {
  readonly outcome: 'timeout';
  /** `{ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: <id> Error: Task timed out after N.NN seconds' }` */
  readonly error: ErrorPayload;
}

/**
 * The outcome of one invocation. It is a value: a handler failure never throws.
 *
 * @example
 * const result = await invokeHandler(handler, event);
 * if (result.outcome === 'error') console.log(result.error.errorType);
 */
export type InvocationResult = SuccessResult | ErrorResult | TimeoutResult;

/**
 * The invocation never ran because the function's concurrency was exhausted (HTTP 429).
 *
 * @example
 * if (result.outcome === 'throttled') expect(result.statusCode).toBe(429);
 */
export interface ThrottledResult {
  readonly outcome: 'throttled';
  /**
   * The request id of the rejected Invoke call: Lambda answers a 429 with an `x-amzn-RequestId`
   * header like any other response (the SDK error's `$metadata.requestId`). No handler ran under it.
   */
  readonly requestId: string;
  readonly functionName: string;
  readonly statusCode: 429;
  /** `{ errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' }` */
  readonly error: ErrorPayload & { readonly Reason: string; readonly Type: 'User' };
}

/**
 * What invoking a function (rather than a bare handler) can yield.
 *
 * @example
 * const result: FunctionInvocationResult = await fn.invoke(event);
 */
export type FunctionInvocationResult = InvocationResult | ThrottledResult;
