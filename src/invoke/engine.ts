/**
 * The invocation engine: two steps, `initFunction` (load + resolve the handler under the init
 * context) and `invokeFunction` (run one event through a resolved handler). `invokeHandler` is
 * built from them, and src/lifecycle drives them to model function instances.
 */
import {
  clearImmediate as realClearImmediate,
  clearTimeout as realClearTimeout,
  setImmediate as realSetImmediate,
  setTimeout as realSetTimeout,
} from 'node:timers';
import type { Context } from 'aws-lambda';
import { HarnessError } from '../errors/index.js';
import {
  createLogSink,
  enterCapture,
  exitCapture,
  type LogSink,
  logRawLine,
  logRuntimeError,
  openCaptureScope,
} from '../logs/capture.js';
import { CapturedLine, formatEndLine, formatReportLine, formatStartLine } from '../logs/format.js';
import type { LogLine, ReportFields } from '../logs/types.js';
import { type CognitoIdentityInput, createLambdaContext } from '../runtime/context.js';
import { type CrashOrigin, formatCrashPrint } from '../runtime/crash-print.js';
import {
  buildRuntimeEnv,
  createEnvLayer,
  enterEnvScope,
  exitEnvScope,
  openEnvScope,
} from '../runtime/env.js';
import {
  formatErrorForTextLog,
  intoError,
  runtimeError,
  toErrorPayload,
  UnhandledPromiseRejection,
} from '../runtime/errors.js';
import { parseHandlerName, resolveHandlerExport } from '../runtime/handler-name.js';
import { newRequestId, newTraceId } from '../runtime/ids.js';
import {
  CALLBACK_DEPRECATED_MESSAGE,
  INIT_TIMEOUT_MS,
  MAX_SYNC_PAYLOAD_BYTES,
  type RuntimeProfile,
} from '../runtime/profiles.js';
import { perfNow, RealDate, realDateNow } from '../runtime/real-clock.js';
import { type InvocationScope, invocationScope, outsideScope } from '../runtime/scope.js';
import {
  enterAwslambdaGlobal,
  exitAwslambdaGlobal,
  isStreamingHandler,
  openAwslambdaGlobal,
} from './awslambda-global.js';
import {
  type CrashTarget,
  enterGuard,
  exitGuard,
  isPending,
  openGuard,
  ProcessExitSignal,
  type TrackedTimer,
} from './guard.js';
import type { ErrorPayload, InvocationResult, PendingWork } from './result.js';
import type { FunctionSettings } from './settings-core.js';
import {
  createVirtualClock,
  nextTimerAt,
  openVirtualTime,
  type VirtualClock,
  virtualTimerCounts,
} from './virtual-time.js';

/** Max Memory Used reported in REPORT lines (simulated: the test process's memory is not the function's). */
const SIMULATED_MEMORY_USED_MB = 64;

const RUNTIME_VERSION_ARN_HASH = '0f6bd7f4b8a7f1b7c3f5d1f3b2c8e6a4d9a7c5e3b1f9d7c5a3e1b9f7d5c3a1e9';

function outside<T>(fn: () => T): T {
  return outsideScope(fn);
}

function scheduleHop(resolve: () => void): void {
  if (invocationScope.getStore() === undefined) realSetImmediate(resolve);
  else outsideScope(() => realSetImmediate(resolve));
}

/** One macrotask turn (a real setImmediate, scheduled outside any invocation scope). */
function hop(): Promise<void> {
  return new Promise(scheduleHop);
}

/** The real-time deadline of one invocation fired (a timer per invocation, armed with the run as argument). */
function onRunDeadline(run: Run): void {
  run.complete({ kind: 'timeout', payload: timeoutPayload(run.requestId, run.timeoutMs ?? 0) });
  run.resetReason ??= 'timeout';
}

