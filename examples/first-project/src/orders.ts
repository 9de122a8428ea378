import type { APIGatewayProxyHandlerV2 } from 'aws-lambda';

export const handler: APIGatewayProxyHandlerV2 = async (event) => {
  const id = event.pathParameters?.id;
  if (!id) throw new TypeError('order id missing');
  console.log(`looking up ${id}`);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) };
};
