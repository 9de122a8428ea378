import type { InvocationResult, StreamedResponse } from '../contract/result.js';
import { type MatcherContext, type MatcherResult, matchesText } from './context.js';
import {
  badArgument,
  buildResult,
  describeOutcome,
  indentRest,
  outcomeWord,
  requireResult,
} from './message.js';

/**
 * A streamed response as a Function URL with `InvokeMode: RESPONSE_STREAM` hands it to the client:
 * the status, headers and cookies of the `HttpResponseStream.from` prelude (200 and the stream's
 * content type without one), and the body as streamed.
 *
 * @example
 * const http = toStreamedHttpResponse(result);
 * http?.statusCode; // 201
 * http?.body;       // 'created'
 */
export interface StreamedHttpResponseView {
  readonly statusCode: number;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The prelude's cookies, as written (`name=value; attributes`). */
  readonly cookies: readonly string[];
  readonly body: string;
  /** Whether the stream ended cleanly; otherwise `note` says how it broke off. */
  readonly complete: boolean;
  readonly note?: string;
}

/**
 * The parts of a streamed HTTP response to match with `toHaveStreamedHttpResponse`; each is
 * optional (headers matched by name, case-insensitive; cookies by name; strings exact, RegExps
 * and asymmetric matchers allowed).
 *
 * @example
 * expect(result).toHaveStreamedHttpResponse({ statusCode: 200, headers: { 'content-type': /event-stream/ }, body: /data: 3/ });
 */
export interface StreamedHttpResponseExpectation {
  readonly statusCode?: number | unknown;
  readonly headers?: Readonly<Record<string, string | RegExp | unknown>>;
  readonly cookies?: Readonly<Record<string, string | RegExp | unknown>>;
  readonly body?: string | RegExp | unknown;
}

const HTTP_KEYS = ['statusCode', 'headers', 'cookies', 'body'];

/**
 * Read a streaming handler's result as a Function URL (`InvokeMode: RESPONSE_STREAM`) client
 * would see it; undefined for a result without a stream (a buffered handler). A stream that failed
 * before its first byte answers 502 like a buffered Function URL; one that broke off mid-way keeps
 * the status already sent and the body streamed so far (`complete: false`).
 *
 * @example
 * toStreamedHttpResponse(result)?.headers['content-type']; // 'text/event-stream'
 */
export function toStreamedHttpResponse(result: InvocationResult): StreamedHttpResponseView | undefined {
  const stream = result.stream;
  if (!stream) return undefined;
  const complete = result.outcome === 'success' && stream.finished;
  if (!complete && stream.bytes === 0) {
    return {
      statusCode: 502,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: '{"message":"Internal Server Error"}',
      complete: false,
      note: `the invocation ${outcomeWord(result)} before the first byte`,
    };
  }
  const headers: Record<string, string> = {};
  const prelude = stream.prelude;
  if (prelude?.headers && typeof prelude.headers === 'object') {
    for (const [name, value] of Object.entries(prelude.headers)) headers[name.toLowerCase()] = String(value);
  } else if (!prelude) headers['content-type'] = stream.contentType;
  const cookies = Array.isArray(prelude?.cookies) ? prelude.cookies.map(String) : [];
  const statusCode = typeof prelude?.statusCode === 'number' ? prelude.statusCode : 200;
  const view: StreamedHttpResponseView = { statusCode, headers, cookies, body: stream.text, complete };
  if (complete) return view;
  const why = stream.errorTrailer ? `${stream.errorTrailer.errorType}` : outcomeWord(result);
  return { ...view, note: `the stream broke off (${why}) after ${stream.bytes} bytes` };
}

function describeStream(ctx: MatcherContext, stream: StreamedResponse): string[] {
  const lines = [
    `Received stream (${stream.chunks.length} chunk${stream.chunks.length === 1 ? '' : 's'}, ${stream.bytes} bytes):`,
  ];
  const shown = stream.chunks.slice(0, 20);
  shown.forEach((chunk, i) => {
    const text = chunk.text.length > 200 ? `${chunk.text.slice(0, 200)}…` : chunk.text;
    // JSON-escaped: streamed text is often line-oriented (server-sent events, NDJSON).
    lines.push(`  #${i + 1} at ${chunk.atMs} ms: ${JSON.stringify(text)}`);
  });
  if (stream.chunks.length > shown.length) lines.push(`  … and ${stream.chunks.length - shown.length} more`);
  const state = stream.finished ? 'ended and finished' : stream.ended ? 'ended, not finished' : 'not ended';
  lines.push(`  stream: ${state}${stream.truncated ? ', truncated at the size limit' : ''}`);
  if (stream.errorTrailer) {
    lines.push(
      `  error trailer: ${stream.errorTrailer.errorType}: ${ctx.utils.printReceived(stream.errorTrailer.errorMessage)}`,
    );
  }
  return lines;
}

function notStreamed(
  ctx: MatcherContext,
  name: string,
  label: string,
  result: InvocationResult,
  expectation: readonly [string, string],
): MatcherResult {
  return buildResult(ctx, false, {
    name,
    expectedLabel: label,
    expectation,
    received: [
      'Received: no response stream (the handler is not a streaming handler)',
      ...describeOutcome(ctx, result),
    ],
    hint: 'Wrap the handler with awslambda.streamifyResponse(async (event, responseStream, context) => { ... }) (or streamifyResponse from lambda-harness in a test file).',
  });
}