function armRunDeadline(run: Run, delay: number): NodeJS.Timeout {
  return invocationScope.getStore() === undefined
    ? realSetTimeout(onRunDeadline, delay, run)
    : outsideScope(() => realSetTimeout(onRunDeadline, delay, run));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function countIo(): number {
  let n = 0;
  for (const r of process.getActiveResourcesInfo()) if (r !== 'Timeout' && r !== 'Immediate') n++;
  return n;
}

function describeTimer(t: TrackedTimer): string {
  if (t.constructor.name === 'Immediate') return 'setImmediate';
  if (typeof t._repeat === 'number') return `setInterval ${t._repeat} ms`;
  return `setTimeout ${t._idleTimeout ?? 0} ms`;
}

function collectAndClear(timers: Set<TrackedTimer>, clock: VirtualClock | undefined): PendingWork {
  let nTimers = 0;
  let intervals = 0;
  let immediates = 0;
  const descriptions: string[] = [];
  for (const t of timers) {
    if (!isPending(t)) continue;
    const isImmediate = t.constructor.name === 'Immediate';
    // Node schedules a no-op immediate after an uncaught exception was handled; it is not the handler's.
    if (isImmediate && (t as unknown as { _onImmediate?: Function })._onImmediate?.name === 'noop') {
      realClearImmediate(t as unknown as NodeJS.Immediate);
      continue;
    }
    descriptions.push(describeTimer(t));
    if (isImmediate) {
      immediates++;
      realClearImmediate(t as unknown as NodeJS.Immediate);
    } else {
      if (typeof t._repeat === 'number') intervals++;
      else nTimers++;
      realClearTimeout(t as unknown as NodeJS.Timeout);
    }
  }
  timers.clear();
  if (clock) {
    const v = virtualTimerCounts(clock);
    nTimers += v.timers;
    intervals += v.intervals;
    immediates += v.immediates;
    descriptions.push(...v.descriptions);
    clock.reset();
  }
  return { timers: nTimers, intervals, immediates, descriptions };
}

const NO_PENDING: PendingWork = Object.freeze({ timers: 0, intervals: 0, immediates: 0, descriptions: [] });

// ---------------------------------------------------------------------------------------------
// Init step
// ---------------------------------------------------------------------------------------------

/**
 * Input of {@link initFunction}.
 *
 * @example
 * const req: InitRequest = { settings, loader: () => import('./handler.js'), logStreamName: '2024/01/01/[$LATEST]abc' };
 */
export interface InitRequest {
  /** From `resolveFunctionSettings`. */
  readonly settings: FunctionSettings;
  /** Loads the user module (returns its namespace) or returns the handler function itself. */
  readonly loader: () => unknown;
  /** Default `on-demand`. */
  readonly initializationType?: 'on-demand' | 'provisioned-concurrency';
  /** The environment's log stream (AWS_LAMBDA_LOG_STREAM_NAME). */
  readonly logStreamName: string;
  /** Extra environment for this instance, for example `{ TMPDIR: '/tmp/instance-1' }`. */
  readonly extraEnv?: Readonly<Record<string, string | undefined>>;
  /** Init time limit; default 10 000 ms for on-demand, none for provisioned concurrency. */
  readonly initTimeoutMs?: number;
}

/**
 * Result of {@link initFunction}: the resolved handler, or the init error as the invoker receives it.
 *
 * @example
 * const init = await initFunction(req);
 * if (!init.ok) console.log(init.error.errorType); // e.g. 'Runtime.HandlerNotFound'
 */
export type InitOutcome =
  | {
      readonly ok: true;
      readonly handler: Function;
      readonly initDurationMs: number;
      /** INIT_START and the init phase's console/raw lines, to be placed before the first START. */
      readonly logs: readonly LogLine[];
      /** Timers the module scheduled at load, cleared when init ended. */
      readonly pendingWork: PendingWork;
    }
  | {
      readonly ok: false;
      readonly error: ErrorPayload;
      /** `timeout` when the init limit was hit. */
      readonly status: 'error' | 'timeout';
      readonly initDurationMs: number;
      readonly logs: readonly LogLine[];
      readonly pendingWork: PendingWork;
    };

class InitState implements CrashTarget {
  readonly timers = new Set<TrackedTimer>();
  failure: unknown = undefined;
  failed = false;
  exitCode: number | undefined;
  closed = false;
  onCrash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown, promise?: unknown): boolean {
    if (this.closed) return false;
    if (error instanceof ProcessExitSignal) return true;
    if (!this.failed) {
      this.failed = true;
      this.failure = kind === 'unhandledRejection' ? new UnhandledPromiseRejection(error, promise) : error;
    }
    return true;
  }
  onExit(code: number): void {
    if (this.exitCode === undefined) this.exitCode = code;
  }
}

/**
 * nodejs24.x `import()`s CommonJS handler files, so its require stack ends at the handler file
 * (observed: only `- /var/task/index.js`). The first entry is the file whose `require` failed, the
 * handler file for a top-level require (the loader need not know its path): cut the list after it.
 */
function requireStackToHandlerFile(message: string): string {
  const marker = '\nRequire stack:\n';
  const at = message.indexOf(marker);
  if (at < 0) return message;
  const firstEnd = message.indexOf('\n', at + marker.length);
  return firstEnd < 0 ? message : message.slice(0, firstEnd);
}

function mapLoadError(err: unknown, profile: RuntimeProfile): { payload: ErrorPayload; logged: unknown } {
  const gen = profile.generation;
  if (err instanceof SyntaxError || (err instanceof Error && err.name === 'SyntaxError')) {
    const wrapper = runtimeError('Runtime.UserCodeSyntaxError', String(err));
    const payload = toErrorPayload(wrapper, gen);
    return {
      payload: gen === 'v4' ? { ...payload, trace: toErrorPayload(err, gen).trace ?? [] } : payload,
      logged: wrapper,
    };
  }
  if (err instanceof Error && (err as { code?: unknown }).code === 'MODULE_NOT_FOUND') {
    const text = gen === 'v4' ? requireStackToHandlerFile(String(err)) : String(err);
    const wrapper = runtimeError('Runtime.ImportModuleError', text);
    return { payload: toErrorPayload(wrapper, gen), logged: wrapper };
  }
  return { payload: toErrorPayload(err, gen), logged: err };
}

function platformJson(type: string, record: Record<string, unknown>, now: number): string {
  return JSON.stringify({ time: new RealDate(now).toISOString(), type, record });
}

function initEnvLayer(
  settings: FunctionSettings,
  logStreamName: string,
  initializationType: 'on-demand' | 'provisioned-concurrency',
  extraEnv: Readonly<Record<string, string | undefined>> | undefined,
  traceId: string | undefined,
) {
  const vars = buildRuntimeEnv({
    functionName: settings.functionName,
    functionVersion: settings.functionVersion,
    memorySizeMB: settings.memorySizeMB,
    region: settings.region,
    handler: settings.handlerName,
    profile: settings.profile,
    logGroupName: settings.logGroupName,
    logStreamName,
    initializationType,
    logFormat:
      settings.env.AWS_LAMBDA_LOG_FORMAT !== undefined || settings.logFormat === 'JSON'
        ? settings.logFormat.toUpperCase() === 'JSON'
          ? 'JSON'
          : 'Text'
        : undefined,
    logLevel: settings.logLevel,
    traceId,
  });
  const layer = createEnvLayer(vars, settings.env);
  if (extraEnv) {
    for (const [k, v] of Object.entries(extraEnv)) {
      if (v === undefined) {
        delete layer.values[k];
        layer.deleted.add(k);
      } else {
        layer.values[k] = v;
        layer.deleted.delete(k);
      }
    }
  }
  return layer;
}

function awslambdaDisabled(values: Record<string, string>): boolean {
  const v = values.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  return v === '1' || v === 'true';
}

