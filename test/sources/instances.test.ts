import type { KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { InvocationLogEntry } from '../../src/sources/index.js';
import {
  createAsyncInvoker,
  createKinesisEventSource,
  createSqsEventSource,
} from '../../src/sources/index.js';
import { fnOf, sleep, T0 } from './helpers.js';

// Simulators drive a createFunction instance one invocation at a time in wall time, on a virtual
// clock. Invocations that overlap on that clock must still get their own execution environments.

/** `instanceId:cold|warm` of every invocation (or `throttled`). */
const placement = (invocations: readonly InvocationLogEntry[]): string[] =>
  invocations.map(({ result: r }) =>
    r.outcome === 'throttled'
      ? 'throttled'
      : `${(r as { instanceId?: string }).instanceId}:${r.coldStart ? 'cold' : 'warm'}`,
  );

const sqsHandler = async (e: SQSEvent) => {
  await sleep(1_000);
  return e.Records.length;
};

describe('function instances under an SQS mapping', () => {
  it('starts one environment per concurrent batch, each cold', async () => {
    const fn = fnOf(sqsHandler as never, { timeout: 10 });
    const sim = createSqsEventSource({ target: fn, BatchSize: 10 });

    sim.sendBatch(Array.from({ length: 50 }, (_, i) => `m-${i}`));
    const summary = await sim.run();

    // The poller starts with 5 concurrent batches: all five at T0, each in its own environment.
    expect(sim.invocations.map((i) => i.startedAt)).toEqual([T0, T0, T0, T0, T0]);
    expect(placement(sim.invocations)).toEqual([
      'orders/1:cold',
      'orders/2:cold',
      'orders/3:cold',
      'orders/4:cold',
      'orders/5:cold',
    ]);
    expect(fn.instances).toHaveLength(5);
    expect(fn.stats).toMatchObject({ invocations: 5, coldStarts: 5, instancesCreated: 5, throttles: 0 });
    expect(summary.byStatus.succeeded).toBe(50);
  });

  it('reuses the environments for the batches that follow', async () => {
    const fn = fnOf(sqsHandler as never, { timeout: 10 });
    const sim = createSqsEventSource({ target: fn, BatchSize: 10, ScalingConfig: { MaximumConcurrency: 2 } });

    sim.sendBatch(Array.from({ length: 50 }, (_, i) => `m-${i}`));
    await sim.run();

    expect(sim.invocations.map((i) => i.startedAt - T0)).toEqual([0, 0, 1_000, 1_000, 2_000]);
    expect(placement(sim.invocations).map((p) => p.split(':')[1])).toEqual([
      'cold',
      'cold',
      'warm',
      'warm',
      'warm',
    ]);
    expect(fn.stats).toMatchObject({ coldStarts: 2, instancesCreated: 2 });
  });

  it("throttles batches beyond the function's reserved concurrency and redelivers them", async () => {
    const fn = fnOf(sqsHandler as never, { timeout: 10, reservedConcurrency: 2 });
    const sim = createSqsEventSource({ target: fn, BatchSize: 10, Queue: { VisibilityTimeout: 30 } });

    sim.sendBatch(Array.from({ length: 50 }, (_, i) => `m-${i}`));
    const summary = await sim.run();

    // Two batches run at T0; the other three are throttled (429), so their messages come back after
    // the visibility timeout, where the two warm environments take them (again two at a time).
    expect(sim.invocations.map((i) => [i.startedAt - T0, placement([i])[0]])).toEqual([
      [0, 'orders/1:cold'],
      [0, 'orders/2:cold'],
      [0, 'throttled'],
      [0, 'throttled'],
      [0, 'throttled'],
      [30_000, 'orders/2:warm'],
      [30_000, 'orders/1:warm'],
      [30_000, 'throttled'],
      [60_000, 'orders/1:warm'],
    ]);
    expect(summary.byStatus.succeeded).toBe(50);
    expect(summary.balanced).toBe(true);
    expect(fn.stats).toMatchObject({ invocations: 5, coldStarts: 2, throttles: 4, instancesCreated: 2 });
  });
});

describe('function instances under asynchronous invocation', () => {
  const handler = async () => {
    await sleep(500);
    return 'ok';
  };

  it('keeps one warm environment for events that do not overlap', async () => {
    const fn = fnOf(handler as never);
    const sim = createAsyncInvoker({ target: fn });

    for (let k = 0; k < 4; k++) sim.invoke({ k }, { at: T0 + k * 10_000 });
    await sim.run();

    expect(placement(sim.invocations)).toEqual([
      'orders/1:cold',
      'orders/1:warm',
      'orders/1:warm',
      'orders/1:warm',
    ]);
    expect(fn.stats).toMatchObject({ coldStarts: 1, instancesCreated: 1 });
  });

  it('starts a second environment for an event arriving while the first still runs', async () => {
    const fn = fnOf(handler as never);
    const sim = createAsyncInvoker({ target: fn });

    sim.invoke({ k: 1 }, { at: T0 });
    sim.invoke({ k: 2 }, { at: T0 + 200 }); // the first runs until T0 + 500
    sim.invoke({ k: 3 }, { at: T0 + 600 });
    await sim.run();

    expect(placement(sim.invocations)).toEqual(['orders/1:cold', 'orders/2:cold', 'orders/1:warm']);
    expect(fn.stats.instancesCreated).toBe(2);
  });
});

describe('function instances under a Kinesis mapping', () => {
  it('runs shards in parallel environments and a shard’s batches one after another in one', async () => {
    const fn = fnOf((async (_e: KinesisStreamEvent) => sleep(1_000)) as never, { timeout: 10 });
    const sim = createKinesisEventSource({
      target: fn,
      Stream: { StreamName: 'clicks', ShardCount: 2 },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 5,
    });

    sim.putMany(Array.from({ length: 30 }, (_, i) => ({ data: `d-${i}`, partitionKey: `user-${i}` })));
    await sim.run();

    const shards = new Set(sim.invocations.map((i) => i.shardId));
    expect(shards.size).toBe(2);
    expect(fn.stats).toMatchObject({ instancesCreated: 2, coldStarts: 2 });
    // Each shard's batches follow each other, so after the first wave every invocation is warm.
    const cold = sim.invocations.filter((i) => i.result.outcome !== 'throttled' && i.result.coldStart);
    expect(cold.map((i) => i.startedAt)).toEqual([T0, T0]);
    expect(new Set(cold.map((i) => i.shardId)).size).toBe(2);
  });
});
