import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const seen = new Set<string>();

/** A Function URL / HTTP API handler: creates an order, rejects duplicates and bad input. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const body = JSON.parse(event.body ?? '{}') as { id?: string; total?: number };
  if (!body.id) throw new TypeError('order id missing');
  console.log(JSON.stringify({ event: 'order.received', id: body.id }));
  if (seen.has(body.id)) {
    console.warn('duplicate order %s', body.id);
    return { statusCode: 409, body: JSON.stringify({ message: 'duplicate' }) };
  }
  seen.add(body.id);
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json', location: `/orders/${body.id}` },
    cookies: [`last-order=${body.id}; Path=/; HttpOnly`],
    body: JSON.stringify({ id: body.id, total: body.total ?? 0 }),
  };
}

/** An SQS handler with partial batch responses. */
export async function sqsHandler(event: { Records: { messageId: string; body: string }[] }) {
  return {
    batchItemFailures: event.Records.filter((r) => r.body.includes('poison')).map((r) => ({
      itemIdentifier: r.messageId,
    })),
  };
}
