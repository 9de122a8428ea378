import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { toHttpResponse } from '../../src/matchers/index.js';
import { failureOf } from './helpers.js';

const respond = (response: unknown) => invokeHandler(async () => response, {});

describe('HTTP responses', () => {
  it('reads an API Gateway v1 response with headers and multiValueHeaders', async () => {
    const result = await respond({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Request': 'abc' },
      multiValueHeaders: {
        'Set-Cookie': ['session=s1; Path=/; HttpOnly', 'theme=dark'],
        Vary: ['Origin', 'Accept'],
      },
      body: JSON.stringify({ id: '7', tags: ['a'] }),
    });
    expect(result).toHaveStatusCode(201);
    expect(result).not.toHaveStatusCode(200);
    expect(result).toHaveHeader('content-type', 'application/json');
    expect(result).toHaveHeader('CONTENT-TYPE', /json/);
    expect(result).toHaveHeader('vary', 'Origin');
    expect(result).toHaveHeader('vary', 'Origin, Accept');
    expect(result).not.toHaveHeader('x-missing');
    expect(result).toHaveJsonBody({ id: '7', tags: ['a'] });
    expect(result).toHaveJsonBody({ id: expect.any(String), tags: expect.arrayContaining(['a']) });
    expect(result).not.toHaveJsonBody({ id: '7' });
    expect(result).toHaveCookie('session');
    expect(result).toHaveCookie('theme', 'dark');
    expect(result).not.toHaveCookie('theme', 'light');
    expect(toHttpResponse(result)?.cookies[0]?.attributes).toEqual({ Path: '/', HttpOnly: true });
  });

  it('reads an HTTP API v2 / Function URL response with cookies[]', async () => {
    const result = await respond({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      cookies: ['a=1; Secure', 'b=2'],
      body: 'hello',
    });
    expect(result).toHaveCookie('a', '1');
    expect(result).toHaveCookie('b', expect.stringMatching(/^\d$/));
    expect(result).toHaveHttpResponse({ statusCode: 200, body: 'hello', cookies: { a: '1' } });
    expect(result).not.toHaveJsonBody('hello');
  });

  it('applies the v2 inference to a result without statusCode', async () => {
    const result = await respond({ ok: true, n: 1 });
    expect(result).toHaveStatusCode(200);
    expect(result).toHaveHeader('content-type', 'application/json');
    expect(result).toHaveJsonBody({ ok: true, n: 1 });
    expect(toHttpResponse(result)?.inferred).toBe(true);
  });

  it('decodes a base64 body', async () => {
    const result = await respond({
      statusCode: 200,
      isBase64Encoded: true,
      body: Buffer.from(JSON.stringify({ bin: 1 })).toString('base64'),
    });
    expect(result).toHaveJsonBody({ bin: 1 });
  });

  it('reads an ALB response with statusDescription', async () => {
    const result = await respond({
      statusCode: 404,
      statusDescription: '404 Not Found',
      headers: { 'content-type': 'application/json' },
      body: '{"message":"not found"}',
      isBase64Encoded: false,
    });
    expect(result).toHaveHttpResponse({
      statusCode: 404,
      headers: { 'Content-Type': /json/ },
      json: { message: 'not found' },
    });
    expect(result).not.toHaveHttpResponse({ json: { message: 'found' } });
  });

  it('fails every HTTP matcher on a failed invocation, explaining the 502', async () => {
    const result = await invokeHandler(async () => {
      throw new Error('db down');
    }, {});
    expect(result).not.toHaveStatusCode(200);
    expect(failureOf(() => expect(result).toHaveStatusCode(200))).toContain('502');
  });

  it('rejects unknown keys of the toHaveHttpResponse expectation', async () => {
    const result = await respond({ statusCode: 200, body: '' });
    expect(() => expect(result).toHaveHttpResponse({ status: 200 } as never)).toThrow(/expected\.status/);
  });

  it("applies one integration's rules when asked", async () => {
    const noStatus = await respond({ ok: true });
    expect(noStatus).toHaveHttpResponse({ statusCode: 200, json: { ok: true } });
    expect(noStatus).toHaveHttpResponse({ statusCode: 200 }, { integration: 'function-url' });
    expect(noStatus).toHaveHttpResponse(
      { statusCode: 502, json: { message: 'Internal server error' } },
      { integration: 'apigw-v1' },
    );
    expect(noStatus).toHaveHttpResponse({ statusCode: 502 }, { integration: 'alb' });
    expect(
      failureOf(() => expect(noStatus).toHaveHttpResponse({ statusCode: 200 }, { integration: 'apigw-v1' })),
    ).toContain('answers 502');

    const mixed = await respond({
      statusCode: 200,
      cookies: ['v2=1'],
      multiValueHeaders: { 'x-multi': ['a', 'b'] },
      body: '',
    });
    expect(mixed).toHaveHttpResponse({ cookies: { v2: '1' }, headers: { 'x-multi': 'a, b' } });
    expect(mixed).not.toHaveHttpResponse({ cookies: { v2: '1' } }, { integration: 'apigw-v1' });
    expect(mixed).not.toHaveHttpResponse({ headers: { 'x-multi': 'a' } }, { integration: 'apigw-v2' });
    expect(toHttpResponse(mixed, { integration: 'alb' })?.cookies).toEqual([]);
    expect(() => expect(mixed).toHaveHttpResponse({}, { integration: 'nginx' } as never)).toThrow(
      /options\.integration/,
    );
  });
});

describe('the failed-invocation hint agrees with toHttpResponse', () => {
  it.each([
    ['apigw-v1', /API Gateway \(REST\) answers 502 \{"message": "Internal server error"\}/],
    ['alb', /the load balancer answers 502 with an empty body/],
  ] as const)('%s', async (integration, hint) => {
    const failed = await invokeHandler(async () => {
      throw new Error('boom');
    }, {});
    const missingStatus = await invokeHandler(async () => ({ body: 'x' }), {});
    const view = toHttpResponse(missingStatus, { integration });
    const message = failureOf(() => expect(failed).toHaveHttpResponse({ statusCode: 200 }, { integration }));
    expect(message).toMatch(hint);
    expect(message).toContain(`${view?.statusCode}`);
    if (integration === 'apigw-v1') expect(message).toContain(view?.body);
  });
});
