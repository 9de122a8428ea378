import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { KinesisDataStreamSchema } from '@aws-lambda-powertools/parser/schemas/kinesis';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  createDynamoDBEventSource,
  createKinesisEventSource,
  createSqsEventSource,
} from '../../src/sources/index.js';

const fail = async () => {
  throw new Error('retry');
};

describe('events the simulators deliver parse with the Powertools schemas, on every delivery', () => {
  it('SQS standard and FIFO, first receive and redeliveries', async () => {
    for (const QueueName of ['orders', 'orders.fifo']) {
      const sim = createSqsEventSource({
        target: fail,
        Queue: {
          QueueName,
          RedrivePolicy: { maxReceiveCount: 3 },
          ...(QueueName.endsWith('.fifo') ? { ContentBasedDeduplication: true } : {}),
        },
      });
      sim.send({ body: { id: 1 }, messageGroupId: 'g', messageAttributes: { tenant: 'acme', n: 2 } });
      sim.send({
        body: 'plain',
        messageGroupId: 'g',
        traceHeader: 'Root=1-65a4f2c0-0123456789abcdef01234567',
      });
      await sim.run();

      expect(sim.invocations.length).toBeGreaterThanOrEqual(3);
      for (const inv of sim.invocations) {
        const parsed = SqsSchema.safeParse(inv.event);
        expect(parsed.error).toBeUndefined();
        for (const r of (inv.event as SQSEvent).Records)
          expect(r.receiptHandle).toMatch(/^AQEB[A-Za-z0-9+/=]+$/);
      }
    }
  });

  it('Kinesis and DynamoDB Streams', async () => {
    const k = createKinesisEventSource({
      target: fail,
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 1,
    });
    k.put({ data: { a: 1 }, partitionKey: 'p' });
    await k.run();
    const d = createDynamoDBEventSource({
      target: fail,
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: 1,
    });
    d.write({ eventName: 'MODIFY', oldImage: { id: 'a', n: 1 }, newImage: { id: 'a', n: 2 } });
    d.write({ eventName: 'REMOVE', oldImage: { id: 'b' }, ttl: true });
    await d.run();

    for (const inv of k.invocations)
      expect(KinesisDataStreamSchema.safeParse(inv.event).error).toBeUndefined();
    for (const inv of d.invocations) expect(DynamoDBStreamSchema.safeParse(inv.event).error).toBeUndefined();
    expect(k.invocations).toHaveLength(2);
    expect(d.invocations).toHaveLength(2);
  });
});