function printableChunks(expected: readonly unknown[], ctx: MatcherContext): string {
  return `[${expected.map((e) => (typeof e === 'string' ? JSON.stringify(e) : ctx.utils.printExpected(e))).join(', ')}]`;
}

/** Matchers over what a streaming handler (`awslambda.streamifyResponse`) streamed. */
export const streamingMatchers = {
  /**
   * Passes when the streamed body equals the string (or matches the RegExp / asymmetric matcher), or,
   * given an array, when the chunks are exactly these, in order (each a string, RegExp or matcher).
   */
  toHaveStreamed(this: MatcherContext, received: unknown, expected: unknown): MatcherResult {
    const result = requireResult('toHaveStreamed', received);
    if (expected === undefined) {
      badArgument('toHaveStreamed', 'expected', 'the body (string, RegExp) or the chunks (array)', expected);
    }
    const byChunk = Array.isArray(expected);
    const shown = byChunk
      ? `the chunks ${printableChunks(expected as unknown[], this)}`
      : `a streamed body ${typeof expected === 'string' ? JSON.stringify(expected) : this.utils.printExpected(expected)}`;
    const expectation = [shown, `not ${shown}`] as const;
    const label = byChunk ? 'chunks' : 'body';
    const stream = result.stream;
    if (!stream) return notStreamed(this, 'toHaveStreamed', label, result, expectation);
    let pass: boolean;
    if (byChunk) {
      const list = expected as unknown[];
      pass =
        stream.chunks.length === list.length &&
        list.every((e, i) => matchesText(this.equals, stream.chunks[i]?.text, e, 'exact'));
    } else pass = matchesText(this.equals, stream.text, expected, 'exact');
    return buildResult(this, pass, {
      name: 'toHaveStreamed',
      expectedLabel: label,
      expectation,
      received: describeStream(this, stream),
      hint: byChunk
        ? 'Chunks are the write() calls as made; pass a string to compare the whole body instead.'
        : 'Pass an array to compare chunk by chunk, or a RegExp / expect.stringContaining() for part of the body.',
      ...(byChunk
        ? { actual: stream.chunks.map((c) => c.text), expected }
        : typeof expected === 'string'
          ? { actual: stream.text, expected }
          : {}),
    });
  },

  /** Passes when the streamed response, as a Function URL client receives it, matches every part given. */
  toHaveStreamedHttpResponse(
    this: MatcherContext,
    received: unknown,
    expected: StreamedHttpResponseExpectation,
  ): MatcherResult {
    const result = requireResult('toHaveStreamedHttpResponse', received);
    if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
      badArgument(
        'toHaveStreamedHttpResponse',
        'expected',
        `an object with ${HTTP_KEYS.join(', ')}`,
        expected,
      );
    }
    for (const key of Object.keys(expected)) {
      if (!HTTP_KEYS.includes(key)) {
        badArgument('toHaveStreamedHttpResponse', `expected.${key}`, `one of ${HTTP_KEYS.join(', ')}`, key);
      }
    }
    const expectation = [
      `a streamed HTTP response matching ${this.utils.printExpected(expected)}`,
      `a streamed HTTP response not matching ${this.utils.printExpected(expected)}`,
    ] as const;
    const http = toStreamedHttpResponse(result);
    if (!http || !result.stream)
      return notStreamed(this, 'toHaveStreamedHttpResponse', 'expected', result, expectation);
    const e = expected;
    let pass = true;
    if ('statusCode' in e && !this.equals(http.statusCode, e.statusCode)) pass = false;
    for (const [name, value] of Object.entries(e.headers ?? {})) {
      if (!matchesText(this.equals, http.headers[name.toLowerCase()], value, 'exact')) pass = false;
    }
    for (const [name, value] of Object.entries(e.cookies ?? {})) {
      const found = http.cookies.some((raw) => {
        const pair = raw.split(';')[0] ?? '';
        const at = pair.indexOf('=');
        return (
          pair.slice(0, at).trim() === name &&
          matchesText(this.equals, pair.slice(at + 1).trim(), value, 'exact')
        );
      });
      if (!found) pass = false;
    }
    if ('body' in e && !matchesText(this.equals, http.body, e.body, 'exact')) pass = false;
    const lines = [
      `Received: HTTP ${http.statusCode}${http.note ? ` (${http.note})` : ''}`,
      ...Object.entries(http.headers).map(([n, v]) => `  ${n}: ${v}`),
      ...(http.cookies.length > 0 ? [`  cookies: ${http.cookies.join(' | ')}`] : []),
      `  body: ${indentRest(this.utils.printReceived(http.body.length > 500 ? `${http.body.slice(0, 500)}…` : http.body))}`,
    ];
    return buildResult(this, pass, {
      name: 'toHaveStreamedHttpResponse',
      expectedLabel: 'expected',
      expectation,
      received: lines,
      logs: pass ? undefined : result.logs,
      hint: result.stream.prelude
        ? 'Status, headers and cookies come from awslambda.HttpResponseStream.from(stream, { statusCode, headers, cookies }); the prelude is sent with the first write().'
        : 'Without awslambda.HttpResponseStream.from(...) a Function URL answers 200 with the stream content type.',
    });
  },
};
