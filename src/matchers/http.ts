import { Buffer } from 'node:buffer';
import type { InvocationResult } from '../contract/result.js';
import {
  type MatcherContext,
  type MatcherResult,
  matchesPartial,
  matchesText,
  pickExpectedShape,
} from './context.js';
import {
  badArgument,
  buildResult,
  checkOptions,
  describeOutcome,
  outcomeWord,
  requireResult,
} from './message.js';
import { toStreamedHttpResponse } from './streaming.js';

/**
 * A parsed `Set-Cookie` value.
 *
 * @example
 * const [session]: HttpCookie[] = toHttpResponse(result).cookies;
 * session.name; // 'session'
 * session.attributes.HttpOnly; // true
 */
export interface HttpCookie {
  readonly name: string;
  readonly value: string;
  /** Attributes such as `Path`, `HttpOnly`, `Max-Age`, keys as written; flags map to `true`. */
  readonly attributes: Readonly<Record<string, string | true>>;
  /** The cookie exactly as the handler wrote it. */
  readonly raw: string;
}

/**
 * An HTTP response as a client of API Gateway (REST v1 or HTTP API v2), an ALB or a Function URL
 * would see it, read from a handler's result. Header names are lower-case; multi-value headers
 * are joined with `, `; the body is base64-decoded when `isBase64Encoded` is set.
 *
 * @example
 * const http = toHttpResponse(result);
 * http.statusCode; // 200
 * http.json;       // { ok: true }
 */
export interface HttpResponseView {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly multiValueHeaders: Readonly<Record<string, readonly string[]>>;
  readonly cookies: readonly HttpCookie[];
  /** The body text (decoded from base64 when the response says so); `''` when absent. */
  readonly body: string;
  readonly isBase64Encoded: boolean;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** True when the result had no `statusCode` and the HTTP API v2 / Function URL inference applied. */
  readonly inferred: boolean;
  /** Why the integration rewrote the response (for example a REST API's 502 for a missing statusCode). */
  readonly note?: string;
}

/**
 * Which service turns the handler's result into the HTTP response. `auto` (the default) reads
 * every field any of them understands and applies the HTTP API v2 inference to a result without
 * `statusCode`; the others apply that service's rules: REST (`apigw-v1`) and ALB answer 502 to a
 * result without a numeric `statusCode` and ignore `cookies`; HTTP API (`apigw-v2`) and Function
 * URLs ignore `multiValueHeaders`.
 *
 * @example
 * toHttpResponse(result, { integration: 'apigw-v1' })?.statusCode; // 502 when the handler forgot statusCode
 */
export type HttpIntegration = 'auto' | 'apigw-v1' | 'apigw-v2' | 'function-url' | 'alb';

const INTEGRATIONS: readonly HttpIntegration[] = ['auto', 'apigw-v1', 'apigw-v2', 'function-url', 'alb'];

/** The body a REST API (v1) sends with its 502, as toHttpResponse models it and the hints quote it. */
const REST_502_BODY = '{"message": "Internal server error"}';

/** What the integration answers for a failed invocation: the same words as {@link toHttpResponse}'s 502. */
function failedInvocationAnswer(integration: HttpIntegration): string {
  if (integration === 'apigw-v1') return `API Gateway (REST) answers 502 ${REST_502_BODY}`;
  if (integration === 'alb') return 'the load balancer answers 502 with an empty body';
  if (integration === 'auto') {
    return `API Gateway (REST) would answer 502 ${REST_502_BODY} and an ALB 502 with an empty body; pass { integration } to pick one`;
  }
  return 'the integration answers with an error status instead of your response';
}

/**
 * Options of {@link toHttpResponse} and `toHaveHttpResponse`.
 *
 * @example
 * const options: HttpReadOptions = { integration: 'apigw-v1' };
 * expect(result).toHaveHttpResponse({ statusCode: 200 }, options);
 */
export interface HttpReadOptions {
  readonly integration?: HttpIntegration;
}

