import { afterEach, describe, expect, it } from 'vitest';
import {
  type CreateFunctionOptions,
  createFunction,
  type FunctionResult,
  type LambdaFunction,
} from '../../src/lifecycle/index.js';
import { ran } from './helpers.js';

// Virtual occupancy: an invocation given its own `clock: { mode: 'virtual', startMs }` (what the
// simulators do) keeps its instance busy on the virtual timeline until startMs + durationMs, even
// though it finished long ago in wall time.

const T0 = Date.UTC(2024, 0, 15, 12, 0, 0, 0);
const fns: LambdaFunction[] = [];

afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

/** A function whose handler sleeps `event.ms` virtual ms (0: returns at once). */
function sleeper(options: Partial<CreateFunctionOptions> = {}): LambdaFunction {
  let loads = 0;
  const fn = createFunction({
    functionName: 'occupancy',
    timeout: 60,
    handler: () => {
      const load = ++loads;
      return async (event: { ms?: number }) => {
        if (event.ms) await new Promise((resolve) => setTimeout(resolve, event.ms));
        return { load };
      };
    },
    ...options,
  });
  fns.push(fn);
  return fn;
}

const at = (startMs: number) => ({ clock: { mode: 'virtual', startMs } }) as const;
const summary = (r: FunctionResult) =>
  r.outcome === 'throttled' ? 'throttled' : `${r.instanceId}:${r.coldStart ? 'cold' : 'warm'}`;