/**
 * Init step: run the loader under the init context (runtime env vars incl.
 * AWS_LAMBDA_INITIALIZATION_TYPE, the `awslambda` global, console captured with request id
 * `undefined` (v3) / `-` (v4)), resolve the handler by name (nested paths; `module.default`
 * fallback on nodejs24.x), apply the nodejs24.x arity check, measure init duration and enforce the
 * init limit. Load failures are mapped as the runtime maps them: SyntaxError ->
 * Runtime.UserCodeSyntaxError, CommonJS MODULE_NOT_FOUND -> Runtime.ImportModuleError, ESM
 * ERR_MODULE_NOT_FOUND -> plain Error, missing export -> Runtime.HandlerNotFound, bad name ->
 * Runtime.MalformedHandlerName, arity >= 3 on 24 -> Runtime.CallbackHandlerDeprecated. Never throws
 * for user-code failures.
 *
 * @example
 * const settings = resolveFunctionSettings({ runtime: 'nodejs22.x', handler: 'index.handler' }, 'options');
 * const init = await initFunction({ settings, loader: () => import('./index.js'), logStreamName: newLogStreamName('$LATEST', Date.now()) });
 * if (init.ok) await invokeFunction({ settings, handler: init.handler, event: {}, logStreamName, coldStart: true, initDurationMs: init.initDurationMs, initLogs: init.logs });
 */
export function initFunction(req: InitRequest): Promise<InitOutcome> {
  const outcome = initFunctionNow(req);
  return outcome instanceof Promise ? outcome : Promise.resolve(outcome);
}

/**
 * {@link initFunction} without the promise when the result is known synchronously (a loader from
 * {@link handlerLoader}), so the invocation clock can start in the same tick as the caller's call.
 *
 * @example
 * const init = initFunctionNow({ settings, loader: handlerLoader(fn), logStreamName });
 * const outcome = init instanceof Promise ? await init : init;
 */
export function initFunctionNow(req: InitRequest): InitOutcome | Promise<InitOutcome> {
  const bare = (req.loader as { [BARE_HANDLER]?: unknown })[BARE_HANDLER];
  if (typeof bare === 'function') return initBareHandler(req, bare);
  return initModule(req);
}

const BARE_HANDLER = Symbol('lambda-harness.bareHandler');

/**
 * Whether the init step of a bare handler would succeed and print nothing anyone sees, so a
 * warm invocation (no init logs, no init duration reported) may skip it: the handler name parses,
 * the nodejs24.x arity check passes and captured lines are not echoed to the terminal. Internal
 * to the invoker (not re-exported).
 *
 * @example
 * if (!bareInitIsSilentSuccess(settings, handler)) await initFunction({ settings, loader: handlerLoader(handler), logStreamName });
 */
export function bareInitIsSilentSuccess(settings: FunctionSettings, handler: Function): boolean {
  if (settings.echo || !parseHandlerName(settings.handlerName).ok) return false;
  return !(settings.profile.rejectsCallbackArity && handler.length >= 3 && !isStreamingHandler(handler));
}

/**
 * A loader for a handler function you already hold (no module to load, so no user code runs at
 * init): `initFunction` then skips the init context and only applies the handler checks
 * (handler name syntax, nodejs24.x arity).
 *
 * @example
 * const init = await initFunction({ settings, loader: handlerLoader(handler), logStreamName });
 */
export function handlerLoader(handler: Function): () => Function {
  const loader = () => handler;
  (loader as unknown as Record<symbol, unknown>)[BARE_HANDLER] = handler;
  return loader;
}

function initStartLine(settings: FunctionSettings, initializationType: string, sink: LogSink): void {
  const profile = settings.profile;
  if (settings.logFormat === 'JSON') {
    logRawLine(
      sink,
      'platform',
      platformJson(
        'platform.initStart',
        {
          initializationType,
          phase: 'init',
          runtimeVersion: profile.runtimeVersion,
          runtimeVersionArn: `arn:aws:lambda:${settings.region}::runtime:${RUNTIME_VERSION_ARN_HASH}`,
        },
        realDateNow(),
      ),
      'stdout',
      true,
    );
  } else {
    logRawLine(
      sink,
      'platform',
      `INIT_START Runtime Version: ${profile.runtimeVersion}\tRuntime Version ARN: arn:aws:lambda:${settings.region}::runtime:${RUNTIME_VERSION_ARN_HASH}`,
      'stdout',
    );
  }
}

// v3 reports init failures through its process-level handlers, so a rejection during init logs
// under the rejection prefix (observed: init-unhandled-rejection); v4 logs every one as Init Error.
function initErrorLogPrefix(profile: RuntimeProfile, logged: unknown): string {
  return profile.generation === 'v3' && logged instanceof UnhandledPromiseRejection
    ? 'Unhandled Promise Rejection'
    : profile.initErrorLogPrefix;
}

function initFailure(
  settings: FunctionSettings,
  sink: LogSink,
  error: ErrorPayload,
  logged: unknown,
  initDurationMs: number,
  initializationType: string,
): InitOutcome {
  logRuntimeError(sink, initErrorLogPrefix(settings.profile, logged), logged, formatLoggedError(logged));
  if (!settings.profile.catchesProcessErrors) crashPrint(sink, logged, 'init');
  if (settings.logFormat === 'JSON') {
    logRawLine(
      sink,
      'platform',
      platformJson(
        'platform.initReport',
        {
          initializationType,
          phase: 'init',
          status: 'error',
          errorType: error.errorType,
          metrics: { durationMs: initDurationMs },
        },
        realDateNow(),
      ),
      'stdout',
      true,
    );
  } else {
    logRawLine(
      sink,
      'platform',
      `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${error.errorType}`,
      'stdout',
    );
  }
  sink.closed = true;
  return { ok: false, error, status: 'error', initDurationMs, logs: sink.lines, pendingWork: NO_PENDING };
}

