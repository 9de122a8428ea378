import { z } from 'zod';

const common = {
  ServiceToken: z
    .string()
    .regex(/^arn:aws[\w-]*:(lambda|sns):[\w-]+:\d{12}:.+$/, 'expected a Lambda or SNS ARN'),
  ResponseURL: z.url(),
  StackId: z.string().regex(/^arn:aws[\w-]*:cloudformation:[\w-]+:\d{12}:stack\/.+$/, 'expected a stack ARN'),
  RequestId: z.string().min(1),
  LogicalResourceId: z.string().min(1),
  ResourceType: z
    .string()
    .regex(/^(Custom::[\w@-]+|AWS::CloudFormation::CustomResource)$/, 'expected "Custom::Name"'),
  ResourceProperties: z.looseObject({ ServiceToken: z.string() }),
  ServiceTimeout: z.string().optional(),
};

/**
 * A CloudFormation custom resource request (Create, Update or Delete).
 *
 * @example
 * CloudFormationCustomResourceEventSchema.parse(cloudFormationCustomResourceEvent({ requestType: 'Update' }));
 */
export const CloudFormationCustomResourceEventSchema = z.discriminatedUnion('RequestType', [
  z.strictObject({ RequestType: z.literal('Create'), ...common }),
  z.strictObject({
    RequestType: z.literal('Update'),
    ...common,
    PhysicalResourceId: z.string().min(1),
    OldResourceProperties: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({ RequestType: z.literal('Delete'), ...common, PhysicalResourceId: z.string().min(1) }),
]);

/**
 * A Secrets Manager rotation step event.
 *
 * @example
 * SecretsManagerRotationEventSchema.parse(secretsManagerRotationEvent({ step: 'setSecret' }));
 */
export const SecretsManagerRotationEventSchema = z.strictObject({
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
  SecretId: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, 'expected a secret ARN'),
  ClientRequestToken: z.uuid(),
  RotationToken: z.string().optional(),
});

/**
 * An S3 Batch Operations invocation (schema 1.0 or 2.0).
 *
 * @example
 * S3BatchEventSchema.parse(s3BatchEvent());
 */
export const S3BatchEventSchema = z.strictObject({
  invocationSchemaVersion: z.enum(['1.0', '2.0']),
  invocationId: z.string().min(1),
  job: z.strictObject({ id: z.uuid(), userArguments: z.record(z.string(), z.string()).optional() }),
  tasks: z
    .array(
      z.strictObject({
        taskId: z.string().min(1),
        s3Key: z.string().min(1),
        s3VersionId: z.string().nullable(),
        s3BucketArn: z
          .string()
          .regex(/^arn:aws[\w-]*:s3:::.+$/)
          .optional(),
        s3Bucket: z.string().optional(),
      }),
    )
    .length(1, 'S3 Batch Operations sends exactly one task per invocation'),
});