describe('virtual occupancy', () => {
  it('gives overlapping virtual invocations separate instances, each cold', async () => {
    const fn = sleeper();
    const a = ran(await fn.invoke({ ms: 100 }, at(T0)));
    const b = ran(await fn.invoke({ ms: 100 }, at(T0 + 50))); // a still runs until T0 + 100

    expect([a, b].map(summary)).toEqual(['occupancy/1:cold', 'occupancy/2:cold']);
    expect(a.outcome === 'success' && a.response).toEqual({ load: 1 });
    expect(b.outcome === 'success' && b.response).toEqual({ load: 2 });
    expect(fn.instances).toHaveLength(2);
    expect(fn.stats).toMatchObject({ invocations: 2, coldStarts: 2, instancesCreated: 2, throttles: 0 });

    // At T0 + 100 instance 1 is free again (the interval is half-open), instance 2 is still busy.
    expect(summary(await fn.invoke({ ms: 100 }, at(T0 + 100)))).toBe('occupancy/1:warm');
    // At T0 + 120 both run (1 until T0 + 200, 2 until T0 + 150): a third environment starts.
    expect(summary(await fn.invoke({ ms: 10 }, at(T0 + 120)))).toBe('occupancy/3:cold');
    // Later, all free: the most recently used one serves it.
    expect(summary(await fn.invoke({}, at(T0 + 1_000)))).toBe('occupancy/3:warm');
    expect(fn.stats).toMatchObject({ invocations: 5, coldStarts: 3, instancesCreated: 3 });
  });

  it('reuses the warm instance for invocations that do not overlap', async () => {
    const fn = sleeper();
    const results: FunctionResult[] = [];
    for (let k = 0; k < 4; k++) results.push(await fn.invoke({ ms: 1_000 }, at(T0 + k * 1_000)));

    expect(results.map(summary)).toEqual([
      'occupancy/1:cold',
      'occupancy/1:warm',
      'occupancy/1:warm',
      'occupancy/1:warm',
    ]);
    expect(fn.stats).toMatchObject({ coldStarts: 1, instancesCreated: 1 });
  });

  it('counts a timeout as occupying the instance for the whole function timeout', async () => {
    const fn = sleeper({ timeout: 1 });
    const hung = ran(await fn.invoke({ ms: 10_000 }, at(T0)));
    expect(hung.outcome).toBe('timeout');
    expect(hung.durationMs).toBe(1_000);

    expect(summary(await fn.invoke({}, at(T0 + 999)))).toBe('occupancy/2:cold');
    // Instance 1 was reset by the timeout: it is free at T0 + 1000 and re-runs init there.
    expect(summary(await fn.invoke({}, at(T0 + 1_000)))).toBe('occupancy/2:warm');
    expect(fn.instances.map((i) => i.state)).toEqual(['needs-init', 'idle']);
  });

  it('lets an invocation that took no virtual time occupy none', async () => {
    const fn = sleeper();
    const results = [await fn.invoke({}, at(T0)), await fn.invoke({}, at(T0))];
    expect(results.map(summary)).toEqual(['occupancy/1:cold', 'occupancy/1:warm']);
  });

  it('throttles a virtual overlap beyond reservedConcurrency', async () => {
    const fn = sleeper({ reservedConcurrency: 1 });
    const first = await fn.invoke({ ms: 100 }, at(T0));
    const overlapping = await fn.invoke({ ms: 100 }, at(T0 + 50));

    expect(summary(first)).toBe('occupancy/1:cold');
    expect(overlapping).toEqual({
      outcome: 'throttled',
      requestId: expect.any(String),
      functionName: 'occupancy',
      statusCode: 429,
      error: {
        errorType: 'TooManyRequestsException',
        errorMessage: 'Rate Exceeded.',
        Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        Type: 'User',
      },
    });
    expect(summary(await fn.invoke({}, at(T0 + 100)))).toBe('occupancy/1:warm');
    expect(fn.stats).toMatchObject({ invocations: 2, throttles: 1, instancesCreated: 1 });
  });

  it('throttles a virtual overlap beyond accountConcurrency', async () => {
    const fn = sleeper({ accountConcurrency: 2 });
    const results = [
      await fn.invoke({ ms: 100 }, at(T0)),
      await fn.invoke({ ms: 100 }, at(T0 + 10)),
      await fn.invoke({ ms: 100 }, at(T0 + 20)),
    ];
    expect(results.map(summary)).toEqual(['occupancy/1:cold', 'occupancy/2:cold', 'throttled']);
    const third = results[2];
    expect(third?.outcome === 'throttled' && third.error.Reason).toBe('ConcurrentInvocationLimitExceeded');
  });

  it('leaves real-clock and startMs-less invocations as before', async () => {
    const fn = sleeper({ reservedConcurrency: 1 });
    await fn.invoke({ ms: 60_000 }, at(T0)); // virtually busy until T0 + 60 s
    expect(summary(await fn.invoke({}))).toBe('occupancy/1:warm');
    expect(summary(await fn.invoke({}, { clock: 'virtual' }))).toBe('occupancy/1:warm');
    expect(fn.stats).toMatchObject({ throttles: 0, instancesCreated: 1 });
  });

  it('treats a start before the last virtual invocation as another timeline', async () => {
    const fn = sleeper();
    await fn.invoke({ ms: 100 }, at(T0 + 3_600_000));
    // A second simulator run starting over at T0 does not overlap [T0 + 1 h, T0 + 1 h + 100 ms).
    expect(summary(await fn.invoke({ ms: 100 }, at(T0)))).toBe('occupancy/1:warm');
    expect(summary(await fn.invoke({}, at(T0 + 50)))).toBe('occupancy/2:cold');
  });

  it('recycles instances that sat idle longer than idleTimeout on the virtual clock', async () => {
    const fn = sleeper({ idleTimeout: 60 });
    await fn.invoke({ ms: 1_000 }, at(T0));
    expect(summary(await fn.invoke({}, at(T0 + 61_000)))).toBe('occupancy/1:warm'); // idle 60 s: kept
    expect(summary(await fn.invoke({}, at(T0 + 121_001)))).toBe('occupancy/2:cold'); // idle 60.001 s
    expect(fn.stats).toMatchObject({ instancesCreated: 2, instancesRecycled: 1 });
    expect(fn.instances.map((i) => i.id)).toEqual(['occupancy/2']);
  });

  it('assigns the same instances for the same virtual schedule', async () => {
    const schedule: Array<[number, number]> = [
      [0, 300],
      [100, 50],
      [120, 500],
      [200, 10],
      [300, 0],
      [300, 100],
      [1_000, 10],
    ];
    const runOnce = async (): Promise<string[]> => {
      const fn = sleeper();
      const out: string[] = [];
      for (const [start, ms] of schedule) out.push(summary(await fn.invoke({ ms }, at(T0 + start))));
      return out;
    };
    const first = await runOnce();
    expect(first).toEqual([
      'occupancy/1:cold',
      'occupancy/2:cold',
      'occupancy/3:cold',
      'occupancy/2:warm', // 2 ended at 150; 1 and 3 still run
      'occupancy/2:warm', // 1 and 2 are free at 300: the most recently used one
      'occupancy/2:warm', // the 0 ms invocation at 300 occupied nothing
      'occupancy/2:warm',
    ]);
    expect(await runOnce()).toEqual(first);
  });
});
