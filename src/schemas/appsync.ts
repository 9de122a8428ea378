import { z } from 'zod';

const iamIdentity = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/),
  cognitoIdentityPoolId: z.string().nullable(),
  cognitoIdentityId: z.string().nullable(),
  sourceIp: z.array(z.string()),
  username: z.string(),
  userArn: z.string(),
  cognitoIdentityAuthType: z.string().nullable(),
  cognitoIdentityAuthProvider: z.string().nullable(),
});
const cognitoIdentity = z.strictObject({
  sub: z.string(),
  issuer: z.url(),
  username: z.string(),
  claims: z.record(z.string(), z.unknown()),
  sourceIp: z.array(z.string()),
  defaultAuthStrategy: z.string().nullable(),
  groups: z.array(z.string()).nullable(),
});
const oidcIdentity = z.strictObject({
  claims: z.record(z.string(), z.unknown()),
  issuer: z.string(),
  sub: z.string(),
});
const lambdaIdentity = z.strictObject({ resolverContext: z.record(z.string(), z.unknown()) });

/**
 * An AppSync direct Lambda resolver event (one field resolution). `identity` is null for API-key
 * requests and one of the IAM, Cognito, OIDC or Lambda-authorizer shapes otherwise.
 *
 * @example
 * AppSyncResolverEventSchema.parse(appSyncResolverEvent({ fieldName: 'getOrder' }));
 */
export const AppSyncResolverEventSchema = z.strictObject({
  arguments: z.record(z.string(), z.unknown()),
  identity: z.union([iamIdentity, cognitoIdentity, oidcIdentity, lambdaIdentity]).nullable(),
  source: z.record(z.string(), z.unknown()).nullable(),
  request: z.strictObject({
    headers: z.record(z.string(), z.string()),
    domainName: z.string().nullable(),
  }),
  info: z.strictObject({
    selectionSetList: z.array(z.string()),
    selectionSetGraphQL: z.string(),
    parentTypeName: z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'expected a GraphQL type name'),
    fieldName: z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'expected a GraphQL field name'),
    variables: z.record(z.string(), z.unknown()),
  }),
  prev: z.strictObject({ result: z.record(z.string(), z.unknown()) }).nullable(),
  stash: z.record(z.string(), z.unknown()),
});

/**
 * An AppSync batch invoke (`BatchInvoke` operation): an array of resolver events, one per source.
 *
 * @example
 * AppSyncBatchResolverEventSchema.parse(appSyncBatchResolverEvent({ sources: [{ id: 'p-1' }, { id: 'p-2' }] }));
 */
export const AppSyncBatchResolverEventSchema = z
  .array(AppSyncResolverEventSchema)
  .min(1)
  .max(2000, 'AppSync batches at most 2000 items (maxBatchSize)');
