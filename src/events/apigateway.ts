/**
 * API Gateway REST API (v1) Lambda proxy events.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import { ApiGatewayProxyEventSchema } from '../schemas/http.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  clfTime,
  commonOptionsShape,
  type DeepPartial,
  hasOverride,
  parseOptions,
  resolveCommon,
} from './core.js';
import {
  bodyByteLength,
  type HttpRequestInput,
  hostHeader,
  httpRequestShape,
  lastValueMap,
  matchTemplate,
  multiValueMap,
  normaliseRequest,
  templateFromParameters,
  traceId,
  withDefaultHeaders,
} from './http.js';

/**
 * A REST API authorizer: a Cognito user pool (claims) or a Lambda authorizer (principal + context).
 *
 * @example
 * const auth: RestApiAuthorizerInput = { type: 'cognito', claims: { sub: 'user-1', email: 'a@example.com' } };
 */
export type RestApiAuthorizerInput =
  | { type: 'cognito'; claims: Record<string, string>; scopes?: string[] }
  | { type: 'lambda'; principalId?: string; context?: Record<string, string | number | boolean | null> };

/**
 * Options of {@link apiGatewayProxyEvent}: the request plus the API's route and stage.
 *
 * @example
 * const options: ApiGatewayProxyEventOptions = { method: 'GET', path: '/items/42', resource: '/items/{id}', stage: 'prod' };
 */
export interface ApiGatewayProxyEventOptions extends CommonEventOptions, HttpRequestInput {
  /** Resource template, e.g. `/items/{id}`; path parameters are matched from `path`. Default: the path. */
  resource?: string;
  /** Stage name; `requestContext.path` is `/<stage><path>`. Default `prod`. */
  stage?: string;
  stageVariables?: Record<string, string>;
  /** REST API id (10 lowercase letters/digits). Default generated. */
  apiId?: string;
  authorizer?: RestApiAuthorizerInput;
  overrides?: DeepPartial<APIGatewayProxyEvent>;
}

const authorizerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('cognito'),
    claims: z.record(z.string(), z.string()),
    scopes: z.array(z.string()).optional(),
  }),
  z.strictObject({
    type: z.literal('lambda'),
    principalId: z.string().optional(),
    context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  }),
]);

const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...httpRequestShape,
  resource: z.string().startsWith('/', 'expected a resource path starting with "/"').optional(),
  stage: z
    .string()
    .regex(/^[\w-]+$/, 'expected a stage name')
    .optional(),
  stageVariables: z.record(z.string(), z.string()).optional(),
  apiId: z
    .string()
    .regex(/^[a-z0-9]{10}$/, 'expected 10 lowercase letters or digits')
    .optional(),
  authorizer: authorizerSchema.optional(),
});

function rederive(event: APIGatewayProxyEvent, o: DeepPartial<APIGatewayProxyEvent>): void {
  const ctx = event.requestContext;
  if (o.headers && !o.multiValueHeaders) {
    for (const [k, v] of Object.entries(o.headers)) if (v !== undefined) event.multiValueHeaders[k] = [v];
  } else if (o.multiValueHeaders && !o.headers) {
    for (const [k, v] of Object.entries(o.multiValueHeaders)) {
      if (v && v.length > 0) event.headers[k] = v[v.length - 1] as string;
    }
  }
  if (o.queryStringParameters !== undefined && o.multiValueQueryStringParameters === undefined) {
    event.multiValueQueryStringParameters =
      event.queryStringParameters === null
        ? null
        : Object.fromEntries(Object.entries(event.queryStringParameters).map(([k, v]) => [k, [v as string]]));
  } else if (o.multiValueQueryStringParameters !== undefined && o.queryStringParameters === undefined) {
    event.queryStringParameters =
      event.multiValueQueryStringParameters === null
        ? null
        : Object.fromEntries(
            Object.entries(event.multiValueQueryStringParameters).map(([k, v]) => [
              k,
              (v as string[]).at(-1) as string,
            ]),
          );
  }
  if (o.path !== undefined && !hasOverride(o, ['requestContext', 'path']))
    ctx.path = `/${ctx.stage}${event.path}`;
  if (o.httpMethod !== undefined && !hasOverride(o, ['requestContext', 'httpMethod']))
    ctx.httpMethod = event.httpMethod;
  if (o.resource !== undefined && !hasOverride(o, ['requestContext', 'resourcePath']))
    ctx.resourcePath = event.resource;
  if (o.body !== undefined && !hasOverride(o, ['headers'])) {
    const name = Object.keys(event.headers).find((k) => k.toLowerCase() === 'content-length');
    const length =
      event.body === null ? undefined : String(bodyByteLength(event.body, event.isBase64Encoded));
    if (name && length !== undefined) {
      event.headers[name] = length;
      event.multiValueHeaders[name] = [length];
    }
  }
}

