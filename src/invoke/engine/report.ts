/**
 * The one result and REPORT builder. Every path that ends an invocation (the in-process engine,
 * the suppressed-init retry in src/lifecycle/suppressed-init.ts, the isolated parent's synthetic
 * results in src/lifecycle/isolated/results.ts) frames it here: the closing platform lines (text:
 * timeout / exit lines, END, REPORT; JSON: platform.runtimeDone, platform.report), the REPORT
 * fields, the billed duration and the InvocationResult.
 */
import { formatEndLine, formatReportLine } from '../../logs/format.js';
import type { LogLine, ReportFields } from '../../logs/types.js';
import { JSON } from '../../runtime/intrinsics.js';
import type { ErrorPayload, InvocationResult, PendingWork, RuntimeName } from '../result.js';
import { platformJson, SIMULATED_MEMORY_USED_MB } from './common.js';
import { timedOutLine } from './deadline.js';

/**
 * How an invocation ended, as the closing lines need it: `exit` is a Runtime.ExitError (the
 * runtime process died), `init-error` an init failure reported inside the invocation (suppressed
 * init), `timeout` the function timeout.
 *
 * @example
 * const ending: Ending = { kind: 'error' };
 */
export type Ending =
  | { readonly kind: 'success'; readonly producedBytes: number }
  | { readonly kind: 'error' }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'exit'; readonly errorMessage: string }
  | { readonly kind: 'init-error'; readonly errorType: string };

/**
 * Input of {@link closeInvocation}.
 *
 * @example
 * const input: ClosingInput = { requestId, memorySizeMB: 128, logFormat: 'Text', durationMs: 12.3, initDurationMs: undefined, endEpochMs: Date.now(), ending: { kind: 'error' } };
 */
export interface ClosingInput {
  readonly requestId: string;
  readonly memorySizeMB: number;
  readonly logFormat: 'Text' | 'JSON';
  readonly durationMs: number;
  /** Init Duration shown in REPORT (on-demand cold start), also billed. */
  readonly initDurationMs: number | undefined;
  /** Billed but not shown (the first init of a suppressed-init invocation). Default 0. */
  readonly unreportedInitMs?: number;
  /** When the invocation ended (epoch ms on the invocation's clock): the timestamp of the lines. */
  readonly endEpochMs: number;
  readonly ending: Ending;
  /** JSON format: write platform.runtimeDone before platform.report. Default true. */
  readonly runtimeDone?: boolean;
}

/**
 * One closing platform line: its text, whether it is a JSON record, and its epoch ms.
 *
 * @example
 * const line: ClosingLine = { text: 'END RequestId: id', json: false, atEpochMs: Date.now() };
 */
export interface ClosingLine {
  readonly text: string;
  readonly json: boolean;
  readonly atEpochMs: number;
}

/**
 * The REPORT fields, billed duration and closing platform lines of one invocation.
 *
 * @example
 * const { report, lines } = closeInvocation({ requestId, memorySizeMB: 128, logFormat: 'Text', durationMs: 3000, initDurationMs: undefined, endEpochMs: Date.now(), ending: { kind: 'timeout', timeoutMs: 3000 } });
 * lines.map((l) => l.text); // ['… Task timed out after 3.00 seconds', 'END RequestId: …', 'REPORT RequestId: …']
 */
