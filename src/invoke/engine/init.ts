/**
 * The init step: load the user module under the init context (runtime env vars incl.
 * AWS_LAMBDA_INITIALIZATION_TYPE, the `awslambda` global, console captured with request id
 * `undefined` (v3) / `-` (v4)), resolve the handler, and report INIT_START / INIT_REPORT and the
 * init error as the runtime does.
 */
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import {
  createLogSink,
  type LogSink,
  logRawLine,
  logRuntimeError,
  openCaptureScope,
} from '../../logs/capture.js';
import type { LogLine } from '../../logs/types.js';
import { buildRuntimeEnv, createEnvLayer, openEnvScope } from '../../runtime/env.js';
import { runtimeError, toErrorPayload, UnhandledPromiseRejection } from '../../runtime/errors.js';
import { parseHandlerName, resolveHandlerExport } from '../../runtime/handler-name.js';
import { Promise } from '../../runtime/intrinsics.js';
import { CALLBACK_DEPRECATED_MESSAGE, INIT_TIMEOUT_MS, type RuntimeProfile } from '../../runtime/profiles.js';
import { type InvocationScope, invocationScope } from '../../runtime/scope.js';
import { hasMalformedStreamingMarker, isStreamingHandler, openAwslambdaGlobal } from '../awslambda-global.js';
import { type CrashTarget, openGuard, ProcessExitSignal } from '../guard.js';
import type { ErrorPayload, PendingWork } from '../result.js';
import type { FunctionSettings } from '../settings-core.js';
import { clockReader, nextTimerAt, openVirtualTime, type VirtualClock } from '../virtual-time.js';
import {
  awslambdaDisabled,
  crashPrint,
  exitErrorPayload,
  formatLoggedError,
  hop,
  NO_PENDING,
  outside,
  perfNow,
  platformJson,
  realDateNow,
  round2,
} from './common.js';
import type { ClockOption } from './deadline.js';
import { createEnvironment, type EngineEnvironment, type EngineEnvironmentView } from './environment.js';
import { type EngineBoundary, emitBegins, emitEnds, hasEngineHooks } from './hooks.js';
import { enterStrictCommonJs, exitStrictCommonJs } from './module-syntax.js';
import { collectAndClear } from './pending.js';
import { Run } from './run.js';
import type { EnvironmentWork } from './work.js';

const RUNTIME_VERSION_ARN_HASH = '0f6bd7f4b8a7f1b7c3f5d1f3b2c8e6a4d9a7c5e3b1f9d7c5a3e1b9f7d5c3a1e9';

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
  /** The execution environment this init starts (its pending work outlives init); default a new one. */
  readonly environment?: EngineEnvironmentView;
  /**
   * Virtual time (`{ mode: 'virtual', startMs? }`, with a kept `environment`): the module's timers
   * and Date run on the environment's virtual clock, which its invocations continue; a top-level
   * await on a virtual timer advances it. Default: the real clock.
   */
  readonly clock?: ClockOption;
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
  constructor(readonly environment: EngineEnvironment) {}
  /** The environment's virtual clock while a virtual-time init runs (read by the timer routers). */
  clock: VirtualClock | undefined;
  failure: unknown = undefined;
  failed = false;
  exitCode: number | NodeJS.Signals | undefined;
  closed = false;
  get work(): EnvironmentWork {
    return this.environment.work;
  }
  onCrash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown, promise?: unknown): boolean {
    if (error instanceof ProcessExitSignal) return true;
    // Init ended: a failure from its leftover work is the environment's.
    if (this.closed) return this.environment.onLateCrash(kind, error, promise);
    if (!this.failed) {
      this.failed = true;
      this.failure = kind === 'unhandledRejection' ? new UnhandledPromiseRejection(error, promise) : error;
    }
    return true;
  }
  onExit(code: number | NodeJS.Signals): void {
    if (this.closed) this.environment.onLateExit(code);
    else if (this.exitCode === undefined) this.exitCode = code;
  }
}

/** The runtime client's entry, the last entry of every require stack on Lambda (LAMBDA_RUNTIME_DIR). */
const RUNTIME_ENTRY = '/var/runtime/index.mjs';

