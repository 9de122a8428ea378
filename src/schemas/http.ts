import { z } from 'zod';

const stringMap = z.record(z.string(), z.string());
const multiMap = z.record(z.string(), z.array(z.string()));
const httpMethod = z.string().regex(/^[A-Z]+$/, 'expected an uppercase HTTP method');
const path = z.string().startsWith('/', 'expected a path starting with "/"');
const ip = z.union(
  [z.ipv4(), z.ipv6(), z.literal('test-invoke-source-ip')],
  'expected an IPv4 or IPv6 address',
);
const clientCert = z.strictObject({
  clientCertPem: z.string(),
  subjectDN: z.string(),
  issuerDN: z.string(),
  serialNumber: z.string(),
  validity: z.strictObject({ notBefore: z.string(), notAfter: z.string() }),
});

// Fields a setup does not use are null in most payloads and absent in some captured ones.
const identity = z.strictObject({
  accessKey: z.string().nullish(),
  accountId: z.string().nullish(),
  apiKey: z.string().nullish(),
  apiKeyId: z.string().nullish(),
  caller: z.string().nullish(),
  clientCert: clientCert.nullish(),
  cognitoAuthenticationProvider: z.string().nullish(),
  cognitoAuthenticationType: z.string().nullish(),
  cognitoIdentityId: z.string().nullish(),
  cognitoIdentityPoolId: z.string().nullish(),
  principalOrgId: z.string().nullish(),
  sourceIp: ip,
  user: z.string().nullish(),
  userAgent: z.string().nullish(),
  userArn: z.string().nullish(),
  vpcId: z.string().optional(),
  vpceId: z.string().optional(),
});

/**
 * API Gateway REST API (v1) proxy event: absent maps are `null`, `body` is a string or `null`.
 *
 * @example
 * ApiGatewayProxyEventSchema.parse(apiGatewayProxyEvent({ path: '/items' }));
 */
export const ApiGatewayProxyEventSchema = z.strictObject({
  resource: path,
  path,
  httpMethod,
  // null in API Gateway console test invocations.
  headers: stringMap.nullable(),
  multiValueHeaders: multiMap.nullable(),
  queryStringParameters: stringMap.nullable(),
  multiValueQueryStringParameters: multiMap.nullable(),
  pathParameters: stringMap.nullable(),
  stageVariables: stringMap.nullable(),
  requestContext: z.strictObject({
    accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
    apiId: z.string(),
    authorizer: z.record(z.string(), z.unknown()).nullable().optional(),
    domainName: z.string(),
    domainPrefix: z.string(),
    extendedRequestId: z.string(),
    httpMethod,
    identity,
    path: z.string(),
    protocol: z.string(),
    requestId: z.string(),
    requestTime: z
      .string()
      .regex(
        /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}$/,
        'expected "dd/Mon/yyyy:HH:mm:ss +0000"',
      ),
    requestTimeEpoch: z.number().int(),
    resourceId: z.string(),
    resourcePath: path,
    stage: z.string(),
    deploymentId: z.string().optional(),
  }),
  body: z.string().nullable(),
  isBase64Encoded: z.boolean(),
});

const v2Authorizer = z.union([
  z.strictObject({
    jwt: z.strictObject({
      claims: z.record(z.string(), z.unknown()),
      scopes: z.array(z.string()).nullable(),
    }),
    principalId: z.string().nullish(),
    integrationLatency: z.number().nullish(),
  }),
  // A Lambda authorizer that returned no context arrives as `{ lambda: null }`.
  z.strictObject({ lambda: z.record(z.string(), z.unknown()).nullable() }),
  z.strictObject({
    iam: z.strictObject({
      accessKey: z.string(),
      accountId: z.string(),
      callerId: z.string(),
      cognitoIdentity: z.null(),
      principalOrgId: z.string().nullable(),
      userArn: z.string(),
      userId: z.string(),
    }),
  }),
]);

