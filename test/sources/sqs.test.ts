import { createHash } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { createSqsEventSource, type SqsEventSourceOptions } from '../../src/sources/index.js';
import { fnOf, sleep, T0 } from './helpers.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const boom = async () => {
  throw new Error('boom');
};
type Batch = (event: SQSEvent) => unknown;
const sqs = (handler: Batch, options: Omit<SqsEventSourceOptions, 'target'> = {}, fnOptions = {}) =>
  createSqsEventSource({ target: fnOf(handler as never, { timeout: 10, ...fnOptions }), ...options });

function configError(make: () => unknown): HarnessError {
  try {
    make();
  } catch (e) {
    expect(e).toBeInstanceOf(HarnessError);
    expect((e as HarnessError).code).toBe('INVALID_CONFIGURATION');
    return e as HarnessError;
  }
  throw new Error('expected a configuration error');
}

describe('SQS event source mapping', () => {
  it('delivers batches of real SQS records and deletes them on success', async () => {
    const seen: SQSEvent[] = [];
    const sim = sqs(async (e) => {
      seen.push(e);
    });

    const ids = sim.sendBatch(Array.from({ length: 25 }, (_, i) => ({ body: { i } })));
    const a = await sim.run();

    expect(a.byStatus.succeeded).toBe(25);
    expect(seen.map((e) => e.Records.length)).toEqual([10, 10, 5]);
    const r = seen[0]?.Records[0];
    expect(r?.messageId).toBe(ids[0]);
    expect(r?.body).toBe('{"i":0}');
    expect(r?.md5OfBody).toBe(md5('{"i":0}'));
    expect(r?.attributes).toEqual({
      ApproximateReceiveCount: '1',
      SentTimestamp: String(T0),
      SenderId: expect.stringMatching(/^AIDA/),
      ApproximateFirstReceiveTimestamp: String(T0),
    });
    expect(r?.eventSource).toBe('aws:sqs');
    expect(r?.eventSourceARN).toBe('arn:aws:sqs:us-east-1:123456789012:test-queue');
  });

  it('retries the whole batch after the visibility timeout with ApproximateReceiveCount increasing', async () => {
    const seen: SQSEvent[] = [];
    let calls = 0;
    const sim = sqs(
      async (e) => {
        seen.push(structuredClone(e));
        if (++calls < 3) throw new Error('flaky');
      },
      { Queue: { VisibilityTimeout: 45 } },
    );

    const [id] = sim.sendBatch(['a', 'b']);
    await sim.run();

    expect(seen).toHaveLength(3);
    expect(seen.map((e) => e.Records.map((r) => r.attributes.ApproximateReceiveCount))).toEqual([
      ['1', '1'],
      ['2', '2'],
      ['3', '3'],
    ]);
    const handles = new Set(seen.map((e) => e.Records[0]?.receiptHandle));
    expect(handles.size).toBe(3);
    expect(new Set(seen.map((e) => e.Records[0]?.attributes.ApproximateFirstReceiveTimestamp))).toEqual(
      new Set([String(T0)]),
    );
    const h = sim.history(id as string);
    expect(h.attempts.map((x) => x.startedAt - T0)).toEqual([0, 45_000, 90_000]);
    expect(h.attempts.map((x) => x.outcome)).toEqual(['error', 'error', 'success']);
    expect(h.status).toBe('succeeded');
  });

  it('redrives a poison message to the DLQ after maxReceiveCount receives', async () => {
    const sim = sqs(boom, { Queue: { RedrivePolicy: { maxReceiveCount: 3 } } });

    const id = sim.send('poison');
    await sim.run();

    const h = sim.history(id);
    expect(h.status).toBe('dead-lettered');
    expect(h.attempts.map((x) => x.receiveCount)).toEqual([1, 2, 3]);
    expect(sim.deadLetterQueue).toEqual([
      expect.objectContaining({
        messageId: id,
        body: 'poison',
        receiveCount: 3,
        arn: 'arn:aws:sqs:us-east-1:123456789012:test-queue-dlq',
      }),
    ]);
  });

  it('keeps in the DLQ entry the record exactly as the function last received it', async () => {
    const received: SQSEvent['Records'] = [];
    const sim = sqs(
      async (e) => {
        received.push(structuredClone(e.Records[0]) as SQSEvent['Records'][number]);
        throw new Error('boom');
      },
      { Queue: { RedrivePolicy: { maxReceiveCount: 3 } } },
    );

    sim.send('poison');
    await sim.run();

    expect(received).toHaveLength(3);
    const last = received[2];
    expect(sim.deadLetterQueue[0]?.lastRecord).toEqual(last);
    expect(last?.attributes.ApproximateReceiveCount).toBe('3');
    expect(new Set(received.map((r) => r.receiptHandle)).size).toBe(3);
  });

  it('gives the messages of a batch attempts with their own receive counts and outcomes, read-only', async () => {
    const sim = sqs(
      async (e) => ({
        batchItemFailures: e.Records.filter(
          (r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1',
        ).map((r) => ({ itemIdentifier: r.messageId })),
      }),
      { FunctionResponseTypes: ['ReportBatchItemFailures'], Queue: { VisibilityTimeout: 30 } },
    );
    const [good, bad, late] = sim.sendBatch(['good', 'bad', 'late']) as [string, string, string];

    await sim.run();

    const [g, b, l] = [sim.history(good), sim.history(bad), sim.history(late)];
    expect(g.attempts).toEqual([
      expect.objectContaining({ invocation: 1, outcome: 'success', receiveCount: 1, batchSize: 3 }),
    ]);
    expect(l.attempts).toEqual(g.attempts);
    expect(b.attempts.map((a) => [a.invocation, a.outcome, a.receiveCount, a.batchSize])).toEqual([
      [1, 'item-failure', 1, 3],
      [2, 'success', 2, 1],
    ]);
    expect(Object.isFrozen(g.attempts[0])).toBe(true);
    expect(() => {
      (g.attempts[0] as { outcome: string }).outcome = 'error';
    }).toThrow(TypeError);
    expect(sim.history(good).attempts[0]?.outcome).toBe('success');
  });

  it('with ReportBatchItemFailures only the listed messages return', async () => {
    const sim = sqs(
      async (e) => ({
        batchItemFailures: e.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({
          itemIdentifier: r.messageId,
        })),
      }),
      {
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        Queue: { RedrivePolicy: { maxReceiveCount: 2 } },
      },
    );

    const [ok, bad] = sim.sendBatch(['ok', 'bad']);
    const a = await sim.run();

    expect(sim.history(ok as string).attempts).toHaveLength(1);
    expect(sim.history(bad as string).attempts.map((x) => x.outcome)).toEqual([
      'item-failure',
      'item-failure',
    ]);
    expect(a.byStatus).toMatchObject({ succeeded: 1, 'dead-lettered': 1 });
  });

  const successes: [string, (e: SQSEvent) => unknown][] = [
    ['an empty list', () => ({ batchItemFailures: [] })],
    ['a null list', () => ({ batchItemFailures: null })],
    ['an empty response', () => undefined],
    ['a null response', () => null],
    ['an empty object', () => ({})],
  ];
  it.each(successes)('counts %s as complete success', async (_, handler) => {
    const sim = sqs(async (e) => handler(e), { FunctionResponseTypes: ['ReportBatchItemFailures'] });

    sim.sendBatch(['a', 'b']);
    const a = await sim.run();

    expect(a.byStatus.succeeded).toBe(2);
    expect(a.invocations).toBe(1);
  });

  const failures: [string, (e: SQSEvent) => unknown][] = [
    ['an empty itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: '' }] })],
    ['a null itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: null }] })],
    ['a wrongly named key', (e) => ({ batchItemFailures: [{ itemIdentifer: e.Records[0]?.messageId }] })],
    ['an unknown itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] })],
    ['a malformed list', () => ({ batchItemFailures: 'all' })],
    ['a non-object response', () => 'failed'],
  ];
  it.each(failures)('fails the whole batch for %s', async (_, handler) => {
    let calls = 0;
    const sim = sqs(
      async (e) => {
        calls++;
        return calls === 1 ? handler(e) : undefined;
      },
      { FunctionResponseTypes: ['ReportBatchItemFailures'] },
    );

    const [a1, b1] = sim.sendBatch(['a', 'b']);
    await sim.run();

    for (const id of [a1, b1] as string[]) {
      const h = sim.history(id);
      expect(h.attempts.map((x) => x.outcome)).toEqual(['invalid-response', 'success']);
      expect(h.attempts[0]?.error?.errorType).toBe('InvalidBatchItemFailuresResponse');
    }
  });

  it('ignores any return value without ReportBatchItemFailures', async () => {
    const sim = sqs(async (e) => ({ batchItemFailures: [{ itemIdentifier: e.Records[0]?.messageId }] }));

    sim.sendBatch(['a', 'b']);
    const a = await sim.run();

    expect(a.byStatus.succeeded).toBe(2);
    expect(a.invocations).toBe(1);
  });

  it('waits for the batching window unless the batch fills up', async () => {
    const sizes: [number, number][] = [];
    const sim = createSqsEventSource({
      target: fnOf(async (e: SQSEvent) => {
        sizes.push([Date.now() - T0, e.Records.length]);
      }),
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
    });

    sim.sendBatch(Array.from({ length: 120 }, (_, i) => `m${i}`));
    sim.send({ body: 'late', at: T0 + 20_000 });
    await sim.run();

    expect(sizes).toEqual([
      [0, 50],
      [0, 50],
      [5000, 20],
      [25_000, 1],
    ]);
  });

  it('never runs more batches at once than ScalingConfig.MaximumConcurrency', async () => {
    const sim = sqs(() => sleep(1000), { ScalingConfig: { MaximumConcurrency: 2 }, BatchSize: 1 });

    sim.sendBatch(Array.from({ length: 6 }, (_, i) => `m${i}`));
    await sim.run();

    const starts = sim.invocations.map((i) => i.startedAt - T0);
    expect(starts).toEqual([0, 0, 1000, 1000, 2000, 2000]);
  });

  it('starts with 5 concurrent batches and adds more as Lambda scales up', async () => {
    const sim2 = createSqsEventSource({
      target: fnOf((() => sleep(600_000)) as never, { timeout: 900 }),
      BatchSize: 1,
      Queue: { VisibilityTimeout: 900 },
    });
    sim2.sendBatch(Array.from({ length: 8 }, (_, i) => `m${i}`));
    await sim2.run();

    expect(sim2.invocations.map((i) => i.startedAt - T0)).toEqual([0, 0, 0, 0, 0, 200, 400, 600]);
  });

  it('keeps FIFO order per message group and blocks a group while its message is retried', async () => {
    const order: string[] = [];
    let failedOnce = false;
    const sim = createSqsEventSource({
      target: fnOf(
        async (e: SQSEvent) => {
          for (const r of e.Records) {
            if (r.body === 'A1' && !failedOnce) {
              failedOnce = true;
              throw new Error('A1 failed');
            }
          }
          for (const r of e.Records) order.push(`${Date.now() - T0}:${r.body}`);
        },
        { timeout: 10 },
      ),
      Queue: { ContentBasedDeduplication: true, QueueName: 'orders.fifo', VisibilityTimeout: 30 },
      BatchSize: 2,
    });

    sim.sendBatch([
      { body: 'A1', messageGroupId: 'A' },
      { body: 'A2', messageGroupId: 'A' },
      { body: 'A3', messageGroupId: 'A' },
      { body: 'B1', messageGroupId: 'B' },
      { body: 'B2', messageGroupId: 'B' },
    ]);
    await sim.run();

    const group = (g: string) => order.filter((o) => o.includes(`:${g}`)).map((o) => o.split(':')[1]);
    expect(group('A')).toEqual(['A1', 'A2', 'A3']);
    expect(group('B')).toEqual(['B1', 'B2']);
    // B was not blocked by A's failure; A resumed only after the visibility timeout.
    expect(order.filter((o) => o.startsWith('0:'))).toEqual(['0:B1', '0:B2']);
    expect(order).toContain('30000:A1');
    const rec = (sim.invocations[0]?.event as SQSEvent | undefined)?.Records[0];
    expect(rec?.attributes).toMatchObject({
      MessageGroupId: 'A',
      SequenceNumber: expect.stringMatching(/^\d{20}$/),
    });
    expect(rec?.attributes.MessageDeduplicationId).toBe(createHash('sha256').update('A1').digest('hex'));
  });

  it('moves a message to the DLQ after the visibility-timeout redeliveries of throttled batches', async () => {
    const sim = createSqsEventSource({
      target: fnOf(async () => 'never runs', { reservedConcurrency: 0 }),
      Queue: { RedrivePolicy: { maxReceiveCount: 2 } },
    });

    const id = sim.send('x');
    await sim.run();

    expect(sim.history(id).attempts.map((x) => x.outcome)).toEqual(['throttled', 'throttled']);
    expect(sim.history(id).status).toBe('dead-lettered');
  });

  it('expires messages older than the retention period', async () => {
    const sim = sqs(boom, { Queue: { MessageRetentionPeriod: 60, VisibilityTimeout: 30 } });

    const id = sim.send('old');
    await sim.run();

    expect(sim.history(id).status).toBe('expired');
    expect(sim.history(id).attempts).toHaveLength(2);
  });

  it('delays messages by DelaySeconds', async () => {
    const sim = sqs(async () => undefined, { Queue: { DelaySeconds: 10 } });

    const a = sim.send('queue delay');
    const b = sim.send({ body: 'own delay', delaySeconds: 20 });
    await sim.run();

    expect(sim.history(a).attempts[0]?.startedAt).toBe(T0 + 10_000);
    expect(sim.history(b).attempts[0]?.startedAt).toBe(T0 + 20_000);
  });

  it('builds messages with attributes through the SQS generator (md5OfMessageAttributes)', async () => {
    const seen: SQSEvent[] = [];
    const sim = sqs(async (e) => {
      seen.push(e);
    });

    sim.send({ body: 'x', messageAttributes: { tenant: 'acme' } });
    await sim.run();

    const r = seen[0]?.Records[0];
    expect(r?.messageAttributes.tenant).toMatchObject({ dataType: 'String', stringValue: 'acme' });
    expect(r?.md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  it('runs a bare handler too, and is deterministic for a seed', async () => {
    const run = async () => {
      const sim = createSqsEventSource({ target: async () => undefined, seed: 7 });
      const ids = sim.sendBatch(['a', 'b']);
      await sim.run();
      return [ids, sim.invocations.map((i) => i.requestId)];
    };

    expect(await run()).toEqual(await run());
  });

  it('rejects configurations Lambda rejects', () => {
    const t = async () => undefined;
    expect(
      configError(() =>
        createSqsEventSource({ target: t, BatchSize: 10_001, MaximumBatchingWindowInSeconds: 1 }),
      ).path,
    ).toBe('BatchSize');
    expect(configError(() => createSqsEventSource({ target: t, BatchSize: 11 })).message).toContain(
      'MaximumBatchingWindowInSeconds >= 1',
    );
    expect(configError(() => createSqsEventSource({ target: t, BatchSize: 0 })).path).toBe('BatchSize');
    expect(
      configError(() =>
        createSqsEventSource({ target: t, Queue: { FifoQueue: true, QueueName: 'q.fifo' }, BatchSize: 11 }),
      ).path,
    ).toBe('BatchSize');
    expect(
      configError(() => createSqsEventSource({ target: t, ScalingConfig: { MaximumConcurrency: 1 } })).path,
    ).toBe('ScalingConfig.MaximumConcurrency');
    expect(
      configError(() => createSqsEventSource({ target: t, MaximumBatchingWindowInSeconds: 301 })).path,
    ).toBe('MaximumBatchingWindowInSeconds');
    expect(
      configError(() => createSqsEventSource({ target: t, Queue: { VisibilityTimeout: 43_201 } })).path,
    ).toBe('Queue.VisibilityTimeout');
    expect(
      configError(() => createSqsEventSource({ target: t, Queue: { RedrivePolicy: { maxReceiveCount: 0 } } }))
        .path,
    ).toBe('Queue.RedrivePolicy.maxReceiveCount');
    expect(configError(() => createSqsEventSource({ target: t, batchSize: 5 } as never)).path).toBe(
      'batchSize',
    );
    expect(
      configError(() => createSqsEventSource({ target: t, FunctionResponseTypes: ['Partial'] } as never))
        .path,
    ).toBe('FunctionResponseTypes');
    expect(
      configError(() =>
        createSqsEventSource({ target: fnOf(t, { timeout: 60 }), Queue: { VisibilityTimeout: 30 } }),
      ).path,
    ).toBe('Queue.VisibilityTimeout');
    expect(configError(() => createSqsEventSource({ target: 42 } as never)).path).toBe('target');
  });

  it('rejects a second message with the same messageId', () => {
    const sim = createSqsEventSource({ target: async () => undefined });
    sim.send({ body: 'a', messageId: 'm-1' });
    expect(() => sim.send({ body: 'b', messageId: 'm-1' })).toThrow(/duplicate id "m-1"/);
  });

  it('rejects FIFO messages without a group', () => {
    const sim = createSqsEventSource({ target: async () => undefined, Queue: { QueueName: 'q.fifo' } });
    expect(() => sim.send('no group')).toThrow(/messageGroupId: required/);
  });
});

describe('SQS mapping through function instances', () => {
  it('keeps cold and warm starts and logs on the virtual clock', async () => {
    const fn = fnOf(
      (async (e: SQSEvent) => {
        console.log('batch of %d', e.Records.length);
        throw new Error('retry me');
      }) as never,
      { timeout: 10 },
    );
    const sim = createSqsEventSource({ target: fn, Queue: { RedrivePolicy: { maxReceiveCount: 2 } } });

    sim.send('x');
    await sim.run();

    const [first, second] = sim.invocations;
    expect(first?.result.outcome).toBe('error');
    expect(first?.result.outcome !== 'throttled' && first?.result.coldStart).toBe(true);
    expect(second?.result.outcome !== 'throttled' && second?.result.coldStart).toBe(false);
    const logs = second?.result.outcome === 'throttled' ? [] : (second?.result.logs ?? []);
    const line = logs.find((l) => String(l.message).startsWith('batch of'));
    expect(line?.timestamp).toBe(new Date(T0 + 30_000).toISOString());
    expect(line?.requestId).toBe(second?.requestId);
  });
});

describe('FIFO redrive', () => {
  it('unblocks a message group once its poison message is redriven to the DLQ', async () => {
    const processed: string[] = [];
    const sim = createSqsEventSource({
      target: fnOf(
        (async (e: SQSEvent) => {
          if (e.Records[0]?.body === 'poison') throw new Error('poison');
          for (const r of e.Records) processed.push(r.body);
        }) as never,
        { timeout: 10 },
      ),
      Queue: {
        ContentBasedDeduplication: true,
        QueueName: 'orders.fifo',
        RedrivePolicy: { maxReceiveCount: 2 },
      },
      BatchSize: 1,
    });

    const [poison, next] = sim.sendBatch([
      { body: 'poison', messageGroupId: 'g' },
      { body: 'next', messageGroupId: 'g' },
    ]);
    await sim.run();

    expect(sim.history(poison as string).status).toBe('dead-lettered');
    expect(processed).toEqual(['next']);
    expect(sim.history(next as string).attempts[0]?.startedAt).toBe(T0 + 60_000);
    expect(sim.deadLetterQueue[0]?.arn).toBe('arn:aws:sqs:us-east-1:123456789012:orders-dlq.fifo');
  });
});

describe('FIFO deduplication', () => {
  it('accepts but does not deliver a duplicate within 5 minutes', async () => {
    const bodies: string[] = [];
    const sim = createSqsEventSource({
      target: async (e: SQSEvent) => {
        for (const r of e.Records) bodies.push(r.body);
      },
      Queue: { ContentBasedDeduplication: true, QueueName: 'orders.fifo' },
    });

    const first = sim.send({ body: 'order-1', messageGroupId: 'g' });
    const dup = sim.send({ body: 'order-1', messageGroupId: 'g', at: T0 + 60_000 });
    const explicit = sim.send({ body: 'other', messageGroupId: 'g', messageDeduplicationId: 'd-1' });
    const explicitDup = sim.send({ body: 'other again', messageGroupId: 'g', messageDeduplicationId: 'd-1' });
    const afterWindow = sim.send({ body: 'order-1', messageGroupId: 'g', at: T0 + 301_000 });
    const a = await sim.run();

    expect(dup).toBe(first);
    expect(explicitDup).toBe(explicit);
    expect(afterWindow).not.toBe(first);
    expect(bodies).toEqual(['order-1', 'other', 'order-1']);
    expect(a.total).toBe(3);
  });

  it('defaults ContentBasedDeduplication to false, as SQS does, and then requires a deduplication id', () => {
    const sim = createSqsEventSource({ target: async () => undefined, Queue: { QueueName: 'orders.fifo' } });
    const error = (() => {
      try {
        sim.send({ body: 'x', messageGroupId: 'g' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(
      /sim\.send\.messageDeduplicationId: required\nHint: .*ContentBasedDeduplication \(off by default\)/,
    );
  });

  it('requires a deduplication id when ContentBasedDeduplication is off', () => {
    const sim = createSqsEventSource({
      target: async () => undefined,
      Queue: { QueueName: 'orders.fifo', ContentBasedDeduplication: false },
    });
    expect(() => sim.send({ body: 'x', messageGroupId: 'g' })).toThrow(/messageDeduplicationId: required/);
    expect(sim.send({ body: 'x', messageGroupId: 'g', messageDeduplicationId: 'd' })).toMatch(/-/);
  });
});
