// A Function URL handler creating an order (used by docs/matchers.md).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const { id } = JSON.parse(event.body ?? '{}') as { id?: string };
  if (!id) throw new TypeError('order id missing');
  console.log(JSON.stringify({ event: 'order.received', id }));
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, total: 42 }),
  };
};