/**
 * Generates an API Gateway REST API (v1) proxy event from a request. `headers`/`multiValueHeaders`
 * and the query maps agree, absent maps and bodies are `null`, `requestContext.path` carries the
 * stage, binary bodies are base64 with `isBase64Encoded: true`.
 *
 * @example
 * const event = apiGatewayProxyEvent({ method: 'POST', path: '/orders/7', resource: '/orders/{id}', body: { qty: 1 } });
 * event.pathParameters; // { id: '7' }
 * event.headers['Content-Type']; // 'application/json'
 */
export function apiGatewayProxyEvent(options: ApiGatewayProxyEventOptions = {}): APIGatewayProxyEvent {
  const fn = 'apiGatewayProxyEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('request');
  const req = normaliseRequest(fn, opts, r);
  const apiId = opts.apiId ?? r.lowerAlnum(10);
  const stage = opts.stage ?? 'prod';
  // A Host header means a custom domain name: requestContext.domainName follows it.
  const domainName = hostHeader(req) ?? `${apiId}.execute-api.${c.region}.amazonaws.com`;

  let resource = opts.resource;
  let pathParameters = req.pathParameters ?? null;
  if (resource !== undefined && !req.pathParameters) {
    const matched = matchTemplate(resource, req.path);
    if (!matched) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${fn}() options.path "${req.path}" does not match resource "${resource}"`,
        {
          path: 'path',
          hint: 'Use a path the resource template matches, e.g. resource "/items/{id}" with path "/items/42".',
        },
      );
    }
    pathParameters = Object.keys(matched).length > 0 ? matched : null;
  } else if (resource === undefined) {
    resource = req.pathParameters ? templateFromParameters(req.path, req.pathParameters) : req.path;
  }

  const headerPairs = withDefaultHeaders(req, [
    ['Accept', '*/*'],
    ['Host', domainName],
    ['User-Agent', req.userAgent],
    ['X-Amzn-Trace-Id', traceId(r, c.time)],
    ['X-Forwarded-For', req.sourceIp],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
  ]);
  if (req.cookies.length > 0) headerPairs.push(['Cookie', req.cookies.join('; ')]);
  const queryPairs = req.query.map((q) => [q.key, q.value] as const);

  const requestContext = {
    accountId: c.accountId,
    apiId,
    authorizer: undefined,
    // Present in current captured payloads (not in @types/aws-lambda).
    deploymentId: r.lowerAlnum(6),
    domainName,
    domainPrefix: domainName.split('.')[0] as string,
    extendedRequestId: `${r.alnum(15)}=`,
    httpMethod: req.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: req.sourceIp,
      user: null,
      userAgent: req.userAgent,
      userArn: null,
    },
    path: `/${stage}${req.path}`,
    protocol: 'HTTP/1.1',
    requestId: r.uuid(),
    requestTime: clfTime(c.time),
    requestTimeEpoch: c.time,
    resourceId: r.lowerAlnum(6),
    resourcePath: resource,
    stage,
  } as APIGatewayProxyEvent['requestContext'];
  const auth = opts.authorizer;
  if (auth?.type === 'cognito') {
    requestContext.authorizer = auth.scopes
      ? { claims: auth.claims, scopes: auth.scopes }
      : { claims: auth.claims };
  } else if (auth?.type === 'lambda') {
    const context: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(auth.context ?? {})) context[k] = v === null ? null : String(v);
    requestContext.authorizer = {
      ...context,
      principalId: auth.principalId ?? `user-${r.hex(8)}`,
      integrationLatency: r.int(1, 300),
    };
  } else {
    delete (requestContext as Partial<typeof requestContext>).authorizer;
  }

  const event: APIGatewayProxyEvent = {
    resource,
    path: req.path,
    httpMethod: req.method,
    headers: lastValueMap(headerPairs),
    multiValueHeaders: multiValueMap(headerPairs),
    queryStringParameters: queryPairs.length > 0 ? lastValueMap(queryPairs) : null,
    multiValueQueryStringParameters: queryPairs.length > 0 ? multiValueMap(queryPairs) : null,
    pathParameters,
    stageVariables: opts.stageVariables ?? null,
    requestContext,
    body: req.body ?? null,
    isBase64Encoded: req.isBase64Encoded,
  };
  return applyEventOverrides(event, opts.overrides, ApiGatewayProxyEventSchema, fn, (merged, overrides) => {
    rederive(merged, overrides);
  });
}