function readIntegration(where: string, options: unknown): HttpIntegration {
  const opts = checkOptions(where, options, ['integration']);
  const integration = opts.integration ?? 'auto';
  if (typeof integration !== 'string' || !INTEGRATIONS.includes(integration as HttpIntegration)) {
    badArgument(where, 'options.integration', `one of ${INTEGRATIONS.join(', ')}`, integration);
  }
  return integration as HttpIntegration;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one `Set-Cookie` string. */
export function parseSetCookie(raw: string): HttpCookie {
  const [pair = '', ...rest] = raw.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
  const value = eq === -1 ? '' : pair.slice(eq + 1).trim();
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const i = part.indexOf('=');
    const key = (i === -1 ? part : part.slice(0, i)).trim();
    if (key) attributes[key] = i === -1 ? true : part.slice(i + 1).trim();
  }
  return { name, value, attributes, raw };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a successful invocation's response as an HTTP response. Results with a numeric
 * `statusCode` are proxy responses (API Gateway v1/v2, ALB, Function URL: `headers`,
 * `multiValueHeaders`, `cookies`, `body`, `isBase64Encoded`); results without one get the HTTP
 * API v2 / Function URL inference (200, `content-type: application/json`, the JSON text as body).
 * Returns undefined for a failed or timed-out invocation.
 *
 * @example
 * const result = await invokeHandler(handler, apiGatewayV2Event());
 * toHttpResponse(result)?.headers['content-type']; // 'application/json'
 */
export function toHttpResponse(
  result: InvocationResult,
  options?: HttpReadOptions,
): HttpResponseView | undefined {
  const integration = readIntegration('toHttpResponse', options);
  if (result.outcome !== 'success') return undefined;
  // A streaming handler's HTTP response is its prelude and streamed body (Function URL RESPONSE_STREAM).
  const streamed = result.stream ? toStreamedHttpResponse(result) : undefined;
  if (streamed) {
    const multiValueHeaders: Record<string, readonly string[]> = {};
    for (const [name, value] of Object.entries(streamed.headers)) multiValueHeaders[name] = [value];
    return {
      statusCode: streamed.statusCode,
      headers: streamed.headers,
      multiValueHeaders,
      cookies: streamed.cookies.map(parseSetCookie),
      body: streamed.body,
      isBase64Encoded: false,
      json: tryJson(streamed.body),
      inferred: false,
      note: 'streamed response',
    };
  }
  const response = result.response;
  const strict = integration === 'apigw-v1' || integration === 'alb';
  if (strict && (!isRecord(response) || typeof response.statusCode !== 'number')) {
    const body = integration === 'apigw-v1' ? REST_502_BODY : '';
    return {
      statusCode: 502,
      headers: integration === 'apigw-v1' ? { 'content-type': 'application/json' } : {},
      multiValueHeaders: integration === 'apigw-v1' ? { 'content-type': ['application/json'] } : {},
      cookies: [],
      body,
      isBase64Encoded: false,
      json: tryJson(body),
      inferred: false,
      note: `the result has no numeric statusCode, so ${integration === 'alb' ? 'the load balancer' : 'API Gateway (REST)'} answers 502`,
    };
  }
  if (!isRecord(response) || typeof response.statusCode !== 'number') {
    const body = result.responseJson;
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      multiValueHeaders: { 'content-type': ['application/json'] },
      cookies: [],
      body,
      isBase64Encoded: false,
      json: tryJson(body),
      inferred: true,
    };
  }
  const multi: Record<string, string[]> = {};
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    const key = name.toLowerCase();
    const list = multi[key] ?? [];
    list.push(String(value));
    multi[key] = list;
  };
  const multiValue =
    integration === 'apigw-v2' || integration === 'function-url' ? undefined : response.multiValueHeaders;
  if (isRecord(multiValue)) {
    for (const [name, values] of Object.entries(multiValue)) {
      if (Array.isArray(values)) for (const v of values) add(name, v);
    }
  }
  if (isRecord(response.headers)) {
    for (const [name, value] of Object.entries(response.headers)) {
      const existing = multi[name.toLowerCase()];
      // API Gateway lets multiValueHeaders win over headers with the same name.
      if (existing && isRecord(multiValue)) continue;
      add(name, value);
    }
  }
  const cookieStrings = [...(multi['set-cookie'] ?? [])];
  if (!strict && Array.isArray(response.cookies)) {
    for (const c of response.cookies) if (typeof c === 'string') cookieStrings.push(c);
  }
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multi)) headers[name] = values.join(', ');
  const isBase64Encoded = response.isBase64Encoded === true;
  let body = '';
  if (typeof response.body === 'string') {
    body = isBase64Encoded ? Buffer.from(response.body, 'base64').toString('utf8') : response.body;
  } else if (response.body !== undefined && response.body !== null) {
    body = JSON.stringify(response.body);
  }
  return {
    statusCode: response.statusCode,
    headers,
    multiValueHeaders: multi,
    cookies: cookieStrings.map(parseSetCookie),
    body,
    isBase64Encoded,
    json: body === '' ? undefined : tryJson(body),
    inferred: false,
  };
}

