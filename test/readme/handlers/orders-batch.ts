// Stand-in for the README quick start's '../src/orders.js': an SQS batch handler that accepts every order.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures = event.Records.filter(
    (r) => typeof (JSON.parse(r.body) as { orderId?: unknown }).orderId !== 'string',
  );
  return { batchItemFailures: failures.map((r) => ({ itemIdentifier: r.messageId })) };
};
