import { z } from 'zod';

const sessionContext = z.strictObject({
  attributes: z.strictObject({
    creationDate: z.string(),
    mfaAuthenticated: z.enum(['true', 'false']),
  }),
  sessionIssuer: z.strictObject({
    type: z.string(),
    principalId: z.string(),
    arn: z.string(),
    accountId: z.string().regex(/^\d{12}$/),
    userName: z.string().optional(),
  }),
});

/**
 * An S3 Object Lambda GetObject request: where to read the original object (`inputS3Url`, a
 * pre-signed URL) and the route and token `WriteGetObjectResponse` must send the result back with.
 *
 * @example
 * S3ObjectLambdaEventSchema.parse(s3ObjectLambdaEvent());
 */
export const S3ObjectLambdaEventSchema = z.strictObject({
  xAmzRequestId: z.string().min(1),
  getObjectContext: z.strictObject({
    inputS3Url: z.url({ protocol: /^https$/ }),
    outputRoute: z.string().min(1),
    outputToken: z.string().min(1),
  }),
  configuration: z.strictObject({
    accessPointArn: z
      .string()
      .regex(
        /^arn:aws[\w-]*:s3-object-lambda:[\w-]+:\d{12}:accesspoint\/[\w.-]+$/,
        'expected an Object Lambda access point ARN',
      ),
    supportingAccessPointArn: z
      .string()
      .regex(/^arn:aws[\w-]*:s3:[\w-]+:\d{12}:accesspoint\/[\w.-]+$/, 'expected an S3 access point ARN'),
    payload: z.string().optional(),
  }),
  userRequest: z.strictObject({
    url: z.url(),
    headers: z.record(z.string(), z.string()),
  }),
  userIdentity: z.strictObject({
    type: z.enum(['IAMUser', 'AssumedRole', 'Root', 'FederatedUser', 'AWSAccount', 'AWSService']),
    principalId: z.string(),
    arn: z.string(),
    accountId: z.string().regex(/^\d{12}$/),
    accessKeyId: z.string(),
    userName: z.string().optional(),
    sessionContext: sessionContext.optional(),
  }),
  protocolVersion: z.literal('1.00'),
});