/**
 * The require stack as the runtime reports it. The in-process loader's own frames (your test file,
 * the loader function) are not the runtime's: on Lambda the handler file is required by the
 * runtime client. Observed:
 * - the handler file itself is missing: only the runtime (`- /var/runtime/index.mjs`), both
 *   generations;
 * - something the handler file requires is missing: the handler file, then the runtime on
 *   nodejs20.x/22.x; the handler file only on nodejs24.x (it `import()`s CommonJS files).
 * The first entry is the file whose `require` failed (the handler file for a top-level require).
 */
function runtimeRequireStack(message: string, generation: 'v3' | 'v4', handlerModule: string): string {
  const marker = '\nRequire stack:\n';
  const at = message.indexOf(marker);
  if (at < 0) return message;
  const head = message.slice(0, at + marker.length);
  const missing = /Cannot find module '([^']+)'/.exec(message)?.[1] ?? '';
  const missingName = missing
    .split(/[\\/]/)
    .pop()
    ?.replace(/\.(c|m)?js$/, '');
  if (missingName === handlerModule) return `${head}- ${RUNTIME_ENTRY}`;
  const firstEnd = message.indexOf('\n', at + marker.length);
  const first =
    firstEnd < 0 ? message.slice(at + marker.length) : message.slice(at + marker.length, firstEnd);
  return generation === 'v4' ? `${head}${first}` : `${head}${first}\n- ${RUNTIME_ENTRY}`;
}

function mapLoadError(
  err: unknown,
  profile: RuntimeProfile,
  handlerModule: string,
): { payload: ErrorPayload; logged: unknown } {
  const gen = profile.generation;
  if (err instanceof SyntaxError || (err instanceof Error && err.name === 'SyntaxError')) {
    const wrapper = runtimeError('Runtime.UserCodeSyntaxError', String(err), gen);
    const payload = toErrorPayload(wrapper, gen);
    return {
      payload: gen === 'v4' ? { ...payload, trace: toErrorPayload(err, gen).trace ?? [] } : payload,
      logged: wrapper,
    };
  }
  if (err instanceof Error && (err as { code?: unknown }).code === 'MODULE_NOT_FOUND') {
    const text = runtimeRequireStack(String(err), gen, handlerModule);
    const wrapper = runtimeError('Runtime.ImportModuleError', text, gen);
    return { payload: toErrorPayload(wrapper, gen), logged: wrapper };
  }
  return { payload: toErrorPayload(err, gen), logged: err };
}

export function initEnvLayer(
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
  if (hasMalformedStreamingMarker(handler, settings.profile.generation)) return false;
  return !(settings.profile.rejectsCallbackArity && handler.length >= 3 && !isStreamingHandler(handler));
}

