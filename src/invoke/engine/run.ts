/**
 * The run state machine of one invocation: how it completes (response, error, timeout, process
 * exit or crash, the event loop draining) and the two calling conventions that drive it (v3:
 * callback and context.succeed/fail/done, first call wins; v4: the awaited result).
 */
import type { Context } from 'aws-lambda';
import { type LogSink, logRawLine, logRuntimeError } from '../../logs/capture.js';
import type { LegacyCompletion } from '../../runtime/context.js';
import { intoError, runtimeError, toErrorPayload, UnhandledPromiseRejection } from '../../runtime/errors.js';
import { MAX_SYNC_PAYLOAD_BYTES, type RuntimeProfile } from '../../runtime/profiles.js';
import { type InvocationScope, invocationScope } from '../../runtime/scope.js';
import { type CrashTarget, ProcessExitSignal } from '../guard.js';
import type { ErrorPayload } from '../result.js';
import type { VirtualClock } from '../virtual-time.js';
import { crashPrint, exitErrorPayload, formatLoggedError, perfNow, realDateNow } from './common.js';
import { type Expirable, timeoutPayload } from './deadline.js';
import type { ActiveInvocation, EngineEnvironment } from './environment.js';
import { loopAlive } from './pending.js';
import type { EnvironmentWork } from './work.js';

export type Completion =
  | { kind: 'success'; json: string }
  | { kind: 'error'; payload: ErrorPayload }
  | { kind: 'timeout'; payload: ErrorPayload }
  | { kind: 'exit'; payload: ErrorPayload };

export class Run implements CrashTarget, Expirable, ActiveInvocation {
  completion: Completion | undefined;
  endPerf = 0;
  endClock = 0;
  resetReason: 'timeout' | 'crash' | 'exit' | undefined;
  /** Result built: crashes are no longer this invocation's. */
  finalized = false;
  clock: VirtualClock | undefined;
  waitForEmpty = true;
  beforeExit: (() => void) | undefined;
  latched = false;
  /** A full macrotask turn already ran after the completion. */
  turnAfterCompletion = false;
  scope!: InvocationScope;
  /** Streaming: the response stream is still open (like a socket, it keeps the runtime waiting). */
  holdsOpen: (() => boolean) | undefined;
  #waiters: Array<() => void> | undefined;

  constructor(
    readonly profile: RuntimeProfile,
    readonly requestId: string,
    readonly sink: LogSink,
    readonly now: () => number,
    /** The environment this invocation runs in (its pending work, its late failures). */
    readonly environment: EngineEnvironment,
  ) {}

  /** The environment's pending work (this invocation's, its init's and earlier invocations'). */
  get work(): EnvironmentWork {
    return this.environment.work;
  }

  /** Resolves when the invocation completes (created lazily: most invocations never need it). */
  whenDone(): Promise<void> {
    if (this.completion) return Promise.resolve();
    return new Promise<void>((resolve) => {
      if (this.#waiters) this.#waiters.push(resolve);
      else this.#waiters = [resolve];
    });
  }

  wake(): void {
    const w = this.#waiters;
    if (!w) return;
    this.#waiters = undefined;
    for (const fn of w) fn();
  }

  get done(): boolean {
    return this.completion !== undefined;
  }

  complete(c: Completion): void {
    if (this.completion) return;
    const endClock = this.now();
    // Synchronous work can run past the deadline before the deadline timer gets a chance to
    // fire; Lambda would have stopped the invocation at the deadline.
    if (c.kind !== 'timeout' && endClock > this.deadline && this.timeoutMs !== undefined) {
      this.expire();
      return;
    }
    this.completion = c;
    this.endPerf = perfNow();
    this.endClock = endClock;
    this.wake();
  }

  deadline = Number.POSITIVE_INFINITY;
  timeoutMs: number | undefined;

  /**
   * The deadline passed: the one place an invocation times out (the real-clock timer, the
   * virtual-clock loop and the overrun check in complete() all come here). Lambda resets the
   * environment after a timeout.
   */
  expire(): void {
    if (this.completion) return;
    this.resetReason ??= 'timeout';
    const endClock = this.now();
    this.completion = { kind: 'timeout', payload: timeoutPayload(this.requestId, this.timeoutMs ?? 0) };
    this.endPerf = perfNow();
    this.endClock = endClock;
    this.wake();
  }

  /** Serialise and post a response; throws as the runtime client would. */
  postSuccess(result: unknown): void {
    if (this.completion) return;
    let json: string | undefined;
    try {
      json = JSON.stringify(result === undefined ? null : result);
    } catch {
      throw this.profile.generation === 'v4'
        ? runtimeError('Runtime.JSONStringifyError', 'Unable to stringify response body', 'v4')
        : new Error('Unable to stringify response body');
    }
    if (json === undefined) throw new TypeError('Wrong arguments');
    if (json.length > MAX_SYNC_PAYLOAD_BYTES / 3 && Buffer.byteLength(json) > MAX_SYNC_PAYLOAD_BYTES) {
      const body =
        this.profile.generation === 'v4'
          ? ` {"errorMessage":"Exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).","errorType":"RequestEntityTooLarge"}`
          : '';
      logRawLine(
        this.sink,
        'runtime',
        `[ERROR] [${realDateNow()}] LAMBDA_RUNTIME Failed to post handler success response. Http response code: 413.${body}`,
        'stdout',
      );
      this.complete({
        kind: 'error',
        payload: {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
        },
      });
      return;
    }
    this.complete({ kind: 'success', json });
  }

  postError(err: unknown): void {
    if (this.completion) return;
    const value = this.profile.generation === 'v3' && (err === undefined || err === null) ? 'handled' : err;
    const payload = toErrorPayload(value, this.profile.generation);
    logRuntimeError(this.sink, 'Invoke Error', intoError(value), formatLoggedError(value));
    this.complete({ kind: 'error', payload });
  }

  onCrash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown, promise?: unknown): boolean {
    if (error instanceof ProcessExitSignal) return true;
    // The result is built: a failure from this invocation's leftover work is the environment's.
    if (this.finalized) return this.environment.onLateCrash(kind, error, promise);
    if (this.profile.catchesProcessErrors) {
      const value = kind === 'unhandledRejection' ? new UnhandledPromiseRejection(error, promise) : error;
      logRuntimeError(
        this.sink,
        kind === 'unhandledRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception',
        value,
        formatLoggedError(value),
      );
      if (!this.completion) this.complete({ kind: 'error', payload: toErrorPayload(value, 'v3') });
      this.resetReason ??= 'crash';
      return true;
    }
    crashPrint(
      this.sink,
      kind === 'unhandledRejection' ? new UnhandledPromiseRejection(error, promise) : error,
      kind,
    );
    if (!this.completion) this.complete({ kind: 'exit', payload: exitErrorPayload(this.requestId, 1) });
    this.resetReason ??= 'crash';
    return true;
  }