/**
 * The parts of an HTTP response to match with {@link httpMatchers.toHaveHttpResponse}; every part
 * is optional and matched partially (headers by name, case-insensitive; cookies by name).
 *
 * @example
 * expect(result).toHaveHttpResponse({ statusCode: 201, headers: { location: /\/orders\// }, json: { id: expect.any(String) } });
 */
export interface HttpResponseExpectation {
  readonly statusCode?: number | unknown;
  readonly headers?: Readonly<Record<string, string | RegExp | unknown>>;
  readonly cookies?: Readonly<Record<string, string | RegExp | unknown>>;
  readonly body?: string | RegExp | unknown;
  readonly json?: unknown;
}

const HTTP_EXPECTATION_KEYS = ['statusCode', 'headers', 'cookies', 'body', 'json'];

function describeHttp(ctx: MatcherContext, http: HttpResponseView): string[] {
  const lines = [
    `Received: HTTP ${http.statusCode}${http.inferred ? ' (inferred: the result has no statusCode, HTTP API v2 / Function URL rule)' : ''}${http.note ? ` (${http.note})` : ''}`,
  ];
  const headerNames = Object.keys(http.headers);
  if (headerNames.length === 0) lines.push('  headers: (none)');
  for (const name of headerNames) lines.push(`  ${name}: ${http.headers[name]}`);
  if (http.cookies.length > 0) lines.push(`  cookies: ${http.cookies.map((c) => c.raw).join(' | ')}`);
  lines.push(
    `  body: ${ctx.utils.printReceived(http.body.length > 500 ? `${http.body.slice(0, 500)}…` : http.body)}`,
  );
  return lines;
}

function notHttp(
  ctx: MatcherContext,
  name: string,
  label: string,
  result: InvocationResult,
  expectation: readonly [string, string],
  integration: HttpIntegration = 'auto',
): MatcherResult {
  return buildResult(ctx, false, {
    name,
    expectedLabel: label,
    expectation,
    received: describeOutcome(ctx, result),
    logs: result.logs,
    hint: `The invocation ${outcomeWord(result)}; ${failedInvocationAnswer(integration)}.`,
  });
}

function headerMatches(
  ctx: MatcherContext,
  http: HttpResponseView,
  name: string,
  expected: unknown,
): boolean {
  const key = name.toLowerCase();
  const joined = http.headers[key];
  if (joined === undefined) return false;
  if (expected === undefined) return true;
  if (matchesText(ctx.equals, joined, expected, 'exact')) return true;
  return (http.multiValueHeaders[key] ?? []).some((v) => matchesText(ctx.equals, v, expected, 'exact'));
}

