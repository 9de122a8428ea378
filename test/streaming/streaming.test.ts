import { describe, expect, it } from 'vitest';
import {
  createFunction,
  HttpResponseStream,
  type InvocationResult,
  invokeHandler,
  normalizeResult,
  onResponseStream,
  type ResponseStream,
  streamifyResponse,
} from '../../src/index.js';
// Lambda's streaming limits are internal constants of the invoke area, not public names.
import {
  STREAM_CAPPED_BYTES_PER_SECOND,
  STREAM_MAX_RESPONSE_BYTES,
  STREAM_UNCAPPED_BYTES,
} from '../../src/invoke/index.js';
import { vitestIsolation } from '../lifecycle/helpers.js';

type Stream = ResponseStream;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const texts = (r: InvocationResult) => r.logs.map((l) => l.text);

describe.each(['virtual', 'real'] as const)('response streaming on the %s clock', (clock) => {
  const timed = (ms: number, got: number) => {
    if (clock === 'virtual') expect(got).toBe(ms);
    else expect(got).toBeGreaterThanOrEqual(ms - 2);
  };

  it('records the chunks in order with the time each was written', async () => {
    const handler = streamifyResponse(async (_event: unknown, stream: Stream) => {
      stream.write('hello ');
      await sleep(40);
      stream.write(Buffer.from('wide '));
      await sleep(40);
      stream.write({ json: true });
      stream.end();
    });
    const result = await invokeHandler(handler, {}, { clock });
    expect(result.outcome).toBe('success');
    const s = result.stream;
    expect(s?.chunks.map((c) => c.text)).toEqual(['hello ', 'wide ', '{"json":true}']);
    expect(s?.text).toBe('hello wide {"json":true}');
    expect(s?.contentType).toBe('application/octet-stream');
    expect(s?.prelude).toBeUndefined();
    expect(s).toMatchObject({ ended: true, finished: true, truncated: false, writesAfterEnd: 0 });
    expect(s?.chunks[0]?.atMs).toBeLessThan(5);
    timed(40, s?.chunks[1]?.atMs ?? 0);
    timed(80, s?.chunks[2]?.atMs ?? 0);
    expect(result.outcome === 'success' && result.response).toBe('hello wide {"json":true}');
  });

  it('sends the HttpResponseStream prelude before the first write, and only then', async () => {
    const prelude = { statusCode: 201, headers: { 'content-type': 'text/plain' }, cookies: ['a=1'] };
    const written = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        const http = HttpResponseStream.from(stream, prelude);
        http.write('created');
        http.end();
      }),
      {},
      { clock },
    );
    expect(written.stream?.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(written.stream?.prelude).toEqual(prelude);
    expect(written.stream?.text).toBe('created');
    expect(written.stream?.bytes).toBe(JSON.stringify(prelude).length + 8 + 'created'.length);
    // ClientRequest.end(chunk) bypasses the runtime's write(): the prelude is never sent.
    const endOnly = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        HttpResponseStream.from(stream, prelude).end('created');
      }),
      {},
      { clock },
    );
    expect(endOnly.stream?.prelude).toBeUndefined();
    expect(endOnly.stream?.text).toBe('created');
  });

  it('runs streaming handlers under function instances with the awslambda global', async () => {
    const fn = createFunction({
      handler: () => import('../fixtures/streaming/ticker.js'),
      isolation: vitestIsolation,
      clock,
    });
    try {
      const result = await fn.invoke({ ticks: 2, gapMs: 30 });
      expect(result.outcome).toBe('success');
      if (result.outcome === 'throttled') return;
      expect(result.stream?.prelude).toEqual({
        statusCode: 200,
        headers: { 'content-type': 'text/event-stream' },
      });
      expect(result.stream?.chunks.map((c) => c.text)).toEqual(['data: 1\n\n', 'data: 2\n\n']);
      timed(30, result.stream?.chunks[1]?.atMs ?? 0);
    } finally {
      await fn.dispose();
    }
  });

  it('fails a handler that does not return a promise, per generation', async () => {
    const handler = streamifyResponse((_e: unknown, stream: Stream) => {
      stream.end();
    });
    const v3 = await invokeHandler(handler, {}, { clock, runtime: 'nodejs22.x' });
    expect(v3.outcome === 'error' && v3.error).toEqual({
      errorType: 'string',
      errorMessage: 'Streaming does not support non-async handlers.',
      trace: [],
    });
    const v4 = await invokeHandler(handler, {}, { clock, runtime: 'nodejs24.x' });
    expect(v4.outcome === 'error' && v4.error).toMatchObject({
      errorType: 'Error',
      errorMessage: 'Streaming does not support non-async handlers.',
    });
    expect(texts(v4).some((t) => t.includes('Invoke Error'))).toBe(true);
  });

  it('warns that a returned value is ignored', async () => {
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        stream.end('body');
        return { ignored: true };
      }),
      {},
      { clock },
    );
    expect(result.outcome).toBe('success');
    expect(texts(result).some((t) => /\tWARN\tStreaming handlers ignore return values\.$/.test(t))).toBe(
      true,
    );
  });

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'an error thrown mid-stream goes out as the error trailers (%s)',
    async (runtime) => {
      const result = await invokeHandler(
        streamifyResponse(async (_e: unknown, stream: Stream) => {
          stream.write('partial');
          await sleep(20);
          throw new TypeError('upstream broke');
        }),
        {},
        { clock, runtime },
      );
      expect(result.outcome).toBe('error');
      if (result.outcome !== 'error') return;
      expect(result.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'upstream broke' });
      expect(result.stream?.text).toBe('partial');
      expect(result.stream?.errorTrailer).toEqual(result.error);
      expect(result.stream).toMatchObject({ ended: false, finished: false });
      expect(
        texts(result).some((t) =>
          t.includes('\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"upstream broke"'),
        ),
      ).toBe(true);
    },
  );

  it('an error after end(): the caller has the whole body, Lambda still logs Invoke Error', async () => {
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        stream.end('complete');
        await sleep(5);
        throw new Error('too late');
      }),
      {},
      { clock },
    );
    expect(result.outcome).toBe('success');
    expect(result.stream).toMatchObject({ text: 'complete', finished: true, errorTrailer: undefined });
    expect(texts(result).some((t) => t.includes('Invoke Error') && t.includes('too late'))).toBe(true);
  });

  it('a timeout mid-stream keeps what was delivered and ends with Sandbox.Timedout', async () => {
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        stream.write('first');
        await sleep(60);
        stream.write('second');
        await sleep(10_000);
        stream.end('never');
      }),
      {},
      { clock, timeout: 0.2 },
    );
    expect(result.outcome).toBe('timeout');
    expect(result.stream?.chunks.map((c) => c.text)).toEqual(['first', 'second']);
    expect(result.stream).toMatchObject({ ended: false, finished: false });
    expect(result.durationMs).toBe(200);
  });

  it('a handler that never ends the stream holds the invocation open until the timeout', async () => {
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        stream.write('left open');
      }),
      {},
      { clock, timeout: 0.2 },
    );
    expect(result.outcome).toBe('timeout');
    if (result.outcome !== 'timeout') return;
    expect(result.error.errorType).toBe('Sandbox.Timedout');
    expect(result.stream).toMatchObject({ text: 'left open', ended: false });
  });

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'writing after end() fails the write and counts it (%s)',
    async (runtime) => {
      let callbackError: unknown;
      const result = await invokeHandler(
        streamifyResponse(async (_e: unknown, stream: Stream) => {
          stream.write('body');
          stream.end();
          stream.write('late', (err) => {
            callbackError = err;
          });
          await sleep(5);
        }),
        {},
        { clock, runtime },
      );
      expect(result.stream).toMatchObject({ text: 'body', writesAfterEnd: 1 });
      expect(String(callbackError)).toContain('write after end');
      // The runtime's unawaited "headers received" promise rejects: v3 logs it, v4 crashes.
      const all = texts(result).join('\n');
      if (runtime === 'nodejs22.x') expect(all).toContain('Unhandled Promise Rejection');
      else expect(all).toContain('write after end');
    },
  );

  it('setContentType after the first write throws Runtime.InvalidStreamingOperation', async () => {
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        stream.setContentType('text/plain');
        stream.write('x');
        stream.setContentType('text/html');
      }),
      {},
      { clock },
    );
    expect(result.outcome === 'error' && result.error).toMatchObject({
      errorType: 'Runtime.InvalidStreamingOperation',
      errorMessage: 'Cannot set content-type, too late.',
    });
    expect(result.stream?.contentType).toBe('text/plain');
  });

  it('applies backpressure: write() returns false past the highWaterMark and drain follows', async () => {
    const seen: boolean[] = [];
    let drained = false;
    const result = await invokeHandler(
      streamifyResponse(
        async (_e: unknown, stream: Stream) => {
          seen.push(stream.write(Buffer.alloc(10)));
          seen.push(stream.write(Buffer.alloc(100)));
          await new Promise<void>((resolve) =>
            stream.once('drain', () => {
              drained = true;
              resolve();
            }),
          );
          stream.end();
        },
        { highWaterMark: 64 },
      ),
      {},
      { clock },
    );
    expect(result.outcome).toBe('success');
    expect(seen).toEqual([true, false]);
    expect(drained).toBe(true);
  });

  it('tells watchers about the prelude, each chunk and the end', async () => {
    const events: string[] = [];
    const off = onResponseStream((e) => events.push(e.type === 'chunk' ? `chunk:${e.chunk.text}` : e.type));
    try {
      await invokeHandler(
        streamifyResponse(async (_e: unknown, stream: Stream) => {
          const http = HttpResponseStream.from(stream, { statusCode: 200 });
          http.write('a');
          await sleep(5);
          http.end('b');
        }),
        {},
        { clock },
      );
    } finally {
      off();
    }
    expect(events).toEqual(['prelude', 'chunk:a', 'chunk:b', 'end']);
  });
});

