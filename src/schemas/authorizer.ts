import { z } from 'zod';
import { ApiGatewayProxyEventSchema, HttpApiEventSchema } from './http.js';

const executeApiArn = z
  .string()
  .regex(
    /^arn:aws[\w-]*:execute-api:[\w-]+:\d{12}:[a-z0-9]+\/[^/]+\/[A-Z*]+\/.*$/,
    'expected "arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}"',
  );
const rest = ApiGatewayProxyEventSchema.shape;

/**
 * A REST API TOKEN authorizer event.
 *
 * @example
 * TokenAuthorizerEventSchema.parse(tokenAuthorizerEvent());
 */
export const TokenAuthorizerEventSchema = z.strictObject({
  type: z.literal('TOKEN'),
  methodArn: executeApiArn,
  authorizationToken: z.string(),
});

const restRequestShape = {
  type: z.literal('REQUEST'),
  methodArn: executeApiArn,
  resource: rest.resource,
  path: rest.path,
  httpMethod: rest.httpMethod,
  headers: rest.headers,
  multiValueHeaders: rest.multiValueHeaders,
  queryStringParameters: rest.queryStringParameters,
  multiValueQueryStringParameters: rest.multiValueQueryStringParameters,
  pathParameters: rest.pathParameters,
  stageVariables: rest.stageVariables,
  requestContext: rest.requestContext.omit({ authorizer: true }),
};

/**
 * A REST API REQUEST authorizer event.
 *
 * @example
 * RequestAuthorizerEventSchema.parse(requestAuthorizerEvent());
 */
export const RequestAuthorizerEventSchema = z.strictObject(restRequestShape);

/**
 * An HTTP API Lambda authorizer event, payload format 1.0.
 *
 * @example
 * HttpApiAuthorizerEventV1Schema.parse(httpApiAuthorizerEvent({ payloadVersion: '1.0' }));
 */
export const HttpApiAuthorizerEventV1Schema = z.strictObject({
  version: z.literal('1.0'),
  ...restRequestShape,
  identitySource: z.string(),
  authorizationToken: z.string().optional(),
});

const v2 = HttpApiEventSchema.shape;

/**
 * An HTTP API Lambda authorizer event, payload format 2.0.
 *
 * @example
 * HttpApiAuthorizerEventV2Schema.parse(httpApiAuthorizerEvent());
 */
export const HttpApiAuthorizerEventV2Schema = z.strictObject({
  version: z.literal('2.0'),
  type: z.literal('REQUEST'),
  routeArn: executeApiArn,
  identitySource: z.array(z.string()),
  routeKey: v2.routeKey,
  rawPath: v2.rawPath,
  rawQueryString: v2.rawQueryString,
  cookies: v2.cookies,
  headers: v2.headers,
  queryStringParameters: v2.queryStringParameters,
  requestContext: v2.requestContext.omit({ authorizer: true }),
  pathParameters: v2.pathParameters,
  stageVariables: v2.stageVariables,
});

const multi = z.record(z.string(), z.array(z.string()));

/**
 * A WebSocket API event ($connect, $disconnect or a message).
 *
 * @example
 * WebSocketEventSchema.parse(webSocketEvent({ eventType: 'MESSAGE' }));
 */
export const WebSocketEventSchema = z.strictObject({
  headers: z.record(z.string(), z.string()).optional(),
  multiValueHeaders: multi.optional(),
  queryStringParameters: z.record(z.string(), z.string()).optional(),
  multiValueQueryStringParameters: multi.optional(),
  requestContext: z.strictObject({
    routeKey: z.string().min(1),
    messageId: z.string().optional(),
    eventType: z.enum(['CONNECT', 'DISCONNECT', 'MESSAGE']),
    extendedRequestId: z.string(),
    requestTime: rest.requestContext.shape.requestTime,
    messageDirection: z.literal('IN'),
    disconnectStatusCode: z.number().int().optional(),
    disconnectReason: z.string().optional(),
    stage: z.string(),
    connectedAt: z.number().int(),
    requestTimeEpoch: z.number().int(),
    identity: z.strictObject({ sourceIp: z.string(), userAgent: z.string().optional() }),
    requestId: z.string(),
    domainName: z.string(),
    connectionId: z.string(),
    apiId: z.string(),
  }),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});
