/**
 * The HTTP request model shared by API Gateway (v1, v2), Function URLs and ALB: a request as a
 * user thinks of it, normalised once so every redundant field of every event shape agrees.
 */
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import { jsonPayloadSchema } from '../errors/options.js';
import type { Random } from '../random/index.js';

/**
 * An HTTP request as a user thinks of it.
 *
 * @example
 * const request: HttpRequestInput = {
 *   method: 'POST', path: '/orders/42', query: { expand: ['items', 'customer'] },
 *   headers: { 'X-Tenant': 'acme' }, cookies: { session: 'abc' }, body: { qty: 2 },
 * };
 */
export interface HttpRequestInput {
  /** Default `GET`. */
  method?: string;
  /** Path, optionally with `?query`. Default `/`. */
  path?: string;
  /** Query as an object (arrays repeat the key) or a raw query string. */
  query?: Record<string, string | string[]> | string;
  /** Headers in the client's casing; arrays repeat the header. */
  headers?: Record<string, string | string[]>;
  /** Cookies as `{ name: value }` or `['name=value']`. */
  cookies?: Record<string, string> | string[];
  /** Body: a string, bytes (base64-encoded, `isBase64Encoded: true`) or any JSON value (JSON-encoded). */
  body?: unknown;
  /** Path parameters; default derived from the route template (`resource` / `routeKey`). */
  pathParameters?: Record<string, string>;
  /** Client IP. Default generated. */
  sourceIp?: string;
  /** Client user agent. Default a generated browser user agent. */
  userAgent?: string;
}

/** Zod shape of {@link HttpRequestInput} (spread into each HTTP source's strict options schema). */
export const httpRequestShape = {
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET')
    .optional(),
  path: z.string().startsWith('/', 'expected a path starting with "/"').optional(),
  query: z.union([z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))]).optional(),
  headers: z.record(z.string().min(1), z.union([z.string(), z.array(z.string())])).optional(),
  cookies: z.union([z.record(z.string().min(1), z.string()), z.array(z.string())]).optional(),
  body: jsonPayloadSchema.optional(),
  pathParameters: z.record(z.string(), z.string()).optional(),
  sourceIp: z.union([z.ipv4(), z.ipv6()], 'expected an IPv4 or IPv6 address').optional(),
  userAgent: z.string().optional(),
};

/** A request normalised once; each event shape renders it. */
export interface NormalisedRequest {
  method: string;
  path: string;
  /** Query pairs in order, raw (as sent) and decoded. */
  query: { rawKey: string; rawValue: string; key: string; value: string }[];
  /** Raw query string without `?`; `""` when none. */
  rawQueryString: string;
  /** Header pairs in order, names in the client's casing (cookie header excluded). */
  headers: [string, string][];
  /** Cookie pairs `name=value`. */
  cookies: string[];
  /** Body as the event carries it (`undefined` when none). */
  body: string | undefined;
  isBase64Encoded: boolean;
  pathParameters: Record<string, string> | undefined;
  sourceIp: string;
  userAgent: string;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseQueryString(qs: string): NormalisedRequest['query'] {
  if (!qs) return [];
  return qs
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      const rawKey = eq === -1 ? part : part.slice(0, eq);
      const rawValue = eq === -1 ? '' : part.slice(eq + 1);
      return { rawKey, rawValue, key: safeDecode(rawKey), value: safeDecode(rawValue) };
    });
}

/** Matches a route template (`/items/{id}`, `/files/{proxy+}`) against a path. */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split('/')
    .map((segment) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(segment);
      if (!m) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(m[1] as string);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    out[name] = safeDecode(match[i + 1] as string);
  });
  return out;
}

/** Builds a template from a path by replacing the segments equal to a parameter value. */
export function templateFromParameters(path: string, params: Record<string, string>): string {
  const byValue = new Map(Object.entries(params).map(([k, v]) => [v, k]));
  return path
    .split('/')
    .map((segment) => {
      const name = byValue.get(safeDecode(segment));
      return name === undefined ? segment : `{${name}}`;
    })
    .join('/');
}

/** Rebuilds `a=1&b=2` from a query pair list. */
export function renderQuery(query: NormalisedRequest['query']): string {
  return query.map((q) => `${q.rawKey}=${q.rawValue}`).join('&');
}

