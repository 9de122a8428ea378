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
import type { LogLine } from '../logs/types.js';
import { newRequestId } from '../runtime/ids.js';
import { type ChildExit, type InvokeExtras, IsolatedChild } from './isolated/instance.js';
import type { InitReplyMessage, InvokeReplyMessage } from './isolated/protocol.js';
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
}

/** Handler stand-in for an instance whose handler lives in another thread or process. */
export const REMOTE_HANDLER: Function = function remoteHandler() {
  return undefined;
};

/**
 * Starts an environment and runs init in it. A failed init's environment is already ended.
 *
 * @example
 * const { env, outcome } = await initRemote(remote, place);
 * if (outcome.ok) instance.remote = env;
 */
export async function initRemote(
  remote: RemoteHandlerConfig,
  place: EnvironmentPlace,
): Promise<{ env: RemoteEnvironment | undefined; outcome: InitOutcome }> {
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
  };
  const env: RemoteEnvironment =
    remote.kind === 'worker' ? await WorkerEnvironment.start(spec) : await IsolatedChild.start(spec);
  const init = env.init;
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
 * const outcome = await invokeRemote(env, settings, request);
 * if (outcome.resetRequired) env.kill();
 */
export async function invokeRemote(
  env: RemoteEnvironment,
  settings: FunctionSettings,
  req: Omit<InvokeRequest, 'handler'>,
): Promise<InvokeOutcome> {
  const requestId = req.requestId ?? newRequestId();
  const coldStart = req.coldStart ?? false;
  const startedAt = Date.now();
  const extra: InvokeExtras = {
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
