// An SQS batch handler that accepts every order with an orderId (used by docs/events.md).
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures = event.Records.filter(
    (r) => typeof (JSON.parse(r.body) as { orderId?: unknown }).orderId !== 'string',
  );
  return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
};
