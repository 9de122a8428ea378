// The globals a virtual-time invocation sees: one Node process's globals, the same objects from one
// warm invocation to the next (as on Lambda), and the test's own back between invocations.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';

const fns: LambdaFunction[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const fn of fns.splice(0)) await fn.dispose();
});

const T0 = Date.UTC(2024, 0, 1);

/** A handler that reports the identity of the timer functions and Date it sees. */
function identityProbe() {
  const seen: { setTimeout: unknown; clearTimeout: unknown; setImmediate: unknown; Date: unknown }[] = [];
  const handler = async () => {
    seen.push({ setTimeout, clearTimeout, setImmediate, Date });
    return Date.now();
  };
  return { seen, handler };
}

describe('globals of virtual-time invocations', () => {
  it('warm invocations see the very same setTimeout, clearTimeout, setImmediate and Date objects', async () => {
    const { seen, handler } = identityProbe();
    const fn = createFunction({ handler: () => handler, functionName: 'same-globals' });
    fns.push(fn);
    for (let i = 0; i < 3; i++) {
      const r = await fn.invoke({}, { clock: { mode: 'virtual', startMs: T0 + i * 1000 } });
      expect(r.outcome === 'success' && r.response).toBe(T0 + i * 1000);
    }
    expect(seen).toHaveLength(3);
    for (const key of ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] as const) {
      expect(seen[1]?.[key], key).toBe(seen[0]?.[key]);
      expect(seen[2]?.[key], key).toBe(seen[0]?.[key]);
    }
  });

  it('between invocations the test has its own timer functions and Date back', async () => {
    const before = { setTimeout, clearTimeout, setImmediate, Date };
    const { seen, handler } = identityProbe();
    const fn = createFunction({ handler: () => handler, functionName: 'own-globals' });
    fns.push(fn);
    await fn.invoke({}, { clock: { mode: 'virtual', startMs: T0 } });
    expect(seen[0]?.setTimeout).not.toBe(before.setTimeout);
    expect({ setTimeout, clearTimeout, setImmediate, Date }).toEqual(before);
    expect(globalThis.setTimeout).toBe(before.setTimeout);
    expect(globalThis.Date).toBe(before.Date);
  });

  it('a test that fakes its timers between invocations gets them back, and the handler still gets virtual time', async () => {
    const { seen, handler } = identityProbe();
    const fn = createFunction({ handler: () => handler, functionName: 'faked-between' });
    fns.push(fn);
    await fn.invoke({}, { clock: { mode: 'virtual', startMs: T0 } });
    vi.useFakeTimers();
    const faked = globalThis.setTimeout;
    const r = await fn.invoke({}, { clock: { mode: 'virtual', startMs: T0 + 5000 } });
    expect(r.outcome === 'success' && r.response).toBe(T0 + 5000);
    expect(globalThis.setTimeout).toBe(faked);
    // The router in front of the test's fake timers is another one than in front of the real ones.
    expect(seen[1]?.setTimeout).not.toBe(seen[0]?.setTimeout);
    vi.useRealTimers();
    await fn.invoke({}, { clock: { mode: 'virtual', startMs: T0 + 10_000 } });
    expect(seen[2]?.setTimeout).toBe(seen[0]?.setTimeout);
  });
});