export function closeInvocation(input: ClosingInput): {
  readonly report: ReportFields;
  readonly billedDurationMs: number;
  readonly lines: readonly ClosingLine[];
} {
  const { requestId, ending, durationMs, endEpochMs: at } = input;
  const initMs = input.initDurationMs;
  const billedDurationMs = Math.max(1, Math.ceil((input.unreportedInitMs ?? 0) + (initMs ?? 0) + durationMs));
  const status =
    ending.kind === 'timeout'
      ? 'timeout'
      : ending.kind === 'exit' || ending.kind === 'init-error'
        ? 'error'
        : undefined;
  const report: ReportFields = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB: input.memorySizeMB,
    maxMemoryUsedMB: Math.min(input.memorySizeMB, SIMULATED_MEMORY_USED_MB),
    initDurationMs: initMs,
    status,
  };
  const errorType =
    ending.kind === 'exit'
      ? 'Runtime.ExitError'
      : ending.kind === 'init-error'
        ? ending.errorType
        : undefined;
  const lines: ClosingLine[] = [];
  if (input.logFormat === 'JSON') {
    const st =
      ending.kind === 'success'
        ? 'success'
        : ending.kind === 'timeout'
          ? 'timeout'
          : ending.kind === 'exit'
            ? 'failure'
            : 'error';
    const typeField = errorType !== undefined ? { errorType } : {};
    if (input.runtimeDone ?? true) {
      lines.push({
        text: platformJson(
          'platform.runtimeDone',
          {
            requestId,
            status: st,
            ...typeField,
            metrics: { durationMs, producedBytes: ending.kind === 'success' ? ending.producedBytes : 0 },
          },
          at,
        ),
        json: true,
        atEpochMs: at,
      });
    }
    lines.push({
      text: platformJson(
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
          ...typeField,
        },
        at,
      ),
      json: true,
      atEpochMs: at,
    });
    return { report, billedDurationMs, lines };
  }
  if (ending.kind === 'timeout')
    lines.push({ text: timedOutLine(requestId, ending.timeoutMs, at), json: false, atEpochMs: at });
  else if (ending.kind === 'exit') {
    lines.push({ text: ending.errorMessage, json: false, atEpochMs: at });
    lines.push({ text: 'Runtime.ExitError', json: false, atEpochMs: at });
  }
  lines.push({ text: formatEndLine(requestId), json: false, atEpochMs: at });
  lines.push({ text: formatReportLine({ ...report, errorType }), json: false, atEpochMs: at });
  return { report, billedDurationMs, lines };
}

/**
 * What an InvocationResult is built from.
 *
 * @example
 * const input: ResultInput = { outcome: { kind: 'error', error, phase: 'invoke' }, requestId, functionName: 'fn', runtime: 'nodejs22.x', coldStart: false, durationMs: 1, billedDurationMs: 1, initDurationMs: undefined, logs, report, pendingWork };
 */
export interface ResultInput {
  readonly outcome:
    | { readonly kind: 'success'; readonly json: string }
    | { readonly kind: 'error'; readonly error: ErrorPayload; readonly phase: 'init' | 'invoke' }
    | { readonly kind: 'timeout'; readonly error: ErrorPayload };
  readonly requestId: string;
  readonly functionName: string;
  readonly runtime: RuntimeName;
  readonly coldStart: boolean;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly initDurationMs: number | undefined;
  readonly logs: readonly LogLine[];
  readonly report: ReportFields;
  readonly pendingWork: PendingWork;
}

/**
 * The InvocationResult value (built field by field: this runs once per invocation).
 *
 * @example
 * const result = buildResult({ outcome: { kind: 'success', json: '{"ok":true}' }, ...rest });
 * result.outcome; // 'success'
 */
export function buildResult(input: ResultInput): InvocationResult {
  const o = input.outcome;
  if (o.kind === 'success') {
    return {
      outcome: 'success',
      response: JSON.parse(o.json),
      responseJson: o.json,
      requestId: input.requestId,
      functionName: input.functionName,
      runtime: input.runtime,
      coldStart: input.coldStart,
      durationMs: input.durationMs,
      billedDurationMs: input.billedDurationMs,
      initDurationMs: input.initDurationMs,
      logs: input.logs,
      report: input.report,
      pendingWork: input.pendingWork,
    } as InvocationResult;
  }
  if (o.kind === 'timeout') {
    return {
      outcome: 'timeout',
      error: o.error,
      requestId: input.requestId,
      functionName: input.functionName,
      runtime: input.runtime,
      coldStart: input.coldStart,
      durationMs: input.durationMs,
      billedDurationMs: input.billedDurationMs,
      initDurationMs: input.initDurationMs,
      logs: input.logs,
      report: input.report,
      pendingWork: input.pendingWork,
    };
  }
  return {
    outcome: 'error',
    error: o.error,
    phase: o.phase,
    requestId: input.requestId,
    functionName: input.functionName,
    runtime: input.runtime,
    coldStart: input.coldStart,
    durationMs: input.durationMs,
    billedDurationMs: input.billedDurationMs,
    initDurationMs: input.initDurationMs,
    logs: input.logs,
    report: input.report,
    pendingWork: input.pendingWork,
  };
}
