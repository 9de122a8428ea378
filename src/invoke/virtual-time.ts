import FakeTimers from '@sinonjs/fake-timers';
import { invocationScope } from '../runtime/scope.js';

/** The request id (or `init`) of the scope that scheduled a virtual timer, on its callback. */
const ORIGIN = Symbol('lambda-harness.virtual-origin');

/**
 * A simulated clock driving one virtual-time invocation (the parts of a @sinonjs/fake-timers clock used here).
 *
 * @example
 * const clock: VirtualClock = createVirtualClock(0); clock.setTimeout(() => {}, 1000); clock.next();
 */
export interface VirtualClock {
  now: number;
  setTimeout(cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]): unknown;
  clearTimeout(id: unknown): void;
  setInterval(cb: (...a: unknown[]) => void, ms?: number, ...args: unknown[]): unknown;
  clearInterval(id: unknown): void;
  setImmediate(cb: (...a: unknown[]) => void, ...args: unknown[]): unknown;
  clearImmediate(id: unknown): void;
  next(): number;
  tick(ms: number): number;
  reset(): void;
  countTimers(): number;
}

/**
 * A new virtual clock starting at `startMs` (epoch ms).
 *
 * @example
 * const clock = createVirtualClock(Date.UTC(2024, 0, 1));
 */
export function createVirtualClock(startMs: number): VirtualClock {
  return FakeTimers.withGlobal(globalThis).createClock(startMs, 1_000_000) as unknown as VirtualClock;
}

const readers = new WeakMap<VirtualClock, () => number>();

/**
 * A function reading the clock's time, the same one for every call with that clock. A closure
 * made inside the invoker would hold the invoker's whole scope (the event, the run, its logs), and
 * the log sinks keep it past the invocation: that kept every invocation's scope alive into the
 * old generation.
 *
 * @example
 * const now = clockReader(clock); now(); // clock.now
 */
export function clockReader(clock: VirtualClock): () => number {
  let read = readers.get(clock);
  if (!read) {
    read = () => clock.now;
    readers.set(clock, read);
  }
  return read;
}

/**
 * Epoch ms of the next scheduled virtual timer, or undefined when none is scheduled.
 *
 * @example
 * nextTimerAt(clock); // 1704067201000
 */
export function nextTimerAt(clock: VirtualClock): number | undefined {
  const timers = (clock as unknown as { timers?: Map<number, { callAt: number }> }).timers;
  if (!timers || timers.size === 0) return undefined;
  let min: number | undefined;
  for (const t of timers.values()) if (min === undefined || t.callAt < min) min = t.callAt;
  return min;
}

/**
 * Number of scheduled virtual timers, by kind.
 *
 * @example
 * virtualTimerCounts(clock); // { timers: 1, intervals: 0, immediates: 0, descriptions: ['setTimeout 600000 ms'] }
 */
export function virtualTimerCounts(
  clock: VirtualClock,
  currentRequestId?: string,
): {
  timers: number;
  intervals: number;
  immediates: number;
  descriptions: string[];
} {
  const timers = (
    clock as unknown as {
      timers?: Map<
        number,
        {
          interval?: number;
          immediate?: boolean;
          delay?: number;
          callAt: number;
          createdAt?: number;
          func?: { [ORIGIN]?: string };
        }
      >;
    }
  ).timers;
  const out = { timers: 0, intervals: 0, immediates: 0, descriptions: [] as string[] };
  if (!timers) return out;
  for (const t of timers.values()) {
    const origin = t.func?.[ORIGIN];
    // Timers left by init or an earlier invocation of the environment say where they came from.
    const tag =
      origin === undefined || currentRequestId === undefined || origin === currentRequestId
        ? '(virtual)'
        : origin === 'init'
          ? '(virtual, scheduled during init)'
          : `(virtual, scheduled by invocation ${origin})`;
    if (t.immediate) {
      out.immediates++;
      out.descriptions.push(`setImmediate ${tag}`);
    } else if (typeof t.interval === 'number') {
      out.intervals++;
      out.descriptions.push(`setInterval ${t.interval} ms ${tag}`);
    } else {
      out.timers++;
      out.descriptions.push(`setTimeout ${t.delay ?? t.callAt - (t.createdAt ?? t.callAt)} ms ${tag}`);
    }
  }
  return out;
}