  /** The process dies under this invocation without any print of its own (the cause was printed earlier). */
  onProcessDeath(code: number): void {
    if (this.finalized) return;
    if (!this.completion) this.complete({ kind: 'exit', payload: exitErrorPayload(this.requestId, code) });
    this.resetReason ??= 'crash';
  }

  onExit(code: number): void {
    if (this.finalized) {
      this.environment.onLateExit(code);
      return;
    }
    if (!this.completion) this.complete({ kind: 'exit', payload: exitErrorPayload(this.requestId, code) });
    this.resetReason ??= 'exit';
  }

  /** The event loop drained (v3 beforeExit; v4 process exit 0). */
  onDrain(): void {
    if (this.completion) return;
    if (this.holdsOpen?.()) {
      // Virtual clock: nothing else will ever happen, so the open stream waits out the deadline.
      this.clock?.tick(Math.max(0, this.deadline - this.clock.now));
      this.expire();
      return;
    }
    if (this.profile.generation === 'v4') {
      this.complete({ kind: 'exit', payload: exitErrorPayload(this.requestId, 0) });
      this.resetReason ??= 'exit';
      return;
    }
    const listener = this.beforeExit;
    this.beforeExit = undefined;
    invocationScope.run(this.scope, () => {
      if (listener) listener();
      else {
        try {
          this.postSuccess(null);
        } catch (err) {
          this.onCrash('uncaughtException', err);
        }
      }
    });
  }

  /** Real pending work that keeps the (simulated) event loop alive. */
  loopAlive(): boolean {
    // An open response stream keeps a real-clock invocation alive, as the runtime's open socket does.
    if (!this.clock && this.holdsOpen?.()) return true;
    return loopAlive(this.work, this.clock);
  }
}

/** v3 (nodejs20.x/22.x) calling convention: callback + context.succeed/fail/done, first call wins. */
export function startV3(
  run: Run,
  handler: Function,
  event: unknown,
  baseCtx: (legacy: LegacyCompletion) => Context,
): void {
  const wrap =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (run.latched) return;
      fn(...args);
      run.latched = true;
    };
  const rawCallback = (err?: unknown, result?: unknown) => {
    run.beforeExit = undefined;
    if (err !== undefined && err !== null) run.postError(err);
    else if (!run.waitForEmpty) run.postSuccess(result);
    else
      run.beforeExit = () => {
        try {
          run.postSuccess(result);
        } catch (e) {
          run.onCrash('uncaughtException', e);
        }
      };
  };
  const rawDone = (err?: unknown, result?: unknown) => {
    run.beforeExit = undefined;
    if (err !== undefined && err !== null) run.postError(err);
    else run.postSuccess(result);
  };
  const done = wrap(rawDone);
  const succeed = wrap((result?: unknown) => rawDone(null, result));
  const fail = wrap((err?: unknown) => rawDone(err === undefined || err === null ? 'handled' : err, null));
  const callback = wrap(rawCallback);
  const ctx = baseCtx({
    succeed,
    fail,
    done,
    getWait: () => run.waitForEmpty,
    setWait: (v) => {
      run.waitForEmpty = v;
    },
  });
  try {
    const result = handler(event, ctx, callback);
    if (
      result !== null &&
      (typeof result === 'object' || typeof result === 'function') &&
      typeof (result as PromiseLike<unknown>).then === 'function'
    ) {
      const chained = (result as PromiseLike<unknown>).then(succeed, fail) as unknown;
      if (chained && typeof (chained as Promise<unknown>).catch === 'function')
        (chained as Promise<unknown>).catch(fail);
    }
  } catch (err) {
    callback(err);
  }
}

/** v4 (nodejs24.x): `result = await handler(event, context)`. */
export function startV4(run: Run, handler: Function, event: unknown, ctx: Context): void {
  let result: unknown;
  try {
    result = handler(event, ctx);
  } catch (err) {
    run.postError(err);
    return;
  }
  const post = (value: unknown) => {
    try {
      run.postSuccess(value);
    } catch (err) {
      run.postError(err);
    }
  };
  if (
    result !== null &&
    (typeof result === 'object' || typeof result === 'function') &&
    typeof (result as PromiseLike<unknown>).then === 'function'
  ) {
    Promise.resolve(result as PromiseLike<unknown>).then(post, (err) => run.postError(err));
  } else post(result);
}
