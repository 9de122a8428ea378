/**
 * Captures the response a CloudFormation custom resource handler PUTs to the event's
 * `ResponseURL`, without network. Only that exact URL is intercepted, through the two ways Node
 * code sends it: `fetch` and `https.request` / `https.get` (what cfn-response and most providers
 * use); any other request passes through untouched. Handler code stays unchanged and keeps the
 * real pre-signed S3 URL, which a loopback server could not serve over https.
 */
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { PassThrough } from 'node:stream';
import { HarnessError } from '../errors/index.js';

/**
 * What the handler sent to `ResponseURL`.
 *
 * @example
 * const capture = captureCustomResourceResponse(event);
 * await invokeHandler(handler, event);
 * capture.restore();
 * capture.responses[0]?.body.Status; // 'SUCCESS'
 */
export interface CustomResourceCapture {
  /** Every request to ResponseURL, in order (CloudFormation honours only the first). */
  readonly responses: {
    method: string;
    headers: Record<string, string>;
    body: Record<string, unknown>;
    raw: string;
  }[];
  /** Puts `fetch` and `https.request` back. Idempotent. */
  restore(): void;
}

/**
 * Starts capturing PUTs to `event.ResponseURL` (answered `200 OK` with an empty body, as S3 does).
 * Call `restore()` when done (an `afterEach` is a good place).
 *
 * @example
 * const event = cloudFormationCustomResourceEvent({ requestType: 'Create' });
 * const capture = captureCustomResourceResponse(event);
 * try {
 *   await invokeHandler(handler, event);
 * } finally {
 *   capture.restore();
 * }
 * expect(capture.responses[0]?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: expect.any(String) });
 */
export function captureCustomResourceResponse(event: { ResponseURL?: unknown }): CustomResourceCapture {
  const url = event?.ResponseURL;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      'captureCustomResourceResponse(): event.ResponseURL is not a URL',
      {
        path: 'ResponseURL',
        hint: 'Pass the CloudFormation custom resource event, e.g. cloudFormationCustomResourceEvent().',
      },
    );
  }
  const target = new URL(url);
  const responses: CustomResourceCapture['responses'] = [];
  const record = (method: string, headers: Record<string, string>, raw: string) => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      body = {};
    }
    responses.push({ method, headers, body, raw });
  };
  const isTarget = (u: URL) =>
    u.origin === target.origin && u.pathname === target.pathname && u.search === target.search;

  const realFetch = globalThis.fetch;
  const realRequest = https.request;
  const realGet = https.get;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const u = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (!isTarget(u)) return realFetch(input, init);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    record(
      (init?.method ?? 'GET').toUpperCase(),
      headers,
      typeof init?.body === 'string' ? init.body : String(init?.body ?? ''),
    );
    return new Response('', { status: 200 });
  }) as typeof fetch;

  const intercept = ((...args: unknown[]) => {
    const u = requestUrl(args);
    if (!u || !isTarget(u)) return (realRequest as (...a: unknown[]) => unknown)(...args);
    const options = (args.find((a) => typeof a === 'object' && a !== null && !(a instanceof URL)) ?? {}) as {
      method?: string;
      headers?: Record<string, string | number>;
    };
    const callback = args.find((a) => typeof a === 'function') as ((res: unknown) => void) | undefined;
    const chunks: Buffer[] = [];
    const req = new PassThrough();
    req.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    req.on('finish', () => {
      record(
        (options.method ?? 'GET').toUpperCase(),
        Object.fromEntries(
          Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
        ),
        Buffer.concat(chunks).toString('utf8'),
      );
      const res = new PassThrough() as PassThrough & {
        statusCode: number;
        statusMessage: string;
        headers: object;
      };
      res.statusCode = 200;
      res.statusMessage = 'OK';
      res.headers = {};
      req.emit('response', res);
      callback?.(res);
      res.end();
    });
    Object.assign(req, { setTimeout: () => req, abort: () => undefined, setHeader: () => undefined });
    return req;
  }) as typeof https.request;
  https.request = intercept;
  https.get = ((...args: Parameters<typeof https.get>) => {
    const req = (intercept as (...a: unknown[]) => { end(): void })(...args);
    req.end();
    return req;
  }) as typeof https.get;
  // `import { request } from 'node:https'` in handler code reads the patched function too.
  syncBuiltinESMExports();

  let restored = false;
  return {
    responses,
    restore() {
      if (restored) return;
      restored = true;
      globalThis.fetch = realFetch;
      https.request = realRequest;
      https.get = realGet;
      syncBuiltinESMExports();
    },
  };
}

function requestUrl(args: unknown[]): URL | undefined {
  const first = args[0];
  if (typeof first === 'string') return new URL(first);
  if (first instanceof URL) return first;
  if (typeof first === 'object' && first !== null) {
    const o = first as {
      hostname?: string;
      host?: string;
      path?: string;
      port?: number | string;
      protocol?: string;
    };
    const host = o.hostname ?? o.host;
    if (!host) return undefined;
    return new URL(
      `${o.protocol ?? 'https:'}//${host}${o.port && String(o.port) !== '443' ? `:${o.port}` : ''}${o.path ?? '/'}`,
    );
  }
  return undefined;
}
