// Jest native ESM (node --experimental-vm-modules): cold starts reload ES modules through
// jest.isolateModulesAsync (registered by lambda-harness/jest), module mocks included.
import { afterEach, expect, jest, test } from '@jest/globals';

jest.unstable_mockModule('./src/price.mjs', () => ({ price: jest.fn(() => 42) }));
const { createFunction } = await import('lambda-harness');

// The handler's modules count their evaluations on this probe object: the harness removes the
// globals a module adds at init, so the counter lives on an object the test created.
const probe = {};
globalThis.__esmProbe = probe;

const fns = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

function handlerFn(options = {}) {
  const fn = createFunction({
    handler: () => import('./src/handler.mjs'),
    handlerName: 'handler.handler',
    ...options,
  });
  fns.push(fn);
  return fn;
}

test('a cold start re-evaluates the ES module graph; warm starts keep it', async () => {
  const fn = handlerFn();
  const entryBefore = probe.entry ?? 0;
  const libBefore = probe.lib ?? 0;

  const first = await fn.invoke({});
  const second = await fn.invoke({});
  fn.forceColdStart();
  const third = await fn.invoke({});

  expect([first.coldStart, second.coldStart, third.coldStart]).toEqual([true, false, true]);
  expect(first.response).toEqual({ entryCalls: 1, libCalls: 1, price: 42 });
  expect(second.response).toEqual({ entryCalls: 2, libCalls: 2, price: 42 });
  expect(third.response).toEqual({ entryCalls: 1, libCalls: 1, price: 42 });
  expect(probe.entry).toBe(entryBefore + 2);
  expect(probe.lib).toBe(libBefore + 2);
});

test('overlapping invocations get separate instances; reserved concurrency throttles the rest', async () => {
  const fn = handlerFn({ reservedConcurrency: 2 });
  const results = await Promise.all([1, 2, 3].map(() => fn.invoke({ wait: 30 })));
  expect(results.map((r) => r.outcome)).toEqual(['success', 'success', 'throttled']);
  expect(results.slice(0, 2).map((r) => r.coldStart)).toEqual([true, true]);
  expect(fn.instances).toHaveLength(2);
});
