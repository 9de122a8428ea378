import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import {
  AlbEventSchema,
  ApiGatewayProxyEventSchema,
  albEvent,
  apiGatewayProxyEvent,
  FunctionUrlEventSchema,
  functionUrlEvent,
  HttpApiEventSchema,
  httpApiEvent,
} from '../../src/events/index.js';

const request = {
  method: 'POST',
  path: '/items/42',
  query: 'a=1&a=2&b=x%20y',
  headers: { 'X-Tenant': 'acme', 'X-Dup': ['1', '2'] },
  cookies: { s: 'abc', t: 'd' },
  body: { qty: 2 },
};

describe('apiGatewayProxyEvent (REST v1)', () => {
  it('uses null for absent query, path parameters, stage variables and body', () => {
    const event = apiGatewayProxyEvent({ path: '/health' });

    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
    expect(event.body).toBeNull();
    expect(event.resource).toBe('/health');
    expect(ApiGatewayProxyEventSchema.safeParse(event).success).toBe(true);
  });

  it('keeps headers and multi-value maps consistent (last value wins in single maps)', () => {
    const event = apiGatewayProxyEvent({ ...request, resource: '/items/{id}' });

    expect(event.headers['X-Dup']).toBe('2');
    expect(event.multiValueHeaders['X-Dup']).toEqual(['1', '2']);
    expect(event.queryStringParameters).toEqual({ a: '2', b: 'x y' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['x y'] });
    expect(event.headers.Cookie).toBe('s=abc; t=d');
    for (const [name, value] of Object.entries(event.headers)) {
      expect(event.multiValueHeaders[name]?.at(-1)).toBe(value);
    }
  });

  it('derives path parameters from the resource, the stage path, host and content headers', () => {
    const event = apiGatewayProxyEvent({
      ...request,
      resource: '/items/{id}',
      stage: 'dev',
      region: 'eu-west-1',
    });

    expect(event.pathParameters).toEqual({ id: '42' });
    expect(event.requestContext.path).toBe('/dev/items/42');
    expect(event.requestContext.resourcePath).toBe('/items/{id}');
    expect(event.requestContext.httpMethod).toBe('POST');
    expect(event.headers.Host).toBe(event.requestContext.domainName);
    expect(event.requestContext.domainName).toBe(
      `${event.requestContext.apiId}.execute-api.eu-west-1.amazonaws.com`,
    );
    expect(event.headers['Content-Type']).toBe('application/json');
    expect(event.headers['Content-Length']).toBe(String(Buffer.byteLength(event.body ?? '')));
  });

  it('derives the resource from explicit path parameters', () => {
    const event = apiGatewayProxyEvent({
      path: '/users/u1/orders/o9',
      pathParameters: { userId: 'u1', orderId: 'o9' },
    });

    expect(event.resource).toBe('/users/{userId}/orders/{orderId}');
  });

  it('matches greedy {proxy+} resources', () => {
    expect(
      apiGatewayProxyEvent({ path: '/files/a/b.txt', resource: '/files/{proxy+}' }).pathParameters,
    ).toEqual({
      proxy: 'a/b.txt',
    });
  });

  it('base64-encodes binary bodies and flags isBase64Encoded', () => {
    const event = apiGatewayProxyEvent({ method: 'PUT', body: new Uint8Array([1, 2, 3, 4]) });

    expect(event.body).toBe('AQIDBA==');
    expect(event.isBase64Encoded).toBe(true);
    expect(event.headers['Content-Length']).toBe('4');
  });

  it('formats requestTime and requestTimeEpoch from the reference time', () => {
    const event = apiGatewayProxyEvent({ time: '2015-04-09T12:34:56.000Z' });

    expect(event.requestContext.requestTime).toBe('09/Apr/2015:12:34:56 +0000');
    expect(event.requestContext.requestTimeEpoch).toBe(Date.parse('2015-04-09T12:34:56.000Z'));
  });

  it('adds Cognito claims and Lambda authorizer contexts (values stringified)', () => {
    const cognito = apiGatewayProxyEvent({ authorizer: { type: 'cognito', claims: { sub: 'u1' } } });
    const lambda = apiGatewayProxyEvent({
      authorizer: { type: 'lambda', principalId: 'p1', context: { tier: 'gold', n: 3, ok: true } },
    });

    expect(cognito.requestContext.authorizer).toEqual({ claims: { sub: 'u1' } });
    expect(lambda.requestContext.authorizer).toMatchObject({
      principalId: 'p1',
      tier: 'gold',
      n: '3',
      ok: 'true',
    });
    expect(apiGatewayProxyEvent().requestContext).not.toHaveProperty('authorizer');
  });

  it('rejects a path the resource template does not match', () => {
    expect(() => apiGatewayProxyEvent({ path: '/other', resource: '/items/{id}' })).toThrow(HarnessError);
  });

  it('keeps multi-value maps in step with a header override', () => {
    const event = apiGatewayProxyEvent({ overrides: { headers: { 'X-Extra': 'yes' } } });

    expect(event.multiValueHeaders['X-Extra']).toEqual(['yes']);
  });

  it('recomputes requestContext.path and content-length after path and body overrides', () => {
    const event = apiGatewayProxyEvent({ body: 'abc', overrides: { path: '/changed', body: 'abcdef' } });

    expect(event.requestContext.path).toBe('/prod/changed');
    expect(event.headers['Content-Length']).toBe('6');
  });
});

