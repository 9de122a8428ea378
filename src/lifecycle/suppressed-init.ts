/**
 * The "suppressed init": when an on-demand init fails or times out, Lambda retries init at the
 * first invocation, inside that invocation and under the function timeout (telemetry reports the
 * retry as phase `invoke`). This file shapes the logs and the result of that case.
 */
import {
  buildResult,
  closeInvocation,
  type FunctionSettings,
  type InitOutcome,
  timeoutPayload,
} from '../invoke/index.js';
import type { ErrorResult, PendingWork, TimeoutResult } from '../invoke/result.js';
import { createLogSink, logRawLine } from '../logs/capture.js';
import { CapturedLine, formatStartLine } from '../logs/format.js';
import type { LogLine } from '../logs/types.js';
import { newRequestId } from '../runtime/ids.js';
import { RealDate, realDateNow } from '../runtime/real-clock.js';

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
  const error = timedOut ? timeoutPayload(requestId, settings.timeoutMs) : retry.error;
  const sink = createLogSink({
    requestId,
    initRequestIdText: settings.profile.initRequestIdText,
    format: settings.logFormat,
    level: settings.logLevel,
    echo: settings.echo,
    now: realDateNow,
  });
  const lines: LogLine[] = [...first.logs];
  if (json) {
    logRawLine(
      sink,
      'platform',
      JSON.stringify({
        time: new RealDate(realDateNow()).toISOString(),
        type: 'platform.start',
        record: { requestId, version: settings.functionVersion },
      }),
      'stdout',
      true,
    );
  } else logRawLine(sink, 'platform', formatStartLine(requestId, settings.functionVersion), 'stdout');
  lines.push(...sink.lines.splice(0));
  lines.push(...retryLines(retry.logs, json));
  const closing = closeInvocation({
    requestId,
    memorySizeMB: settings.memorySizeMB,
    logFormat: settings.logFormat,
    durationMs,
    initDurationMs: undefined,
    unreportedInitMs: first.initDurationMs,
    endEpochMs: realDateNow(),
    ending: timedOut
      ? { kind: 'timeout', timeoutMs: settings.timeoutMs }
      : { kind: 'init-error', errorType: retry.error.errorType },
    runtimeDone: false,
  });
  for (const line of closing.lines) logRawLine(sink, 'platform', line.text, 'stdout', line.json);
  const { report, billedDurationMs } = closing;
  lines.push(...sink.lines);
  sink.closed = true;
  return buildResult({
    outcome: timedOut ? { kind: 'timeout', error } : { kind: 'error', error, phase: 'init' },
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
  }) as ErrorResult | TimeoutResult;
}