function malformedStreamingError(): Error {
  return runtimeError('Runtime.MalformedStreamingHandler', 'Only response streaming is supported.');
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
    const logged = runtimeError(parsed.error.errorType, parsed.error.errorMessage, profile.generation);
    return initFailure(settings, sink, parsed.error, logged, round2(perfNow() - t0), initializationType);
  }
  if (hasMalformedStreamingMarker(handler, profile.generation)) {
    const err = malformedStreamingError();
    return initFailure(
      settings,
      sink,
      toErrorPayload(err, profile.generation),
      err,
      round2(perfNow() - t0),
      initializationType,
    );
  }
  if (profile.rejectsCallbackArity && handler.length >= 3 && !isStreamingHandler(handler)) {
    const err = runtimeError(
      'Runtime.CallbackHandlerDeprecated',
      CALLBACK_DEPRECATED_MESSAGE,
      profile.generation,
    );
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

/**
 * A virtual-time init whose module awaits (top-level await, an async loader): when nothing real
 * is pending, the next virtual timer fires, as the event loop would run it. Resolves TIMED_OUT when
 * the next timer lies beyond the init limit on the virtual clock; never resolves otherwise (the
 * load settles first).
 */
async function driveVirtualInit(
  load: PromiseLike<unknown>,
  state: InitState,
  scope: InvocationScope,
  clock: VirtualClock,
  limit: number | undefined,
): Promise<typeof TIMED_OUT> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  load.then(done, done);
  const deadline = limit === undefined ? Number.POSITIVE_INFINITY : clock.now + limit;
  await hop();
  while (!settled) {
    const next = state.work.alive() ? undefined : nextTimerAt(clock);
    if (next === undefined) {
      await new Promise<void>((resolve) => outside(() => realSetTimeout(resolve, 2)));
      continue;
    }
    if (next > deadline) {
      clock.tick(Math.max(0, deadline - clock.now));
      return TIMED_OUT;
    }
    try {
      invocationScope.run(scope, () => clock.next());
    } catch (err) {
      state.onCrash('uncaughtException', err);
    }
    await hop();
  }
  return new Promise<typeof TIMED_OUT>(() => {});
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
  // Environments come from createEnvironment: the view is the engine's class.
  const environment =
    (req.environment as EngineEnvironment | undefined) ?? createEnvironment('init', { oneOff: true });
  environment.bind(settings);
  const state = new InitState(environment);
  // A kept environment's virtual clock starts here: what the module schedules is frozen with it.
  const clock =
    req.clock?.mode === 'virtual' && req.environment ? environment.clockFor(req.clock.startMs) : undefined;
  if (clock) {
    state.clock = clock;
    sink.now = clockReader(clock);
  }
  const layer = initEnvLayer(settings, req.logStreamName, initializationType, req.extraEnv, undefined);
  const scope: InvocationScope = { requestId: undefined, env: layer, sink, state };
  const closers = [
    openEnvScope(),
    openCaptureScope(),
    openGuard(),
    openAwslambdaGlobal(profile, awslambdaDisabled(layer.values)),
    openStrictCommonJs(),
    ...(clock ? [openVirtualTime()] : []),
  ];
  const boundary: EngineBoundary | undefined = hasEngineHooks()
    ? { phase: 'init', requestId: undefined, settings, environment }
    : undefined;
  if (boundary) emitBegins(boundary);
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
      logged = runtimeError(parsed.error.errorType, parsed.error.errorMessage, profile.generation);
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
          const pending = [value as PromiseLike<unknown>, timeout];
          if (clock)
            pending.push(driveVirtualInit(value as PromiseLike<unknown>, state, scope, clock, limit));
          loaded = await Promise.race(pending);
        } else loaded = value;
      } catch (err) {
        loadFailed = true;
        // process.exit / a fatal signal during a synchronous load: the runtime process died.
        if (err instanceof ProcessExitSignal && state.exitCode !== undefined)
          error = exitErrorPayload(undefined, state.exitCode);
        else ({ payload: error, logged } = mapLoadError(err, profile, parsed.moduleName));
      }
      if (loaded === TIMED_OUT) {
        status = 'timeout';
        error = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `Init phase timed out after ${((limit ?? 0) / 1000).toFixed(2)} seconds`,
        };
      } else if (!loadFailed) {
        // An async load (import()) gets one more turn so init-time rejections surface here.
        if (asyncLoad || state.work.hasTimers()) await hop();
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
              logged = runtimeError(found.error.errorType, found.error.errorMessage, profile.generation);
            }
          }
        }
        if (handler && hasMalformedStreamingMarker(handler, profile.generation)) {
          const err = malformedStreamingError();
          error = toErrorPayload(err, profile.generation);
          logged = err;
          handler = undefined;
        }
        if (handler && profile.rejectsCallbackArity && handler.length >= 3 && !isStreamingHandler(handler)) {
          const err = runtimeError(
            'Runtime.CallbackHandlerDeprecated',
            CALLBACK_DEPRECATED_MESSAGE,
            profile.generation,
          );
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
    if (boundary) emitEnds(boundary);
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
  // A kept environment is frozen until its first invocation; a failed or one-off one is dropped.
  const kept = req.environment !== undefined && !error && handler !== undefined;
  const pendingWork = kept ? environment.freeze() : collectAndClear(state.work, undefined);
  sink.closed = true;
  if (kept) environment.adopt(scope);
  else environment.dispose('reset');
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

function openStrictCommonJs(): () => void {
  enterStrictCommonJs();
  return exitStrictCommonJs;
}

/**
 * Stand-in handler of a nodejs24.x environment whose process is already dying (an error escaped
 * during init): the invocation it takes ends with the process's exit 1 (Runtime.ExitError).
 */
function exitsOnFirstInvoke(): Promise<never> {
  const state = invocationScope.getStore()?.state;
  if (state instanceof Run) state.onProcessDeath(1);
  return new Promise<never>(() => {});
}
