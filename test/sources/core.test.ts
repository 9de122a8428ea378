import type { KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import {
  createKinesisEventSource,
  createSimulationClock,
  createSqsEventSource,
  handlerTarget,
  readBatchResponse,
} from '../../src/sources/index.js';
import { Scheduler } from '../../src/sources/scheduler.js';
import { fnOf, sleep, T0 } from './helpers.js';

describe('scheduler', () => {
  it('runs tasks in time order, ties in scheduling order, awaiting async tasks', async () => {
    const s = new Scheduler(1000);
    const log: string[] = [];
    s.at(3000, () => {
      log.push(`c@${s.now}`);
    });
    s.at(2000, async () => {
      await Promise.resolve();
      log.push(`a@${s.now}`);
      s.after(500, () => {
        log.push(`d@${s.now}`);
      });
    });
    s.at(2000, () => {
      log.push(`b@${s.now}`);
    });

    const drained = await s.run();

    expect(drained).toBe(true);
    expect(log).toEqual(['a@2000', 'b@2000', 'd@2500', 'c@3000']);
  });

  it('stops at a time limit and never moves backwards', async () => {
    const s = new Scheduler(0);
    s.at(100, () => undefined);
    s.at(50, () => undefined);

    const drained = await s.run(60);
    s.at(10, () => undefined);

    expect(drained).toBe(false);
    expect(s.now).toBe(60);
    expect(s.nextAt).toBe(60);
  });
});

describe('readBatchResponse', () => {
  const ids = new Set(['a', 'b']);
  it.each([
    [null, 'success'],
    [undefined, 'success'],
    [{}, 'success'],
    [{ batchItemFailures: [] }, 'success'],
    [{ batchItemFailures: null }, 'success'],
    [{ batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'b' }] }, 'partial'],
    [{ batchItemFailures: [{ itemIdentifier: 'b', extra: 1 }] }, 'partial'],
    [{ batchItemFailures: [{ itemIdentifier: '' }] }, 'invalid'],
    [{ batchItemFailures: [{ itemIdentifier: null }] }, 'invalid'],
    [{ batchItemFailures: [{ itemIdentifier: 3 }] }, 'invalid'],
    [{ batchItemFailures: [{ ItemIdentifier: 'a' }] }, 'invalid'],
    [{ batchItemFailures: ['a'] }, 'invalid'],
    [{ batchItemFailures: { itemIdentifier: 'a' } }, 'invalid'],
    [{ batchItemFailures: [{ itemIdentifier: 'zzz' }] }, 'invalid'],
    [[{ itemIdentifier: 'a' }], 'invalid'],
    [42, 'invalid'],
  ])('reads %j as %s', (response, kind) => {
    expect(readBatchResponse(response, ids, true).kind).toBe(kind);
  });

  it('dedupes listed ids and ignores everything without the setting', () => {
    expect(
      readBatchResponse({ batchItemFailures: [{ itemIdentifier: 'b' }, { itemIdentifier: 'b' }] }, ids, true),
    ).toEqual({
      kind: 'partial',
      failed: ['b'],
    });
    expect(readBatchResponse('garbage', ids, false)).toEqual({ kind: 'success' });
  });
});

describe('targets and throttles', () => {
  it('retries throttled stream batches without counting them as retry attempts', async () => {
    const sim = createKinesisEventSource({
      target: fnOf((async () => sleep(2000)) as never, { timeout: 10 }),
      reservedConcurrency: 1,
      Stream: { ShardCount: 4 },
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 0,
    });

    for (let i = 0; i < 20; i++) sim.put({ data: i, partitionKey: `k${i}` });
    const a = await sim.run();

    expect(a.byStatus.succeeded).toBe(20);
    const outcomes = sim.invocations.map((i) => i.result.outcome);
    expect(outcomes).toContain('throttled');
    // Never two running invocations at once on the virtual clock.
    const ran = sim.invocations.filter((i) => i.result.outcome !== 'throttled');
    for (let i = 1; i < ran.length; i++)
      expect(ran[i]?.startedAt).toBeGreaterThanOrEqual(ran[i - 1]?.endedAt ?? 0);
  });

  it('handlerTarget runs a bare handler on the virtual clock at the simulator time', async () => {
    const seen: number[] = [];
    const sim = createKinesisEventSource({
      target: handlerTarget(async (_e: KinesisStreamEvent) => {
        seen.push(Date.now());
      }),
      StartingPosition: 'TRIM_HORIZON',
    });

    sim.put({ data: 'x', partitionKey: 'k', at: T0 + 5000 });
    await sim.run();

    expect(seen).toEqual([T0 + 5000]);
  });
});

describe('user fake timers', () => {
  it('a simulation drains while the test has faked the global timers and Date', async () => {
    vi.useFakeTimers();
    try {
      const sim = createKinesisEventSource({
        target: fnOf((async () => sleep(5000)) as never, { timeout: 10 }),
        StartingPosition: 'TRIM_HORIZON',
      });
      sim.put({ data: 'x', partitionKey: 'k' });
      sim.put({ data: 'y', partitionKey: 'k', at: T0 + 60_000 });

      const a = await sim.run();

      expect(a.byStatus.succeeded).toBe(2);
      expect(sim.invocations.map((i) => i.endedAt - T0)).toEqual([5000, 65_000]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('shared simulation clock', () => {
  it('lets one simulated function feed another simulated source on the same virtual timeline', async () => {
    const clock = createSimulationClock({ startTime: T0 });
    const consumed: string[] = [];
    const queue = createSqsEventSource({
      clock,
      target: fnOf((async (e: SQSEvent) => {
        for (const r of e.Records) consumed.push(`${r.body}@${Number(r.attributes.SentTimestamp) - T0}`);
      }) as never),
    });
    const stream = createKinesisEventSource({
      clock,
      StartingPosition: 'TRIM_HORIZON',
      target: fnOf(
        (async (e: KinesisStreamEvent) => {
          await sleep(250);
          for (const r of e.Records) queue.send(Buffer.from(r.kinesis.data, 'base64').toString());
        }) as never,
        { functionName: 'producer' },
      ),
    });

    stream.put({ data: 'a', partitionKey: 'k' });
    stream.put({ data: 'b', partitionKey: 'k', at: T0 + 10_000 });
    await stream.run();

    expect(consumed).toEqual(['a@250', 'b@10250']);
    expect(queue.accounting()).toMatchObject({ total: 2, byStatus: { succeeded: 2 } });
    expect(clock.now).toBe(T0 + 10_250);
    expect(() => createSqsEventSource({ clock, startTime: T0, target: async () => undefined })).toThrow(
      /createSimulationClock/,
    );
  });
});
