import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createFunction, type LambdaFunction, nodeModuleIsolation } from '../../src/lifecycle/index.js';
import { succeeded } from './helpers.js';

// Native require (not Vitest's module runner): what plain Node does.
const require = createRequire(import.meta.url);
const entry = require.resolve('../fixtures/lifecycle/cjs/entry.cjs');
// Shared through a probe object the test owns: the harness removes the globals a handler adds.
(globalThis as Record<string, unknown>).__lifecycleProbe ??= {};
const g = (globalThis as Record<string, unknown>).__lifecycleProbe as {
  __cjsEntryEvaluations?: number;
  __cjsDepEvaluations?: number;
};

const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

describe('plain-Node module isolation (CommonJS)', () => {
  it('re-evaluates the entry and its required modules on every cold start', async () => {
    const fn = createFunction({
      handler: () => require(entry),
      handlerName: 'entry.handler',
      isolation: nodeModuleIsolation,
    });
    fns.push(fn);
    const entryBefore = g.__cjsEntryEvaluations ?? 0;
    const depBefore = g.__cjsDepEvaluations ?? 0;

    expect(succeeded(await fn.invoke()).response).toEqual({ entryCalls: 1, depCalls: 1 });
    expect(succeeded(await fn.invoke()).response).toEqual({ entryCalls: 2, depCalls: 2 });
    fn.forceColdStart();
    expect(succeeded(await fn.invoke()).response).toEqual({ entryCalls: 1, depCalls: 1 });
    expect(g.__cjsEntryEvaluations).toBe(entryBefore + 2);
    expect(g.__cjsDepEvaluations).toBe(depBefore + 2);
  });

  it('reloads a graph the test had already required itself', async () => {
    const own = require(entry) as { handler: () => Promise<unknown> };
    await own.handler();
    const fn = createFunction({
      handler: () => require(entry),
      handlerName: 'entry.handler',
      isolation: nodeModuleIsolation,
    });
    fns.push(fn);
    expect(succeeded(await fn.invoke()).response).toEqual({ entryCalls: 1, depCalls: 1 });
  });

  it('is the default isolation when no runner registered one', () => {
    const fn = createFunction({ handler: () => require(entry), handlerName: 'entry.handler' });
    fns.push(fn);
    expect(fn.isolation).toBe('node');
  });
});

describe('plain-Node module isolation (ES module given as a file)', () => {
  // Shared through a probe object the test owns: the harness removes the globals a handler adds.
  (globalThis as Record<string, unknown>).__lifecycleProbe ??= {};
  const esm = (globalThis as Record<string, unknown>).__lifecycleProbe as {
    __esmEntryEvaluations?: number;
    __esmDepEvaluations?: number;
  };

  it('imports the entry and its relative imports afresh on every cold start', async () => {
    const fn = createFunction({
      handler: new URL('../fixtures/lifecycle/esm/entry.mjs', import.meta.url),
      isolation: nodeModuleIsolation,
    });
    fns.push(fn);
    const entryBefore = esm.__esmEntryEvaluations ?? 0;
    const depBefore = esm.__esmDepEvaluations ?? 0;

    expect(succeeded(await fn.invoke()).response).toEqual({ entryCalls: 1, depCalls: 1 });
    expect(succeeded(await fn.invoke()).response).toEqual({ entryCalls: 2, depCalls: 2 });
    fn.forceColdStart();
    expect(succeeded(await fn.invoke()).response).toEqual({ entryCalls: 1, depCalls: 1 });
    expect(esm.__esmEntryEvaluations).toBe(entryBefore + 2);
    expect(esm.__esmDepEvaluations).toBe(depBefore + 2);
    expect(succeeded(await fn.invoke()).logs.length).toBeGreaterThan(0);
  });

  it('names _HANDLER after the file and rejects relative paths', async () => {
    const fn = createFunction({
      handler: fileURLToPath(new URL('../fixtures/lifecycle/esm/entry.mjs', import.meta.url)),
    });
    fns.push(fn);
    expect(succeeded(await fn.invoke()).logs.some((l) => l.text.startsWith('START '))).toBe(true);
    expect(() => createFunction({ handler: './entry.mjs' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_HANDLER',
        message: expect.stringContaining('absolute path or a file: URL'),
      }),
    );
  });
});
