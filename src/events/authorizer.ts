/**
 * API Gateway Lambda authorizer events (REST TOKEN and REQUEST, HTTP API payload 1.0 and 2.0) and
 * WebSocket API events ($connect, $disconnect, messages). Built from the proxy-event generators so
 * `methodArn` / `routeArn` agree with the API id, stage, method and path of the request.
 */
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyWebsocketEventV2,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import {
  HttpApiAuthorizerEventV1Schema,
  HttpApiAuthorizerEventV2Schema,
  RequestAuthorizerEventSchema,
  TokenAuthorizerEventSchema,
  WebSocketEventSchema,
} from '../schemas/authorizer.js';
import { apiGatewayProxyEvent } from './apigateway.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  clfTime,
  commonOptionsShape,
  type DeepPartial,
  encodeBody,
  parseOptions,
  resolveCommon,
} from './core.js';
import { type HttpRequestInput, httpRequestShape } from './http.js';
import { httpApiEvent } from './http-api.js';

/**
 * The ARN API Gateway passes to an authorizer (`methodArn` / `routeArn`):
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without leading slash}`.
 *
 * @example
 * executeApiArn({ region: 'us-east-1', accountId: '123456789012', apiId: 'abc123defg', stage: 'prod', method: 'GET', path: '/items/1' });
 * // 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod/GET/items/1'
 */
export function executeApiArn(parts: {
  region: string;
  accountId: string;
  apiId: string;
  stage: string;
  method: string;
  path: string;
}): string {
  return `arn:aws:execute-api:${parts.region}:${parts.accountId}:${parts.apiId}/${parts.stage}/${parts.method}/${parts.path.replace(/^\//, '')}`;
}

const apiShape = {
  stage: z
    .string()
    .regex(/^[\w-]+$/, 'expected a stage name')
    .optional(),
  apiId: z
    .string()
    .regex(/^[a-z0-9]{10}$/, 'expected 10 lowercase letters or digits')
    .optional(),
};
const requestShape = { ...httpRequestShape };
// An authorizer never sees the body.
delete (requestShape as Partial<typeof httpRequestShape>).body;

/**
 * Options of {@link tokenAuthorizerEvent}.
 *
 * @example
 * const options: TokenAuthorizerEventOptions = { token: 'Bearer abc', method: 'DELETE', path: '/items/7', resource: '/items/{id}' };
 */
export interface TokenAuthorizerEventOptions extends CommonEventOptions {
  /** `authorizationToken` (the identity source header's value). Default `Bearer <generated>`. */
  token?: string;
  method?: string;
  path?: string;
  stage?: string;
  apiId?: string;
  overrides?: DeepPartial<APIGatewayTokenAuthorizerEvent>;
}

const tokenOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...apiShape,
  token: z.string().optional(),
  method: httpRequestShape.method,
  path: httpRequestShape.path,
});

/**
 * Generates a REST API TOKEN authorizer event: `{ type: 'TOKEN', authorizationToken, methodArn }`.
 *
 * @example
 * const event = tokenAuthorizerEvent({ token: 'Bearer t0k3n', method: 'GET', path: '/pets/1', stage: 'prod' });
 * event.methodArn; // 'arn:aws:execute-api:us-east-1:123456789012:<apiId>/prod/GET/pets/1'
 */
