/**
 * The `worker` and `process` environments seen from the function layer: start one environment
 * (a worker thread or a child process) and run the engine's two steps in it, translating what only
 * the parent can see (a deadline missed by a blocked thread, a death) into Lambda's reports.
 */
import { HarnessError } from '../errors/index.js';
import type {
  ClockOption,
  FunctionSettings,
  InitOutcome,
  InvokeOutcome,
  InvokeRequest,
} from '../invoke/index.js';
import type { PendingWork } from '../invoke/result.js';
import type { LogLine } from '../logs/types.js';
import { newRequestId } from '../runtime/ids.js';
import { type ChildExit, type InvokeExtras, IsolatedChild } from './isolated/instance.js';
import type { FrozenState, InitReplyMessage, InvokeReplyMessage } from './isolated/protocol.js';
import { failedOutcome, killedAtDeadline, processDied } from './isolated/results.js';
import type { RemoteHandlerConfig } from './options.js';
import { WorkerEnvironment } from './worker/host.js';

/**
 * One live environment outside the runner.
 *
 * @example
 * const env = await startRemoteEnvironment(remote, { logStreamName, tmpDir, initializationType: 'on-demand' });
 */
export interface RemoteEnvironment {
  readonly init: InitReplyMessage;
  readonly alive: boolean;
  /** What it wrote outside captured invocations (crash prints). */
  readonly output: string;
  invoke(
    event: unknown,
    requestId: string,
    deadlineMs: number,
    clock?: ClockOption,
    initLogs?: readonly LogLine[],
    onStream?: undefined,
    extra?: InvokeExtras,
  ): Promise<
    InvokeReplyMessage | ChildExit | { type: 'deadline' } | { type: 'failure'; message: string; code: string }
  >;
  kill(): void;
}

/**
 * Where one environment lives: kept across resets (same /tmp, same log stream).
 *
 * @example
 * const place: EnvironmentPlace = { logStreamName: '2024/01/01/[$LATEST]abc', tmpDir: '/tmp/x/tmp', initializationType: 'on-demand' };
 */
export interface EnvironmentPlace {
  readonly logStreamName: string;
  readonly tmpDir: string;
  readonly initializationType: 'on-demand' | 'provisioned-concurrency';
  readonly initTimeoutMs?: number;
  /** The init's clock: on the virtual clock init runs on the environment's virtual clock. */
  readonly clock?: ClockOption;
}

/**
 * What the function layer keeps of an instance's worker or process environment while it is frozen,
 * across its resets, as the runner keeps its in-process environment: the time of its virtual clock
 * (where the next environment's clock starts after a reset), the virtual idle time passed since its
 * last invocation (handed over at the thaw), and what ending it now drops (it is ended without
 * being asked: nothing of it runs while frozen, so its last reply still says).
 *
 * @example
 * const frozen = new RemoteFreezeState();
 * frozen.passVirtualIdle(60_000); // counted once the environment has a virtual clock
 */
export class RemoteFreezeState {
  #virtualNow: number | undefined;
  #idleMs = 0;
  #dropped: PendingWork | undefined;

  /** Epoch ms of the environment's virtual clock; undefined while it has none. */
  get virtualNow(): number | undefined {
    return this.#virtualNow;
  }

  /** What ending the environment now drops (what its reset dropped); undefined when nothing. */
  get dropped(): PendingWork | undefined {
    return this.#dropped;
  }

