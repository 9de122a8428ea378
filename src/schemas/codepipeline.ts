import { z } from 'zod';

const artifact = z.strictObject({
  name: z.string().min(1).max(100),
  revision: z.string().min(1).nullable(),
  location: z.strictObject({
    type: z.literal('S3'),
    s3Location: z.strictObject({ bucketName: z.string().min(3), objectKey: z.string().min(1) }),
  }),
});

/**
 * A CodePipeline job for a Lambda invoke action (the `CodePipeline.job` envelope).
 *
 * @example
 * CodePipelineEventSchema.parse(codePipelineEvent({ userParameters: { env: 'prod' } }));
 */
export const CodePipelineEventSchema = z.strictObject({
  'CodePipeline.job': z.strictObject({
    id: z.uuid(),
    accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
    data: z.strictObject({
      actionConfiguration: z.strictObject({
        configuration: z.looseObject({
          FunctionName: z.string().min(1),
          UserParameters: z.string().optional(),
        }),
      }),
      inputArtifacts: z.array(artifact),
      outputArtifacts: z.array(artifact),
      artifactCredentials: z.strictObject({
        accessKeyId: z.string().regex(/^ASIA[A-Z0-9]{16}$/, 'expected a temporary access key id (ASIA...)'),
        secretAccessKey: z.string().length(40),
        sessionToken: z.string().min(1).optional(),
      }),
      encryptionKey: z.strictObject({ id: z.string().min(1), type: z.literal('KMS') }).optional(),
      continuationToken: z.string().min(1).optional(),
    }),
  }),
});