export function tokenAuthorizerEvent(
  options: TokenAuthorizerEventOptions = {},
): APIGatewayTokenAuthorizerEvent {
  const fn = 'tokenAuthorizerEvent';
  const opts = parseOptions(tokenOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('api');
  const apiId = opts.apiId ?? r.lowerAlnum(10);
  const event: APIGatewayTokenAuthorizerEvent = {
    type: 'TOKEN',
    methodArn: executeApiArn({
      region: c.region,
      accountId: c.accountId,
      apiId,
      stage: opts.stage ?? 'prod',
      method: (opts.method ?? 'GET').toUpperCase(),
      path: opts.path ?? '/',
    }),
    authorizationToken: opts.token ?? `Bearer ${r.base64Chars(40).replace(/[+/]/g, 'x')}`,
  };
  return applyEventOverrides(event, opts.overrides, TokenAuthorizerEventSchema, fn);
}

/**
 * Options of {@link requestAuthorizerEvent}.
 *
 * @example
 * const options: RequestAuthorizerEventOptions = { method: 'GET', path: '/items/7', resource: '/items/{id}', headers: { Authorization: 'abc' } };
 */
export interface RequestAuthorizerEventOptions extends CommonEventOptions, Omit<HttpRequestInput, 'body'> {
  resource?: string;
  stage?: string;
  stageVariables?: Record<string, string>;
  apiId?: string;
  overrides?: DeepPartial<APIGatewayRequestAuthorizerEvent>;
}

const restRequestOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...requestShape,
  ...apiShape,
  resource: z.string().startsWith('/', 'expected a resource path starting with "/"').optional(),
  stageVariables: z.record(z.string(), z.string()).optional(),
});

/**
 * Generates a REST API REQUEST authorizer event: the request's headers, query, path parameters,
 * stage variables and request context, and the `methodArn` of the method being called.
 *
 * @example
 * const event = requestAuthorizerEvent({ method: 'GET', path: '/items/7', resource: '/items/{id}', headers: { Authorization: 'abc' } });
 * event.pathParameters; // { id: '7' }
 */
export function requestAuthorizerEvent(
  options: RequestAuthorizerEventOptions = {},
): APIGatewayRequestAuthorizerEvent {
  const fn = 'requestAuthorizerEvent';
  const { overrides, ...opts } = parseOptions(restRequestOptionsSchema, options, fn);
  const proxy = apiGatewayProxyEvent(opts as object);
  const ctx = proxy.requestContext;
  const event = {
    type: 'REQUEST',
    methodArn: executeApiArn({
      region: resolveCommon(opts).region,
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      stage: ctx.stage,
      method: proxy.httpMethod,
      path: proxy.path,
    }),
    resource: proxy.resource,
    path: proxy.path,
    httpMethod: proxy.httpMethod,
    headers: proxy.headers,
    multiValueHeaders: proxy.multiValueHeaders,
    queryStringParameters: proxy.queryStringParameters ?? {},
    multiValueQueryStringParameters: proxy.multiValueQueryStringParameters ?? {},
    pathParameters: proxy.pathParameters ?? {},
    stageVariables: proxy.stageVariables ?? {},
    requestContext: withoutAuthorizer(proxy),
  } as APIGatewayRequestAuthorizerEvent;
  return applyEventOverrides(event, overrides, RequestAuthorizerEventSchema, fn);
}

// Authorizer events carry empty maps where proxy events carry null.
function withoutAuthorizer(proxy: APIGatewayProxyEvent): APIGatewayProxyEvent['requestContext'] {
  const { authorizer: _authorizer, ...rest } = proxy.requestContext;
  return rest as APIGatewayProxyEvent['requestContext'];
}

/**
 * Options of {@link httpApiAuthorizerEvent}.
 *
 * @example
 * const options: HttpApiAuthorizerEventOptions = { payloadVersion: '2.0', routeKey: 'GET /items/{id}', path: '/items/7', headers: { authorization: 'abc' } };
 */
export interface HttpApiAuthorizerEventOptions extends CommonEventOptions, Omit<HttpRequestInput, 'body'> {
  /** Payload format of the authorizer. Default `2.0`. */
  payloadVersion?: '1.0' | '2.0';
  /** Route key such as `GET /items/{id}`. Default from method and path. */
  routeKey?: string;
  stage?: string;
  stageVariables?: Record<string, string>;
  apiId?: string;
  /** Identity sources as `$request.header.Name` / `$request.querystring.name`. Default `$request.header.Authorization`. */
  identitySource?: string[];
  overrides?: Record<string, unknown>;
}

const httpAuthorizerOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...requestShape,
  ...apiShape,
  payloadVersion: z.enum(['1.0', '2.0']).optional(),
  routeKey: z
    .string()
    .regex(/^(\$default|[A-Z]+ \/.*|ANY \/.*)$/, 'expected "METHOD /path" or "$default"')
    .optional(),
  stageVariables: z.record(z.string(), z.string()).optional(),
  identitySource: z
    .array(
      z
        .string()
        .regex(
          /^\$(request\.(header|querystring)\.|context\.|stageVariables\.).+$/,
          'expected "$request.header.Name"',
        ),
    )
    .min(1)
    .optional(),
});

function identityValues(
  sources: string[],
  headers: Record<string, string | undefined>,
  query: Record<string, string | undefined>,
): string[] {
  const out: string[] = [];
  for (const s of sources) {
    const header = /^\$request\.header\.(.+)$/.exec(s);
    const qs = /^\$request\.querystring\.(.+)$/.exec(s);
    const name = header?.[1]?.toLowerCase();
    const value = header
      ? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]
      : qs
        ? query[qs[1] as string]
        : undefined;
    if (value !== undefined) out.push(value);
  }
  return out;
}

/**
 * Generates an HTTP API Lambda authorizer event, payload format `2.0` (default: `routeArn`,
 * `identitySource` values, `routeKey`, raw path and query) or `1.0` (the REST REQUEST shape plus
 * `version`, `identitySource` and `authorizationToken`). The ARN agrees with the request.
 *
 * @example
 * const event = httpApiAuthorizerEvent({ routeKey: 'GET /items/{id}', path: '/items/7', headers: { authorization: 'Bearer t' } });
 * event.identitySource; // ['Bearer t']
 */
export function httpApiAuthorizerEvent(
  options: HttpApiAuthorizerEventOptions & { payloadVersion: '1.0' },
): APIGatewayRequestAuthorizerEvent & { version: '1.0'; identitySource: string; authorizationToken?: string };
export function httpApiAuthorizerEvent(
  options?: HttpApiAuthorizerEventOptions,
): APIGatewayRequestAuthorizerEventV2;
export function httpApiAuthorizerEvent(options: HttpApiAuthorizerEventOptions = {}): object {
  const fn = 'httpApiAuthorizerEvent';
  const { overrides, payloadVersion, identitySource, ...rest } = parseOptions(
    httpAuthorizerOptionsSchema,
    options,
    fn,
  );
  const sources = identitySource ?? ['$request.header.Authorization'];
  const c = resolveCommon(rest);
  const token = `Bearer ${c.rng.fork('token').base64Chars(40).replace(/[+/]/g, 'x')}`;
  const wantsHeader = (name: string) =>
    sources.some((s) => s.toLowerCase() === `$request.header.${name.toLowerCase()}`);
  const headers = { ...(rest.headers ?? {}) };
  if (
    wantsHeader('authorization') &&
    !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')
  ) {
    headers.authorization = token;
  }
  const api = httpApiEvent({ ...(rest as object), headers } as object);
  const rc = api.requestContext;
  // The ARN names the request's method and path (without the stage prefix), as for REST methodArn.
  const method = rc.http.method;
  const routePath =
    rc.stage !== '$default' && api.rawPath.startsWith(`/${rc.stage}/`)
      ? api.rawPath.slice(rc.stage.length + 1)
      : api.rawPath;
  const arnParts = { region: c.region, accountId: rc.accountId, apiId: rc.apiId, stage: rc.stage };
  const values = identityValues(sources, api.headers, api.queryStringParameters ?? {});
  if (payloadVersion === '1.0') {
    const { routeKey, stage: _stage, ...restOptions } = rest;
    const v1 = apiGatewayProxyEvent({
      ...(restOptions as object),
      apiId: rc.apiId,
      headers,
      ...(routeKey && routeKey !== '$default' ? { resource: routeKey.split(' ')[1] } : {}),
    } as object);
    const event = {
      version: '1.0',
      type: 'REQUEST',
      methodArn: executeApiArn({ ...arnParts, method: v1.httpMethod, path: v1.path }),
      identitySource: values.join(','),
      ...(values.length === 1 ? { authorizationToken: values[0] } : {}),
      resource: v1.resource,
      path: v1.path,
      httpMethod: v1.httpMethod,
      headers: v1.headers,
      multiValueHeaders: v1.multiValueHeaders,
      queryStringParameters: v1.queryStringParameters ?? {},
      multiValueQueryStringParameters: v1.multiValueQueryStringParameters ?? {},
      pathParameters: v1.pathParameters ?? {},
      stageVariables: v1.stageVariables ?? {},
      requestContext: { ...withoutAuthorizer(v1), apiId: rc.apiId, stage: rc.stage, path: v1.path },
    };
    return applyEventOverrides(event, overrides, HttpApiAuthorizerEventV1Schema, fn);
  }
  const { authorizer: _authorizer, ...requestContext } = rc as typeof rc & { authorizer?: unknown };
  const event: Record<string, unknown> = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: executeApiArn({ ...arnParts, method, path: routePath }),
    identitySource: values,
    routeKey: api.routeKey,
    rawPath: api.rawPath,
    rawQueryString: api.rawQueryString,
  };
  if (api.cookies) event.cookies = api.cookies;
  event.headers = api.headers;
  if (api.queryStringParameters) event.queryStringParameters = api.queryStringParameters;
  event.requestContext = requestContext;
  if (api.pathParameters) event.pathParameters = api.pathParameters;
  if (api.stageVariables) event.stageVariables = api.stageVariables;
  return applyEventOverrides(event, overrides, HttpApiAuthorizerEventV2Schema, fn);
}