function initBareHandler(req: InitRequest, handler: Function): InitOutcome {
  const { settings } = req;
  const profile = settings.profile;
  const initializationType = req.initializationType ?? 'on-demand';
  const t0 = perfNow();
  const sink = createLogSink({
    requestId: undefined,
    initRequestIdText: profile.initRequestIdText,
    format: settings.logFormat,
    level: settings.logLevel,
    echo: settings.echo,
    now: realDateNow,
  });
  initStartLine(settings, initializationType, sink);
  const parsed = parseHandlerName(settings.handlerName);
  if (!parsed.ok) {
    const logged = runtimeError(parsed.error.errorType, parsed.error.errorMessage);
    return initFailure(settings, sink, parsed.error, logged, round2(perfNow() - t0), initializationType);
  }
  if (profile.rejectsCallbackArity && handler.length >= 3 && !isStreamingHandler(handler)) {
    const err = runtimeError('Runtime.CallbackHandlerDeprecated', CALLBACK_DEPRECATED_MESSAGE);
    return initFailure(
      settings,
      sink,
      toErrorPayload(err, profile.generation),
      err,
      round2(perfNow() - t0),
      initializationType,
    );
  }
  sink.closed = true;
  return {
    ok: true,
    handler,
    initDurationMs: round2(perfNow() - t0),
    logs: sink.lines,
    pendingWork: NO_PENDING,
  };
}

async function initModule(req: InitRequest): Promise<InitOutcome> {
  const { settings } = req;
  const profile = settings.profile;
  const initializationType = req.initializationType ?? 'on-demand';
  const limit = req.initTimeoutMs ?? (initializationType === 'on-demand' ? INIT_TIMEOUT_MS : undefined);
  const sink = createLogSink({
    requestId: undefined,
    initRequestIdText: profile.initRequestIdText,
    format: settings.logFormat,
    level: settings.logLevel,
    echo: settings.echo,
    now: realDateNow,
  });
  initStartLine(settings, initializationType, sink);
  const state = new InitState();
  const layer = initEnvLayer(settings, req.logStreamName, initializationType, req.extraEnv, undefined);
  const scope: InvocationScope = { requestId: undefined, env: layer, sink, state };
  const closers = [
    openEnvScope(),
    openCaptureScope(),
    openGuard(),
    openAwslambdaGlobal(profile, awslambdaDisabled(layer.values)),
  ];
  const t0 = perfNow();
  let error: ErrorPayload | undefined;
  let logged: unknown;
  let status: 'error' | 'timeout' = 'error';
  let handler: Function | undefined;
  let limitTimer: NodeJS.Timeout | undefined;
  try {
    const parsed = parseHandlerName(settings.handlerName);
    if (!parsed.ok) {
      error = parsed.error;
      logged = runtimeError(parsed.error.errorType, parsed.error.errorMessage);
    } else {
      let loaded: unknown;
      let loadFailed = false;
      let asyncLoad = false;
      try {
        const value = invocationScope.run(scope, () => req.loader());
        asyncLoad =
          value !== null &&
          typeof value === 'object' &&
          typeof (value as PromiseLike<unknown>).then === 'function';
        if (
          value !== null &&
          typeof value === 'object' &&
          typeof (value as PromiseLike<unknown>).then === 'function'
        ) {
          const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
            if (limit !== undefined)
              limitTimer = outside(() => realSetTimeout(() => resolve(TIMED_OUT), limit));
          });
          loaded = await Promise.race([value as PromiseLike<unknown>, timeout]);
        } else loaded = value;
      } catch (err) {
        loadFailed = true;
        ({ payload: error, logged } = mapLoadError(err, profile));
      }
      if (loaded === TIMED_OUT) {
        status = 'timeout';
        error = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Init phase timed out after ${((limit ?? 0) / 1000).toFixed(2)} seconds`,
        };
      } else if (!loadFailed) {
        // An async load (import()) gets one more turn so init-time rejections surface here.
        if (asyncLoad || state.timers.size > 0) await hop();
        // nodejs24.x registers no process-level handler: an error escaping during init prints Node's
        // crash print at once, but the process only exits once the pending GET /next returns, so
        // init completes, invoke 1 is taken and it is that invoke which fails (init-unhandled-rejection).
        let diesOnFirstInvoke = false;
        if (state.exitCode !== undefined) {
          error = exitErrorPayload(undefined, state.exitCode);
        } else if (state.failed && profile.catchesProcessErrors) {
          error = toErrorPayload(state.failure, profile.generation);
          logged = state.failure;
        } else {
          if (state.failed) {
            const origin =
              state.failure instanceof UnhandledPromiseRejection ? 'unhandledRejection' : 'uncaughtException';
            crashPrint(sink, state.failure, origin);
            diesOnFirstInvoke = true;
          }
          if (typeof loaded === 'function') {
            handler = loaded;
          } else {
            const found = resolveHandlerExport(loaded, settings.handlerName, parsed.propertyPath, profile);
            if (found.ok) handler = found.handler;
            else {
              error = found.error;
              logged = runtimeError(found.error.errorType, found.error.errorMessage);
            }
          }
        }
        if (handler && profile.rejectsCallbackArity && handler.length >= 3 && !isStreamingHandler(handler)) {
          const err = runtimeError('Runtime.CallbackHandlerDeprecated', CALLBACK_DEPRECATED_MESSAGE);
          error = toErrorPayload(err, profile.generation);
          logged = err;
          handler = undefined;
        }
        if (handler && diesOnFirstInvoke) handler = exitsOnFirstInvoke;
      }
    }
  } finally {
    if (limitTimer) realClearTimeout(limitTimer);
    state.closed = true;
  }
  const initDurationMs = round2(status === 'timeout' && limit !== undefined ? limit : perfNow() - t0);
  if (error && logged !== undefined) {
    logRuntimeError(sink, initErrorLogPrefix(profile, logged), logged, formatLoggedError(logged));
    // nodejs24.x re-throws the init error after posting it: Node's crash print, exit 1.
    if (!profile.catchesProcessErrors) crashPrint(sink, logged, 'init');
  }
  if (error) {
    const line = `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}${status === 'error' ? `\tError Type: ${error.errorType}` : ''}`;
    if (settings.logFormat === 'JSON') {
      logRawLine(
        sink,
        'platform',
        platformJson(
          'platform.initReport',
          {
            initializationType,
            phase: 'init',
            status,
            ...(status === 'error' ? { errorType: error.errorType } : {}),
            metrics: { durationMs: initDurationMs },
          },
          realDateNow(),
        ),
        'stdout',
        true,
      );
    } else logRawLine(sink, 'platform', line, 'stdout');
  }
  const pendingWork = collectAndClear(state.timers, undefined);
  sink.closed = true;
  for (let i = closers.length - 1; i >= 0; i--) closers[i]?.();
  if (error || !handler) {
    return {
      ok: false,
      error: error ?? {
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${settings.handlerName} is not a function`,
      },
      status,
      initDurationMs,
      logs: sink.lines,
      pendingWork,
    };
  }
  return { ok: true, handler, initDurationMs, logs: sink.lines, pendingWork };
}

