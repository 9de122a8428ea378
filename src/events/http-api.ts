/**
 * HTTP API (payload format 2.0) and Lambda Function URL events: one builder, two shapes.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import type { Random } from '../random/index.js';
import { FunctionUrlEventSchema, HttpApiEventSchema } from '../schemas/http.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  clfTime,
  commonOptionsShape,
  type DeepPartial,
  hasOverride,
  parseOptions,
  type ResolvedCommon,
  resolveCommon,
} from './core.js';
import {
  bodyByteLength,
  commaJoinedMap,
  type HttpRequestInput,
  hostHeader,
  httpRequestShape,
  matchTemplate,
  type NormalisedRequest,
  normaliseRequest,
  queryFromObject,
  renderQuery,
  templateFromParameters,
  traceId,
  withDefaultHeaders,
} from './http.js';

/**
 * An HTTP API authorizer: JWT (claims + scopes), Lambda (context) or IAM (caller identity).
 *
 * @example
 * const auth: HttpApiAuthorizerInput = { type: 'jwt', claims: { sub: 'user-1' }, scopes: ['orders:read'] };
 */
export type HttpApiAuthorizerInput =
  | { type: 'jwt'; claims: Record<string, string | number | boolean | string[]>; scopes?: string[] }
  | { type: 'lambda'; context: Record<string, unknown> }
  | { type: 'iam'; userName?: string };

/**
 * Options of {@link httpApiEvent}.
 *
 * @example
 * const options: HttpApiEventOptions = { routeKey: 'GET /items/{id}', path: '/items/7', query: 'a=1&a=2' };
 */
export interface HttpApiEventOptions extends CommonEventOptions, HttpRequestInput {
  /** `"$default"` or `"METHOD /template"`; path parameters are matched from `path`. Default `$default`. */
  routeKey?: string;
  /** Stage; a named stage prefixes `rawPath`. Default `$default`. */
  stage?: string;
  stageVariables?: Record<string, string>;
  apiId?: string;
  authorizer?: HttpApiAuthorizerInput;
  overrides?: DeepPartial<APIGatewayProxyEventV2>;
}

/**
 * Options of {@link functionUrlEvent}.
 *
 * @example
 * const options: FunctionUrlEventOptions = { authType: 'AWS_IAM', method: 'POST', path: '/hook', body: 'ping' };
 */
export interface FunctionUrlEventOptions extends CommonEventOptions, HttpRequestInput {
  /** `NONE` (default): no authorizer, account `anonymous`; `AWS_IAM`: an `iam` authorizer block. */
  authType?: 'NONE' | 'AWS_IAM';
  /** The 32-character url id of `<url-id>.lambda-url.<region>.on.aws`. Default generated. */
  urlId?: string;
  overrides?: DeepPartial<APIGatewayProxyEventV2>;
}

const httpApiOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...httpRequestShape,
  routeKey: z
    .string()
    .regex(/^(\$default|[A-Z]+ \/.*)$/, 'expected "$default" or "METHOD /path"')
    .optional(),
  stage: z
    .string()
    .regex(/^(\$default|[\w-]+)$/, 'expected "$default" or a stage name')
    .optional(),
  stageVariables: z.record(z.string(), z.string()).optional(),
  apiId: z
    .string()
    .regex(/^[a-z0-9]{10}$/, 'expected 10 lowercase letters or digits')
    .optional(),
  authorizer: z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('jwt'),
        claims: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
        scopes: z.array(z.string()).optional(),
      }),
      z.strictObject({ type: z.literal('lambda'), context: z.record(z.string(), z.unknown()) }),
      z.strictObject({ type: z.literal('iam'), userName: z.string().optional() }),
    ])
    .optional(),
});

const functionUrlOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...httpRequestShape,
  authType: z.enum(['NONE', 'AWS_IAM']).optional(),
  urlId: z
    .string()
    .regex(/^[a-z0-9]{32}$/, 'expected 32 lowercase letters or digits')
    .optional(),
});