/**
 * Options of {@link webSocketEvent}.
 *
 * @example
 * const options: WebSocketEventOptions = { eventType: 'MESSAGE', routeKey: 'sendMessage', body: { action: 'sendMessage', text: 'hi' } };
 */
export interface WebSocketEventOptions extends CommonEventOptions {
  /** Default `CONNECT`. */
  eventType?: 'CONNECT' | 'DISCONNECT' | 'MESSAGE';
  /** Default `$connect`, `$disconnect` or `$default` by event type. */
  routeKey?: string;
  /** Message body (MESSAGE only): strings as is, other values JSON. */
  body?: unknown;
  /** Default generated (`<12 chars>=`, the same for every event of one seed). */
  connectionId?: string;
  /** Handshake headers (CONNECT only). */
  headers?: Record<string, string>;
  /** Handshake query (CONNECT only). */
  query?: Record<string, string>;
  stage?: string;
  apiId?: string;
  sourceIp?: string;
  overrides?: DeepPartial<APIGatewayProxyWebsocketEventV2> & Record<string, unknown>;
}

const wsOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...apiShape,
  eventType: z.enum(['CONNECT', 'DISCONNECT', 'MESSAGE']).optional(),
  routeKey: z.string().min(1).optional(),
  body: z.unknown().optional(),
  connectionId: z
    .string()
    .regex(/^[\w=-]{1,128}$/, 'expected a connection id')
    .optional(),
  headers: z.record(z.string().min(1), z.string()).optional(),
  query: z.record(z.string().min(1), z.string()).optional(),
  sourceIp: httpRequestShape.sourceIp,
});

/**
 * Generates a WebSocket API event: `$connect` (handshake headers and query), `$disconnect`
 * (`disconnectStatusCode`, `disconnectReason`) or a message (`body`, `messageId`). The connection
 * id, `connectedAt`, domain and API id agree across event types for one seed.
 *
 * @example
 * const connect = webSocketEvent({ eventType: 'CONNECT', query: { token: 't' } });
 * const message = webSocketEvent({ eventType: 'MESSAGE', body: { action: 'send' } });
 * message.requestContext.connectionId === connect.requestContext.connectionId; // true
 */