const v2Shape = {
  version: z.literal('2.0'),
  routeKey: z.string(),
  rawPath: path,
  rawQueryString: z.string().refine((s) => !s.startsWith('?'), 'expected no leading "?"'),
  cookies: z.array(z.string()).optional(),
  headers: stringMap.refine(
    (h) => Object.keys(h).every((k) => k === k.toLowerCase()),
    'expected lowercase header names',
  ),
  queryStringParameters: stringMap.optional(),
  requestContext: z.strictObject({
    accountId: z.string(),
    apiId: z.string(),
    authentication: z.strictObject({ clientCert: clientCert.optional() }).nullable().optional(),
    authorizer: v2Authorizer.optional(),
    domainName: z.string(),
    domainPrefix: z.string(),
    http: z.strictObject({
      method: httpMethod,
      path,
      protocol: z.string(),
      sourceIp: ip,
      userAgent: z.string(),
    }),
    requestId: z.string(),
    routeKey: z.string(),
    stage: z.string(),
    time: z
      .string()
      .regex(
        /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}$/,
        'expected "dd/Mon/yyyy:HH:mm:ss +0000"',
      ),
    timeEpoch: z.number().int(),
  }),
  body: z.string().optional(),
  pathParameters: stringMap.optional(),
  isBase64Encoded: z.boolean(),
  stageVariables: stringMap.optional(),
};

/**
 * HTTP API payload 2.0 event: lowercase headers, absent (not null) optional fields.
 *
 * @example
 * HttpApiEventSchema.parse(httpApiEvent({ routeKey: 'GET /items' , path: '/items' }));
 */
export const HttpApiEventSchema = z.strictObject(v2Shape);

/**
 * Lambda Function URL event: payload 2.0 with `$default` route and stage, a `lambda-url` domain.
 *
 * @example
 * FunctionUrlEventSchema.parse(functionUrlEvent({ authType: 'AWS_IAM' }));
 */
export const FunctionUrlEventSchema = z.strictObject({
  ...v2Shape,
  // Function URL payloads carry these as null or leave them out (lambda-semantics 9).
  body: z.string().nullish(),
  pathParameters: stringMap.nullish(),
  stageVariables: stringMap.nullish(),
  routeKey: z.literal('$default'),
  requestContext: v2Shape.requestContext.extend({
    routeKey: z.literal('$default'),
    stage: z.literal('$default'),
    domainName: z
      .string()
      .regex(/^[a-z0-9]+\.lambda-url\.[\w-]+\.on\.aws$/, 'expected "<url-id>.lambda-url.<region>.on.aws"'),
  }),
});

const albBase = {
  requestContext: z.strictObject({
    elb: z.strictObject({
      targetGroupArn: z
        .string()
        .regex(
          /^arn:aws[\w-]*:elasticloadbalancing:[\w-]+:\d{12}:targetgroup\/.+$/,
          'expected a target group ARN',
        ),
    }),
  }),
  httpMethod,
  path,
  body: z.string(),
  isBase64Encoded: z.boolean(),
};

/**
 * ALB event in single-value mode: `headers` + `queryStringParameters` only.
 *
 * @example
 * AlbSingleValueEventSchema.parse(albEvent());
 */
export const AlbSingleValueEventSchema = z.strictObject({
  ...albBase,
  queryStringParameters: stringMap,
  headers: stringMap,
});

/**
 * ALB event in multi-value mode (multi-value headers enabled on the target group):
 * `multiValueHeaders` + `multiValueQueryStringParameters` only.
 *
 * @example
 * AlbMultiValueEventSchema.parse(albEvent({ multiValueHeaders: true }));
 */
export const AlbMultiValueEventSchema = z.strictObject({
  ...albBase,
  multiValueQueryStringParameters: multiMap,
  multiValueHeaders: multiMap,
});

/**
 * ALB event: single-value (`headers` + `queryStringParameters`) or multi-value
 * (`multiValueHeaders` + `multiValueQueryStringParameters`) mode, never both; `body` `""` when empty.
 *
 * @example
 * AlbEventSchema.parse(albEvent({ multiValueHeaders: true }));
 */
export const AlbEventSchema = z.union([AlbSingleValueEventSchema, AlbMultiValueEventSchema], {
  error:
    'expected an ALB event in one mode: headers + queryStringParameters, or multiValueHeaders + multiValueQueryStringParameters',
});
