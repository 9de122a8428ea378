import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/index.js';
import { createFunction } from '../../src/lifecycle/index.js';

// Containment keeps its snapshot of the test process's globals between invocations and only
// re-reads it when something changed. These tests change globals from the test between
// invocations (the snapshot is stale then) and check that the test's changes stay while the
// handler's are put back, for every kind of change the check compares.
const g = globalThis as unknown as Record<PropertyKey, unknown>;
const noop = async () => 'ok';

describe('the kept snapshot of the test process globals', () => {
  it('keeps what the test added, replaced or deleted between two invocations', async () => {
    await invokeHandler(noop, {});
    g.addedByTest = 1;
    Object.defineProperty(globalThis, 'hiddenByTest', { value: 2, configurable: true, writable: true });
    const sym = Symbol('byTest');
    g[sym] = 3;
    const realAtob = globalThis.atob;
    const fakeAtob = () => 'fake';
    g.atob = fakeAtob;
    try {
      const r = await invokeHandler(async () => {
        g.addedByHandler = true;
        return [g.addedByTest, g.hiddenByTest, g[sym], globalThis.atob === fakeAtob];
      }, {});
      expect(r.outcome === 'success' && r.response).toEqual([1, 2, 3, true]);
      expect(g.addedByTest).toBe(1);
      expect(g.hiddenByTest).toBe(2);
      expect(g[sym]).toBe(3);
      expect(globalThis.atob).toBe(fakeAtob);
      expect('addedByHandler' in globalThis).toBe(false);
      delete g.addedByTest;
      await invokeHandler(noop, {});
      expect('addedByTest' in globalThis).toBe(false);
      expect(g.hiddenByTest).toBe(2);
    } finally {
      delete g.addedByTest;
      delete g.hiddenByTest;
      delete g[sym];
      g.atob = realAtob;
    }
    await invokeHandler(noop, {});
    expect(globalThis.atob).toBe(realAtob);
    expect('hiddenByTest' in globalThis).toBe(false);
  });

  it('puts back changes that keep the value: attributes, a getter returning the same value, a non-enumerable addition', async () => {
    await invokeHandler(noop, {});
    const realBtoa = globalThis.btoa;
    const mathMax = Math.max;
    const before = Object.getOwnPropertyDescriptor(globalThis, 'btoa');
    const r = await invokeHandler(async () => {
      Object.defineProperty(globalThis, 'btoa', { value: realBtoa, writable: false, enumerable: true });
      Object.defineProperty(Math, 'max', { get: () => mathMax, configurable: true });
      Object.defineProperty(console, 'hiddenByHandler', { value: 1, configurable: true });
      Object.defineProperty(globalThis, Symbol.for('lambda-harness.test.hidden'), {
        value: 1,
        configurable: true,
      });
      return 'done';
    }, {});
    expect(r.outcome).toBe('success');
    expect(Object.getOwnPropertyDescriptor(globalThis, 'btoa')).toEqual(before);
    expect(Object.getOwnPropertyDescriptor(Math, 'max')?.value).toBe(mathMax);
    expect(Object.hasOwn(console, 'hiddenByHandler')).toBe(false);
    expect(Object.getOwnPropertySymbols(globalThis)).not.toContain(Symbol.for('lambda-harness.test.hidden'));
  });

  it('an environment finds its own globals again after the test changed others in between', async () => {
    const fn = createFunction({
      handler: () => ({
        handler: async () => {
          const seen = g.envGlobal;
          g.envGlobal = 'set by the environment';
          return [seen ?? null, g.testGlobal ?? null];
        },
      }),
    });
    try {
      const first = await fn.invoke({});
      g.testGlobal = 'set by the test';
      const second = await fn.invoke({});
      expect(first.outcome === 'success' && first.response).toEqual([null, null]);
      expect(second.outcome === 'success' && second.response).toEqual([
        'set by the environment',
        'set by the test',
      ]);
      expect('envGlobal' in globalThis).toBe(false);
      expect(g.testGlobal).toBe('set by the test');
    } finally {
      delete g.testGlobal;
      await fn.dispose();
    }
  });
});