function iamAuthorizer(r: Random, accountId: string, userName?: string) {
  const role = userName ?? 'caller-role';
  const session = `session-${r.hex(6)}`;
  const callerId = `AROA${r.upperAlnum(17)}:${session}`;
  return {
    iam: {
      accessKey: `ASIA${r.upperAlnum(16)}`,
      accountId,
      callerId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`,
      userId: callerId,
    },
  };
}

interface V2Parts {
  req: NormalisedRequest;
  c: ResolvedCommon;
  r: Random;
  routeKey: string;
  stage: string;
  apiId: string;
  domainName: string;
  accountId: string;
  pathParameters: Record<string, string> | undefined;
}

function buildV2(p: V2Parts): APIGatewayProxyEventV2 {
  const { req, c, r } = p;
  const rawPath = p.stage === '$default' ? req.path : `/${p.stage}${req.path}`;
  const headerPairs = withDefaultHeaders(req, [
    ['accept', '*/*'],
    ['host', p.domainName],
    ['user-agent', req.userAgent],
    ['x-amzn-trace-id', traceId(r, c.time)],
    ['x-forwarded-for', req.sourceIp],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ]).map(([k, v]) => [k.toLowerCase(), v] as const);
  const event = {
    version: '2.0',
    routeKey: p.routeKey,
    rawPath,
    rawQueryString: req.rawQueryString,
  } as APIGatewayProxyEventV2;
  if (req.cookies.length > 0) event.cookies = req.cookies;
  event.headers = commaJoinedMap(headerPairs);
  if (req.query.length > 0)
    event.queryStringParameters = commaJoinedMap(req.query.map((q) => [q.key, q.value]));
  event.requestContext = {
    accountId: p.accountId,
    apiId: p.apiId,
    domainName: p.domainName,
    domainPrefix: p.domainName.split('.')[0] as string,
    http: {
      method: req.method,
      path: rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: req.sourceIp,
      userAgent: req.userAgent,
    },
    requestId: `${r.alnum(15)}=`,
    routeKey: p.routeKey,
    stage: p.stage,
    time: clfTime(c.time),
    timeEpoch: c.time,
  };
  if (req.body !== undefined) event.body = req.body;
  if (p.pathParameters && Object.keys(p.pathParameters).length > 0) event.pathParameters = p.pathParameters;
  event.isBase64Encoded = req.isBase64Encoded;
  return event;
}

function rederiveV2(event: APIGatewayProxyEventV2, o: DeepPartial<APIGatewayProxyEventV2>): void {
  const ctx = event.requestContext;
  if (o.rawPath !== undefined && !hasOverride(o, ['requestContext', 'http', 'path']))
    ctx.http.path = event.rawPath;
  if (o.routeKey !== undefined && !hasOverride(o, ['requestContext', 'routeKey']))
    ctx.routeKey = event.routeKey;
  if (o.queryStringParameters !== undefined && o.rawQueryString === undefined) {
    event.rawQueryString = renderQuery(
      queryFromObject(
        Object.fromEntries(
          Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => [k, (v ?? '').split(',')]),
        ),
      ),
    );
  } else if (o.rawQueryString !== undefined && o.queryStringParameters === undefined) {
    const pairs = event.rawQueryString
      .split('&')
      .filter(Boolean)
      .map((part) => {
        const [k = '', v = ''] = part.split('=');
        return [decodeURIComponent(k), decodeURIComponent(v)] as const;
      });
    if (pairs.length > 0) event.queryStringParameters = commaJoinedMap(pairs);
    else delete event.queryStringParameters;
  }
  if (
    o.body !== undefined &&
    !hasOverride(o, ['headers', 'content-length']) &&
    event.headers['content-length']
  ) {
    event.headers['content-length'] = String(bodyByteLength(event.body ?? '', event.isBase64Encoded));
  }
}

/**
 * Generates an HTTP API (payload format 2.0) event: lowercase, comma-joined headers, `cookies[]`,
 * `rawQueryString` without `?`, and absent (not null) `body`, `queryStringParameters`,
 * `pathParameters` when there is nothing to send.
 *
 * @example
 * const event = httpApiEvent({ routeKey: 'GET /items/{id}', path: '/items/42', query: { tag: ['a', 'b'] } });
 * event.pathParameters; // { id: '42' }
 * event.queryStringParameters; // { tag: 'a,b' }
 */
export function httpApiEvent(options: HttpApiEventOptions = {}): APIGatewayProxyEventV2 {
  const fn = 'httpApiEvent';
  const opts = parseOptions(httpApiOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('request');
  const req = normaliseRequest(fn, opts, r);
  const apiId = opts.apiId ?? r.lowerAlnum(10);
  let routeKey = opts.routeKey ?? '$default';
  let pathParameters = req.pathParameters;
  if (routeKey !== '$default') {
    const [routeMethod, template = '/'] = routeKey.split(' ');
    if (routeMethod !== 'ANY' && routeMethod !== req.method && opts.method !== undefined) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${fn}() options.method "${req.method}" does not match routeKey "${routeKey}"`,
        {
          path: 'method',
          hint: 'Use the route\'s method, or an "ANY /path" route.',
        },
      );
    }
    if (opts.method === undefined && routeMethod !== 'ANY') req.method = routeMethod as string;
    if (!pathParameters) {
      const matched = matchTemplate(template, req.path);
      if (!matched) {
        throw new HarnessError(
          'INVALID_OPTIONS',
          `${fn}() options.path "${req.path}" does not match routeKey "${routeKey}"`,
          {
            path: 'path',
            hint: 'Use a path the route template matches, e.g. routeKey "GET /items/{id}" with path "/items/42".',
          },
        );
      }
      pathParameters = matched;
    }
  } else if (pathParameters) {
    routeKey = `${req.method} ${templateFromParameters(req.path, pathParameters)}`;
  }
  const event = buildV2({
    req,
    c,
    r,
    routeKey,
    stage: opts.stage ?? '$default',
    apiId,
    // A Host header means a custom domain name: requestContext.domainName follows it.
    domainName: hostHeader(req) ?? `${apiId}.execute-api.${c.region}.amazonaws.com`,
    accountId: c.accountId,
    pathParameters,
  });
  const auth = opts.authorizer;
  if (auth?.type === 'jwt') {
    event.requestContext = {
      ...event.requestContext,
      authorizer: { jwt: { claims: auth.claims, scopes: auth.scopes ?? null } },
    } as typeof event.requestContext;
  } else if (auth?.type === 'lambda') {
    event.requestContext = {
      ...event.requestContext,
      authorizer: { lambda: auth.context },
    } as typeof event.requestContext;
  } else if (auth?.type === 'iam') {
    event.requestContext = {
      ...event.requestContext,
      authorizer: iamAuthorizer(r, c.accountId, auth.userName),
    } as typeof event.requestContext;
  }
  if (opts.stageVariables) event.stageVariables = opts.stageVariables;
  return applyEventOverrides(event, opts.overrides, HttpApiEventSchema, fn, (merged, overrides) => {
    rederiveV2(merged, overrides);
  });
}

