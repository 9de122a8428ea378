import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected a base64 string');

/**
 * The `kinesis` payload of a Kinesis Data Streams record.
 *
 * @example
 * KinesisPayloadSchema.parse(kinesisEvent().Records[0]?.kinesis);
 */
export const KinesisPayloadSchema = z.strictObject({
  kinesisSchemaVersion: z.string(),
  partitionKey: z.string().min(1),
  sequenceNumber: z.string().regex(/^\d+$/, 'expected a digit string'),
  data: base64,
  approximateArrivalTimestamp: z.number().positive(),
  encryptionType: z.literal('KMS').optional(),
});

/**
 * One Kinesis Data Streams record as Lambda delivers it.
 *
 * @example
 * KinesisRecordSchema.parse(kinesisRecord());
 */
export const KinesisRecordSchema = z.strictObject({
  kinesis: KinesisPayloadSchema,
  eventSource: z.literal('aws:kinesis'),
  eventVersion: z.string(),
  eventID: z.string().regex(/^shardId-\d+:\d+$/, 'expected "shardId-<n>:<sequenceNumber>"'),
  eventName: z.literal('aws:kinesis:record'),
  invokeIdentityArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN'),
  awsRegion: z.string(),
  eventSourceARN: z
    .string()
    .regex(/^arn:aws[\w-]*:kinesis:[\w-]+:\d{12}:stream\/.+$/, 'expected a Kinesis stream ARN'),
});

/**
 * A Kinesis Data Streams event (all records from one shard).
 *
 * @example
 * KinesisEventSchema.parse(kinesisEvent({ records: 3 }));
 */
export const KinesisEventSchema = z.strictObject({
  Records: z.array(KinesisRecordSchema).min(1),
  // Tumbling-window invocations only.
  window: z.strictObject({ start: z.iso.datetime(), end: z.iso.datetime() }).optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  shardId: z.string().optional(),
  eventSourceARN: z.string().optional(),
  isFinalInvokeForWindow: z.boolean().optional(),
  isWindowTerminatedEarly: z.boolean().optional(),
});
