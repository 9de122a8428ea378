/**
 * Results the parent builds itself, for what the child cannot report: a child that never answers
 * (a synchronous infinite loop past the deadline: the parent kills it) and a child that dies.
 * Lines use the same formatters as the engine (text) or the same platform records (JSON).
 */

import {
  buildResult,
  closeInvocation,
  type Ending,
  type InitOutcome,
  timeoutPayload,
} from '../../invoke/index.js';
import type { ErrorPayload, ErrorResult, RuntimeName, TimeoutResult } from '../../invoke/result.js';
import { formatStartLine } from '../../logs/format.js';
import type { LogLine, ReportFields } from '../../logs/types.js';
import { runtimeExitReason } from '../../runtime/exit-reason.js';
import type { InitReplyMessage } from './protocol.js';

const NO_PENDING = Object.freeze({ timers: 0, intervals: 0, immediates: 0, descriptions: [] as string[] });

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
  ending: Ending,
): { logs: LogLine[]; report: ReportFields; billedDurationMs: number } {
  const json = ctx.logFormat === 'JSON';
  const id = ctx.requestId;
  const closing = closeInvocation({
    requestId: id,
    memorySizeMB: ctx.memorySizeMB,
    logFormat: ctx.logFormat,
    durationMs,
    initDurationMs: ctx.initDurationMs,
    endEpochMs: ctx.startedAt + durationMs,
    ending,
  });
  const start = json
    ? JSON.stringify({
        time: new Date(ctx.startedAt).toISOString(),
        type: 'platform.start',
        record: { requestId: id, version: ctx.functionVersion },
      })
    : formatStartLine(id, ctx.functionVersion);
  const logs: LogLine[] = [
    ...ctx.initLogs,
    platformLine(start, id, ctx.startedAt, json),
    ...closing.lines.map((l) => platformLine(l.text, id, l.atEpochMs, l.json)),
  ];
  return { logs, report: closing.report, billedDurationMs: closing.billedDurationMs };
}

/**
 * The result of an invocation the parent had to kill at its deadline (the handler blocked the
 * event loop, so the child's own timeout could not fire).
 *
 * @example
 * const r = killedAtDeadline(ctx, 3000); // outcome 'timeout', Sandbox.Timedout
 */
export function killedAtDeadline(ctx: SyntheticContext, timeoutMs: number): TimeoutResult {
  const { logs, report, billedDurationMs } = frame(ctx, timeoutMs, { kind: 'timeout', timeoutMs });
  return buildResult({
    outcome: { kind: 'timeout', error: timeoutPayload(ctx.requestId, timeoutMs) },
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
  }) as TimeoutResult;
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
  const reason = runtimeExitReason(signal ?? code ?? 1);
  const error: ErrorPayload = {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${ctx.requestId} Error: ${reason}`,
  };
  const d = Math.round(durationMs * 100) / 100;
  const { logs, report, billedDurationMs } = frame(ctx, d, {
    kind: 'exit',
    errorMessage: error.errorMessage,
  });
  return buildResult({
    outcome: { kind: 'error', error, phase: 'invoke' },
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
  }) as ErrorResult;
}

/**
 * The engine's init outcome for a failed init reported by a child process or worker.
 *
 * @example
 * const outcome = failedOutcome(init); // init.ok === false
 */
export function failedOutcome(init: InitReplyMessage): InitOutcome & { ok: false } {
  return {
    ok: false,
    error: init.error ?? { errorType: 'Runtime.Unknown', errorMessage: 'init failed' },
    status: init.status ?? 'error',
    initDurationMs: init.initDurationMs,
    logs: init.logs,
    pendingWork: init.pendingWork,
  };
}
