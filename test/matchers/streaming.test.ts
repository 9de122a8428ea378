// The streaming matchers pass, fail and negate under Vitest's expect and under Jest's (the `expect`
// package that @jest/globals re-exports), registered from the same lambdaMatchers object.
import { expect as jestExpect } from 'expect';
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import {
  HttpResponseStream,
  invokeHandler,
  lambdaMatchers,
  type ResponseStream,
  streamifyResponse,
  toStreamedHttpResponse,
} from '../../src/index.js';
import { passes } from './helpers.js';

jestExpect.extend(lambdaMatchers);
type Expect = typeof expect;
const jest = jestExpect as unknown as Expect;

const clock = 'virtual' as const;
const sse = () =>
  invokeHandler(
    streamifyResponse(async (_e: unknown, stream: ResponseStream) => {
      const http = HttpResponseStream.from(stream, {
        statusCode: 200,
        headers: { 'Content-Type': 'text/event-stream' },
        cookies: ['sid=abc; HttpOnly'],
      });
      http.write('data: 1\n\n');
      await new Promise((r) => setTimeout(r, 100));
      http.write('data: 2\n\n');
      http.end();
    }),
    {},
    { clock },
  );
const brokenOff = () =>
  invokeHandler(
    streamifyResponse(async (_e: unknown, stream: ResponseStream) => {
      stream.write('partial');
      throw new Error('upstream broke');
    }),
    {},
    { clock },
  );

describe.each([
  ['vitest', expect],
  ['jest', jest],
] as const)('streaming matchers under %s', (_runner, e) => {
  it('toHaveStreamed: body, RegExp, asymmetric, chunks', async () => {
    const r = await sse();
    expect(passes(() => e(r).toHaveStreamed('data: 1\n\ndata: 2\n\n'))).toBe(true);
    expect(passes(() => e(r).toHaveStreamed(/data: 2/))).toBe(true);
    expect(passes(() => e(r).toHaveStreamed(expect.stringContaining('data: 1')))).toBe(true);
    expect(passes(() => e(r).toHaveStreamed(['data: 1\n\n', /2/]))).toBe(true);
    expect(passes(() => e(r).toHaveStreamed(['data: 1\n\n']))).toBe(false);
    expect(passes(() => e(r).toHaveStreamed('data: 1\n\n'))).toBe(false);
    expect(passes(() => e(r).not.toHaveStreamed('other'))).toBe(true);
    expect(passes(() => e(r).not.toHaveStreamed(/data/))).toBe(false);
  });

  it('toHaveStreamedHttpResponse: the Function URL view of the prelude and body', async () => {
    const r = await sse();
    expect(
      passes(() =>
        e(r).toHaveStreamedHttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'text/event-stream' },
          cookies: { sid: 'abc' },
          body: /data: 2/,
        }),
      ),
    ).toBe(true);
    expect(passes(() => e(r).toHaveStreamedHttpResponse({ statusCode: 201 }))).toBe(false);
    expect(passes(() => e(r).toHaveStreamedHttpResponse({ cookies: { theme: 'dark' } }))).toBe(false);
    expect(passes(() => e(r).not.toHaveStreamedHttpResponse({ statusCode: 500 }))).toBe(true);
  });

  it('fails on a buffered handler with a hint to streamify it', async () => {
    const r = await invokeHandler(async () => 'buffered', {}, { clock });
    expect(passes(() => e(r).toHaveStreamed('buffered'))).toBe(false);
    expect(passes(() => e(r).not.toHaveStreamed('buffered'))).toBe(true);
  });
});

describe('toStreamedHttpResponse', () => {
  it('a stream without a prelude is a 200 with the stream content type', async () => {
    const r = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: ResponseStream) => {
        stream.setContentType('text/plain');
        stream.end('plain');
      }),
      {},
      { clock },
    );
    expect(toStreamedHttpResponse(r)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      cookies: [],
      body: 'plain',
      complete: true,
    });
  });

  it('a stream that broke off keeps what was sent and says why', async () => {
    const http = toStreamedHttpResponse(await brokenOff());
    expect(http).toMatchObject({ statusCode: 200, body: 'partial', complete: false });
    expect(http?.note).toContain('Error');
  });

  it('a failure before the first byte answers 502', async () => {
    const r = await invokeHandler(
      streamifyResponse(async () => {
        throw new Error('no bytes');
      }),
      {},
      { clock },
    );
    expect(toStreamedHttpResponse(r)?.statusCode).toBe(502);
  });

  it('bad arguments are HarnessErrors naming the field', async () => {
    const r = await sse();
    expect(() => expect(r).toHaveStreamedHttpResponse({ status: 200 } as never)).toThrow(/expected\.status/);
    expect(() => expect({}).toHaveStreamed('x')).toThrow(/must be an invocation result/);
  });
});
