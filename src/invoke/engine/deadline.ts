/**
 * Clock and deadline: the one place that says what a timed-out invocation reports. The deadline
 * itself fires from `Run.expire()` (src/invoke/engine/run.ts), which the real-clock timer below,
 * the virtual-clock loop and the overrun check on completion all call.
 */
import {
  clearImmediate as realClearImmediate,
  clearTimeout as realClearTimeout,
  setImmediate as realSetImmediate,
  setTimeout as realSetTimeout,
} from 'node:timers';
import { invocationScope, outsideScope } from '../../runtime/scope.js';
import type { ErrorPayload } from '../result.js';
import { perfNow, RealDate } from './common.js';

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

/**
 * How early the deadline's timer is set. A Node timer fires on the event loop's cached
 * millisecond clock: up to about a millisecond late, or early by the time the loop spent since it
 * read that clock. The timer is set this much before the deadline, and the last stretch is
 * checked on each turn of the loop (setImmediate) against the monotonic clock.
 */
const EARLY_MS = 2;

/**
 * The real-clock deadline of one invocation: `expire()` is called on the first turn of the event
 * loop at or after `dueAt` (performance.now() time).
 *
 * @example
 * const deadline = armDeadline(run, perfNow() + 3000);
 * deadline.disarm(); // the invocation completed first
 */
export class RealDeadline {
  #timer: NodeJS.Timeout | undefined;
  #poll: NodeJS.Immediate | undefined;
  #off = false;

  constructor(
    readonly target: Expirable,
    readonly dueAt: number,
  ) {
    const early = Math.floor(dueAt - perfNow()) - EARLY_MS;
    if (early > 0) this.#timer = realSetTimeout(onDeadlineTimer, early, this);
    else this.#poll = realSetImmediate(onDeadlineTimer, this);
  }

  /** Called by the timer, then on each loop turn until the deadline is due. */
  check(): void {
    this.#timer = undefined;
    this.#poll = undefined;
    if (this.#off) return;
    if (perfNow() >= this.dueAt) {
      this.#off = true;
      this.target.expire();
    } else this.#poll = realSetImmediate(onDeadlineTimer, this);
  }

  /** The invocation ended: the deadline will not fire. */
  disarm(): void {
    this.#off = true;
    if (this.#timer) realClearTimeout(this.#timer);
    if (this.#poll) realClearImmediate(this.#poll);
    this.#timer = undefined;
    this.#poll = undefined;
  }
}

function onDeadlineTimer(deadline: RealDeadline): void {
  deadline.check();
}

/**
 * Arm the real-clock deadline of an invocation, due at `dueAt` (performance.now() time), outside
 * any invocation scope so that it is never counted as the handler's work. Disarm it when the
 * invocation ends.
 *
 * @example
 * const deadline = armDeadline(run, startPerf + 3000);
 */
export function armDeadline(target: Expirable, dueAt: number): RealDeadline {
  return invocationScope.getStore() === undefined
    ? new RealDeadline(target, dueAt)
    : outsideScope(() => new RealDeadline(target, dueAt));
}