export function webSocketEvent(
  options: WebSocketEventOptions = {},
): APIGatewayProxyWebsocketEventV2 & Record<string, unknown> {
  const fn = 'webSocketEvent';
  const opts = parseOptions(wsOptionsSchema, options, fn);
  const eventType = opts.eventType ?? 'CONNECT';
  if (eventType !== 'MESSAGE' && opts.body !== undefined) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${fn}() options.body: only MESSAGE events carry a body (eventType is ${eventType})`,
      {
        path: 'body',
        hint: 'Set eventType: "MESSAGE", or drop body.',
      },
    );
  }
  if (eventType !== 'CONNECT' && (opts.headers || opts.query)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${fn}() options.headers/query: only $connect carries the handshake headers and query`,
      {
        path: opts.headers ? 'headers' : 'query',
        hint: 'Set eventType: "CONNECT", or drop headers/query.',
      },
    );
  }
  const c = resolveCommon(opts);
  const conn = c.rng.fork('connection');
  const r = c.rng.fork(eventType);
  const apiId = opts.apiId ?? conn.lowerAlnum(10);
  const stage = opts.stage ?? 'production';
  const domainName = `${apiId}.execute-api.${c.region}.amazonaws.com`;
  const connectedAt = Math.round(c.time) - (eventType === 'CONNECT' ? 0 : conn.int(1000, 60_000));
  const now = Math.round(c.time);
  const routeKey =
    opts.routeKey ??
    (eventType === 'CONNECT' ? '$connect' : eventType === 'DISCONNECT' ? '$disconnect' : '$default');
  const requestContext: Record<string, unknown> = {
    routeKey,
    ...(eventType === 'MESSAGE' ? { messageId: `${r.alnum(11)}=` } : {}),
    eventType,
    extendedRequestId: `${r.alnum(15)}=`,
    requestTime: clfTime(now),
    messageDirection: 'IN',
    ...(eventType === 'DISCONNECT' ? { disconnectStatusCode: 1001, disconnectReason: 'Going away' } : {}),
    stage,
    connectedAt,
    requestTimeEpoch: now,
    identity: {
      sourceIp: opts.sourceIp ?? conn.ipv4(),
      ...(eventType === 'MESSAGE' ? {} : { userAgent: 'Mozilla/5.0' }),
    },
    requestId: `${r.alnum(15)}=`,
    domainName,
    connectionId: opts.connectionId ?? `${conn.alnum(15)}=`,
    apiId,
  };
  const event: Record<string, unknown> = {};
  if (eventType !== 'MESSAGE') {
    const headers: Record<string, string> = {
      Host: domainName,
      ...(eventType === 'CONNECT'
        ? {
            'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
            'Sec-WebSocket-Key': `${conn.base64Chars(22)}==`,
            'Sec-WebSocket-Version': '13',
          }
        : {}),
      'X-Amzn-Trace-Id': `Root=1-${Math.floor(now / 1000).toString(16)}-${r.hex(24)}`,
      'X-Forwarded-For': requestContext.identity
        ? (requestContext.identity as { sourceIp: string }).sourceIp
        : '',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
      ...(opts.headers ?? {}),
    };
    event.headers = headers;
    event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    if (eventType === 'CONNECT' && opts.query) {
      event.queryStringParameters = opts.query;
      event.multiValueQueryStringParameters = Object.fromEntries(
        Object.entries(opts.query).map(([k, v]) => [k, [v]]),
      );
    }
  }
  event.requestContext = requestContext;
  if (eventType === 'MESSAGE') {
    event.body =
      opts.body !== undefined
        ? encodeBody(opts.body)
        : `{"action":"${routeKey === '$default' ? 'message' : routeKey}","id":"${r.hex(8)}"}`;
  }
  event.isBase64Encoded = false;
  return applyEventOverrides(
    event as APIGatewayProxyWebsocketEventV2 & Record<string, unknown>,
    opts.overrides,
    WebSocketEventSchema,
    fn,
  );
}
