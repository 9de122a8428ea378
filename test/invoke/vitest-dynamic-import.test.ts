// Issue 12: a dynamic import() that Vitest's module runner itself resolves (over its RPC to the
// main process) is the environment's pending work, at init and in the handler, on both runtime
// generations; the runner's own module loading (the test's import()) never is.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';

const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

/** A fixture module, imported the way a test imports its handler (transformed by Vitest). */
const fixture = (file: string) => (): Promise<unknown> =>
  import(/* @vite-ignore */ `../fixtures/invoke/vitest-import/${file}`);

const vitestIsolation = {
  name: 'vitest',
  load: async (load: () => Promise<unknown>) => {
    vi.resetModules();
    return load();
  },
};

type Rpc = Record<string | symbol, unknown>;
const workerState = () => (globalThis as unknown as { __vitest_worker__: { rpc: Rpc } }).__vitest_worker__;
let restoreRpc: (() => void) | undefined;
afterEach(() => {
  restoreRpc?.();
  restoreRpc = undefined;
});

/**
 * Holds the answers of the runner's `fetch` calls for modules whose id contains `file` until
 * `release()` (the harness wraps whatever RPC object the worker state holds when an environment is
 * created, so this sits below its accounting).
 */
function holdRunnerFetch(file: string): { release(): void; calls(): number } {
  const state = workerState();
  const original = state.rpc;
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let calls = 0;
  state.rpc = new Proxy(original, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key !== 'fetch' || typeof value !== 'function') return value;
      const fetch = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const answer = fetch.apply(target, args);
        if (!args.some((a) => typeof a === 'string' && a.includes(file))) return answer;
        calls++;
        return gate.then(() => answer);
      };
    },
  });
  restoreRpc = () => {
    release();
    state.rpc = original;
  };
  return { release: () => release(), calls: () => calls };
}

describe("a handler file run through Vitest's module runner", () => {
  it.each([
    ['nodejs22.x', fixture('handler-v3.mjs'), 'v3'],
    ['nodejs24.x', fixture('handler-v4.mjs'), 'v4'],
  ] as const)(
    "[%s] awaits import('./dep.mjs') started at init and import('./late.ts') in the handler: the first invoke answers with both",
    async (runtime, load, generation) => {
      const fn = createFunction({
        handler: load,
        handlerName: 'index.handler',
        runtime,
        isolation: vitestIsolation,
      });
      fns.push(fn);
      const first = await fn.invoke({});
      expect(first.outcome).toBe('success');
      expect(first.outcome === 'success' && first.response).toBe(
        `from dep-${generation}.mjs / from late-${generation}.ts`,
      );
      // No reset: the second invoke is warm, without Init Duration.
      const second = await fn.invoke({});
      expect(second.outcome === 'success' && second.coldStart).toBe(false);
      expect(second.outcome !== 'throttled' && second.report.initDurationMs).toBeUndefined();
    },
  );

  it("reports an import() the handler left running as its pending work, and not the test's own import()", async () => {
    // The runner may answer a fetch within a few hundred microseconds, before the invocation ends:
    // hold its answer for this module so the import is surely still loading at the freeze.
    const held = holdRunnerFetch('background.ts');
    const fn = createFunction({
      handler: fixture('starts-import.mjs'),
      handlerName: 'index.handler',
      runtime: 'nodejs22.x',
      isolation: vitestIsolation,
    });
    fns.push(fn);
    await fn.ready();
    const invocation = fn.invoke({});
    const testsOwn = fixture('unrelated.ts')() as Promise<{ unrelated: number }>;
    const result = await invocation;
    expect(result.outcome === 'success' && result.response).toBe('answered');
    expect(result.outcome !== 'throttled' && result.pendingWork.descriptions).toEqual([
      'module loading (test runner fetch)',
    ]);
    expect((await testsOwn).unrelated).toBe(42);
    expect(held.calls()).toBeGreaterThan(0);
    held.release();
  });
});
