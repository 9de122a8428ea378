import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

// An HTTP API (payload 2.0) handler: GET /orders/{id}.
export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const id = event.pathParameters?.id;
  console.log('GET order %s from %s', id, event.requestContext.http.sourceIp);
  if (!id?.startsWith('o-')) {
    console.warn('rejecting malformed id', { id });
    return { statusCode: 400, body: JSON.stringify({ message: 'order ids start with o-' }) };
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, status: 'SHIPPED' }),
  };
};
