/** An API Gateway REST (v1) handler. */
export async function handler(event: { queryStringParameters: Record<string, string> | null }) {
  const name = event.queryStringParameters?.name;
  if (!name) {
    console.error('missing name');
    return {
      statusCode: 400,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"name required"}',
    };
  }
  console.info('greeting %s', name);
  return {
    statusCode: 200,
    multiValueHeaders: { 'Set-Cookie': [`greeted=${name}`] },
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ greeting: `hello ${name}` }),
  };
}

/** Never finishes in time. */
export async function slowHandler() {
  await new Promise((resolve) => setTimeout(resolve, 5000));
  return 'late';
}
