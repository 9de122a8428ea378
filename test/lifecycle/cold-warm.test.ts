import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';
import { ran, succeeded, texts, vitestIsolation } from './helpers.js';

type MultiResponse = {
  entryCalls: number;
  libCalls: number;
  price: number;
  initType: string;
  invokeInitType: string;
  initTmpdir: string;
  tmpdir: string;
  tmpEnv: string;
};

// Shared through a probe object the test owns: the harness removes the globals a handler adds.
(globalThis as Record<string, unknown>).__lifecycleProbe ??= {};
const g = (globalThis as Record<string, unknown>).__lifecycleProbe as {
  __entryEvaluations?: number;
  __libEvaluations?: number;
};
const fns: LambdaFunction[] = [];
function multi(options: Partial<Parameters<typeof createFunction>[0]> = {}): LambdaFunction {
  const fn = createFunction({
    handler: () => import('../fixtures/lifecycle/multi.js'),
    handlerName: 'multi.handler',
    isolation: vitestIsolation,
    ...options,
  });
  fns.push(fn);
  return fn;
}

afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

describe('cold and warm starts', () => {
  it('re-initialises every module of the handler on a cold start and keeps state when warm', async () => {
    const fn = multi();
    const entryBefore = g.__entryEvaluations ?? 0;
    const libBefore = g.__libEvaluations ?? 0;

    const first = succeeded<MultiResponse>(await fn.invoke({}));
    const second = succeeded<MultiResponse>(await fn.invoke({}));

    expect(first.coldStart).toBe(true);
    expect(second.coldStart).toBe(false);
    expect(first.response).toMatchObject({ entryCalls: 1, libCalls: 1 });
    expect(second.response).toMatchObject({ entryCalls: 2, libCalls: 2 });
    expect(g.__entryEvaluations).toBe(entryBefore + 1);
    expect(g.__libEvaluations).toBe(libBefore + 1);
    expect(first.instanceId).toBe(second.instanceId);

    fn.forceColdStart();
    const third = succeeded<MultiResponse>(await fn.invoke({}));
    expect(third.coldStart).toBe(true);
    expect(third.response).toMatchObject({ entryCalls: 1, libCalls: 1 });
    expect(g.__entryEvaluations).toBe(entryBefore + 2);
    expect(g.__libEvaluations).toBe(libBefore + 2);
    expect(third.instanceId).not.toBe(first.instanceId);
  });

  it('reports Init Duration and the init logs only on the cold start', async () => {
    const fn = multi();
    const cold = ran(await fn.invoke({}));
    const warm = ran(await fn.invoke({}));

    expect(cold.initDurationMs).toBeGreaterThan(0);
    expect(cold.report.initDurationMs).toBe(cold.initDurationMs);
    expect(texts(cold)[0]).toMatch(/^INIT_START Runtime Version: /);
    expect(texts(cold).some((t) => t.endsWith('\tINFO\tmodule loaded'))).toBe(true);
    expect(texts(cold).at(-1)).toMatch(/\tInit Duration: \d+\.\d\d ms\t$/);
    expect(cold.billedDurationMs).toBe(Math.ceil(cold.initDurationMs! + cold.durationMs));

    expect(warm.initDurationMs).toBeUndefined();
    expect(texts(warm).some((t) => t.includes('INIT_START') || t.includes('module loaded'))).toBe(false);
    expect(texts(warm).at(-1)).not.toContain('Init Duration');
  });

  it('sets AWS_LAMBDA_INITIALIZATION_TYPE=on-demand during init and invoke', async () => {
    const fn = multi();
    const result = succeeded<MultiResponse>(await fn.invoke({}));
    expect(result.response.initType).toBe('on-demand');
    expect(result.response.invokeInitType).toBe('on-demand');
  });

  it('recycles instances idle longer than idleTimeout (simulated and real time)', async () => {
    const fn = multi({ idleTimeout: 60 });
    await fn.invoke({});
    const [instance] = fn.instances;
    expect(fn.passIdleTime(30)).toBe(0);
    expect(fn.instances).toHaveLength(1);
    expect(fn.passIdleTime(31)).toBe(1);
    expect(fn.instances).toHaveLength(0);
    expect(existsSync(instance!.tmpDir)).toBe(false);
    expect(succeeded(await fn.invoke({})).coldStart).toBe(true);
    expect(fn.stats).toMatchObject({ coldStarts: 2, instancesCreated: 2, instancesRecycled: 1 });

    const fast = multi({ idleTimeout: 0.03 });
    await fast.invoke({});
    expect(fast.instances).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fast.instances).toHaveLength(0);
  });

  it('shows the instances with their state, /tmp and invocation counts', async () => {
    const fn = multi({ functionName: 'orders' });
    expect(fn.instances).toEqual([]);
    await fn.invoke({});
    await fn.invoke({});
    expect(fn.instances).toEqual([
      expect.objectContaining({
        id: 'orders/1',
        state: 'idle',
        initializationType: 'on-demand',
        invocations: 2,
        inits: 1,
        lastReset: undefined,
      }),
    ]);
    expect(fn.instances[0]!.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('reports work left running after the response', async () => {
    const fn = createFunction({
      handler: () => import('../fixtures/lifecycle/behaviour.js'),
      isolation: vitestIsolation,
    });
    fns.push(fn);
    const result = ran(await fn.invoke({ action: 'leave-timer' }));
    expect(result.outcome).toBe('success');
    expect(result.pendingWork).toMatchObject({ timers: 1, descriptions: ['setTimeout 500 ms'] });
  });

  it('reports timers the module scheduled during init on the cold start', async () => {
    const fn = createFunction({
      handler: () => import('../fixtures/lifecycle/init-timer.js'),
      isolation: vitestIsolation,
    });
    fns.push(fn);
    const result = ran(await fn.invoke({}));
    expect(result.pendingWork.intervals).toBe(1);
    expect(result.pendingWork.descriptions).toContain('setInterval 1000 ms (scheduled during init)');
  });

  it('accepts a loader that returns the handler function itself', async () => {
    let loads = 0;
    const fn = createFunction({
      handler: () => {
        loads += 1;
        return async () => ({ loads });
      },
    });
    fns.push(fn);
    expect(succeeded(await fn.invoke()).response).toEqual({ loads: 1 });
    expect(succeeded(await fn.invoke()).response).toEqual({ loads: 1 });
    fn.forceColdStart();
    expect(succeeded(await fn.invoke()).response).toEqual({ loads: 2 });
  });

  it('refuses an isolation that does not re-evaluate the module', async () => {
    const fn = createFunction({
      handler: () => import('../fixtures/lifecycle/stale.js'),
      isolation: { name: 'none', load: (loader) => loader() },
    });
    fns.push(fn);
    await fn.invoke();
    fn.forceColdStart();
    await expect(fn.invoke()).rejects.toMatchObject({
      name: 'HarnessError',
      code: 'UNSUPPORTED',
      message: expect.stringContaining('did not run again (isolation: none)'),
    });
  });
});
