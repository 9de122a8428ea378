/**
 * Pending work: what the handler's environment left scheduled, what keeps its (simulated) event
 * loop alive, and the report of it on the result (`pendingWork`).
 */
import { clearImmediate as realClearImmediate, clearTimeout as realClearTimeout } from 'node:timers';
import { isPending, type TrackedTimer } from '../guard.js';
import type { PendingWork } from '../result.js';
import { dropVirtualTimers, type VirtualClock, virtualTimerCounts } from '../virtual-time.js';
import { type EnvironmentWork, isNodeNoop } from './work.js';

function describeTimer(t: TrackedTimer): string {
  if (t.constructor.name === 'Immediate') return 'setImmediate';
  if (typeof t._repeat === 'number') return `setInterval ${t._repeat} ms`;
  return `setTimeout ${t._idleTimeout ?? 0} ms`;
}

/**
 * The report of an environment's pending work (timers, intervals, immediates, and the I/O keeping
 * its loop alive), without touching it. Timers started before this invocation say where they
 * came from.
 *
 * @example
 * describePending(env.work); // { timers: 1, intervals: 0, immediates: 0, descriptions: ['setTimeout 500 ms'] }
 */
export function describePending(work: EnvironmentWork, currentRequestId?: string): PendingWork {
  let timers = 0;
  let intervals = 0;
  let immediates = 0;
  const descriptions: string[] = [];
  for (const t of work.timers) {
    if (!isPending(t)) {
      work.timers.delete(t);
      continue;
    }
    if (isNodeNoop(t)) continue;
    const isImmediate = t.constructor.name === 'Immediate';
    if (isImmediate) immediates++;
    else if (typeof t._repeat === 'number') intervals++;
    else timers++;
    const origin = work.originOf(t);
    descriptions.push(
      origin === currentRequestId || currentRequestId === undefined
        ? describeTimer(t)
        : origin === 'init'
          ? `${describeTimer(t)} (scheduled during init)`
          : `${describeTimer(t)} (scheduled by invocation ${origin})`,
    );
  }
  descriptions.push(...work.describeIo());
  return { timers, intervals, immediates, descriptions };
}

/**
 * Report and drop an environment's timers (an environment that is not kept: its work never runs).
 *
 * @example
 * const pendingWork = collectAndClear(work, clock);
 */
export function collectAndClear(work: EnvironmentWork, clock: VirtualClock | undefined): PendingWork {
  const report = describePending(work);
  for (const t of work.timers) {
    if (t.constructor.name === 'Immediate') realClearImmediate(t as unknown as NodeJS.Immediate);
    else realClearTimeout(t as unknown as NodeJS.Timeout);
  }
  work.timers.clear();
  return withVirtualTimers(report, clock);
}

/**
 * Add a virtual-time invocation's simulated timers to a report, and drop them (the virtual clock
 * is the invocation's own).
 *
 * @example
 * const pendingWork = withVirtualTimers(env.freeze(), clock);
 */
export function withVirtualTimers(report: PendingWork, clock: VirtualClock | undefined): PendingWork {
  if (!clock) return report;
  const v = virtualTimerCounts(clock);
  dropVirtualTimers(clock);
  return addPendingWork(report, v);
}

/**
 * One pending-work report plus another (the real work and the virtual timers); the first as it is
 * when the second is empty.
 *
 * @example
 * const report = addPendingWork(describePending(work), virtualTimerCounts(clock));
 */
export function addPendingWork(report: PendingWork, more: PendingWork): PendingWork {
  if (more.timers + more.intervals + more.immediates === 0) return report;
  return {
    timers: report.timers + more.timers,
    intervals: report.intervals + more.intervals,
    immediates: report.immediates + more.immediates,
    descriptions: [...report.descriptions, ...more.descriptions],
  };
}

/**
 * Whether the (simulated) event loop of an invocation is alive: the environment's own work, or
 * timers faked by the test (vi.useFakeTimers / Jest modern timers, both @sinonjs/fake-timers),
 * which are held by the user's clock and keep the loop alive until the user advances it.
 *
 * @example
 * if (!loopAlive(run.work, run.clock)) run.onDrain();
 */
export function loopAlive(work: EnvironmentWork, clock: VirtualClock | undefined): boolean {
  if (work.alive()) return true;
  const userClock = (globalThis.setTimeout as { clock?: { countTimers?: () => number } }).clock;
  return !clock && typeof userClock?.countTimers === 'function' && userClock.countTimers() > 0;
}
