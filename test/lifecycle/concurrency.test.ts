import { afterEach, describe, expect, it } from 'vitest';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';
import { ran, succeeded, texts, vitestIsolation } from './helpers.js';

type MultiResponse = { entryCalls: number; initType: string; invokeInitType: string };

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

describe('concurrency', () => {
  it('runs overlapping invocations in separate instances, each cold the first time', async () => {
    const fn = multi();
    const results = await Promise.all([1, 2, 3].map(() => fn.invoke({ wait: 30 })));

    expect(results.map((r) => ran(r).coldStart)).toEqual([true, true, true]);
    expect(new Set(results.map((r) => ran(r).instanceId)).size).toBe(3);
    expect(results.map((r) => succeeded<MultiResponse>(r).response.entryCalls)).toEqual([1, 1, 1]);
    expect(fn.instances).toHaveLength(3);
    expect(new Set(fn.instances.map((i) => i.tmpDir)).size).toBe(3);

    // Sequential invocations now reuse a warm instance; no new instance appears.
    const next = succeeded<MultiResponse>(await fn.invoke({}));
    expect(next.coldStart).toBe(false);
    expect(next.response.entryCalls).toBe(2);
    expect(fn.instances).toHaveLength(3);
  });

  it('throttles invocations beyond reserved concurrency with TooManyRequestsException (429)', async () => {
    const fn = multi({ reservedConcurrency: 2 });
    const results = await Promise.all([1, 2, 3].map(() => fn.invoke({ wait: 30 })));

    expect(results.map((r) => r.outcome)).toEqual(['success', 'success', 'throttled']);
    expect(results[2]).toEqual({
      outcome: 'throttled',
      // Lambda answers the 429 with an x-amzn-RequestId like every response.
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      functionName: 'test-function',
      statusCode: 429,
      error: {
        errorType: 'TooManyRequestsException',
        errorMessage: 'Rate Exceeded.',
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        Type: 'User',
      },
    });
    expect(fn.instances).toHaveLength(2);
    expect(fn.stats).toMatchObject({ invocations: 2, throttles: 1 });
    const id = 'c793869b-ee49-415b-a5b6-4fd21e8dedac';
    const zero = multi({ reservedConcurrency: 0 });
    expect(await zero.invoke({}, { requestId: id })).toMatchObject({ outcome: 'throttled', requestId: id });

    // Once the burst is over, capacity is free again.
    expect((await fn.invoke({})).outcome).toBe('success');
  });

  it('throttles every invocation when reserved concurrency is 0', async () => {
    const fn = multi({ reservedConcurrency: 0 });
    const result = await fn.invoke({});
    expect(result.outcome).toBe('throttled');
    expect(fn.instances).toHaveLength(0);
  });

  it('throttles beyond the account quota with ConcurrentInvocationLimitExceeded', async () => {
    const fn = multi({ accountConcurrency: 1 });
    const [a, b] = await Promise.all([fn.invoke({ wait: 20 }), fn.invoke({ wait: 20 })]);
    expect(a.outcome).toBe('success');
    expect(b.outcome === 'throttled' && b.error.Reason).toBe('ConcurrentInvocationLimitExceeded');
  });
});

describe('provisioned concurrency', () => {
  it('pre-initialises instances: no Init Duration, AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency', async () => {
    const fn = multi({ provisionedConcurrency: 2 });
    await fn.ready();
    expect(fn.instances.map((i) => [i.state, i.initializationType, i.inits])).toEqual([
      ['idle', 'provisioned-concurrency', 1],
      ['idle', 'provisioned-concurrency', 1],
    ]);
    expect(fn.instances[0]!.provisionedInitLogs.map((l) => l.text)[0]).toMatch(/^INIT_START /);

    const result = succeeded<MultiResponse>(await fn.invoke({}));
    expect(result.coldStart).toBe(false);
    expect(result.initDurationMs).toBeUndefined();
    expect(texts(result).at(-1)).not.toContain('Init Duration');
    expect(texts(result).some((t) => t.startsWith('INIT_START'))).toBe(false);
    expect(result.response).toMatchObject({
      entryCalls: 1,
      initType: 'provisioned-concurrency',
      invokeInitType: 'provisioned-concurrency',
    });
  });

  it('spills over to on-demand instances (cold, with Init Duration) when all provisioned ones are busy', async () => {
    const fn = multi({ provisionedConcurrency: 1 });
    const [a, b] = await Promise.all([fn.invoke({ wait: 30 }), fn.invoke({ wait: 30 })]);
    const provisioned = succeeded<MultiResponse>(a);
    const spill = succeeded<MultiResponse>(b);
    expect(provisioned.coldStart).toBe(false);
    expect(provisioned.response.initType).toBe('provisioned-concurrency');
    expect(spill.coldStart).toBe(true);
    expect(spill.initDurationMs).toBeGreaterThan(0);
    expect(spill.response.initType).toBe('on-demand');
    expect(fn.instances.map((i) => i.initializationType).sort()).toEqual([
      'on-demand',
      'provisioned-concurrency',
    ]);
  });

  it('forceColdStart replaces provisioned instances with freshly initialised ones', async () => {
    const fn = multi({ provisionedConcurrency: 1 });
    await fn.invoke({});
    const before = fn.instances[0]!;
    fn.forceColdStart();
    await fn.ready();
    const [after] = fn.instances;
    expect(after).toMatchObject({
      state: 'idle',
      initializationType: 'provisioned-concurrency',
      invocations: 0,
    });
    expect(after!.id).not.toBe(before.id);
    expect(succeeded<MultiResponse>(await fn.invoke({})).response.entryCalls).toBe(1);
  });

  it('keeps provisioned instances through idle time while recycling idle on-demand ones', async () => {
    const fn = multi({ provisionedConcurrency: 1, idleTimeout: 60 });
    await Promise.all([fn.invoke({ wait: 20 }), fn.invoke({ wait: 20 })]);
    expect(fn.instances).toHaveLength(2);
    expect(fn.passIdleTime(3600)).toBe(1);
    expect(fn.instances.map((i) => i.initializationType)).toEqual(['provisioned-concurrency']);
  });

  it('routes to a provisioned instance before a warm on-demand one', async () => {
    const fn = multi({ provisionedConcurrency: 1 });
    await Promise.all([fn.invoke({ wait: 20 }), fn.invoke({ wait: 20 })]);
    const next = succeeded<MultiResponse>(await fn.invoke({}));
    expect(next.response.initType).toBe('provisioned-concurrency');
  });
});