/**
 * Generates a Lambda Function URL event: payload 2.0 with `$default` route and stage, a
 * `<url-id>.lambda-url.<region>.on.aws` domain, and (with `AWS_IAM`) the caller's `iam` block.
 *
 * @example
 * const open = functionUrlEvent({ method: 'POST', path: '/webhook', body: { ok: true } });
 * open.requestContext.accountId; // 'anonymous'
 * const signed = functionUrlEvent({ authType: 'AWS_IAM' });
 */
export function functionUrlEvent(options: FunctionUrlEventOptions = {}): APIGatewayProxyEventV2 {
  const fn = 'functionUrlEvent';
  const opts = parseOptions(functionUrlOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('request');
  const req = normaliseRequest(fn, opts, r);
  const urlId = opts.urlId ?? r.lowerAlnum(32);
  const iam = opts.authType === 'AWS_IAM';
  const event = buildV2({
    req,
    c,
    r,
    routeKey: '$default',
    stage: '$default',
    apiId: urlId,
    domainName: `${urlId}.lambda-url.${c.region}.on.aws`,
    accountId: iam ? c.accountId : 'anonymous',
    pathParameters: undefined,
  });
  if (iam) {
    event.requestContext = {
      ...event.requestContext,
      authentication: null,
      authorizer: iamAuthorizer(r, c.accountId),
    } as unknown as typeof event.requestContext;
  }
  return applyEventOverrides(event, opts.overrides, FunctionUrlEventSchema, fn, (merged, overrides) => {
    rederiveV2(merged, overrides);
  });
}
