/**
 * Small pieces every room of the engine shares: the real clocks captured at module load, the
 * macrotask hop, the Runtime.ExitError text and Node's crash print.
 */
import { setImmediate as realSetImmediate } from 'node:timers';
import { type LogSink, logRawLine } from '../../logs/capture.js';
import { type CrashOrigin, formatCrashPrint } from '../../runtime/crash-print.js';
import { formatErrorForTextLog, intoError } from '../../runtime/errors.js';
// Real clocks captured at module load, before a test can fake them.
import { RealDate } from '../../runtime/real-clock.js';
import { invocationScope, outsideScope } from '../../runtime/scope.js';
import type { ErrorPayload, PendingWork } from '../result.js';

export { perfNow, RealDate, realDateNow } from '../../runtime/real-clock.js';

/** Max Memory Used reported in REPORT lines (simulated: the test process's memory is not the function's). */
export const SIMULATED_MEMORY_USED_MB = 64;

/** The report of no pending work. */
export const NO_PENDING: PendingWork = Object.freeze({
  timers: 0,
  intervals: 0,
  immediates: 0,
  descriptions: [],
});

export function outside<T>(fn: () => T): T {
  return outsideScope(fn);
}

function scheduleHop(resolve: () => void): void {
  if (invocationScope.getStore() === undefined) realSetImmediate(resolve);
  else outsideScope(() => realSetImmediate(resolve));
}

/** One macrotask turn (a real setImmediate, scheduled outside any invocation scope). */
export function hop(): Promise<void> {
  return new Promise(scheduleHop);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function platformJson(type: string, record: Record<string, unknown>, now: number): string {
  return JSON.stringify({ time: new RealDate(now).toISOString(), type, record });
}

export function formatLoggedError(value: unknown): string {
  if (value instanceof Error) return formatErrorForTextLog(value);
  return formatErrorForTextLog(intoError(value));
}

/** Runtime.ExitError payload: with the request id inside an invocation, without it at init. */
export function exitErrorPayload(requestId: string | undefined, code: number): ErrorPayload {
  const prefix = requestId ? `RequestId: ${requestId} Error: ` : 'Error: ';
  return {
    errorType: 'Runtime.ExitError',
    errorMessage:
      code === 0
        ? `${prefix}Runtime exited without providing a reason`
        : `${prefix}Runtime exited with error: exit status ${code}`,
  };
}

/** Node's crash print on stderr (nodejs24.x: the runtime client catches nothing at process level). */
export function crashPrint(sink: LogSink, error: unknown, origin: CrashOrigin): void {
  for (const part of formatCrashPrint(error, origin)) logRawLine(sink, 'runtime', part, 'stderr');
}

export function awslambdaDisabled(values: Record<string, string>): boolean {
  const v = values.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  return v === '1' || v === 'true';
}
