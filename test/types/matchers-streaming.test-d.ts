/// <reference types="jest" />
import { expect as jestExpect } from '@jest/globals';
import { describe, expect, expectTypeOf, it } from 'vitest';
import '../../src/vitest/index.js';
import '../../src/jest/index.js';
import { type ResponseStream, type StreamedResponse, streamifyResponse } from '../../src/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

declare const result: InvocationResult;

describe('streaming types', () => {
  it('types the streaming matchers on Vitest and Jest expect', () => {
    expect(result).toHaveStreamed('body');
    expect(result).toHaveStreamed(/body/);
    expect(result).toHaveStreamed(['a', /b/]);
    expect(result).not.toHaveStreamedHttpResponse({ statusCode: 200, headers: { 'content-type': /text/ } });
    jestExpect(result).toHaveStreamed(jestExpect.stringContaining('b'));
    jestExpect(result).toHaveStreamedHttpResponse({ body: 'x', cookies: { sid: 'abc' } });
    // @ts-expect-error a number is neither a body nor a list of chunks
    expect(result).toHaveStreamed(42);
    // @ts-expect-error unknown part of the HTTP response
    expect(result).toHaveStreamedHttpResponse({ status: 200 });
  });

  it('types the stream on results and the handler wrapper', () => {
    expectTypeOf(result.stream).toEqualTypeOf<StreamedResponse | undefined>();
    const handler = streamifyResponse(async (_event: unknown, stream: ResponseStream) => {
      stream.setContentType('text/plain');
      stream.end('x');
    });
    expectTypeOf(handler).parameter(1).toEqualTypeOf<ResponseStream>();
  });
});
