/**
 * The "suppressed init": when an on-demand init fails or times out, Lambda retries init at the
 * first invocation, inside that invocation and under the function timeout (telemetry reports the
 * retry as phase `invoke`). This file shapes the logs and the result of that case.
 */
import type { FunctionSettings, InitOutcome } from '../invoke/index.js';
import type { ErrorResult, PendingWork, TimeoutResult } from '../invoke/result.js';
import { createLogSink, logRawLine } from '../logs/capture.js';
import { CapturedLine, formatEndLine, formatReportLine, formatStartLine } from '../logs/format.js';
import type { LogLine, ReportFields } from '../logs/types.js';
import { newRequestId } from '../runtime/ids.js';
import { RealDate, realDateNow } from '../runtime/real-clock.js';

const SIMULATED_MEMORY_USED_MB = 64;

function isInitStart(line: LogLine): boolean {
  return (
    line.source === 'platform' &&
    (line.text.startsWith('INIT_START ') || line.text.includes('"type":"platform.initStart"'))
  );
}

/** The retry's lines as they appear inside the invocation: no second INIT_START, INIT_REPORT in phase invoke. */
function retryLines(lines: readonly LogLine[], json: boolean): LogLine[] {
  const out: LogLine[] = [];
  for (const line of lines) {
    if (isInitStart(line)) continue;
    if (
      line.source === 'platform' &&
      (line.text.startsWith('INIT_REPORT ') || line.text.includes('platform.initReport'))
    ) {
      const text = line.text
        .replace('\tPhase: init\t', '\tPhase: invoke\t')
        .replace('"phase":"init"', '"phase":"invoke"');
      out.push(
        new CapturedLine(
          text,
          line.source,
          line.level,
          line.requestId,
          text,
          line.timestamp,
          line.stream,
          json,
        ),
      );
    } else out.push(line);
  }
  return out;
}

/**
 * Put the suppressed init's lines where Lambda logs them: after the invocation's START line.
 *
 * @example
 * placeSuppressedInitLogs(result.logs, first.logs, retry.logs);
 */
export function placeSuppressedInitLogs(
  logs: readonly LogLine[],
  firstInitLogs: readonly LogLine[],
  retryLogs: readonly LogLine[],
): LogLine[] {
  const n = firstInitLogs.length;
  const json = logs[n]?.text.startsWith('{') ?? false;
  return [...logs.slice(0, n + 1), ...retryLines(retryLogs, json), ...logs.slice(n + 1)];
}

/**
 * Sum two pending-work reports (init-time timers plus invoke-time timers).
 *
 * @example
 * mergePendingWork(init.pendingWork, result.pendingWork).timers;
 */
export function mergePendingWork(a: PendingWork, b: PendingWork): PendingWork {
  return {
    timers: a.timers + b.timers,
    intervals: a.intervals + b.intervals,
    immediates: a.immediates + b.immediates,
    descriptions: [...a.descriptions.map((d) => `${d} (scheduled during init)`), ...b.descriptions],
  };
}

/**
 * The result of an invocation whose init failed twice (the init phase and its retry inside the
 * invocation): the invoker gets the retry's error payload (or a timeout when the retry exceeded the
 * function timeout), and the REPORT line carries the Status and Error Type.
 *
 * @example
 * const result = initFailureResult({ settings, first, retry });
 * result.outcome; // 'error' (phase 'init') or 'timeout'
 */
export function initFailureResult(input: {
  settings: FunctionSettings;
  first: InitOutcome & { ok: false };
  retry: InitOutcome & { ok: false };
  requestId?: string;
}): ErrorResult | TimeoutResult {
  const { settings, first, retry } = input;
  const requestId = input.requestId ?? newRequestId();
  const json = settings.logFormat === 'JSON';
  const timedOut = retry.status === 'timeout';
  const durationMs = timedOut ? settings.timeoutMs : retry.initDurationMs;
  const billedDurationMs = Math.max(1, Math.ceil(first.initDurationMs + durationMs));
  const error = timedOut
    ? {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(settings.timeoutMs / 1000).toFixed(2)} seconds`,
      }
    : retry.error;
  const status = timedOut ? 'timeout' : 'error';
  const report: ReportFields = {
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMB: settings.memorySizeMB,
    maxMemoryUsedMB: Math.min(settings.memorySizeMB, SIMULATED_MEMORY_USED_MB),
    initDurationMs: undefined,
    status,
  };
  const sink = createLogSink({
    requestId,
    initRequestIdText: settings.profile.initRequestIdText,
    format: settings.logFormat,
    level: settings.logLevel,
    echo: settings.echo,
    now: realDateNow,
  });
  const platform = (type: string, record: Record<string, unknown>) =>
    logRawLine(
      sink,
      'platform',
      JSON.stringify({ time: new RealDate(realDateNow()).toISOString(), type, record }),
      'stdout',
      true,
    );
  const lines: LogLine[] = [...first.logs];
  if (json) platform('platform.start', { requestId, version: settings.functionVersion });
  else logRawLine(sink, 'platform', formatStartLine(requestId, settings.functionVersion), 'stdout');
  lines.push(...sink.lines.splice(0));
  lines.push(...retryLines(retry.logs, json));
  if (json) {
    platform('platform.report', {
      requestId,
      metrics: {
        durationMs,
        billedDurationMs,
        memorySizeMB: report.memorySizeMB,
        maxMemoryUsedMB: report.maxMemoryUsedMB,
      },
      status,
      ...(timedOut ? {} : { errorType: retry.error.errorType }),
    });
  } else {
    if (timedOut) {
      logRawLine(
        sink,
        'platform',
        `${new RealDate(realDateNow()).toISOString()} ${requestId} Task timed out after ${(settings.timeoutMs / 1000).toFixed(2)} seconds`,
        'stdout',
      );
    }
    logRawLine(sink, 'platform', formatEndLine(requestId), 'stdout');
    logRawLine(
      sink,
      'platform',
      formatReportLine({ ...report, errorType: timedOut ? undefined : retry.error.errorType }),
      'stdout',
    );
  }
  lines.push(...sink.lines);
  sink.closed = true;
  const common = {
    requestId,
    functionName: settings.functionName,
    runtime: settings.profile.name,
    coldStart: true,
    durationMs,
    billedDurationMs,
    initDurationMs: first.initDurationMs,
    logs: lines,
    report,
    pendingWork: mergePendingWork(first.pendingWork, retry.pendingWork),
  };
  return timedOut
    ? { ...common, outcome: 'timeout', error }
    : { ...common, outcome: 'error', phase: 'init', error };
}