/**
 * Move an environment's virtual clock to `to` (epoch ms) for its next invocation: the clock ran on
 * while the environment was frozen. Returns whether some timer fell due in the gap (it then runs
 * at the thaw, through {@link runDueVirtualTimers}); a timer not yet due keeps its due time. A `to`
 * before the clock's time starts another timeline: pending timers keep their remaining delay.
 *
 * @example
 * if (advanceVirtualClock(clock, startMs)) runDueVirtualTimers(clock);
 */
export function advanceVirtualClock(clock: VirtualClock, to: number): boolean {
  if (to < clock.now) {
    (clock as unknown as { setSystemTime(ms: number): void }).setSystemTime(to);
    return false;
  }
  clock.now = to;
  const next = nextTimerAt(clock);
  return next !== undefined && next <= to;
}

/**
 * Drop every timer of a virtual clock; its time stays where it is (fake-timers' reset() would also
 * move it back to its start).
 *
 * @example
 * dropVirtualTimers(clock);
 */
export function dropVirtualTimers(clock: VirtualClock): void {
  const now = clock.now;
  clock.reset();
  clock.now = now;
}

/**
 * Run, at the clock's current time, every virtual timer that fell due while the environment was
 * frozen, once each (an interval that fell due several times runs once and is rescheduled from
 * now, as Node's timers do after a freeze), in the order Node would run them. Each runs in the
 * scope that scheduled it.
 *
 * @example
 * runDueVirtualTimers(clock);
 */
export function runDueVirtualTimers(clock: VirtualClock): void {
  orderDueTimersAsNode(clock);
  (clock as unknown as { jump(ms: number): number }).jump(0);
}

/** The fields of a fake-timers timer that decide its turn. */
interface FakeTimer {
  callAt: number;
  order: number;
  delay?: number;
  interval?: number;
  immediate?: boolean;
}

/**
 * `jump(0)` moves every due timer to the thaw time, and fake-timers then breaks the tie by
 * creation order. Node keeps one list per duration, each in insertion order, and at the thaw runs
 * the lists in the order of their first timer's due time: the due timers get their tie-break
 * (`order`) renumbered to that sequence.
 */
function orderDueTimersAsNode(clock: VirtualClock): void {
  const table = (clock as unknown as { timers?: Map<unknown, FakeTimer> | Record<string, FakeTimer> }).timers;
  if (!table) return;
  const all = table instanceof Map ? [...table.values()] : Object.values(table);
  const due = all.filter((t) => !t.immediate && t.callAt <= clock.now).sort((a, b) => a.order - b.order);
  if (due.length < 2) return;
  const lists = new Map<number, FakeTimer[]>();
  for (const t of due) {
    const duration = Math.max(1, t.interval ?? t.delay ?? 1);
    const list = lists.get(duration);
    if (list) list.push(t);
    else lists.set(duration, [t]);
  }
  const sequence = [...lists.values()]
    .sort(
      (a, b) =>
        (a[0] as FakeTimer).callAt - (b[0] as FakeTimer).callAt ||
        (a[0] as FakeTimer).order - (b[0] as FakeTimer).order,
    )
    .flat();
  const orders = due.map((t) => t.order);
  sequence.forEach((t, i) => {
    t.order = orders[i] as number;
  });
}

function clockOf(): VirtualClock | undefined {
  return (invocationScope.getStore()?.state as { clock?: VirtualClock } | undefined)?.clock;
}

