/**
 * Results the parent builds itself, for what the child cannot report: a child that never answers
 * (a synchronous infinite loop past the deadline: the parent kills it) and a child that dies.
 * Lines use the same formatters as the engine (text) or the same platform records (JSON).
 */
import type { ErrorPayload, ErrorResult, RuntimeName, TimeoutResult } from '../../invoke/result.js';
import { formatEndLine, formatReportLine, formatStartLine } from '../../logs/format.js';
import type { LogLine, ReportFields } from '../../logs/types.js';

const NO_PENDING = Object.freeze({ timers: 0, intervals: 0, immediates: 0, descriptions: [] as string[] });
const SIMULATED_MEMORY_USED_MB = 64;

function platformLine(text: string, requestId: string | undefined, at: number, json: boolean): LogLine {
  return {
    text,
    source: 'platform',
    level: undefined,
    requestId,
    message: text,
    json: json ? (JSON.parse(text) as Record<string, unknown>) : undefined,
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
  readonly logFormat: 'Text' | 'JSON';
  readonly coldStart: boolean;
  readonly initDurationMs: number | undefined;
  readonly initLogs: readonly LogLine[];
  readonly startedAt: number;
}

function frame(
  ctx: SyntheticContext,
  durationMs: number,
  status: 'timeout' | 'error',
  errorType: string | undefined,
  textMiddle: readonly string[],
): { logs: LogLine[]; report: ReportFields; billedDurationMs: number } {
  const billedDurationMs = Math.max(1, Math.ceil((ctx.initDurationMs ?? 0) + durationMs));
  const report: ReportFields = {
    requestId: ctx.requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB: ctx.memorySizeMB,
    maxMemoryUsedMB: Math.min(ctx.memorySizeMB, SIMULATED_MEMORY_USED_MB),
    initDurationMs: ctx.initDurationMs,
    status,
  };
  const end = ctx.startedAt + durationMs;
  const id = ctx.requestId;
  if (ctx.logFormat === 'JSON') {
    const record = (type: string, at: number, body: Record<string, unknown>) =>
      platformLine(JSON.stringify({ time: new Date(at).toISOString(), type, record: body }), id, at, true);
    const st = status === 'timeout' ? 'timeout' : 'failure';
    const extra = errorType ? { errorType } : {};
    const metrics = {
      durationMs,
      billedDurationMs,
      memorySizeMB: report.memorySizeMB,
      maxMemoryUsedMB: report.maxMemoryUsedMB,
      ...(ctx.initDurationMs !== undefined ? { initDurationMs: ctx.initDurationMs } : {}),
    };
    return {
      report,
      billedDurationMs,
      logs: [
        ...ctx.initLogs,
        record('platform.start', ctx.startedAt, { requestId: id, version: ctx.functionVersion }),
        record('platform.runtimeDone', end, {
          requestId: id,
          status: st,
          ...extra,
          metrics: { durationMs, producedBytes: 0 },
        }),
        record('platform.report', end, { requestId: id, metrics, status: st, ...extra }),
      ],
    };
  }
  const logs: LogLine[] = [
    ...ctx.initLogs,
    platformLine(formatStartLine(id, ctx.functionVersion), id, ctx.startedAt, false),
    ...textMiddle.map((t) => platformLine(t, id, end, false)),
    platformLine(formatEndLine(id), id, end, false),
    platformLine(formatReportLine({ ...report, errorType }), id, end, false),
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
