/**
 * The real clocks, captured once at module load, before a test can fake them (vi.useFakeTimers,
 * jest.useFakeTimers, @sinonjs/fake-timers replace the globals later). Every room that measures
 * real time or formats a real timestamp imports them from here; timers come from `node:timers`,
 * which fakes never replace.
 */
import { performance } from 'node:perf_hooks';

/**
 * The real high-resolution clock (`performance.now`), for durations.
 *
 * @example
 * const t0 = perfNow(); // ... work ...; const elapsedMs = perfNow() - t0;
 */
export const perfNow: () => number = performance.now.bind(performance);

/**
 * The real `Date.now`, for wall-clock timestamps.
 *
 * @example
 * new RealDate(realDateNow()).toISOString();
 */
export const realDateNow: () => number = Date.now;

/**
 * The real `Date` constructor, for formatting timestamps while the global one may be faked.
 *
 * @example
 * new RealDate(0).toISOString(); // '1970-01-01T00:00:00.000Z'
 */
export const RealDate: DateConstructor = Date;
