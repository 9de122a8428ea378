import { setImmediate as realSetImmediate } from 'node:timers';
import type { RuntimeProfile } from '../runtime/profiles.js';
import { invocationScope, outsideScope } from '../runtime/scope.js';

/**
 * Marker set on handlers wrapped by `awslambda.streamifyResponse`.
 *
 * @example
 * (handler as any)[STREAMING_HANDLER] === 'response'; // wrapped by awslambda.streamifyResponse
 */
export const STREAMING_HANDLER = Symbol.for('aws.lambda.runtime.handler.streaming');

const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');

/**
 * Whether a handler was wrapped with `awslambda.streamifyResponse` (exempt from the v4 arity check).
 *
 * @example
 * isStreamingHandler(awslambda.streamifyResponse(async (e, s) => s.end())); // true
 */
export function isStreamingHandler(handler: unknown): boolean {
  return (
    typeof handler === 'function' &&
    (handler as unknown as Record<symbol, unknown>)[STREAMING_HANDLER] === 'response'
  );
}

/**
 * `awslambda.streamifyResponse` as the runtime provides it, for wrapping a handler in a test file
 * (the `awslambda` global itself exists only while the harness runs an init or an invocation).
 * Marks the handler as streaming; `highWaterMark` sets the response stream's buffer size.
 *
 * @example
 * const handler = streamifyResponse(async (event, responseStream) => {
 *   responseStream.write('hello');
 *   responseStream.end();
 * });
 */
export function streamifyResponse<H extends Function>(handler: H, options?: { highWaterMark?: number }): H {
  // As the runtime client: plain assignments, highWaterMark kept only when it is a number.
  const marked = handler as unknown as Record<symbol, unknown>;
  marked[STREAMING_HANDLER] = 'response';
  const hwm = (options as { highWaterMark?: unknown } | undefined)?.highWaterMark;
  if (typeof hwm === 'number') marked[HIGH_WATER_MARK] = Number.parseInt(String(hwm), 10);
  return handler;
}

/**
 * `awslambda.HttpResponseStream` as the runtime provides it: `from(stream, { statusCode, headers,
 * cookies })` sets the content type `application/vnd.awslambda.http-integration-response` and
 * writes the JSON prelude and 8 NUL bytes just before the first `write()`.
 *
 * @example
 * const handler = streamifyResponse(async (event, stream) => {
 *   const http = HttpResponseStream.from(stream, { statusCode: 201, headers: { 'content-type': 'text/plain' } });
 *   http.write('created');
 *   http.end();
 * });
 */
// biome-ignore lint/complexity/noStaticOnlyClass: the runtime exposes awslambda.HttpResponseStream as a class with a static from()
export class HttpResponseStream {
  /**
   * Declare the HTTP status, headers and cookies of a streamed response.
   *
   * @example
   * const http = HttpResponseStream.from(responseStream, { statusCode: 404 });
   */
  static from<S>(underlyingStream: S, prelude: Record<string, unknown>): S {
    const s = underlyingStream as unknown as {
      setContentType(t: string): void;
      _onBeforeFirstWrite?: (write: (chunk: unknown) => unknown) => void;
    };
    s.setContentType('application/vnd.awslambda.http-integration-response');
    const json = JSON.stringify(prelude);
    // The prelude goes out just before the first write(): the JSON text, then 8 NUL bytes.
    s._onBeforeFirstWrite = (write) => {
      write(json);
      write(new Uint8Array(8));
    };
    return underlyingStream;
  }
}

function buildGlobal(profile: RuntimeProfile): Record<string, unknown> {
  const g: Record<string, unknown> = {
    streamifyResponse,
    HttpResponseStream,
  };
  if (profile.invokeStoreGlobal) {
    g.InvokeStore = {
      getRequestId: () => invocationScope.getStore()?.requestId ?? '-',
      getXRayTraceId: () => {
        const env = invocationScope.getStore()?.env;
        return env?.values._X_AMZN_TRACE_ID;
      },
      getTenantId: () => undefined,
    };
  }
  return g;
}

const builtGlobals = new Map<string, Record<string, unknown>>();
let depth = 0;
let hadPrevious = false;
let previous: unknown;
let installed: unknown;

/**
 * Install the `awslambda` global as the runtime does (skipped when AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA
 * is `1` or `true`); the returned function removes it (restoring any previous value) with the last close.
 *
 * @example
 * const close = openAwslambdaGlobal(profile, false);
 * try { ... } finally { close(); }
 */
export function openAwslambdaGlobal(profile: RuntimeProfile, disabled: boolean): () => void {
  if (!enterAwslambdaGlobal(profile, disabled)) return () => {};
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    exitAwslambdaGlobal();
  };
}

/**
 * Closure-free form of {@link openAwslambdaGlobal}. Returns whether it entered (false when
 * disabled); call {@link exitAwslambdaGlobal} once for each `true`.
 *
 * @example
 * const entered = enterAwslambdaGlobal(profile, false);
 * try { ... } finally { if (entered) exitAwslambdaGlobal(); }
 */
export function enterAwslambdaGlobal(profile: RuntimeProfile, disabled: boolean): boolean {
  if (disabled) return false;
  const g = globalThis as Record<string, unknown>;
  if (depth++ === 0) {
    // A pending deletion from the previous invocation counts as "no previous value".
    hadPrevious = Object.hasOwn(g, 'awslambda') && !(deleteScheduled && g.awslambda === undefined);
    previous = g.awslambda;
    let built = builtGlobals.get(profile.name);
    if (!built) {
      built = buildGlobal(profile);
      builtGlobals.set(profile.name, built);
    }
    installed = built;
    g.awslambda = installed;
  }
  return true;
}

/**
 * Leave {@link enterAwslambdaGlobal}; the last exit removes the global (restoring a previous value).
 *
 * @example
 * exitAwslambdaGlobal();
 */
export function exitAwslambdaGlobal(): void {
  if (depth === 0) return;
  const g = globalThis as Record<string, unknown>;
  if (--depth === 0) {
    if (g.awslambda === installed) {
      g.awslambda = previous;
      // Deleting a global property costs microseconds; the value is gone now and the property
      // itself is deleted one turn later unless another invocation has started meanwhile.
      if (!hadPrevious && !deleteScheduled) {
        deleteScheduled = true;
        outsideScope(() => realSetImmediate(deleteIfIdle));
      }
    }
    installed = undefined;
    previous = undefined;
  }
}

let deleteScheduled = false;

function deleteIfIdle(): void {
  deleteScheduled = false;
  const g = globalThis as Record<string, unknown>;
  if (depth === 0 && !hadPrevious && Object.hasOwn(g, 'awslambda') && g.awslambda === undefined)
    delete g.awslambda;
}
