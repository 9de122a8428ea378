/**
 * Answers chosen outgoing HTTPS requests in-process, without network: the ways Node code sends
 * them (`fetch`, `https.request`, `https.get`, also as `node:https` ESM named imports, which the
 * AWS SDK's Node HTTP handler and cfn-response use) are replaced until `restore()`. Requests the
 * route does not claim pass through untouched. The one primitive behind the response captures
 * (CloudFormation custom resources, CodePipeline job results, Config evaluations).
 */
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { PassThrough } from 'node:stream';

/** A request as the route sees it. */
export interface InterceptedRequest {
  readonly url: URL;
  readonly method: string;
  /** Header names lowercased. */
  readonly headers: Record<string, string>;
}

/** What the fake server answers. */
export interface InterceptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * Starts intercepting: `claims` decides from the URL, method and headers whether a request is
 * answered here; `answer` gets it with its body and returns the response.
 */
export function interceptHttps(
  claims: (request: InterceptedRequest) => boolean,
  answer: (request: InterceptedRequest, body: string) => InterceptedAnswer,
): { restore(): void } {
  const realFetch = globalThis.fetch;
  const realRequest = https.request;
  const realGet = https.get;

  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(new Headers(init?.headers ?? request?.headers).entries());
    const seen = { url, method, headers };
    if (!claims(seen)) return realFetch(input, init);
    const body =
      init?.body !== undefined && init.body !== null
        ? typeof init.body === 'string'
          ? init.body
          : await new Response(init.body).text()
        : request
          ? await request.text()
          : '';
    const reply = answer(seen, body);
    return new Response(reply.body ?? '', { status: reply.status, headers: reply.headers ?? {} });
  }) as typeof fetch;

  const intercept = ((...args: unknown[]) => {
    const url = requestUrl(args);
    const options = (args.find((a) => typeof a === 'object' && a !== null && !(a instanceof URL)) ?? {}) as {
      method?: string;
      headers?: Record<string, string | number | string[]>;
    };
    const headers = Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(', ') : String(v),
      ]),
    );
    const seen = url ? { url, method: (options.method ?? 'GET').toUpperCase(), headers } : undefined;
    if (!seen || !claims(seen)) return (realRequest as (...a: unknown[]) => unknown)(...args);
    const callback = args.find((a) => typeof a === 'function') as ((res: unknown) => void) | undefined;
    const chunks: Buffer[] = [];
    const req = new PassThrough();
    req.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    req.on('finish', () => {
      const reply = answer(seen, Buffer.concat(chunks).toString('utf8'));
      const res = new PassThrough() as PassThrough & {
        statusCode: number;
        statusMessage: string;
        headers: Record<string, string>;
      };
      res.statusCode = reply.status;
      res.statusMessage = reply.status < 400 ? 'OK' : 'Error';
      res.headers = {
        'content-length': String(Buffer.byteLength(reply.body ?? '')),
        ...(reply.headers ?? {}),
      };
      req.emit('response', res);
      callback?.(res);
      res.end(reply.body ?? '');
    });
    // The members http.ClientRequest users call before or while writing.
    Object.assign(req, {
      setTimeout: () => req,
      setNoDelay: () => req,
      setSocketKeepAlive: () => req,
      abort: () => undefined,
      setHeader: () => undefined,
      getHeader: () => undefined,
      removeHeader: () => undefined,
      flushHeaders: () => undefined,
    });
    return req;
  }) as typeof https.request;
  https.request = intercept;
  https.get = ((...args: Parameters<typeof https.get>) => {
    const req = (intercept as (...a: unknown[]) => { end(): void })(...args);
    req.end();
    return req;
  }) as typeof https.get;
  // `import { request } from 'node:https'` in handler code (and in the AWS SDK) reads the patched function too.
  syncBuiltinESMExports();

  let restored = false;
  return {
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