const TIMED_OUT = Symbol('timed out');

/**
 * Stand-in handler of a nodejs24.x environment whose process is already dying (an error escaped
 * during init): the invocation it takes ends with the process's exit 1 (Runtime.ExitError).
 */
function exitsOnFirstInvoke(): Promise<never> {
  const state = invocationScope.getStore()?.state;
  if (state instanceof Run) state.onProcessDeath(1);
  return new Promise<never>(() => {});
}

function formatLoggedError(value: unknown): string {
  if (value instanceof Error) return formatErrorForTextLog(value);
  return formatErrorForTextLog(intoError(value));
}

function exitErrorPayload(requestId: string | undefined, code: number): ErrorPayload {
  const prefix = requestId ? `RequestId: ${requestId} Error: ` : 'Error: ';
  return {
    errorType: 'Runtime.ExitError',
    errorMessage:
      code === 0
        ? `${prefix}Runtime exited without providing a reason`
        : `${prefix}Runtime exited with error: exit status ${code}`,
  };
}

/** Node's crash print on stderr (nodejs24.x: the runtime client catches nothing at process level). */
function crashPrint(sink: LogSink, error: unknown, origin: CrashOrigin): void {
  for (const part of formatCrashPrint(error, origin)) logRawLine(sink, 'runtime', part, 'stderr');
}

// ---------------------------------------------------------------------------------------------
// Invoke step
// ---------------------------------------------------------------------------------------------

/**
 * Clock of one invocation: `real` (wall time; the invocation ends at the real deadline) or
 * `virtual` (the handler's timers and Date run on a simulated clock starting at `startMs`, so long
 * sleeps and timeouts finish in milliseconds, deterministically).
 *
 * @example
 * const clock: ClockOption = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) };
 */
export type ClockOption = { readonly mode: 'real' } | { readonly mode: 'virtual'; readonly startMs?: number };

/**
 * Input of {@link invokeFunction}: one event through a resolved handler, with instance-level inputs.
 *
 * @example
 * const req: InvokeRequest = { settings, handler, event: { id: 1 }, logStreamName, coldStart: true, initDurationMs: 12.5, initLogs: init.logs };
 */
export interface InvokeRequest {
  readonly settings: FunctionSettings;
  readonly handler: Function;
  readonly event: unknown;
  /** Default: a new UUID. */
  readonly requestId?: string;
  /** Reported on the result; default false. */
  readonly coldStart?: boolean;
  /** Init duration to report in REPORT and bill (on-demand cold start); undefined otherwise. */
  readonly initDurationMs?: number;
  /** Lines to place before START (the init phase's logs). */
  readonly initLogs?: readonly LogLine[];
  readonly logStreamName: string;
  /** Default `on-demand`. */
  readonly initializationType?: 'on-demand' | 'provisioned-concurrency';
  /** Extra environment for this instance, for example TMPDIR. */
  readonly extraEnv?: Readonly<Record<string, string | undefined>>;
  /** Default real time. */
  readonly clock?: ClockOption;
  /** X-Ray trace header; default a fresh one; `null` means no header (the var is removed). */
  readonly traceId?: string | null;
  readonly identity?: CognitoIdentityInput;
  readonly clientContext?: unknown;
  readonly tenantId?: string;
}

/**
 * Result of {@link invokeFunction}.
 *
 * @example
 * const { result, resetRequired } = await invokeFunction(req);
 * if (resetRequired) instance.discard(); // the next invocation must cold start
 */
export interface InvokeOutcome {
  readonly result: InvocationResult;
  /** True when Lambda would reset the environment: timeout, crash (uncaught/unhandled), process exit. */
  readonly resetRequired: boolean;
  readonly resetReason: 'timeout' | 'crash' | 'exit' | undefined;
  readonly pendingWork: PendingWork;
}

type Completion =
  | { kind: 'success'; json: string }
  | { kind: 'error'; payload: ErrorPayload }
  | { kind: 'timeout'; payload: ErrorPayload }
  | { kind: 'exit'; payload: ErrorPayload };

class Run implements CrashTarget {
  readonly timers = new Set<TrackedTimer>();
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
  #waiters: Array<() => void> | undefined;

