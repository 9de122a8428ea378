/**
 * Pending work: what the handler's environment left scheduled, what keeps its (simulated) event
 * loop alive, and the report of it on the result (`pendingWork`).
 */
import { clearImmediate as realClearImmediate, clearTimeout as realClearTimeout } from 'node:timers';
import { isPending, type TrackedTimer } from '../guard.js';
import type { PendingWork } from '../result.js';
import { type VirtualClock, virtualTimerCounts } from '../virtual-time.js';

export function countIo(): number {
  let n = 0;
  for (const r of process.getActiveResourcesInfo()) if (r !== 'Timeout' && r !== 'Immediate') n++;
  return n;
}

function describeTimer(t: TrackedTimer): string {
  if (t.constructor.name === 'Immediate') return 'setImmediate';
  if (typeof t._repeat === 'number') return `setInterval ${t._repeat} ms`;
  return `setTimeout ${t._idleTimeout ?? 0} ms`;
}

export function collectAndClear(timers: Set<TrackedTimer>, clock: VirtualClock | undefined): PendingWork {
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

/** Node schedules a no-op immediate after an uncaught exception was handled; it is not the handler's. */
function isNodeNoop(t: TrackedTimer): boolean {
  return (
    t.constructor.name === 'Immediate' &&
    (t as unknown as { _onImmediate?: Function })._onImmediate?.name === 'noop'
  );
}

/**
 * Real pending work that keeps the (simulated) event loop of one invocation alive.
 *
 * @example
 * if (!loopAlive(run.timers, run.clock, ioBaseline)) run.onDrain();
 */
export function loopAlive(
  timers: Set<TrackedTimer>,
  clock: VirtualClock | undefined,
  ioBaseline: number,
): boolean {
  for (const t of timers) {
    if (isPending(t) && (t.hasRef?.() ?? true)) {
      if (isNodeNoop(t)) continue;
      return true;
    }
  }
  // Timers faked by the test (vi.useFakeTimers / Jest modern timers, both @sinonjs/fake-timers)
  // are held by the user's clock: they keep the simulated loop alive until the user advances it.
  const userClock = (globalThis.setTimeout as { clock?: { countTimers?: () => number } }).clock;
  if (!clock && typeof userClock?.countTimers === 'function' && userClock.countTimers() > 0) return true;
  return countIo() > ioBaseline;
}
