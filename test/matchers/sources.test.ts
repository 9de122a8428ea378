import type { DynamoDBStreamEvent, KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import {
  createAsyncInvoker,
  createDynamoDBEventSource,
  createKinesisEventSource,
  createSqsEventSource,
} from '../../src/sources/index.js';
import { failureOf } from './helpers.js';

const failOnPoison = async (event: SQSEvent) => {
  if (event.Records.some((r) => r.body === 'poison')) throw new Error('poison message');
  return {};
};

describe('simulator matchers over the real simulators', () => {
  it('SQS: retries, redrive to the DLQ and accounting', async () => {
    const sim = createSqsEventSource({
      target: failOnPoison,
      Queue: { RedrivePolicy: { maxReceiveCount: 3 } },
      BatchSize: 1,
    });
    const ok = sim.send('fine');
    const bad = sim.send('poison');
    await sim.run();
    expect(sim).toHaveEndedAs(ok, 'succeeded');
    expect(sim).toHaveBeenRetried(ok, 0);
    expect(sim).toHaveBeenRetried(bad, 2);
    expect(sim.history(bad)).toHaveBeenRetried(2);
    expect(sim).not.toHaveBeenRetried(bad, 3);
    expect(sim).toHaveBeenDeadLettered(bad);
    expect(sim).not.toHaveBeenDeadLettered(ok);
    expect(sim).toHaveAccountedForEveryMessage();
    expect(sim).toHaveAccountedForEveryMessage({ succeeded: 1, 'dead-lettered': 1 });
    expect(sim).not.toHaveAccountedForEveryMessage({ succeeded: 2 });
    expect(sim.accounting()).toHaveAccountedForEveryMessage({ 'in-flight': 0 });
    expect(failureOf(() => expect(sim).toHaveBeenRetried(bad, 1))).toContain('receive count 3');
  });

  it('SQS: partial batch responses retry only the reported messages', async () => {
    const sim = createSqsEventSource({
      target: async (event: SQSEvent) => ({
        batchItemFailures: event.Records.filter(
          (r) => r.body === 'flaky' && r.attributes.ApproximateReceiveCount === '1',
        ).map((r) => ({ itemIdentifier: r.messageId })),
      }),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    const [first, flaky] = sim.sendBatch(['ok', 'flaky']);
    await sim.run();
    expect(sim).toHaveBeenRetried(first!, 0);
    expect(sim).toHaveBeenRetried(flaky!, 1);
    expect(sim).toHaveAccountedForEveryMessage({ succeeded: 2 });
    const firstInvocation = sim.invocations[0]!;
    expect(firstInvocation.result).toHaveBatchItemFailures([flaky!]);
  });

  it('SQS: batchItemFailures without ReportBatchItemFailures are ignored, and history and matcher say so', async () => {
    const sim = createSqsEventSource({
      target: async (event: SQSEvent) => ({
        batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })),
      }),
    });
    const id = sim.send({ body: 'flaky' });
    await sim.run();
    const note = sim.history(id).attempts[0]?.note;
    expect(note).toMatch(
      /returned 1 batchItemFailures, but the mapping has no FunctionResponseTypes: \['ReportBatchItemFailures'\]/,
    );
    const message = failureOf(() => expect(sim).toHaveBeenRetried(id, 1));
    expect(message).toContain(`note: ${note}`);
  });

  it('SQS: a stopped run leaves messages in flight, and the matcher says so', async () => {
    const sim = createSqsEventSource({ target: failOnPoison, BatchSize: 1 });
    sim.send('poison');
    await sim.run({ forMs: 1_000 });
    expect(sim).not.toHaveAccountedForEveryMessage();
    expect(failureOf(() => expect(sim).toHaveAccountedForEveryMessage())).toContain('still in flight');
  });

  it('async invoke: a throttled attempt is a wait, not a retry', async () => {
    const sim = createAsyncInvoker({
      target: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        return 'done';
      },
      reservedConcurrency: 1,
    });
    const { requestId: first } = sim.invoke({ n: 1 });
    const { requestId: second } = sim.invoke({ n: 2 });
    await sim.run();
    const outcomes = sim.history(second).attempts.map((a) => a.outcome);
    expect(outcomes[0]).toBe('throttled');
    expect(outcomes.at(-1)).toBe('success');
    expect(sim).toHaveBeenRetried(first, 0);
    expect(sim).toHaveBeenRetried(second, 0);
    expect(sim).not.toHaveBeenRetried(second, outcomes.length - 1);
  });

  it('async invoke: retries, OnFailure and OnSuccess destinations, DLQ', async () => {
    const failing = createAsyncInvoker({
      target: async () => {
        throw new Error('downstream down');
      },
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
    });
    const { requestId: failed } = failing.invoke({ orderId: 'o-1' });
    await failing.run();
    expect(failing).toHaveBeenRetried(failed, 2);
    expect(failing).toHaveBeenSentToDestination(failed, 'OnFailure');
    expect(failing).not.toHaveBeenSentToDestination(failed, 'OnSuccess');
    expect(failing).toHaveEndedAs(failed, 'failure-destination');
    expect(failing).toHaveAccountedForEveryMessage({ 'failure-destination': 1 });

    const succeeding = createAsyncInvoker({
      target: async () => 'ok',
      DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:123456789012:done' } },
    });
    const { requestId: done } = succeeding.invoke({ orderId: 'o-2' });
    await succeeding.run();
    expect(succeeding).toHaveBeenSentToDestination(done, 'OnSuccess');
    expect(succeeding).toHaveBeenRetried(done, 0);

    const dlq = createAsyncInvoker({
      target: async () => {
        throw new Error('nope');
      },
      MaximumRetryAttempts: 0,
      DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
    });
    const { requestId: lost } = dlq.invoke({});
    await dlq.run();
    expect(dlq).toHaveBeenDeadLettered(lost);
    expect(dlq).toHaveBeenRetried(lost, 0);
  });

  it('Kinesis: batch item failures by sequence number and on-failure records', async () => {
    const sim = createKinesisEventSource({
      target: async (event: KinesisStreamEvent) => ({
        batchItemFailures: event.Records.filter(
          (r) => Buffer.from(r.kinesis.data, 'base64').toString() === 'bad',
        ).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })),
      }),
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:stream-failures' } },
    });
    const [good, bad] = sim.putMany([
      { data: 'good', partitionKey: 'k' },
      { data: 'bad', partitionKey: 'k' },
    ]);
    await sim.run();
    const firstInvocation = sim.invocations[0]!;
    expect(firstInvocation.result).toHaveBatchItemFailures([bad!.sequenceNumber]);
    expect(sim).toHaveEndedAs(good!.sequenceNumber, 'succeeded');
    expect(sim).toHaveBeenRetried(bad!.sequenceNumber, 1);
    expect(sim).toHaveBeenSentToDestination(bad!.sequenceNumber, 'OnFailure');
    expect(sim).toHaveAccountedForEveryMessage();
  });

  it('DynamoDB Streams: batch item failures given as the records themselves', async () => {
    const sim = createDynamoDBEventSource({
      target: async (event: DynamoDBStreamEvent) => ({
        batchItemFailures: event.Records.filter((r) => r.dynamodb?.NewImage?.total?.N === '0').map((r) => ({
          itemIdentifier: r.dynamodb?.SequenceNumber,
        })),
      }),
      Table: { TableName: 'Orders', KeySchema: { partitionKey: 'orderId' } },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 0,
    });
    sim.write({ eventName: 'INSERT', newImage: { orderId: 'o-1', total: 10 } });
    const zero = sim.write({ eventName: 'INSERT', newImage: { orderId: 'o-2', total: 0 } });
    await sim.run();
    const first = sim.invocations[0]!;
    const records = (first.event as DynamoDBStreamEvent).Records;
    expect(first.result).toHaveBatchItemFailures([records[1]!]);
    expect(sim).toHaveBeenRetried(zero.sequenceNumber, 0);
    expect(sim).not.toHaveEndedAs(zero.sequenceNumber, 'succeeded');
    expect(sim).toHaveAccountedForEveryMessage({ succeeded: 1 });
  });
});