describe('httpApiEvent (payload 2.0)', () => {
  it('lowercases and comma-joins headers, moves cookies out, comma-joins query values', () => {
    const event = httpApiEvent({ ...request, routeKey: 'POST /items/{id}' });

    expect(event.headers['x-dup']).toBe('1,2');
    expect(event.headers['x-tenant']).toBe('acme');
    expect(Object.keys(event.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['s=abc', 't=d']);
    expect(event.rawQueryString).toBe('a=1&a=2&b=x%20y');
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: 'x y' });
    expect(event.pathParameters).toEqual({ id: '42' });
    expect(event.routeKey).toBe(event.requestContext.routeKey);
    expect(HttpApiEventSchema.safeParse(event).success).toBe(true);
  });

  it('omits (not nulls) body, cookies, query, path parameters and authorizer when absent', () => {
    const event = httpApiEvent();

    for (const key of ['body', 'cookies', 'queryStringParameters', 'pathParameters', 'stageVariables']) {
      expect(event).not.toHaveProperty(key);
    }
    expect(event.rawQueryString).toBe('');
    expect(event.routeKey).toBe('$default');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('takes the method from the route key and prefixes named stages in rawPath', () => {
    const event = httpApiEvent({ routeKey: 'DELETE /items/{id}', path: '/items/1', stage: 'v1' });

    expect(event.requestContext.http.method).toBe('DELETE');
    expect(event.rawPath).toBe('/v1/items/1');
    expect(event.requestContext.http.path).toBe('/v1/items/1');
  });

  it('rejects a method that contradicts the route key', () => {
    expect(() => httpApiEvent({ routeKey: 'GET /items', path: '/items', method: 'POST' })).toThrow(
      /routeKey/,
    );
  });

  it('supports JWT, Lambda and IAM authorizers', () => {
    const jwt = httpApiEvent({ authorizer: { type: 'jwt', claims: { sub: 'u' }, scopes: ['read'] } });
    const iam = httpApiEvent({ authorizer: { type: 'iam' }, accountId: '111122223333' });

    expect((jwt.requestContext as unknown as { authorizer: unknown }).authorizer).toEqual({
      jwt: { claims: { sub: 'u' }, scopes: ['read'] },
    });
    expect(JSON.stringify(iam.requestContext)).toContain('"accountId":"111122223333"');
  });

  it('rebuilds rawQueryString from a query override', () => {
    const event = httpApiEvent({ overrides: { queryStringParameters: { q: 'a b' } } });

    expect(event.rawQueryString).toBe('q=a%20b');
  });
});

describe('functionUrlEvent', () => {
  it('with auth NONE: $default route and stage, anonymous account, no authorizer', () => {
    const event = functionUrlEvent({ method: 'POST', path: '/hook', body: 'ping', region: 'us-west-2' });

    expect(event.routeKey).toBe('$default');
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.accountId).toBe('anonymous');
    expect(event.requestContext.domainName).toMatch(/^[a-z0-9]{32}\.lambda-url\.us-west-2\.on\.aws$/);
    expect(event.headers.host).toBe(event.requestContext.domainName);
    expect(event.requestContext).not.toHaveProperty('authorizer');
    expect(FunctionUrlEventSchema.safeParse(event).success).toBe(true);
  });

  it('with AWS_IAM: an iam authorizer block and null authentication', () => {
    const event = functionUrlEvent({ authType: 'AWS_IAM', accountId: '111122223333' });
    const ctx = event.requestContext as unknown as Record<string, unknown>;

    expect(ctx.authentication).toBeNull();
    expect(ctx.authorizer).toMatchObject({
      iam: {
        accountId: '111122223333',
        cognitoIdentity: null,
        userArn: expect.stringMatching(/^arn:aws:sts::111122223333:/),
      },
    });
    expect(event.requestContext.accountId).toBe('111122223333');
  });
});

describe('albEvent', () => {
  it('single-value mode: lowercase headers, raw (not decoded) query values, last value wins', () => {
    const event = albEvent(request);

    expect(event.headers?.['x-dup']).toBe('2');
    expect(event.queryStringParameters).toEqual({ a: '2', b: 'x%20y' });
    expect(event).not.toHaveProperty('multiValueHeaders');
    expect(event).not.toHaveProperty('multiValueQueryStringParameters');
    expect(AlbEventSchema.safeParse(event).success).toBe(true);
  });

  it('multi-value mode replaces (never accompanies) the single-value maps', () => {
    const event = albEvent({ ...request, multiValueHeaders: true });

    expect(event.multiValueHeaders?.['x-dup']).toEqual(['1', '2']);
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'], b: ['x%20y'] });
    expect(event).not.toHaveProperty('headers');
    expect(event).not.toHaveProperty('queryStringParameters');
  });

  it('sends "" for an empty body and keeps the target group ARN consistent', () => {
    const event = albEvent({ region: 'eu-north-1', accountId: '111122223333' });

    expect(event.body).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.elb.targetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:eu-north-1:111122223333:targetgroup\/[\w-]+\/[0-9a-f]{16}$/,
    );
  });

  it('rejects an override mixing both modes', () => {
    expect(() => albEvent({ overrides: { multiValueHeaders: { a: ['1'] } } })).toThrow(HarnessError);
  });
});

describe('custom domain names', () => {
  it('a Host header sets requestContext.domainName and domainPrefix (v1 and v2)', () => {
    const v1 = apiGatewayProxyEvent({ headers: { Host: 'api.example.com' } });
    const v2 = httpApiEvent({ headers: { host: 'api.example.com' } });

    expect(v1.requestContext.domainName).toBe('api.example.com');
    expect(v1.requestContext.domainPrefix).toBe('api');
    expect(v1.headers.Host).toBe('api.example.com');
    expect(v2.requestContext.domainName).toBe('api.example.com');
    expect(v2.headers.host).toBe('api.example.com');
  });
});