  constructor(
    readonly profile: RuntimeProfile,
    readonly requestId: string,
    readonly sink: LogSink,
    readonly now: () => number,
  ) {}

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
      c = { kind: 'timeout', payload: timeoutPayload(this.requestId, this.timeoutMs) };
      this.resetReason ??= 'timeout';
    }
    this.completion = c;
    this.endPerf = perfNow();
    this.endClock = endClock;
    this.wake();
  }

  deadline = Number.POSITIVE_INFINITY;
  timeoutMs: number | undefined;

  /** Serialise and post a response; throws as the runtime client would. */
  postSuccess(result: unknown): void {
    if (this.completion) return;
    let json: string | undefined;
    try {
      json = JSON.stringify(result === undefined ? null : result);
    } catch {
      throw this.profile.generation === 'v4'
        ? runtimeError('Runtime.JSONStringifyError', 'Unable to stringify response body')
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
    if (this.finalized) return false;
    if (error instanceof ProcessExitSignal) return true;
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
    if (this.finalized) return;
    if (!this.completion) this.complete({ kind: 'exit', payload: exitErrorPayload(this.requestId, code) });
    this.resetReason ??= 'exit';
  }

  /** The event loop drained (v3 beforeExit; v4 process exit 0). */
  onDrain(): void {
    if (this.completion) return;
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
  loopAlive(ioBaseline: number): boolean {
    for (const t of this.timers) {
      if (isPending(t) && (t.hasRef?.() ?? true)) {
        if (
          t.constructor.name === 'Immediate' &&
          (t as unknown as { _onImmediate?: Function })._onImmediate?.name === 'noop'
        )
          continue;
        return true;
      }
    }
    // Timers faked by the test (vi.useFakeTimers / Jest modern timers, both @sinonjs/fake-timers)
    // are held by the user's clock: they keep the simulated loop alive until the user advances it.
    const userClock = (globalThis.setTimeout as { clock?: { countTimers?: () => number } }).clock;
    if (!this.clock && typeof userClock?.countTimers === 'function' && userClock.countTimers() > 0)
      return true;
    return countIo() > ioBaseline;
  }
}

/** v3 (nodejs20.x/22.x) calling convention: callback + context.succeed/fail/done, first call wins. */
function startV3(
  run: Run,
  handler: Function,
  event: unknown,
  baseCtx: (legacy: import('../runtime/context.js').LegacyCompletion) => Context,
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
function startV4(run: Run, handler: Function, event: unknown, ctx: Context): void {
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

const deletionCache = new WeakMap<FunctionSettings, readonly string[]>();

function settingsDeletions(settings: FunctionSettings): readonly string[] {
  let d = deletionCache.get(settings);
  if (!d) {
    d = Object.keys(settings.env).filter((k) => settings.env[k] === undefined);
    deletionCache.set(settings, d);
  }
  return d;
}

/**
 * Runtime variables of one environment (log stream + initialization type), per settings object.
 * Bounded: one entry per live instance at most ENV_CACHE_SIZE deep (least recently used dropped),
 * plus a last-hit fast path, so a long run of cold starts (one log stream each) does not grow the
 * heap; a dropped entry is rebuilt on its next use (same values).
 */
interface EnvCache {
  lastStream: string | undefined;
  lastType: string | undefined;
  lastVars: Record<string, string> | undefined;
  readonly byKey: Map<string, Record<string, string>>;
}

const ENV_CACHE_SIZE = 16;
const envCache = new WeakMap<FunctionSettings, EnvCache>();

function runtimeVars(
  settings: FunctionSettings,
  logStreamName: string,
  initializationType: 'on-demand' | 'provisioned-concurrency',
): Record<string, string> {
  let c = envCache.get(settings);
  if (!c) {
    c = { lastStream: undefined, lastType: undefined, lastVars: undefined, byKey: new Map() };
    envCache.set(settings, c);
  }
  if (c.lastVars !== undefined && c.lastStream === logStreamName && c.lastType === initializationType)
    return c.lastVars;
  const key = `${logStreamName}\u0000${initializationType}`;
  let vars = c.byKey.get(key);
  if (vars) c.byKey.delete(key);
  else {
    vars = initEnvLayer(settings, logStreamName, initializationType, undefined, undefined).values;
    if (c.byKey.size >= ENV_CACHE_SIZE) {
      const oldest = c.byKey.keys().next().value;
      if (oldest !== undefined) c.byKey.delete(oldest);
    }
  }
  c.byKey.set(key, vars);
  c.lastStream = logStreamName;
  c.lastType = initializationType;
  c.lastVars = vars;
  return vars;
}

/**
 * Invoke step: run one event through a resolved handler with Lambda's semantics and return the
 * result as a value (it never throws for handler failures). The event is delivered as a JSON copy;
 * env vars, console capture, the `awslambda` global, crash routing and (virtual mode) simulated
 * timers are installed for the invocation and removed afterwards; the handler's pending timers are
 * cleared and reported. `resetRequired` says Lambda would discard the environment (timeout, crash,
 * process exit), so the next invocation must cold start.
 *
 * @example
 * const { result } = await invokeFunction({ settings, handler, event: { id: 1 }, logStreamName: 'x', clock: { mode: 'virtual' } });
 * result.outcome; // 'success' | 'error' | 'timeout'
 */
export async function invokeFunction(req: InvokeRequest): Promise<InvokeOutcome> {
  const { settings } = req;
  const profile = settings.profile;
  const requestId = req.requestId ?? newRequestId();
  const coldStart = req.coldStart ?? false;
  const initDurationMs = req.initDurationMs;
  const initializationType = req.initializationType ?? 'on-demand';

  // Request payload: a JSON copy, within the 6 MB limit.
  let eventJson: string | undefined;
  try {
    eventJson = JSON.stringify(req.event === undefined ? {} : req.event);
  } catch (cause) {
    throw new HarnessError('INVALID_EVENT', `the event cannot be serialised to JSON: ${String(cause)}`, {
      hint: 'Lambda events are JSON; remove circular references and BigInt values from the test event.',
      cause,
    });
  }
  if (eventJson === undefined) {
    throw new HarnessError(
      'INVALID_EVENT',
      `the event is not JSON-serialisable (received ${typeof req.event})`,
    );
  }

  const virtual = req.clock?.mode === 'virtual';
  const clock = virtual
    ? createVirtualClock((req.clock as { startMs?: number }).startMs ?? realDateNow())
    : undefined;
  const now = clock ? () => clock.now : realDateNow;
  const startEpoch = now();
  const deadline = startEpoch + settings.timeoutMs;

  const sink = createLogSink({
    requestId,
    initRequestIdText: profile.initRequestIdText,
    format: settings.logFormat,
    level: settings.logLevel,
    echo: settings.echo,
    now,
    tenantId: req.tenantId,
  });
  if (req.initLogs) {
    for (const l of req.initLogs) sink.lines.push(l instanceof CapturedLine ? l : (l as CapturedLine));
  }

  if (
    eventJson.length > MAX_SYNC_PAYLOAD_BYTES / 3 &&
    Buffer.byteLength(eventJson) > MAX_SYNC_PAYLOAD_BYTES
  ) {
    const error: ErrorPayload = {
      errorType: 'RequestEntityTooLarge',
      errorMessage: `Exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
    };
    const report: ReportFields = {
      requestId,
      durationMs: 0,
      billedDurationMs: 0,
      memorySizeMB: settings.memorySizeMB,
      maxMemoryUsedMB: 0,
      initDurationMs: undefined,
      status: undefined,
    };
    return {
      result: {
        outcome: 'error',
        phase: 'invoke',
        error,
        requestId,
        functionName: settings.functionName,
        runtime: profile.name,
        coldStart: false,
        durationMs: 0,
        billedDurationMs: 0,
        initDurationMs: undefined,
        logs: sink.lines,
        report,
        pendingWork: NO_PENDING,
      },
      resetRequired: false,
      resetReason: undefined,
      pendingWork: NO_PENDING,
    };
  }
  const event = JSON.parse(eventJson) as unknown;

  if (settings.logFormat === 'JSON') {
    logRawLine(
      sink,
      'platform',
      platformJson('platform.start', { requestId, version: settings.functionVersion }, startEpoch),
      'stdout',
      true,
    );
  } else logRawLine(sink, 'platform', formatStartLine(requestId, settings.functionVersion), 'stdout');

  const traceId =
    req.traceId === null
      ? undefined
      : (req.traceId ?? newTraceId(startEpoch, requestId.length === 36 ? requestId : undefined));
  const base = runtimeVars(settings, req.logStreamName, initializationType);
  const values: Record<string, string> = Object.create(base) as Record<string, string>;
  const deleted = new Set<string>(settingsDeletions(settings));
  if (traceId !== undefined) values._X_AMZN_TRACE_ID = traceId;
  if (req.extraEnv) {
    for (const [k, v] of Object.entries(req.extraEnv)) {
      if (v === undefined) {
        delete values[k];
        deleted.add(k);
      } else {
        values[k] = v;
        deleted.delete(k);
      }
    }
  }

  const run = new Run(profile, requestId, sink, now);
  run.clock = clock;
  run.deadline = deadline;
  run.timeoutMs = settings.timeoutMs;
  const scope: InvocationScope = { requestId, env: { values, deleted }, sink, state: run };
  run.scope = scope;

  enterEnvScope();
  enterCapture();
  enterGuard();
  const awslambdaEntered = enterAwslambdaGlobal(profile, awslambdaDisabled(values));
  const closeVirtual = clock ? openVirtualTime() : undefined;

  const ioBaseline = countIo();
  const startPerf = perfNow();
  let deadlineTimer: NodeJS.Timeout | undefined;
  try {
    const ctxInput = {
      profile,
      requestId,
      functionName: settings.functionName,
      functionVersion: settings.functionVersion,
      invokedFunctionArn: settings.invokedFunctionArn,
      memorySizeMB: settings.memorySizeMB,
      logGroupName: settings.logGroupName,
      logStreamName: req.logStreamName,
      deadlineMs: deadline,
      now,
      identity: req.identity,
      clientContext: req.clientContext,
      tenantId: req.tenantId,
      traceId,
    };
    const handler = req.handler;
    invocationScope.run(scope, () => {
      if (profile.callbacks)
        startV3(run, handler, event, (legacy) => createLambdaContext({ ...ctxInput, legacy }));
      else startV4(run, handler, event, createLambdaContext(ctxInput));
    });

    if (!run.done) {
      if (!clock) {
        deadlineTimer = armRunDeadline(
          run,
          Math.max(0, Math.ceil(settings.timeoutMs - (perfNow() - startPerf))),
        );
      }
      await drive(run, deadline, ioBaseline, settings.timeoutMs);
    }
    // Let microtasks and one macrotask turn run: v4 posts after setImmediate, and a rejection
    // floating right after the response still kills a v3 process (caller sees success, env resets).
    // After a timeout the environment is reset anyway: report at once.
    if (run.completion?.kind !== 'timeout' && !run.turnAfterCompletion) await hop();
  } catch (err) {
    run.finalized = true;
    leaveInvocation(sink, closeVirtual, awslambdaEntered);
    throw err;
  } finally {
    if (deadlineTimer) realClearTimeout(deadlineTimer);
  }

  const completion = run.completion as Completion;
  const pendingWork = collectAndClear(run.timers, clock);
  run.finalized = true;

  const durationMs =
    completion.kind === 'timeout'
      ? settings.timeoutMs
      : round2(clock ? run.endClock - startEpoch : run.endPerf - startPerf);
  const initMs = initDurationMs;
  const billedDurationMs = Math.max(1, Math.ceil((initMs ?? 0) + durationMs));
  const status = completion.kind === 'timeout' ? 'timeout' : completion.kind === 'exit' ? 'error' : undefined;
  const report: ReportFields = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB: settings.memorySizeMB,
    maxMemoryUsedMB: Math.min(settings.memorySizeMB, SIMULATED_MEMORY_USED_MB),
    initDurationMs: initMs,
    status,
  };
  const endEpoch = completion.kind === 'timeout' ? deadline : clock ? run.endClock : realDateNow();
  if (settings.logFormat === 'JSON') {
    const st =
      completion.kind === 'success'
        ? 'success'
        : completion.kind === 'timeout'
          ? 'timeout'
          : completion.kind === 'exit'
            ? 'failure'
            : 'error';
    logRawLine(
      sink,
      'platform',
      platformJson(
        'platform.runtimeDone',
        {
          requestId,
          status: st,
          ...(completion.kind === 'exit' ? { errorType: 'Runtime.ExitError' } : {}),
          metrics: {
            durationMs,
            producedBytes: completion.kind === 'success' ? Buffer.byteLength(completion.json) : 0,
          },
        },
        endEpoch,
      ),
      'stdout',
      true,
    );
    logRawLine(
      sink,
      'platform',
      platformJson(
        'platform.report',
        {
          requestId,
          metrics: {
            durationMs,
            billedDurationMs,
            memorySizeMB: report.memorySizeMB,
            maxMemoryUsedMB: report.maxMemoryUsedMB,
            ...(initMs !== undefined ? { initDurationMs: initMs } : {}),
          },
          status: st,
          ...(completion.kind === 'exit' ? { errorType: 'Runtime.ExitError' } : {}),
        },
        endEpoch,
      ),
      'stdout',
      true,
    );
  } else {
    if (completion.kind === 'timeout') {
      logRawLine(
        sink,
        'platform',
        `${new RealDate(endEpoch).toISOString()} ${requestId} Task timed out after ${(settings.timeoutMs / 1000).toFixed(2)} seconds`,
        'stdout',
      );
    } else if (completion.kind === 'exit') {
      logRawLine(sink, 'platform', completion.payload.errorMessage, 'stdout');
      logRawLine(sink, 'platform', 'Runtime.ExitError', 'stdout');
    }
    logRawLine(sink, 'platform', formatEndLine(requestId), 'stdout');
    logRawLine(
      sink,
      'platform',
      formatReportLine({
        ...report,
        errorType: completion.kind === 'exit' ? 'Runtime.ExitError' : undefined,
      }),
      'stdout',
    );
  }
  leaveInvocation(sink, closeVirtual, awslambdaEntered);

  // Built field by field (no spread): this runs once per invocation.
  let result: InvocationResult;
  if (completion.kind === 'success') {
    result = {
      outcome: 'success',
      response: JSON.parse(completion.json),
      responseJson: completion.json,
      requestId,
      functionName: settings.functionName,
      runtime: profile.name,
      coldStart,
      durationMs,
      billedDurationMs,
      initDurationMs: initMs,
      logs: sink.lines,
      report,
      pendingWork,
    };
  } else if (completion.kind === 'timeout') {
    result = {
      outcome: 'timeout',
      error: completion.payload,
      requestId,
      functionName: settings.functionName,
      runtime: profile.name,
      coldStart,
      durationMs,
      billedDurationMs,
      initDurationMs: initMs,
      logs: sink.lines,
      report,
      pendingWork,
    };
  } else {
    result = {
      outcome: 'error',
      error: completion.payload,
      phase: 'invoke',
      requestId,
      functionName: settings.functionName,
      runtime: profile.name,
      coldStart,
      durationMs,
      billedDurationMs,
      initDurationMs: initMs,
      logs: sink.lines,
      report,
      pendingWork,
    };
  }
  const resetReason = run.resetReason;
  return { result, resetRequired: resetReason !== undefined, resetReason, pendingWork };
}

/** Close the sink and remove this invocation's global patches (the last one out restores them). */
function leaveInvocation(
  sink: LogSink,
  closeVirtual: (() => void) | undefined,
  awslambdaEntered: boolean,
): void {
  sink.closed = true;
  closeVirtual?.();
  if (awslambdaEntered) exitAwslambdaGlobal();
  exitGuard();
  exitCapture();
  exitEnvScope();
}

function timeoutPayload(requestId: string, timeoutMs: number): ErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  };
}

function sleepOrWake(run: Run, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = outside(() => realSetTimeout(resolve, ms));
    run.whenDone().then(() => {
      realClearTimeout(t);
      resolve();
    });
  });
}

async function drive(run: Run, deadline: number, ioBaseline: number, timeoutMs: number): Promise<void> {
  // One macrotask turn: promise handlers complete in microtasks before it ends, and a completion
  // seen here has already had the post-completion turn (see invokeFunction).
  await hop();
  if (run.done) {
    run.turnAfterCompletion = true;
    return;
  }
  let pollMs = 1;
  const clock = run.clock;
  while (!run.done) {
    if (run.loopAlive(ioBaseline)) {
      await sleepOrWake(run, pollMs);
      pollMs = Math.min(pollMs * 2, 8);
      continue;
    }
    pollMs = 1;
    if (clock) {
      const next = nextTimerAt(clock);
      if (next !== undefined) {
        if (next <= deadline) {
          try {
            invocationScope.run(run.scope, () => clock.next());
          } catch (err) {
            run.onCrash('uncaughtException', err);
          }
          await hop();
          continue;
        }
        clock.tick(Math.max(0, deadline - clock.now));
        run.complete({ kind: 'timeout', payload: timeoutPayload(run.requestId, timeoutMs) });
        run.resetReason ??= 'timeout';
        break;
      }
    }
    // Nothing pending: confirm over one more turn, then the loop has drained.
    await hop();
    if (run.done) break;
    if (!run.loopAlive(ioBaseline) && (!clock || nextTimerAt(clock) === undefined)) run.onDrain();
  }
}