describe('streaming limits (virtual clock: the cap is measured in simulated seconds)', () => {
  it('streams the first 6 MiB uncapped, then at 2 MiB/s, and the invocation lasts until the last byte left', async () => {
    const mib = Buffer.alloc(1024 * 1024, 97);
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        for (let i = 0; i < 10; i++) {
          if (!stream.write(mib)) await new Promise((resolve) => stream.once('drain', resolve));
        }
        stream.end();
      }),
      {},
      { clock: 'virtual', timeout: 10 },
    );
    expect(result.outcome).toBe('success');
    const chunks = result.stream?.chunks ?? [];
    expect(chunks).toHaveLength(10);
    expect(chunks[5]?.deliveredAtMs).toBe(0); // bytes 5..6 MiB: still uncapped
    const perMiB = (1024 * 1024 * 1000) / STREAM_CAPPED_BYTES_PER_SECOND;
    expect(chunks[6]?.deliveredAtMs).toBe(perMiB);
    expect(chunks[9]?.deliveredAtMs).toBe(4 * perMiB);
    expect(result.durationMs).toBe(4 * perMiB);
    expect(STREAM_UNCAPPED_BYTES).toBe(6 * 1024 * 1024);
  });

  it('the cap can push a long stream into its timeout', async () => {
    const mib = Buffer.alloc(1024 * 1024);
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        for (let i = 0; i < 20; i++) {
          if (!stream.write(mib)) await new Promise((resolve) => stream.once('drain', resolve));
        }
        stream.end();
      }),
      {},
      { clock: 'virtual', timeout: 3 },
    );
    expect(result.outcome).toBe('timeout');
    const delivered = (result.stream?.chunks ?? []).filter(
      (c) => c.deliveredAtMs !== undefined && c.deliveredAtMs <= 3000,
    );
    expect(delivered.length).toBeGreaterThanOrEqual(6 + 5);
    expect(delivered.length).toBeLessThan(20);
  });

  it('cuts the stream at the maximum response size with Function.ResponseSizeTooLarge', async () => {
    const mib = Buffer.alloc(1024 * 1024);
    const total = STREAM_MAX_RESPONSE_BYTES / mib.length + 1;
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: Stream) => {
        for (let i = 0; i < total; i++) {
          if (!stream.write(mib)) await new Promise((resolve) => stream.once('drain', resolve));
        }
        stream.end();
      }),
      {},
      { clock: 'virtual', timeout: 900 },
    );
    expect(result.outcome).toBe('error');
    if (result.outcome !== 'error') return;
    expect(result.error).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${STREAM_MAX_RESPONSE_BYTES} bytes).`,
    });
    expect(result.stream?.bytes).toBe(STREAM_MAX_RESPONSE_BYTES);
    expect(result.stream?.truncated).toBe(true);
  });
});

describe('the end of a streaming invocation, per generation', () => {
  const handler = streamifyResponse(async (_e: unknown, stream: ResponseStream) => {
    setTimeout(() => {}, 500); // work left behind after the response
    stream.end('done');
  });

  it('nodejs22.x (v3) waits for the event loop to drain after the stream finished', async () => {
    const result = await invokeHandler(handler, {}, { clock: 'virtual', runtime: 'nodejs22.x' });
    expect(result.outcome).toBe('success');
    expect(result.durationMs).toBe(500);
    expect(result.stream?.finished).toBe(true);
  });

  it('nodejs22.x with callbackWaitsForEmptyEventLoop = false ends with the stream', async () => {
    const result = await invokeHandler(
      streamifyResponse(
        async (_e: unknown, stream: ResponseStream, context: { callbackWaitsForEmptyEventLoop: boolean }) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => {}, 500);
          stream.end('done');
        },
      ),
      {},
      { clock: 'virtual', runtime: 'nodejs22.x' },
    );
    expect(result.durationMs).toBe(0);
    expect(result.pendingWork.timers).toBe(1);
  });

  it('nodejs24.x (v4) ends with the stream and leaves the timer pending', async () => {
    const result = await invokeHandler(handler, {}, { clock: 'virtual', runtime: 'nodejs24.x' });
    expect(result.outcome).toBe('success');
    expect(result.durationMs).toBe(0);
    expect(result.pendingWork.timers).toBe(1);
  });

  it('the v3 streaming context has no succeed/fail/done; v4 has none either', async () => {
    const keys: Record<string, string[]> = {};
    for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
      await invokeHandler(
        streamifyResponse(async (_e: unknown, stream: ResponseStream, context: object) => {
          keys[runtime] = Object.keys(context);
          stream.end();
        }),
        {},
        { clock: 'virtual', runtime },
      );
    }
    expect(keys['nodejs22.x']).toContain('callbackWaitsForEmptyEventLoop');
    for (const k of ['succeed', 'fail', 'done']) {
      expect(keys['nodejs22.x']).not.toContain(k);
      expect(keys['nodejs24.x']).not.toContain(k);
    }
  });
});

describe('a malformed streaming marker', () => {
  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'fails init with Runtime.MalformedStreamingHandler (%s)',
    async (runtime) => {
      const handler = Object.assign(async () => 'x', {
        [Symbol.for('aws.lambda.runtime.handler.streaming')]: 'request',
      });
      const result = await invokeHandler(handler, {}, { runtime });
      expect(result.outcome === 'error' && result.phase).toBe('init');
      expect(result.outcome === 'error' && result.error).toMatchObject({
        errorType: 'Runtime.MalformedStreamingHandler',
        errorMessage: 'Only response streaming is supported.',
      });
    },
  );

  it('a falsy marker is "not streaming" (v3: undefined, null, false; v4: any falsy value)', async () => {
    const zero = Object.assign(async () => 'buffered', {
      [Symbol.for('aws.lambda.runtime.handler.streaming')]: 0,
    });
    expect((await invokeHandler(zero, {}, { runtime: 'nodejs24.x' })).outcome).toBe('success');
    expect((await invokeHandler(zero, {}, { runtime: 'nodejs22.x' })).outcome).toBe('error');
  });
});

describe('snapshots of a streaming result', () => {
  it('mask chunk times and show bytes by size', async () => {
    const result = await invokeHandler(
      streamifyResponse(async (_e: unknown, stream: ResponseStream) => {
        HttpResponseStream.from(stream, { statusCode: 200 }).write('hi');
        await sleep(5);
        stream.end();
      }),
      {},
      { clock: 'real' },
    );
    expect(normalizeResult(result).stream).toMatchInlineSnapshot(`
      {
        "body": "<2 bytes>",
        "bytes": 28,
        "chunks": [
          {
            "atMs": "<n>",
            "data": "<2 bytes>",
            "deliveredAtMs": "<n>",
            "text": "hi",
          },
        ],
        "contentType": "application/vnd.awslambda.http-integration-response",
        "ended": true,
        "errorTrailer": undefined,
        "finished": true,
        "firstByteAtMs": "<n>",
        "prelude": {
          "statusCode": 200,
        },
        "text": "hi",
        "truncated": false,
        "writesAfterEnd": 0,
      }
    `);
  });
});
