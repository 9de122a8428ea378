/**
 * The invoke step: one event through a resolved handler, from the START line to the result.
 * Reads top to bottom: request payload, runtime env and scope, start the handler (run.ts), drive
 * the simulated event loop until the invocation completes (drive), then frame the result
 * (report.ts).
 */
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import { HarnessError } from '../../errors/index.js';
import { createLogSink, enterCapture, exitCapture, type LogSink, logRawLine } from '../../logs/capture.js';
import { CapturedLine, formatStartLine } from '../../logs/format.js';
import type { LogLine, ReportFields } from '../../logs/types.js';
import { type CognitoIdentityInput, createLambdaContext } from '../../runtime/context.js';
import { enterEnvScope, exitEnvScope } from '../../runtime/env.js';
import { newRequestId, newTraceId } from '../../runtime/ids.js';
import { Buffer, JSON, Promise } from '../../runtime/intrinsics.js';
import { MAX_SYNC_PAYLOAD_BYTES } from '../../runtime/profiles.js';
import { type InvocationScope, invocationScope } from '../../runtime/scope.js';
import { enterAwslambdaGlobal, exitAwslambdaGlobal, isStreamingHandler } from '../awslambda-global.js';
import { settleContainment } from '../containment/index.js';
import { enterGuard, exitGuard } from '../guard.js';
import type { ErrorPayload, InvocationResult, PendingWork } from '../result.js';
import type { FunctionSettings } from '../settings-core.js';
import { type StreamingInvocation, startStreaming } from '../streaming.js';
import { clockReader, createVirtualClock, nextTimerAt, openVirtualTime } from '../virtual-time.js';
import {
  awslambdaDisabled,
  hop,
  NO_PENDING,
  outside,
  perfNow,
  platformJson,
  realDateNow,
  round2,
} from './common.js';
import { armDeadline, type ClockOption, type RealDeadline } from './deadline.js';
import { createEnvironment, type EngineEnvironment, type EngineEnvironmentView } from './environment.js';
import { type EngineBoundary, emitBegins, emitEnds, hasEngineHooks } from './hooks.js';
import { initEnvLayer } from './init.js';
import { collectAndClear, describePending, withVirtualTimers } from './pending.js';
import { buildResult, closeInvocation } from './report.js';
import { type Completion, Run, startV3, startV4 } from './run.js';

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
  /** The execution environment (its init's and earlier invocations' pending work); default a new one. */
  readonly environment?: EngineEnvironmentView;
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

  // Environments come from createEnvironment: the view is the engine's class.
  const environment =
    (req.environment as EngineEnvironment | undefined) ?? createEnvironment('invocation', { oneOff: true });
  // A kept environment's virtual clock runs on while it is frozen (what fell due runs at the thaw).
  const clock =
    req.clock?.mode === 'virtual'
      ? req.environment
        ? environment.clockFor(req.clock.startMs)
        : createVirtualClock(req.clock.startMs ?? realDateNow())
      : undefined;
  const now = clock ? clockReader(clock) : realDateNow;
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

  environment.bind(settings);
  const run = new Run(profile, requestId, sink, now, environment);
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

  const startPerf = perfNow();
  let deadlineTimer: RealDeadline | undefined;
  let boundary: EngineBoundary | undefined;
  let streaming: StreamingInvocation | undefined;
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
    boundary = hasEngineHooks() ? { phase: 'invoke', requestId, settings, environment } : undefined;
    if (boundary) emitBegins(boundary);
    if (boundary) run.onSettled = settleContainment.bind(undefined, boundary);
    // Thaw: what fell due while the environment was frozen runs first, inside this invocation.
    if (environment.needsThaw) await environment.thaw(run);
    else environment.thawNow(run);
    if (!run.done) {
      invocationScope.run(scope, () => {
        if (isStreamingHandler(handler)) {
          const elapsed = clock ? () => clock.now - startEpoch : () => perfNow() - startPerf;
          streaming = startStreaming(
            run,
            handler,
            event,
            (legacy) => createLambdaContext({ ...ctxInput, legacy }),
            elapsed,
          );
          run.holdsOpen = streaming.open;
        } else if (profile.callbacks)
          startV3(run, handler, event, (legacy) => createLambdaContext({ ...ctxInput, legacy }));
        else startV4(run, handler, event, createLambdaContext(ctxInput));
      });
    }

    // A handler that answers within microtasks (no I/O, no timer) is done after one microtask
    // turn and needs no deadline timer; one that is not gets it, due at the same instant.
    if (!run.done) await Promise.resolve();
    if (!run.done) {
      if (!clock) {
        deadlineTimer = armDeadline(run, startPerf + settings.timeoutMs);
      }
      await drive(run, deadline);
    }
    // Let microtasks and one macrotask turn run: v4 posts after setImmediate, and a rejection
    // floating right after the response still kills a v3 process (caller sees success, env resets).
    // After a timeout the environment is reset anyway: report at once.
    if (run.completion?.kind !== 'timeout' && !run.turnAfterCompletion) await hop();
  } catch (err) {
    run.finalized = true;
    if (boundary) emitEnds(boundary);
    leaveInvocation(sink, closeVirtual, awslambdaEntered);
    throw err;
  } finally {
    deadlineTimer?.disarm();
  }

  const completion = run.completion as Completion;
  if (boundary) emitEnds(boundary);
  // Freeze: the environment keeps its work until its next invocation. A one-off environment
  // (no environment given) drops it; a reset (timeout, crash, exit) replaces the process.
  let pendingWork: PendingWork;
  if (req.environment === undefined) {
    pendingWork = collectAndClear(run.work, clock);
    environment.dispose('disposed');
  } else if (run.resetReason !== undefined) {
    pendingWork = withVirtualTimers(describePending(run.work, requestId), clock);
    environment.dispose('reset');
  } else pendingWork = environment.freeze(requestId);
  run.finalized = true;

  const durationMs =
    completion.kind === 'timeout'
      ? settings.timeoutMs
      : round2(clock ? run.endClock - startEpoch : run.endPerf - startPerf);
  const endEpochMs = completion.kind === 'timeout' ? deadline : clock ? run.endClock : realDateNow();
  const { report, billedDurationMs, lines } = closeInvocation({
    requestId,
    memorySizeMB: settings.memorySizeMB,
    logFormat: settings.logFormat,
    durationMs,
    initDurationMs,
    endEpochMs,
    ending:
      completion.kind === 'success'
        ? { kind: 'success', producedBytes: Buffer.byteLength(completion.json) }
        : completion.kind === 'timeout'
          ? { kind: 'timeout', timeoutMs: settings.timeoutMs }
          : completion.kind === 'exit'
            ? { kind: 'exit', errorMessage: completion.payload.errorMessage }
            : { kind: 'error' },
  });
  for (const line of lines) logRawLine(sink, 'platform', line.text, 'stdout', line.json);
  leaveInvocation(sink, closeVirtual, awslambdaEntered);
  environment.adopt(scope);

  const built = buildResult({
    outcome:
      completion.kind === 'success'
        ? completion
        : completion.kind === 'timeout'
          ? { kind: 'timeout', error: completion.payload }
          : { kind: 'error', error: completion.payload, phase: 'invoke' },
    requestId,
    functionName: settings.functionName,
    runtime: profile.name,
    coldStart,
    durationMs,
    billedDurationMs,
    initDurationMs,
    logs: sink.lines,
    report,
    pendingWork,
  });
  const result = streaming ? streaming.attach(built) : built;
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

function sleepOrWake(run: Run, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = outside(() => realSetTimeout(resolve, ms));
    run.whenDone().then(() => {
      realClearTimeout(t);
      resolve();
    });
  });
}

async function drive(run: Run, deadline: number): Promise<void> {
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
    if (run.loopAlive()) {
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
        run.expire();
        break;
      }
    }
    // Nothing pending: confirm over one more turn, then the loop has drained.
    await hop();
    if (run.done) break;
    if (!run.loopAlive() && (!clock || nextTimerAt(clock) === undefined)) run.onDrain();
  }
}
