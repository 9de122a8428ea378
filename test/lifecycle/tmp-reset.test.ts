import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuntimeName } from '../../src/invoke/result.js';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';
import { ran, succeeded, texts, vitestIsolation } from './helpers.js';

const fns: LambdaFunction[] = [];
function behaviour(runtime: RuntimeName = 'nodejs24.x', extra: Record<string, unknown> = {}): LambdaFunction {
  const fn = createFunction({
    handler: () => import('../fixtures/lifecycle/behaviour.js'),
    isolation: vitestIsolation,
    runtime,
    timeout: 1,
    clock: 'virtual',
    ...extra,
  });
  fns.push(fn);
  return fn;
}

afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

describe('per-instance /tmp', () => {
  it('points os.tmpdir() and TMPDIR at the instance directory during init and invoke', async () => {
    const fn = createFunction({
      handler: () => import('../fixtures/lifecycle/multi.js'),
      handlerName: 'multi.handler',
      isolation: vitestIsolation,
    });
    fns.push(fn);
    const result = succeeded<{ initTmpdir: string; tmpdir: string; tmpEnv: string }>(await fn.invoke({}));
    const [instance] = fn.instances;
    expect(result.response).toEqual(
      expect.objectContaining({
        initTmpdir: instance!.tmpDir,
        tmpdir: instance!.tmpDir,
        tmpEnv: instance!.tmpDir,
      }),
    );
    expect(instance!.tmpDir.startsWith(os.tmpdir())).toBe(true);
    expect(os.tmpdir()).not.toBe(instance!.tmpDir);
  });

  it('lets a TMPDIR in the function env win, as on Lambda', async () => {
    const fn = createFunction({
      handler: () => import('../fixtures/lifecycle/multi.js'),
      handlerName: 'multi.handler',
      isolation: vitestIsolation,
      env: { TMPDIR: '/custom/tmp' },
    });
    fns.push(fn);
    const result = succeeded<{ tmpdir: string; tmpEnv: string }>(await fn.invoke({}));
    expect(result.response).toMatchObject({ tmpdir: '/custom/tmp', tmpEnv: '/custom/tmp' });
  });

  it('keeps files across warm invocations and removes the directory on dispose', async () => {
    const fn = behaviour();
    const written = succeeded<{ file: string }>(await fn.invoke({ action: 'write', text: 'hello' }));
    const [instance] = fn.instances;
    expect(written.response.file).toBe(path.join(instance!.tmpDir, 'state.txt'));
    expect(readFileSync(written.response.file, 'utf8')).toBe('hello');
    expect(succeeded(await fn.invoke({ action: 'read' })).response).toEqual({ calls: 2, text: 'hello' });

    await fn.dispose();
    expect(existsSync(instance!.tmpDir)).toBe(false);
  });

  it('never shares /tmp between instances', async () => {
    const fn = behaviour('nodejs24.x', { clock: 'real' });
    await fn.invoke({ action: 'write', text: 'first instance' });
    fn.forceColdStart();
    expect(succeeded(await fn.invoke({ action: 'read' })).response).toEqual({ calls: 1, text: null });
  });
});

describe('environment reset', () => {
  it('after a timeout: the next invocation is a cold start with the same /tmp and fresh module state', async () => {
    const fn = behaviour();
    await fn.invoke({ action: 'write', text: 'kept' });
    const timedOut = ran(await fn.invoke({ action: 'hang' }));
    expect(timedOut.outcome).toBe('timeout');
    expect(fn.instances[0]).toMatchObject({ state: 'needs-init', lastReset: 'timeout' });

    const after = succeeded(await fn.invoke({ action: 'read' }));
    expect(after.coldStart).toBe(true);
    expect(after.initDurationMs).toBeGreaterThan(0);
    expect(after.response).toEqual({ calls: 1, text: 'kept' });
    expect(after.instanceId).toBe(timedOut.instanceId);
    expect(fn.instances).toHaveLength(1);
    expect(fn.instances[0]).toMatchObject({ state: 'idle', inits: 2, invocations: 3 });
  });

  it.each([
    ['nodejs22.x', 'crash-timer'],
    ['nodejs22.x', 'floating-rejection'],
    ['nodejs24.x', 'crash-timer'],
    ['nodejs24.x', 'floating-rejection'],
  ] as const)('after a runtime crash (%s, %s): same /tmp, fresh module state', async (runtime, action) => {
    const fn = behaviour(runtime, { clock: 'real' });
    await fn.invoke({ action: 'write', text: 'survives the crash' });
    const { logStreamName, tmpDir } = fn.instances[0]!;
    const crashed = ran(await fn.invoke({ action }));
    expect(crashed.outcome).toBe('error');
    expect(fn.instances[0]!.lastReset).toMatch(/^(crash|exit)$/);

    const after = succeeded(await fn.invoke({ action: 'read' }));
    expect(after.coldStart).toBe(true);
    expect(after.response).toEqual({ calls: 1, text: 'survives the crash' });
    expect(texts(after)[0]).toMatch(/^INIT_START /);
    expect(fn.instances).toEqual([expect.objectContaining({ logStreamName, tmpDir, inits: 2 })]);
  });

  it('a handler error is not a reset: the next invocation stays warm', async () => {
    const fn = createFunction({
      handler: () => {
        let calls = 0;
        return async () => {
          calls += 1;
          if (calls === 1) throw new Error('first call fails');
          return calls;
        };
      },
    });
    fns.push(fn);
    expect((await fn.invoke()).outcome).toBe('error');
    const second = succeeded<number>(await fn.invoke());
    expect(second.coldStart).toBe(false);
    expect(second.response).toBe(2);
  });
});