  /** Virtual time passes while the environment is frozen (`passIdleTime`), once it has a virtual clock. */
  passVirtualIdle(ms: number): void {
    if (this.#virtualNow !== undefined) this.#idleMs += ms;
  }

  /** The idle time to hand over with the next invocation (it then counts from zero again). */
  takeIdle(): number {
    const ms = this.#idleMs;
    this.#idleMs = 0;
    return ms;
  }

  /** The environment answered and is frozen as its reply says (a new one after an init). */
  frozen(state: FrozenState | undefined, started: boolean): void {
    if (started) this.#idleMs = 0;
    if (state === undefined) {
      // Gone without a report (killed at its deadline, died): its work went with it, unknown.
      this.#dropped = undefined;
      return;
    }
    this.#virtualNow = state.virtualNow;
    this.#dropped = state.dropped;
  }
}

/** Handler stand-in for an instance whose handler lives in another thread or process. */
export const REMOTE_HANDLER: Function = function remoteHandler() {
  return undefined;
};

/**
 * Starts an environment and runs init in it. A failed init's environment is already ended.
 *
 * @example
 * const { env, outcome } = await initRemote(remote, place, new RemoteFreezeState());
 * if (outcome.ok) instance.remote = env;
 */
export async function initRemote(
  remote: RemoteHandlerConfig,
  place: EnvironmentPlace,
  freeze: RemoteFreezeState,
): Promise<{ env: RemoteEnvironment | undefined; outcome: InitOutcome }> {
  // The instance's virtual timeline goes on across a reset (only the runtime is new).
  const virtualStart = freeze.virtualNow;
  const spec = {
    file: remote.file,
    exportPath: remote.exportPath,
    functionOptions: remote.functionOptions,
    ...(remote.setup !== undefined ? { setup: remote.setup } : {}),
    logStreamName: place.logStreamName,
    tmpDir: place.tmpDir,
    initializationType: place.initializationType,
    freeze: true,
    ...(place.initTimeoutMs !== undefined ? { initTimeoutMs: place.initTimeoutMs } : {}),
    ...(place.clock?.mode === 'virtual' ? { clock: place.clock } : {}),
    ...(virtualStart !== undefined ? { virtualStart } : {}),
  };
  const env: RemoteEnvironment =
    remote.kind === 'worker' ? await WorkerEnvironment.start(spec) : await IsolatedChild.start(spec);
  const init = env.init;
  freeze.frozen(init.frozen, true);
  if (init.ok) {
    return {
      env,
      outcome: {
        ok: true,
        handler: REMOTE_HANDLER,
        initDurationMs: init.initDurationMs,
        logs: init.logs,
        pendingWork: init.pendingWork,
      },
    };
  }
  env.kill();
  return {
    env: undefined,
    outcome: failedOutcome(init),
  };
}

/**
 * Runs one invocation in the environment: the engine's invoke step there, or the report Lambda
 * gives when the parent had to end it (deadline missed by a blocked thread) or it died.
 *
 * @example
 * const outcome = await invokeRemote(env, settings, request, instanceFreezeState);
 * if (outcome.resetRequired) env.kill();
 */
export async function invokeRemote(
  env: RemoteEnvironment,
  settings: FunctionSettings,
  req: Omit<InvokeRequest, 'handler'>,
  freeze: RemoteFreezeState,
): Promise<InvokeOutcome> {
  const requestId = req.requestId ?? newRequestId();
  const coldStart = req.coldStart ?? false;
  const startedAt = Date.now();
  const idleMs = freeze.takeIdle();
  const extra: InvokeExtras = {
    ...(idleMs > 0 ? { idleMs } : {}),
    reportInitDuration: req.initDurationMs !== undefined,
    ...(req.traceId !== undefined ? { traceId: req.traceId } : {}),
    ...(req.identity !== undefined ? { identity: req.identity } : {}),
    ...(req.clientContext !== undefined ? { clientContext: req.clientContext } : {}),
    ...(req.tenantId !== undefined ? { tenantId: req.tenantId } : {}),
  };
  const reply = await env.invoke(
    req.event,
    requestId,
    settings.timeoutMs,
    req.clock,
    coldStart ? req.initLogs : undefined,
    undefined,
    extra,
  );
  freeze.frozen(reply.type === 'invoke-done' ? reply.frozen : undefined, false);
  if (reply.type === 'invoke-done') {
    return {
      result: reply.result,
      resetRequired: reply.resetRequired,
      resetReason: reply.resetReason,
      pendingWork: reply.result.pendingWork ?? { timers: 0, intervals: 0, immediates: 0, descriptions: [] },
    };
  }
  if (reply.type === 'failure') {
    env.kill();
    throw new HarnessError('INTERNAL', `execution environment failed: ${reply.message.split('\n')[0]}`);
  }
  env.kill();
  const ctx = {
    requestId,
    functionName: settings.functionName,
    functionVersion: settings.functionVersion,
    runtime: settings.profile.name,
    memorySizeMB: settings.memorySizeMB,
    logFormat: settings.logFormat,
    coldStart,
    initDurationMs: req.initDurationMs,
    initLogs: coldStart ? (req.initLogs ?? env.init.logs) : [],
    startedAt,
  };
  const result =
    reply.type === 'deadline'
      ? killedAtDeadline(ctx, settings.timeoutMs)
      : processDied(ctx, Date.now() - startedAt, reply.code, reply.signal);
  return {
    result,
    resetRequired: true,
    resetReason: reply.type === 'deadline' ? 'timeout' : 'exit',
    pendingWork: result.pendingWork ?? { timers: 0, intervals: 0, immediates: 0, descriptions: [] },
  };
}