type G = Record<string, unknown>;
const NAMES = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
] as const;
let depth = 0;
/** The routed globals: the timer functions and Date. */
const ROUTED = [...NAMES, 'Date'] as const;
/** Per routed global, what was there before the routers went in, and the router put there. */
const saved: unknown[] = [];
const installed: unknown[] = [];
/**
 * Routers already built, per global name and the function they fall back to. Installing the same
 * router objects at every virtual-time invocation leaves the globals identical from one
 * invocation to the next, so containment's kept snapshot still matches and is not taken again.
 */
const built = new Map<string, WeakMap<Function, Function>>(ROUTED.map((name) => [name, new WeakMap()]));

function routerFor(name: (typeof ROUTED)[number], prev: Function): Function {
  const cache = built.get(name) as WeakMap<Function, Function>;
  let router = cache.get(prev);
  if (!router) {
    router = name === 'Date' ? makeDateRouter(prev as DateConstructor) : makeRouter(name, prev);
    cache.set(prev, router);
  }
  return router;
}

function makeRouter(name: (typeof NAMES)[number], prev: Function): Function {
  if (name.startsWith('clear')) {
    return function (this: unknown, handle: unknown) {
      const c = clockOf();
      if (c) (c[name] as (h: unknown) => void)(handle);
      return prev.call(this, handle);
    };
  }
  return function (this: unknown, ...args: unknown[]) {
    const c = clockOf();
    if (c) {
      const callback = args[0];
      if (typeof callback === 'function') {
        // A virtual timer can outlive its invocation (the environment's clock is frozen with it):
        // it runs in the scope that scheduled it, like a real timer's async context.
        const scope = invocationScope.getStore();
        const scoped = function (this: unknown, ...a: unknown[]) {
          return scope ? invocationScope.run(scope, () => callback.apply(this, a)) : callback.apply(this, a);
        } as Function & { [ORIGIN]?: string };
        scoped[ORIGIN] = scope?.requestId ?? 'init';
        args[0] = scoped;
      }
      return (c[name] as (...a: unknown[]) => unknown)(...args);
    }
    return prev.apply(this, args);
  };
}

function makeDateRouter(prev: DateConstructor): DateConstructor {
  const now = () => {
    const c = clockOf();
    return c ? c.now : prev.now();
  };
  return new Proxy(prev, {
    construct(target, args, newTarget) {
      const c = clockOf();
      if (c && args.length === 0) return Reflect.construct(target, [c.now], newTarget);
      return Reflect.construct(target, args, newTarget);
    },
    apply(target, thisArg, args) {
      const c = clockOf();
      if (c) return new target(c.now).toString();
      return Reflect.apply(target, thisArg, args);
    },
    get(target, key, receiver) {
      if (key === 'now') return now;
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * Install the virtual-time routers on `globalThis` (setTimeout & co and Date): code running in a
 * virtual-time invocation scope gets that invocation's simulated clock; everything else gets what
 * was there before (real timers, or the user's vi/jest fake timers). Reference counted; the last
 * close restores the previous globals unless they were replaced meanwhile.
 *
 * @example
 * const close = openVirtualTime();
 * try { ... } finally { close(); }
 */
export function openVirtualTime(): () => void {
  if (depth++ === 0) {
    const g = globalThis as unknown as G;
    for (let i = 0; i < ROUTED.length; i++) {
      const name = ROUTED[i] as (typeof ROUTED)[number];
      const prev = g[name] as Function;
      const router = routerFor(name, prev);
      saved[i] = prev;
      installed[i] = router;
      g[name] = router;
    }
  }
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    if (--depth === 0) {
      const g = globalThis as unknown as G;
      for (let i = 0; i < ROUTED.length; i++) {
        const name = ROUTED[i] as (typeof ROUTED)[number];
        if (g[name] === installed[i]) g[name] = saved[i];
        saved[i] = undefined;
        installed[i] = undefined;
      }
    }
  };
}
