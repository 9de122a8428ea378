// Failure text of the streaming matchers, snapshot-tested colourless with volatile parts masked.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import {
  HttpResponseStream,
  invokeHandler,
  type ResponseStream,
  streamifyResponse,
} from '../../src/index.js';
import { failureOf } from '../matchers/helpers.js';

const clock = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) } as const;
const sse = () =>
  invokeHandler(
    streamifyResponse(async (_e: unknown, stream: ResponseStream) => {
      const http = HttpResponseStream.from(stream, {
        statusCode: 200,
        headers: { 'content-type': 'text/event-stream' },
      });
      http.write('data: 1\n\n');
      await new Promise((r) => setTimeout(r, 100));
      http.write('data: 2\n\n');
      http.end();
    }),
    {},
    { clock },
  );

describe('streaming failure messages', () => {
  it('toHaveStreamed with a different body, chunks, and .not', async () => {
    const r = await sse();
    expect(failureOf(() => expect(r).toHaveStreamed('data: 1\n\n'))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveStreamed(['data: 1\n\n', 'data: 3\n\n']))).toMatchSnapshot();
    expect(failureOf(() => expect(r).not.toHaveStreamed(/data: 2/))).toMatchSnapshot();
  });

  it('toHaveStreamed on a stream that broke off, and on a buffered handler', async () => {
    const broken = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: ResponseStream) => {
        stream.write('partial');
        throw new Error('upstream broke');
      }),
      {},
      { clock },
    );
    expect(failureOf(() => expect(broken).toHaveStreamed('partial and the rest'))).toMatchSnapshot();
    const buffered = await invokeHandler(async () => 'buffered', {}, { clock });
    expect(failureOf(() => expect(buffered).toHaveStreamed('buffered'))).toMatchSnapshot();
  });

  it('toHaveStreamedHttpResponse', async () => {
    const r = await sse();
    expect(
      failureOf(() =>
        expect(r).toHaveStreamedHttpResponse({ statusCode: 201, headers: { 'content-type': 'text/plain' } }),
      ),
    ).toMatchSnapshot();
    expect(failureOf(() => expect(r).not.toHaveStreamedHttpResponse({ statusCode: 200 }))).toMatchSnapshot();
  });
});
