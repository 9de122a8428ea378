/**
 * Results the parent builds itself, for what the child cannot report: a child that never answers
 * (a synchronous infinite loop past the deadline: the parent kills it), a child that dies, and an
 * invocation of an environment whose init failed. Lines use the same formatters as the engine.
 */
import type { ErrorPayload, ErrorResult, RuntimeName, TimeoutResult } from '../../invoke/result.js';
import { formatEndLine, formatReportLine, formatStartLine } from '../../logs/format.js';
import type { LogLine, ReportFields } from '../../logs/types.js';

const NO_PENDING = Object.freeze({ timers: 0, intervals: 0, immediates: 0, descriptions: [] as string[] });

function platformLine(text: string, requestId: string | undefined, at: number): LogLine {
  return {
    text,
    source: 'platform',
    level: undefined,
    requestId,
    message: text,
    json: undefined,
    timestamp: new Date(at).toISOString(),
    stream: 'stdout',
  };
}

/** What every synthetic result needs to know about the function. */
export interface SyntheticContext {
  readonly requestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly runtime: RuntimeName;
  readonly memorySizeMB: number;
  readonly coldStart: boolean;
  readonly initDurationMs: number | undefined;
  readonly initLogs: readonly LogLine[];
  readonly startedAt: number;
}

function frame(
  ctx: SyntheticContext,
  durationMs: number,
  status: string,
  errorType: string | undefined,
  middle: readonly string[],
): { logs: LogLine[]; report: ReportFields; billedDurationMs: number } {
  const billedDurationMs = Math.max(1, Math.ceil((ctx.initDurationMs ?? 0) + durationMs));
  const report: ReportFields = {
    requestId: ctx.requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB: ctx.memorySizeMB,
    maxMemoryUsedMB: Math.min(ctx.memorySizeMB, 64),
    initDurationMs: ctx.initDurationMs,
    status,
  };
  const end = ctx.startedAt + durationMs;
  const logs: LogLine[] = [
    ...ctx.initLogs,
    platformLine(formatStartLine(ctx.requestId, ctx.functionVersion), ctx.requestId, ctx.startedAt),
    ...middle.map((t) => platformLine(t, ctx.requestId, end)),
    platformLine(formatEndLine(ctx.requestId), ctx.requestId, end),
    platformLine(formatReportLine({ ...report, errorType }), ctx.requestId, end),
  ];
  return { logs, report, billedDurationMs };
}

/**
 * The result of an invocation the parent had to kill at its deadline (the handler blocked the
 * event loop, so the child's own timeout could not fire).
 *
 * @example
 * const r = killedAtDeadline(ctx, 3000); // outcome 'timeout', Sandbox.Timedout
 */
export function killedAtDeadline(ctx: SyntheticContext, timeoutMs: number): TimeoutResult {
  const seconds = (timeoutMs / 1000).toFixed(2);
  const error: ErrorPayload = {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${ctx.requestId} Error: Task timed out after ${seconds} seconds`,
  };
  const line = `${new Date(ctx.startedAt + timeoutMs).toISOString()} ${ctx.requestId} Task timed out after ${seconds} seconds`;
  const { logs, report, billedDurationMs } = frame(ctx, timeoutMs, 'timeout', undefined, [line]);
  return {
    outcome: 'timeout',
    requestId: ctx.requestId,
    functionName: ctx.functionName,
    runtime: ctx.runtime,
    coldStart: ctx.coldStart,
    durationMs: timeoutMs,
    billedDurationMs,
    initDurationMs: ctx.initDurationMs,
    logs,
    report,
    pendingWork: NO_PENDING,
    error,
  };
}

/**
 * The result of an invocation during which the child process died (Runtime.ExitError).
 *
 * @example
 * const r = processDied(ctx, 12.5, 1, null); // "Runtime exited with error: exit status 1"
 */
export function processDied(
  ctx: SyntheticContext,
  durationMs: number,
  code: number | null,
  signal: NodeJS.Signals | null,
): ErrorResult {
  const reason =
    signal !== null
      ? `Runtime exited with error: signal: ${signal === 'SIGKILL' ? 'killed' : signal}`
      : code === 0
        ? 'Runtime exited without providing a reason'
        : `Runtime exited with error: exit status ${code ?? 1}`;
  const error: ErrorPayload = {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${ctx.requestId} Error: ${reason}`,
  };
  const d = Math.round(durationMs * 100) / 100;
  const { logs, report, billedDurationMs } = frame(ctx, d, 'error', 'Runtime.ExitError', [
    error.errorMessage,
    'Runtime.ExitError',
  ]);
  return {
    outcome: 'error',
    phase: 'invoke',
    requestId: ctx.requestId,
    functionName: ctx.functionName,
    runtime: ctx.runtime,
    coldStart: ctx.coldStart,
    durationMs: d,
    billedDurationMs,
    initDurationMs: ctx.initDurationMs,
    logs,
    report,
    pendingWork: NO_PENDING,
    error,
  };
}

/**
 * The result an invoker receives when the environment's init failed: the init error payload,
 * with the init phase's lines (INIT_START, the runtime's error line, INIT_REPORT) before START.
 *
 * @example
 * const r = initFailed(ctx, { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
 */
export function initFailed(ctx: SyntheticContext, error: ErrorPayload): ErrorResult {
  const { logs, report, billedDurationMs } = frame(ctx, 0, 'error', error.errorType, []);
  return {
    outcome: 'error',
    phase: 'init',
    requestId: ctx.requestId,
    functionName: ctx.functionName,
    runtime: ctx.runtime,
    coldStart: true,
    durationMs: 0,
    billedDurationMs,
    initDurationMs: ctx.initDurationMs,
    logs,
    report,
    pendingWork: NO_PENDING,
    error,
  };
}
