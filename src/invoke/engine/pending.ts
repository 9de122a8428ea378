/**
 * Pending work: what the handler's environment left scheduled, what keeps its (simulated) event
 * loop alive, and the report of it on the result (`pendingWork`).
 */
import { clearImmediate as realClearImmediate, clearTimeout as realClearTimeout } from 'node:timers';
import { isPending, type TrackedTimer } from '../guard.js';
import type { PendingWork } from '../result.js';
import { type VirtualClock, virtualTimerCounts } from '../virtual-time.js';
import type { EnvironmentWork } from './work.js';

function describeTimer(t: TrackedTimer): string {
  if (t.constructor.name === 'Immediate') return 'setImmediate';
  if (typeof t._repeat === 'number') return `setInterval ${t._repeat} ms`;
  return `setTimeout ${t._idleTimeout ?? 0} ms`;
}

export function collectAndClear(work: EnvironmentWork, clock: VirtualClock | undefined): PendingWork {
  const timers = work.timers;
  let nTimers = 0;
  let intervals = 0;
  let immediates = 0;
  const descriptions: string[] = [];
  for (const t of timers) {
    if (!isPending(t)) continue;
    const isImmediate = t.constructor.name === 'Immediate';
    // Node schedules a no-op immediate after an uncaught exception was handled; it is not the handler's.
    if (isImmediate && (t as unknown as { _onImmediate?: Function })._onImmediate?.name === 'noop') {
      realClearImmediate(t as unknown as NodeJS.Immediate);
      continue;
    }
    descriptions.push(describeTimer(t));
    if (isImmediate) {
      immediates++;
      realClearImmediate(t as unknown as NodeJS.Immediate);
    } else {
      if (typeof t._repeat === 'number') intervals++;
      else nTimers++;
      realClearTimeout(t as unknown as NodeJS.Timeout);
    }
  }
  timers.clear();
  descriptions.push(...work.describeIo());
  if (clock) {
    const v = virtualTimerCounts(clock);
    nTimers += v.timers;
    intervals += v.intervals;
    immediates += v.immediates;
    descriptions.push(...v.descriptions);
    clock.reset();
  }
  return { timers: nTimers, intervals, immediates, descriptions };
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
