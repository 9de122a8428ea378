import type { DynamoDBStreamEvent, KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import type { FunctionInvocationResult } from '../../src/invoke/result.js';
import {
  createDynamoDBEventSource,
  createKinesisEventSource,
  type InvocationTarget,
} from '../../src/sources/index.js';
import { fnOf, QUEUE_ARN, sleep, T0 } from './helpers.js';

function failure(requestId: string, now: number): FunctionInvocationResult {
  const report = {
    requestId,
    durationMs: 5,
    billedDurationMs: 5,
    memorySizeMB: 128,
    maxMemoryUsedMB: 64,
    initDurationMs: undefined,
    status: undefined,
  };
  return {
    outcome: 'error',
    phase: 'invoke',
    error: { errorType: 'Error', errorMessage: `failed at ${now}` },
    requestId,
    functionName: 'orders',
    runtime: 'nodejs22.x',
    coldStart: false,
    durationMs: 5,
    billedDurationMs: 5,
    initDurationMs: undefined,
    logs: [],
    report,
    pendingWork: { timers: 0, intervals: 0, immediates: 0, descriptions: [] },
  };
}

const text = (r: KinesisStreamEvent['Records'][number]) =>
  Buffer.from(r.kinesis.data, 'base64').toString('utf8');
const kinesisFn = (handler: (e: KinesisStreamEvent) => unknown) => fnOf(handler as never, { timeout: 60 });

describe('Kinesis event source mapping', () => {
  it('delivers ordered batches from one shard at a time with real Kinesis records', async () => {
    const batches: KinesisStreamEvent[] = [];
    const sim = createKinesisEventSource({
      target: kinesisFn(async (e) => {
        batches.push(e);
      }),
      Stream: { StreamName: 'clicks', ShardCount: 3 },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 5,
    });

    const puts = Array.from({ length: 30 }, (_, i) =>
      sim.put({ data: `r${i}`, partitionKey: `user-${i % 7}` }),
    );
    const a = await sim.run();

    expect(a.byStatus.succeeded).toBe(30);
    for (const b of batches) {
      expect(b.Records.length).toBeLessThanOrEqual(5);
      expect(new Set(b.Records.map((r) => r.eventID.split(':')[0])).size).toBe(1);
    }
    for (const shardId of sim.shardIds) {
      const seqs = batches.flatMap((b) => b.Records).filter((r) => r.eventID.startsWith(shardId));
      const sorted = [...seqs].sort((x, y) =>
        BigInt(x.kinesis.sequenceNumber) < BigInt(y.kinesis.sequenceNumber) ? -1 : 1,
      );
      expect(seqs).toEqual(sorted);
    }
    const first = batches
      .flatMap((b) => b.Records)
      .find((r) => r.kinesis.sequenceNumber === puts[0]?.sequenceNumber);
    expect(first).toMatchObject({
      eventSource: 'aws:kinesis',
      eventName: 'aws:kinesis:record',
      eventVersion: '1.0',
      eventID: `${puts[0]?.shardId}:${puts[0]?.sequenceNumber}`,
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
      kinesis: {
        partitionKey: 'user-0',
        kinesisSchemaVersion: '1.0',
        approximateArrivalTimestamp: T0 / 1000,
      },
    });
    expect(first && text(first)).toBe('r0');
    expect(puts[0]?.sequenceNumber).toMatch(/^\d{56}$/);
  });

  it('blocks the shard while a batch retries, then sends a KinesisBatchInfo record and moves on', async () => {
    const seen: string[] = [];
    const sim = createKinesisEventSource({
      target: kinesisFn(async (e) => {
        seen.push(e.Records.map(text).join(','));
        if (e.Records.some((r) => text(r) === 'bad')) throw new Error('poison');
      }),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 2,
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    const [p0, p1] = sim.putMany([
      { data: 'ok0', partitionKey: 'k' },
      { data: 'bad', partitionKey: 'k' },
      { data: 'ok2', partitionKey: 'k' },
    ]);
    await sim.run();

    expect(seen).toEqual(['ok0,bad', 'ok0,bad', 'ok0,bad', 'ok2']);
    expect(sim.history(p0?.sequenceNumber as string).status).toBe('failure-destination');
    const d = sim.destinations.onFailure[0];
    expect(d?.itemIds).toEqual([p0?.sequenceNumber, p1?.sequenceNumber]);
    expect(d?.record).toEqual({
      requestContext: {
        requestId: sim.invocations[2]?.requestId,
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.stringMatching(/^2024-01-15T12:00:0\d\.\d{3}Z$/),
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: p0?.sequenceNumber,
        endSequenceNumber: p1?.sequenceNumber,
        approximateArrivalOfFirstRecord: new Date(T0).toISOString(),
        approximateArrivalOfLastRecord: new Date(T0).toISOString(),
        batchSize: 2,
        streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/test-stream',
      },
    });
  });

  it('bisects a failing batch down to the poison record; splits do not count as retries', async () => {
    const sim = createKinesisEventSource({
      target: kinesisFn(async (e) => {
        if (e.Records.some((r) => text(r) === 'bad')) throw new Error('poison');
      }),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 8,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    const puts = sim.putMany(
      Array.from({ length: 8 }, (_, i) => ({ data: i === 5 ? 'bad' : `ok${i}`, partitionKey: 'k' })),
    );
    const a = await sim.run();

    expect(a.byStatus).toMatchObject({ succeeded: 7, 'failure-destination': 1 });
    expect(sim.invocations.map((i) => i.itemIds.length)).toEqual([8, 4, 4, 2, 1, 1, 1, 2]);
    const poison = sim.history(puts[5]?.sequenceNumber as string);
    expect(poison.attempts).toHaveLength(5); // 8, 4, 2, 1 and one retry of the single record
    const info = sim.destinations.onFailure[0]?.record.KinesisBatchInfo;
    expect(info?.batchSize).toBe(1);
    expect(info?.startSequenceNumber).toBe(puts[5]?.sequenceNumber);
  });

  it('retries until MaximumRecordAgeInSeconds with the default MaximumRetryAttempts -1', async () => {
    const sim = createKinesisEventSource({
      target: kinesisFn(async () => {
        throw new Error('always');
      }),
      StartingPosition: 'TRIM_HORIZON',
      MaximumRecordAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    const { sequenceNumber } = sim.put({ data: 'x', partitionKey: 'k' });
    await sim.run();

    const h = sim.history(sequenceNumber);
    expect(h.condition).toBe('RecordAgeExceeded');
    expect(h.attempts.length).toBeGreaterThan(3);
    expect(h.settledAt).toBeGreaterThan(T0 + 60_000);
    expect(sim.destinations.onFailure[0]?.record.requestContext.condition).toBe('RecordAgeExceeded');
  });

  it('lets records expire with the stream retention when retries are infinite and age is unlimited', async () => {
    // A hand-written InvocationTarget: cheap enough for a day of retries.
    const target: InvocationTarget = {
      functionName: 'orders',
      invoke: async (_event, { now, requestId }) => failure(requestId ?? 'r', now),
    };
    const sim = createKinesisEventSource({ target, StartingPosition: 'TRIM_HORIZON' });

    const { sequenceNumber } = sim.put({ data: 'x', partitionKey: 'k' });
    const a = await sim.run();

    expect(a.byStatus.expired).toBe(1);
    expect(sim.history(sequenceNumber).settledAt).toBeGreaterThan(T0 + 24 * 3_600_000);
  });

  it('with ReportBatchItemFailures checkpoints before the lowest failed sequence number and resends the rest', async () => {
    let calls = 0;
    const sim = createKinesisEventSource({
      target: kinesisFn(async (e) => {
        calls++;
        if (calls > 1) return { batchItemFailures: [] };
        const failed = e.Records.filter((r) => ['r3', 'r1'].includes(text(r)));
        return {
          batchItemFailures: failed.reverse().map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
        };
      }),
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });

    const puts = sim.putMany(Array.from({ length: 5 }, (_, i) => ({ data: `r${i}`, partitionKey: 'k' })));
    await sim.run();

    expect(sim.invocations.map((i) => i.itemIds.length)).toEqual([5, 4]);
    expect(sim.history(puts[0]?.sequenceNumber as string).attempts).toHaveLength(1);
    expect(sim.history(puts[4]?.sequenceNumber as string).attempts.map((a) => a.outcome)).toEqual([
      'item-failure',
      'success',
    ]);
    expect(sim.accounting().byStatus.succeeded).toBe(5);
  });

  it('treats an unknown sequence number in batchItemFailures as a whole-batch failure', async () => {
    let calls = 0;
    const sim = createKinesisEventSource({
      target: kinesisFn(async () => (++calls === 1 ? { batchItemFailures: [{ itemIdentifier: '1' }] } : {})),
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });

    const [p] = sim.putMany([
      { data: 'a', partitionKey: 'k' },
      { data: 'b', partitionKey: 'k' },
    ]);
    await sim.run();

    expect(sim.history(p?.sequenceNumber as string).attempts.map((a) => a.outcome)).toEqual([
      'invalid-response',
      'success',
    ]);
  });

  it('honours StartingPosition LATEST and AT_TIMESTAMP for records already in the stream', async () => {
    const make = (extra: object) =>
      createKinesisEventSource({
        target: async () => undefined,
        ...(extra as { StartingPosition: 'LATEST' }),
      });
    const before = T0 - 3_600_000;
    const latest = make({ StartingPosition: 'LATEST' });
    const old = latest.put({ data: 'old', partitionKey: 'k', at: before });
    const fresh = latest.put({ data: 'new', partitionKey: 'k' });
    await latest.run();
    expect(latest.history(old.sequenceNumber).status).toBe('skipped');
    expect(latest.history(fresh.sequenceNumber).status).toBe('succeeded');

    const atTs = make({
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: (T0 - 1_800_000) / 1000,
    });
    const older = atTs.put({ data: 'older', partitionKey: 'k', at: before });
    const recent = atTs.put({ data: 'recent', partitionKey: 'k', at: T0 - 60_000 });
    await atTs.run();
    expect(atTs.history(older.sequenceNumber).status).toBe('skipped');
    expect(atTs.history(recent.sequenceNumber).status).toBe('succeeded');

    const trim = make({ StartingPosition: 'TRIM_HORIZON' });
    const kept = trim.put({ data: 'old', partitionKey: 'k', at: before });
    await trim.run();
    expect(trim.history(kept.sequenceNumber).status).toBe('succeeded');
  });

  it('runs ParallelizationFactor batches per shard concurrently while keeping order per partition key', async () => {
    const log: string[] = [];
    const sim = createKinesisEventSource({
      target: kinesisFn(async (e) => {
        await sleep(1000);
        for (const r of e.Records) log.push(`${r.kinesis.partitionKey}:${text(r)}`);
      }),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 2,
      ParallelizationFactor: 4,
    });

    for (let i = 0; i < 40; i++) sim.put({ data: String(i), partitionKey: `pk-${i % 8}` });
    await sim.run();

    const starts = new Map<number, number>();
    for (const inv of sim.invocations) starts.set(inv.startedAt, (starts.get(inv.startedAt) ?? 0) + 1);
    expect(Math.max(...starts.values())).toBeGreaterThan(1);
    expect(Math.max(...starts.values())).toBeLessThanOrEqual(4);
    for (let k = 0; k < 8; k++) {
      const seq = log.filter((l) => l.startsWith(`pk-${k}:`)).map((l) => Number(l.split(':')[1]));
      expect(seq).toEqual([...seq].sort((a, b) => a - b));
      expect(seq).toHaveLength(5);
    }
  });

  it('rejects configurations Lambda rejects', () => {
    const t = async () => undefined;
    const err = (o: object) => {
      try {
        createKinesisEventSource({ target: t, StartingPosition: 'TRIM_HORIZON', ...o });
      } catch (e) {
        expect((e as HarnessError).code).toBe('INVALID_CONFIGURATION');
        return (e as HarnessError).path;
      }
      return 'no error';
    };
    expect(err({ BatchSize: 10_001 })).toBe('BatchSize');
    expect(err({ ParallelizationFactor: 11 })).toBe('ParallelizationFactor');
    expect(err({ MaximumRetryAttempts: -2 })).toBe('MaximumRetryAttempts');
    expect(err({ MaximumRetryAttempts: 10_001 })).toBe('MaximumRetryAttempts');
    expect(err({ MaximumRecordAgeInSeconds: 30 })).toBe('MaximumRecordAgeInSeconds');
    expect(err({ MaximumRecordAgeInSeconds: 604_801 })).toBe('MaximumRecordAgeInSeconds');
    expect(err({ StartingPosition: 'EARLIEST' })).toBe('StartingPosition');
    expect(err({ StartingPosition: 'AT_TIMESTAMP' })).toBe('StartingPositionTimestamp');
    expect(err({ StartingPosition: undefined })).toBe('StartingPosition');
    expect(
      err({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:us-east-1:1:function:f' } } }),
    ).toBe('DestinationConfig.OnFailure.Destination');
    expect(err({ TumblingWindowInSecond: 10 })).toBe('TumblingWindowInSecond');
    expect(() =>
      createKinesisEventSource({
        target: t,
        StartingPosition: 'LATEST',
        TumblingWindowInSeconds: 10,
      } as never),
    ).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', path: 'TumblingWindowInSeconds' }));
    expect(err({ MaximumRecordAgeInSeconds: -1, MaximumRetryAttempts: -1 })).toBe('no error');
    expect(() => createKinesisEventSource({ target: t } as never)).toThrow(HarnessError);
  });
});

describe('DynamoDB Streams event source mapping', () => {
  it('delivers marshalled records and sends DDBStreamBatchInfo on failure', async () => {
    const seen: DynamoDBStreamEvent[] = [];
    const sim = createDynamoDBEventSource({
      target: fnOf(
        (async (e: DynamoDBStreamEvent) => {
          seen.push(e);
          if (e.Records.some((r) => r.dynamodb?.NewImage?.total?.N === '-1')) throw new Error('negative');
        }) as never,
        { timeout: 60 },
      ),
      Table: { TableName: 'Orders', KeySchema: { partitionKey: 'orderId' } },
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:123456789012:orders-failed' } },
    });

    const ok = sim.write({ eventName: 'INSERT', newImage: { orderId: 'o-1', total: 10 } });
    const bad = sim.write({
      eventName: 'MODIFY',
      oldImage: { orderId: 'o-1', total: 10 },
      newImage: { orderId: 'o-1', total: -1 },
    });
    await sim.run();

    const rec = seen[0]?.Records[0];
    expect(rec).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      dynamodb: {
        Keys: { orderId: { S: 'o-1' } },
        NewImage: { orderId: { S: 'o-1' }, total: { N: '10' } },
        SequenceNumber: ok.sequenceNumber,
        ApproximateCreationDateTime: T0 / 1000,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(rec?.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/Orders\/stream\//);
    const d = sim.destinations.onFailure[0];
    expect(d?.kind).toBe('sns');
    expect(d?.record.DDBStreamBatchInfo).toMatchObject({
      shardId: sim.shardIds[0],
      startSequenceNumber: ok.sequenceNumber,
      endSequenceNumber: bad.sequenceNumber,
      batchSize: 2,
      streamArn: rec?.eventSourceARN,
    });
    expect(JSON.parse((d?.payload as { Message: string } | undefined)?.Message ?? 'null')).toEqual(d?.record);
    expect(sim.accounting()).toMatchObject({
      total: 2,
      balanced: true,
      byStatus: { 'failure-destination': 2 },
    });
  });

  it('rejects AT_TIMESTAMP, which DynamoDB Streams do not support', () => {
    expect(() =>
      createDynamoDBEventSource({
        target: async () => undefined,
        StartingPosition: 'AT_TIMESTAMP' as 'LATEST',
        StartingPositionTimestamp: 1,
      }),
    ).toThrow(/StartingPosition: expected one of TRIM_HORIZON, LATEST/);
  });

  it('keeps order per item key across shards', async () => {
    const log: string[] = [];
    const sim = createDynamoDBEventSource({
      target: async (e: DynamoDBStreamEvent) => {
        for (const r of e.Records) log.push(`${r.dynamodb?.Keys?.id?.S}:${r.dynamodb?.NewImage?.v?.N}`);
      },
      Table: { ShardCount: 3 },
      StartingPosition: 'LATEST',
      BatchSize: 3,
    });

    for (let v = 0; v < 5; v++)
      for (const id of ['a', 'b', 'c', 'd'])
        sim.write({ eventName: 'MODIFY', oldImage: { id, v: v - 1 }, newImage: { id, v } });
    await sim.run();

    for (const id of ['a', 'b', 'c', 'd']) {
      expect(log.filter((l) => l.startsWith(`${id}:`))).toEqual([0, 1, 2, 3, 4].map((v) => `${id}:${v}`));
    }
  });
});

describe('stream batching window and LATEST', () => {
  it('waits MaximumBatchingWindowInSeconds for a fuller batch', async () => {
    const sim = createKinesisEventSource({
      target: async () => undefined,
      StartingPosition: 'LATEST',
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 2,
    });

    sim.put({ data: 'a', partitionKey: 'k' });
    sim.put({ data: 'b', partitionKey: 'k', at: T0 + 1000 });
    sim.put({ data: 'c', partitionKey: 'k', at: T0 + 5000 });
    await sim.run();

    expect(sim.invocations.map((i) => [i.startedAt - T0, i.itemIds.length])).toEqual([
      [2000, 2],
      [7000, 1],
    ]);
  });

  it('DynamoDB LATEST skips changes written before the mapping existed', async () => {
    const sim = createDynamoDBEventSource({ target: async () => undefined, StartingPosition: 'LATEST' });

    const old = sim.write({ newImage: { id: 'a' }, at: T0 - 1000 });
    const fresh = sim.write({ newImage: { id: 'a', v: 2 } });
    await sim.run();

    expect(sim.history(old.sequenceNumber).status).toBe('skipped');
    expect(sim.history(fresh.sequenceNumber).status).toBe('succeeded');
    expect(sim.accounting()).toMatchObject({
      total: 2,
      balanced: true,
      byStatus: { skipped: 1, succeeded: 1 },
    });
  });
});

describe('record age while a shard is blocked', () => {
  it('discards records that aged out behind a blocked batch without invoking them', async () => {
    const sim = createKinesisEventSource({
      target: kinesisFn(async (e) => {
        if (e.Records.some((r) => text(r) === 'poison')) throw new Error('poison');
      }),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1,
      MaximumRecordAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    const poison = sim.put({ data: 'poison', partitionKey: 'k' });
    const behind = sim.put({ data: 'fine', partitionKey: 'k' });
    const later = sim.put({ data: 'late', partitionKey: 'k', at: T0 + 90_000 });
    await sim.run();

    expect(sim.history(poison.sequenceNumber).condition).toBe('RecordAgeExceeded');
    expect(sim.history(behind.sequenceNumber)).toMatchObject({ status: 'failure-destination', attempts: [] });
    expect(sim.history(later.sequenceNumber).status).toBe('succeeded');
    const [first, second] = sim.destinations.onFailure;
    expect(first?.itemIds).toEqual([poison.sequenceNumber]);
    expect(second?.itemIds).toEqual([behind.sequenceNumber]);
    expect(second?.record.requestContext).toMatchObject({
      condition: 'RecordAgeExceeded',
      approximateInvokeCount: 0,
    });
  });

  it('combines partial batch responses with bisecting', async () => {
    const sim = createKinesisEventSource({
      target: kinesisFn(async (e) => ({
        batchItemFailures: e.Records.filter((r) => text(r) === 'bad').map((r) => ({
          itemIdentifier: r.kinesis.sequenceNumber,
        })),
      })),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    const puts = sim.putMany(
      Array.from({ length: 6 }, (_, i) => ({ data: i === 2 ? 'bad' : `ok${i}`, partitionKey: 'k' })),
    );
    const a = await sim.run();

    // Checkpointed before the bad record; retried from it (later records resent) until retries ran out.
    expect(sim.invocations.map((i) => i.itemIds.length)).toEqual([6, 4]);
    expect(sim.history(puts[1]?.sequenceNumber as string).status).toBe('succeeded');
    expect(sim.destinations.onFailure[0]?.itemIds).toEqual(puts.slice(2).map((p) => p.sequenceNumber));
    expect(a).toMatchObject({ balanced: true, byStatus: { succeeded: 2, 'failure-destination': 4 } });
  });
});
