import { z } from 'zod';

/**
 * One S3 event notification record (`eventVersion` 2.x). Delete events carry no `size`/`eTag`.
 *
 * @example
 * S3RecordSchema.parse(s3Event().Records[0]);
 */
export const S3RecordSchema = z
  .strictObject({
    eventVersion: z.string().regex(/^2\.\d$/, 'expected "2.x"'),
    eventSource: z.literal('aws:s3'),
    awsRegion: z.string(),
    eventTime: z.iso.datetime({ precision: 3 }),
    eventName: z
      .string()
      .regex(
        /^(ObjectCreated|ObjectRemoved|ObjectRestore|ObjectTagging|ObjectAcl|LifecycleExpiration|LifecycleTransition|IntelligentTiering|Replication|ReducedRedundancyLostObject):[\w]+$/,
        'expected "<Category>:<Action>", e.g. "ObjectCreated:Put"',
      ),
    userIdentity: z.strictObject({ principalId: z.string() }),
    requestParameters: z.strictObject({ sourceIPAddress: z.string() }),
    responseElements: z.strictObject({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }),
    s3: z.strictObject({
      s3SchemaVersion: z.literal('1.0'),
      configurationId: z.string(),
      bucket: z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
        ownerIdentity: z.strictObject({ principalId: z.string() }),
        arn: z.string().regex(/^arn:aws[\w-]*:s3:::.+$/, 'expected "arn:aws:s3:::<bucket>"'),
      }),
      object: z.strictObject({
        key: z.string().min(1),
        size: z.number().int().nonnegative().optional(),
        eTag: z.string().optional(),
        versionId: z.string().optional(),
        sequencer: z.string().regex(/^[0-9A-F]+$/, 'expected uppercase hex'),
      }),
    }),
    glacierEventData: z
      .strictObject({
        restoreEventData: z.strictObject({
          lifecycleRestorationExpiryTime: z.string(),
          lifecycleRestoreStorageClass: z.string(),
        }),
      })
      .optional(),
  })
  .superRefine((rec, ctx) => {
    if (!rec.s3.bucket.arn.endsWith(`:::${rec.s3.bucket.name}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['s3', 'bucket', 'arn'],
        message: 'the bucket ARN must name the bucket',
      });
    }
  });

/**
 * An S3 event notification delivered to Lambda.
 *
 * @example
 * S3EventSchema.parse(s3Event({ records: 2 }));
 */
export const S3EventSchema = z.strictObject({ Records: z.array(S3RecordSchema).min(1) });