function cookieMatches(
  ctx: MatcherContext,
  http: HttpResponseView,
  name: string,
  expected: unknown,
): boolean {
  return http.cookies.some(
    (c) => c.name === name && (expected === undefined || matchesText(ctx.equals, c.value, expected, 'exact')),
  );
}

/** HTTP matchers over API Gateway v1/v2, ALB and Function URL handler results. */
export const httpMatchers = {
  /** Passes when the handler's HTTP response has this status code (200 when inferred). */
  toHaveStatusCode(this: MatcherContext, received: unknown, expected: number): MatcherResult {
    const result = requireResult('toHaveStatusCode', received);
    if (typeof expected !== 'number' || !Number.isInteger(expected)) {
      badArgument('toHaveStatusCode', 'statusCode', 'an integer HTTP status code', expected);
    }
    const expectation = [`HTTP status ${expected}`, `an HTTP status other than ${expected}`] as const;
    const http = toHttpResponse(result);
    if (!http) return notHttp(this, 'toHaveStatusCode', 'statusCode', result, expectation);
    return buildResult(this, http.statusCode === expected, {
      name: 'toHaveStatusCode',
      expectedLabel: 'statusCode',
      expectation,
      received: describeHttp(this, http),
      hint: http.inferred
        ? 'Return { statusCode, headers, body } to control the status; a result without statusCode is a 200 JSON response on HTTP API v2 and Function URLs.'
        : 'statusCode must be a number on the returned object; API Gateway REST and ALB reject anything else with 502.',
      actual: http.statusCode,
      expected,
    });
  },

  /**
   * Passes when the response has this header (name case-insensitive) and, if given, a value that
   * equals the string, matches the RegExp or satisfies the asymmetric matcher (any of a
   * multi-value header's values, or the comma-joined whole).
   */
  toHaveHeader(this: MatcherContext, received: unknown, name: string, value?: unknown): MatcherResult {
    const result = requireResult('toHaveHeader', received);
    if (typeof name !== 'string' || name === '') badArgument('toHaveHeader', 'name', 'a header name', name);
    const shown = value === undefined ? '' : ` with value ${this.utils.printExpected(value)}`;
    const expectation = [
      `header ${this.utils.printExpected(name)}${shown}`,
      `no header ${this.utils.printExpected(name)}${shown}`,
    ] as const;
    const http = toHttpResponse(result);
    if (!http) return notHttp(this, 'toHaveHeader', 'name, value', result, expectation);
    return buildResult(this, headerMatches(this, http, name, value), {
      name: 'toHaveHeader',
      expectedLabel: value === undefined ? 'name' : 'name, value',
      expectation,
      received: describeHttp(this, http),
      hint: 'Header names compare case-insensitively; headers and multiValueHeaders are merged as API Gateway does.',
    });
  },

  /** Passes when the body parses as JSON equal to `expected` (asymmetric matchers allowed). */
  toHaveJsonBody(this: MatcherContext, received: unknown, expected: unknown): MatcherResult {
    const result = requireResult('toHaveJsonBody', received);
    const expectation = [
      `a JSON body equal to ${this.utils.printExpected(expected)}`,
      `a JSON body not equal to ${this.utils.printExpected(expected)}`,
    ] as const;
    const http = toHttpResponse(result);
    if (!http) return notHttp(this, 'toHaveJsonBody', 'expected', result, expectation);
    const parsed = http.json !== undefined;
    return buildResult(this, parsed && this.equals(http.json, expected), {
      name: 'toHaveJsonBody',
      expectedLabel: 'expected',
      expectation,
      received: parsed ? describeHttp(this, http) : [...describeHttp(this, http), '  (the body is not JSON)'],
      hint: parsed
        ? 'Use expect.objectContaining({...}) inside for a partial match, or toHaveHttpResponse({ json }).'
        : 'The body must be a JSON string: return { statusCode, body: JSON.stringify(value) }.',
      ...(parsed ? { actual: http.json, expected } : {}),
    });
  },

  /** Passes when the response sets this cookie (v2 `cookies` or `Set-Cookie` headers), optionally with this value. */
  toHaveCookie(this: MatcherContext, received: unknown, name: string, value?: unknown): MatcherResult {
    const result = requireResult('toHaveCookie', received);
    if (typeof name !== 'string' || name === '') badArgument('toHaveCookie', 'name', 'a cookie name', name);
    const shown = value === undefined ? '' : ` with value ${this.utils.printExpected(value)}`;
    const expectation = [
      `cookie ${this.utils.printExpected(name)}${shown}`,
      `no cookie ${this.utils.printExpected(name)}${shown}`,
    ] as const;
    const http = toHttpResponse(result);
    if (!http) return notHttp(this, 'toHaveCookie', 'name, value', result, expectation);
    return buildResult(this, cookieMatches(this, http, name, value), {
      name: 'toHaveCookie',
      expectedLabel: value === undefined ? 'name' : 'name, value',
      expectation,
      received: [
        `Received cookies: ${http.cookies.length === 0 ? '(none)' : http.cookies.map((c) => c.raw).join(' | ')}`,
      ],
      hint: 'HTTP API v2 and Function URL handlers return cookies: ["name=value; ..."]; REST v1 and ALB use Set-Cookie in multiValueHeaders.',
    });
  },

  /** Passes when the HTTP response matches every part given (status, headers, cookies, body, json). */
  toHaveHttpResponse(
    this: MatcherContext,
    received: unknown,
    expected: HttpResponseExpectation,
    options?: HttpReadOptions,
  ): MatcherResult {
    const result = requireResult('toHaveHttpResponse', received);
    const integration = readIntegration('toHaveHttpResponse', options);
    if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
      badArgument(
        'toHaveHttpResponse',
        'expected',
        `an object with ${HTTP_EXPECTATION_KEYS.join(', ')}`,
        expected,
      );
    }
    for (const key of Object.keys(expected)) {
      if (!HTTP_EXPECTATION_KEYS.includes(key)) {
        badArgument(
          'toHaveHttpResponse',
          `expected.${key}`,
          `one of ${HTTP_EXPECTATION_KEYS.join(', ')}`,
          key,
        );
      }
    }
    const expectation = [
      `an HTTP response matching ${this.utils.printExpected(expected)}`,
      `an HTTP response not matching ${this.utils.printExpected(expected)}`,
    ] as const;
    const http = toHttpResponse(result, { integration });
    if (!http) return notHttp(this, 'toHaveHttpResponse', 'expected', result, expectation, integration);
    const ok =
      (!('statusCode' in expected) || this.equals(http.statusCode, expected.statusCode)) &&
      Object.entries(expected.headers ?? {}).every(([n, v]) => headerMatches(this, http, n, v)) &&
      Object.entries(expected.cookies ?? {}).every(([n, v]) => cookieMatches(this, http, n, v)) &&
      (!('body' in expected) || matchesText(this.equals, http.body, expected.body, 'exact')) &&
      (!('json' in expected) ||
        (http.json !== undefined && matchesPartial(this.equals, http.json, expected.json)));
    const actual: Record<string, unknown> = {};
    if ('statusCode' in expected) actual.statusCode = http.statusCode;
    if (expected.headers) {
      actual.headers = Object.fromEntries(
        Object.keys(expected.headers).map((n) => [n, http.headers[n.toLowerCase()]]),
      );
    }
    if (expected.cookies) {
      actual.cookies = Object.fromEntries(
        Object.keys(expected.cookies).map((n) => [n, http.cookies.find((c) => c.name === n)?.value]),
      );
    }
    if ('body' in expected) actual.body = http.body;
    if ('json' in expected) actual.json = pickExpectedShape(http.json, expected.json);
    return buildResult(this, ok, {
      name: 'toHaveHttpResponse',
      expectedLabel: 'expected',
      expectation,
      received: describeHttp(this, http),
      hint: 'Each part is partial: only the headers, cookies and JSON keys you list are compared.',
      actual,
      expected,
    });
  },
};