/** Query pairs from an object of decoded values. */
export function queryFromObject(
  obj: Record<string, string | string[] | undefined>,
): NormalisedRequest['query'] {
  const out: NormalisedRequest['query'] = [];
  for (const [key, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    for (const value of Array.isArray(v) ? v : [v]) {
      out.push({ rawKey: encodeURIComponent(key), rawValue: encodeURIComponent(value), key, value });
    }
  }
  return out;
}

/**
 * Normalises a request: splits `?` from the path, parses or renders the query, encodes the body,
 * adds content-type/content-length, moves the Cookie header into `cookies`.
 */
export function normaliseRequest(fn: string, input: HttpRequestInput, r: Random): NormalisedRequest {
  const method = (input.method ?? 'GET').toUpperCase();
  let path = input.path ?? '/';
  let query: NormalisedRequest['query'] = [];
  const q = path.indexOf('?');
  if (q !== -1) {
    if (input.query !== undefined) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${fn}() options.path contains "?" and options.query is also set`,
        {
          path: 'query',
          hint: 'Give the query either in the path or in `query`, not both.',
        },
      );
    }
    query = parseQueryString(path.slice(q + 1));
    path = path.slice(0, q);
  } else if (typeof input.query === 'string') {
    query = parseQueryString(input.query.replace(/^\?/, ''));
  } else if (input.query) {
    query = queryFromObject(input.query);
  }
  const headers: [string, string][] = [];
  const cookies: string[] = Array.isArray(input.cookies)
    ? [...input.cookies]
    : Object.entries(input.cookies ?? {}).map(([k, v]) => `${k}=${v}`);
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    if (name.toLowerCase() === 'cookie') {
      for (const v of values) cookies.push(...v.split(/;\s*/).filter(Boolean));
      continue;
    }
    if (name.toLowerCase() === 'content-type') contentType = values[values.length - 1];
    for (const v of values) headers.push([name, v]);
  }
  let body: string | undefined;
  let isBase64Encoded = false;
  let byteLength = 0;
  if (input.body !== undefined && input.body !== null) {
    if (input.body instanceof Uint8Array) {
      const buf = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
      body = buf.toString('base64');
      isBase64Encoded = true;
      byteLength = buf.length;
      if (!contentType) headers.push(['Content-Type', 'application/octet-stream']);
    } else if (typeof input.body === 'string') {
      body = input.body;
      byteLength = Buffer.byteLength(body, 'utf8');
      if (!contentType) headers.push(['Content-Type', 'text/plain']);
    } else {
      body = JSON.stringify(input.body);
      byteLength = Buffer.byteLength(body, 'utf8');
      if (!contentType) headers.push(['Content-Type', 'application/json']);
    }
    if (!headers.some(([n]) => n.toLowerCase() === 'content-length')) {
      headers.push(['Content-Length', String(byteLength)]);
    }
  }
  return {
    method,
    path,
    query,
    rawQueryString: renderQuery(query),
    headers,
    cookies,
    body,
    isBase64Encoded,
    pathParameters: input.pathParameters,
    sourceIp: input.sourceIp ?? r.ipv4(),
    userAgent: input.userAgent ?? r.faker.internet.userAgent(),
  };
}

/** The Host header the client sent, if any (a custom domain name). */
export function hostHeader(req: NormalisedRequest): string | undefined {
  for (let i = req.headers.length - 1; i >= 0; i--) {
    const pair = req.headers[i] as [string, string];
    if (pair[0].toLowerCase() === 'host') return pair[1];
  }
  return undefined;
}

/** Adds default headers (in the given casing) that the client or proxy would send, unless present. */
export function withDefaultHeaders(req: NormalisedRequest, defaults: [string, string][]): [string, string][] {
  const present = new Set(req.headers.map(([n]) => n.toLowerCase()));
  const out: [string, string][] = [];
  for (const [name, value] of defaults) if (!present.has(name.toLowerCase())) out.push([name, value]);
  return [...out, ...req.headers];
}

/** Last value wins (API Gateway v1 and ALB single-value maps). */
export function lastValueMap(pairs: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** All values per key, in order (multi-value maps). */
export function multiValueMap(pairs: readonly (readonly [string, string])[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    const list = out[k];
    if (list) list.push(v);
    else out[k] = [v];
  }
  return out;
}

/** Duplicate keys comma-joined (HTTP API v2 and Function URLs). */
export function commaJoinedMap(pairs: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k] = out[k] === undefined ? v : `${out[k]},${v}`;
  return out;
}

/** A `X-Amzn-Trace-Id` value. */
export function traceId(r: Random, timeMs: number): string {
  return `Root=1-${Math.floor(timeMs / 1000).toString(16)}-${r.hex(24)}`;
}

/** Byte length of an event body as sent (base64 bodies decode first). */
export function bodyByteLength(body: string, isBase64Encoded: boolean): number {
  return isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body, 'utf8');
}
