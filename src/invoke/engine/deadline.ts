/**
 * Clock and deadline: the one place that says what a timed-out invocation reports. The deadline
 * itself fires from `Run.expire()` (src/invoke/engine/run.ts), which the real-clock timer below,
 * the virtual-clock loop and the overrun check on completion all call.
 */
import { setTimeout as realSetTimeout } from 'node:timers';
import { invocationScope, outsideScope } from '../../runtime/scope.js';
import type { ErrorPayload } from '../result.js';
import { RealDate } from './common.js';

/**
 * Clock of one invocation: `real` (wall time; the invocation ends at the real deadline) or
 * `virtual` (the handler's timers and Date run on a simulated clock starting at `startMs`, so long
 * sleeps and timeouts finish in milliseconds, deterministically).
 *
 * @example
 * const clock: ClockOption = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) };
 */
export type ClockOption = { readonly mode: 'real' } | { readonly mode: 'virtual'; readonly startMs?: number };

/**
 * `Task timed out after 3.00 seconds`: the text Lambda writes for a function timeout, built here
 * only (the payload, the platform log line and the isolated/suppressed-init paths all use it).
 *
 * @example
 * taskTimedOutText(3000); // 'Task timed out after 3.00 seconds'
 */
export function taskTimedOutText(timeoutMs: number): string {
  return `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}

/**
 * The error payload of a timed-out invocation (Sandbox.Timedout).
 *
 * @example
 * timeoutPayload('id', 3000).errorMessage; // 'RequestId: id Error: Task timed out after 3.00 seconds'
 */
export function timeoutPayload(requestId: string, timeoutMs: number): ErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: ${taskTimedOutText(timeoutMs)}`,
  };
}

/**
 * The platform line written at the deadline: `<ISO> <requestId> Task timed out after N.NN seconds`.
 *
 * @example
 * timedOutLine('id', 3000, Date.UTC(2024, 0, 1)); // '2024-01-01T00:00:00.000Z id Task timed out after 3.00 seconds'
 */
export function timedOutLine(requestId: string, timeoutMs: number, atEpochMs: number): string {
  return `${new RealDate(atEpochMs).toISOString()} ${requestId} ${taskTimedOutText(timeoutMs)}`;
}

/** Something with a deadline that can expire (an invocation). */
export interface Expirable {
  expire(): void;
}

function onDeadline(target: Expirable): void {
  target.expire();
}

/**
 * Arm the real-clock deadline timer of an invocation (outside any invocation scope, so it is
 * never counted as the handler's work). Clear it with `clearTimeout` when the invocation ends.
 *
 * @example
 * const timer = armDeadline(run, 3000);
 */
export function armDeadline(target: Expirable, delayMs: number): NodeJS.Timeout {
  return invocationScope.getStore() === undefined
    ? realSetTimeout(onDeadline, delayMs, target)
    : outsideScope(() => realSetTimeout(onDeadline, delayMs, target));
}
