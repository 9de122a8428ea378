import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

// An SQS batch handler with partial batch responses (ReportBatchItemFailures).
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const order = JSON.parse(record.body) as { orderId: string; poison?: boolean };
    if (order.poison) {
      console.error('cannot process order', order.orderId);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    } else {
      console.log('processed order', order.orderId);
    }
  }
  return { batchItemFailures };
};
