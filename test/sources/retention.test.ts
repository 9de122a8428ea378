import type { KinesisStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import {
  createDynamoDBEventSource,
  createKinesisEventSource,
  createSqsEventSource,
} from '../../src/sources/index.js';
import { fnOf } from './helpers.js';

/** Reports every message whose body ends in '!' as failed; the rest succeed. */
const reportPoison = async (event: SQSEvent): Promise<SQSBatchResponse> => ({
  batchItemFailures: event.Records.filter((r) => r.body.endsWith('!')).map((r) => ({
    itemIdentifier: r.messageId,
  })),
});

function poisonQueue(retain: 'all' | 'histories' | 'summary' | undefined) {
  const sim = createSqsEventSource({
    target: fnOf(reportPoison),
    Queue: { RedrivePolicy: { maxReceiveCount: 2 } },
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    ...(retain !== undefined ? { retain } : {}),
  });
  const ids = Array.from({ length: 30 }, (_, i) => sim.send(i % 10 === 3 ? `m${i}!` : `m${i}`));
  return { sim, ids, poison: ids.filter((_, i) => i % 10 === 3) };
}

describe('retain', () => {
  it("'all' (the default) keeps every event and result in the invocation log", async () => {
    const { sim, ids } = poisonQueue(undefined);

    const a = await sim.run();

    expect(sim.invocations.length).toBe(a.invocations);
    const delivered = sim.invocations.flatMap((inv) =>
      (inv.event as SQSEvent).Records.map((r) => r.messageId),
    );
    expect(new Set(delivered)).toEqual(new Set(ids));
  });

  it("'histories' keeps every item's history and fate but no invocation log", async () => {
    const { sim, ids, poison } = poisonQueue('histories');

    const a = await sim.run();

    expect(sim.invocations).toEqual([]);
    expect(a.invocations).toBeGreaterThan(0);
    expect(a).toMatchObject({ total: 30, balanced: true, byStatus: { succeeded: 27, 'dead-lettered': 3 } });
    expect(sim.histories().map((h) => h.id)).toEqual(ids);
    for (const id of poison) {
      const h = sim.history(id);
      expect(h.status).toBe('dead-lettered');
      expect(h.attempts.map((x) => x.receiveCount)).toEqual([1, 2]);
      expect(h.attempts.every((x) => typeof x.requestId === 'string' && x.outcome === 'item-failure')).toBe(
        true,
      );
    }
  });

  it("'summary' counts successes and keeps the failures' histories only", async () => {
    const { sim, ids, poison } = poisonQueue('summary');

    const a = await sim.run();

    expect(a).toMatchObject({ total: 30, balanced: true, byStatus: { succeeded: 27, 'dead-lettered': 3 } });
    expect(sim.invocations).toEqual([]);
    expect(sim.histories().map((h) => h.id)).toEqual(poison);
    expect(sim.ids('dead-lettered')).toEqual(poison);
    expect(sim.ids('succeeded')).toEqual([]);
    expect(sim.history(poison[0] as string).attempts).toHaveLength(2);
    expect(sim.deadLetterQueue.map((m) => m.messageId)).toEqual(poison);
    const succeeded = ids[0] as string;
    expect(() => sim.history(succeeded)).toThrow(HarnessError);
    expect(() => sim.history(succeeded)).toThrow(
      expect.objectContaining({ hint: expect.stringContaining("retain: 'summary'") }),
    );
  });

  it("'summary' keeps an item until it settles, so a run stopped early still shows the in-flight ones", async () => {
    const { sim, ids } = poisonQueue('summary');

    const early = await sim.run({ maxInvocations: 1 });
    const inFlight = sim.ids('in-flight');
    const rest = await sim.run();

    expect(early.byStatus['in-flight']).toBe(30);
    expect(inFlight).toEqual(ids);
    expect(rest.byStatus['in-flight']).toBe(0);
    expect(sim.histories()).toHaveLength(3);
  });

  it('rejects an unknown retention with the valid values', () => {
    expect(() => createSqsEventSource({ target: fnOf(reportPoison), retain: 'none' as never })).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIGURATION',
        message: expect.stringContaining("retain: expected one of 'all', 'histories', 'summary'"),
      }),
    );
  });

  it('applies to the stream simulators too', async () => {
    const sim = createDynamoDBEventSource({
      target: fnOf(async () => undefined),
      StartingPosition: 'TRIM_HORIZON',
      retain: 'summary',
    });
    for (let i = 0; i < 20; i++) sim.write({ newImage: { id: `o-${i}` } });

    const a = await sim.run();

    expect(a).toMatchObject({ total: 20, balanced: true, byStatus: { succeeded: 20 } });
    expect(sim.histories()).toEqual([]);
  });
});

describe('stream lanes drop the records they have checkpointed', () => {
  it('keeps positions right across the drop: every record once, in order, the poison one reported with its own sequence number', async () => {
    const seen: string[] = [];
    const handler = async (event: KinesisStreamEvent) => {
      for (const r of event.Records) {
        if (r.kinesis.partitionKey === 'poison') throw new Error('poison record');
      }
      for (const r of event.Records) seen.push(r.kinesis.sequenceNumber);
    };
    const sim = createKinesisEventSource({
      target: fnOf(handler),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
      retain: 'histories',
    });
    const sequence: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      sequence.push(
        sim.put({ data: `{"n":${i}}`, partitionKey: i === 10_500 ? 'poison' : 'k' }).sequenceNumber,
      );
    }

    const a = await sim.run();

    const poison = sequence[10_500] as string;
    expect(a).toMatchObject({
      total: 12_000,
      balanced: true,
      byStatus: { succeeded: 11_999, 'failure-destination': 1 },
    });
    expect(seen).toEqual(sequence.filter((s) => s !== poison));
    expect(sim.destinations.onFailure.map((d) => d.itemIds)).toEqual([[poison]]);
    expect(sim.history(poison).status).toBe('failure-destination');
  });
});

describe('a long FIFO group', () => {
  it('is delivered in order, each message once, across the queue dropping what it has delivered', async () => {
    const seen: string[] = [];
    let failedOnce = false;
    const handler = async (event: SQSEvent) => {
      // One failure in the middle: the group blocks and the batch comes back, still in order.
      if (!failedOnce && event.Records.some((r) => r.body === 'm700')) {
        failedOnce = true;
        throw new Error('once');
      }
      for (const r of event.Records) seen.push(r.body);
    };
    const sim = createSqsEventSource({
      target: fnOf(handler),
      Queue: { QueueName: 'orders.fifo', ContentBasedDeduplication: true },
      retain: 'histories',
    });
    const bodies = Array.from({ length: 1500 }, (_, i) => `m${i}`);
    for (const body of bodies) sim.send({ body, messageGroupId: 'customer-1' });

    const a = await sim.run();

    expect(a).toMatchObject({ total: 1500, balanced: true, byStatus: { succeeded: 1500 } });
    expect(seen).toEqual(bodies);
  });
});
