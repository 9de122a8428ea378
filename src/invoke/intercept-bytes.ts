/**
 * Intercepts outgoing HTTP(S) requests to chosen URLs, in-process and without network: `fetch`,
 * `https.request` and `https.get`. Requests to any other URL pass through untouched. A sibling of
 * intercept.ts's `interceptHttps` that keeps request bodies as bytes and answers
 * `Expect: 100-continue` (the AWS SDK sends streamed bodies that way), which the S3 Object Lambda
 * capture needs; folding both into one primitive is a follow-up (two branches built them at once).
 */
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { PassThrough } from 'node:stream';

/** One intercepted request. */
export interface InterceptedRequest {
  method: string;
  url: URL;
  /** Header names lowercase. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What the fake service answers. */
export interface InterceptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Starts intercepting; returns `restore`, which puts the real functions back (idempotent).
 *
 * @example
 * const restore = interceptRequests((u) => u.hostname === 'example.com', (req) => ({ status: 200 }));
 */
export function interceptRequests(
  isTarget: (url: URL) => boolean,
  answer: (request: InterceptedRequest) => InterceptedAnswer,
): () => void {
  const realFetch = globalThis.fetch;
  const realRequest = https.request;
  const realGet = https.get;

  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (!isTarget(url)) return realFetch(input, init);
    const fromRequest = typeof input === 'object' && !(input instanceof URL) ? input : undefined;
    const headers = Object.fromEntries(new Headers(init?.headers ?? fromRequest?.headers).entries());
    const body =
      init?.body !== undefined && init.body !== null
        ? Buffer.from(await new Response(init.body).arrayBuffer())
        : fromRequest
          ? Buffer.from(await fromRequest.arrayBuffer())
          : Buffer.alloc(0);
    const method = (init?.method ?? fromRequest?.method ?? 'GET').toUpperCase();
    const out = answer({ method, url, headers, body });
    return new Response(out.body ?? '', { status: out.status, headers: out.headers ?? {} });
  }) as typeof fetch;

  const intercept = ((...args: unknown[]) => {
    const url = requestUrl(args);
    if (!url || !isTarget(url)) return (realRequest as (...a: unknown[]) => unknown)(...args);
    const options = (args.find((a) => typeof a === 'object' && a !== null && !(a instanceof URL)) ?? {}) as {
      method?: string;
      headers?: Record<string, string | number | string[]>;
    };
    const callback = args.find((a) => typeof a === 'function') as ((res: unknown) => void) | undefined;
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    const chunks: Buffer[] = [];
    const req = new PassThrough();
    req.on('data', (c: Buffer | string) => chunks.push(Buffer.from(c)));
    req.on('finish', () => {
      const out = answer({
        method: (options.method ?? 'GET').toUpperCase(),
        url,
        headers,
        body: Buffer.concat(chunks),
      });
      const res = new PassThrough() as PassThrough & {
        statusCode: number;
        statusMessage: string;
        headers: Record<string, string>;
      };
      res.statusCode = out.status;
      res.statusMessage = out.status < 300 ? 'OK' : 'Error';
      res.headers = { 'content-length': String(Buffer.byteLength(out.body ?? '')), ...(out.headers ?? {}) };
      req.emit('response', res);
      callback?.(res);
      res.end(out.body ?? '');
    });
    // `Expect: 100-continue` (the AWS SDK sends it with stream bodies): the fake server says continue.
    const on = req.on.bind(req);
    Object.assign(req, {
      on(event: string, listener: (...a: unknown[]) => void) {
        on(event, listener);
        if (event === 'continue' && /100-continue/i.test(headers.expect ?? '')) {
          queueMicrotask(() => req.emit('continue'));
        }
        return req;
      },
      setTimeout: () => req,
      setNoDelay: () => req,
      setSocketKeepAlive: () => req,
      flushHeaders: () => undefined,
      abort: () => undefined,
      setHeader: (name: string, value: unknown) => {
        headers[name.toLowerCase()] = String(value);
      },
      getHeader: (name: string) => headers[name.toLowerCase()],
      removeHeader: (name: string) => {
        delete headers[name.toLowerCase()];
      },
    });
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
  return () => {
    if (restored) return;
    restored = true;
    globalThis.fetch = realFetch;
    https.request = realRequest;
    https.get = realGet;
    syncBuiltinESMExports();
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
