import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected a base64 string');
const arn = (service: string, what: string) =>
  z.string().regex(new RegExp(`^arn:aws[\\w-]*:${service}:[\\w-]+:\\d{12}:.+$`), `expected ${what}`);

/**
 * The decoded payload of a CloudWatch Logs subscription event (what `data` unzips to).
 *
 * @example
 * CloudWatchLogsDecodedSchema.parse(decodeCloudWatchLogs(cloudWatchLogsEvent()));
 */
export const CloudWatchLogsDecodedSchema = z.strictObject({
  messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
  owner: z.string().regex(/^(\d{12}|CloudwatchLogs)$/, 'expected a 12-digit account id'),
  logGroup: z.string().min(1).max(512),
  logStream: z.string().min(1).max(512),
  subscriptionFilters: z.array(z.string().min(1)),
  logEvents: z
    .array(
      z.strictObject({
        id: z.string().regex(/^\d+$/, 'expected a digit string'),
        timestamp: z.number().int().nonnegative(),
        message: z.string(),
        extractedFields: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
  policyLevel: z.string().optional(),
});

/**
 * A CloudWatch Logs subscription event: `awslogs.data` is base64 of the gzip of the JSON payload.
 *
 * @example
 * CloudWatchLogsEventSchema.parse(cloudWatchLogsEvent());
 */
export const CloudWatchLogsEventSchema = z.strictObject({
  awslogs: z.strictObject({
    data: base64.refine((data) => {
      try {
        return CloudWatchLogsDecodedSchema.safeParse(
          JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')),
        ).success;
      } catch {
        return false;
      }
    }, 'expected base64(gzip(JSON)) of a CloudWatch Logs payload'),
  }),
});

const kinesisRecordMetadata = z.strictObject({
  shardId: z.string().regex(/^shardId-\d{12}$/, 'expected "shardId-" and 12 digits'),
  partitionKey: z.string().min(1),
  approximateArrivalTimestamp: z.number().int().positive(),
  sequenceNumber: z.string().regex(/^\d+$/),
  subsequenceNumber: z.number().int().nonnegative(),
});

/**
 * One record of a Kinesis Data Firehose transformation event.
 *
 * @example
 * FirehoseRecordSchema.parse(firehoseEvent().records[0]);
 */
export const FirehoseRecordSchema = z.strictObject({
  recordId: z.string().min(1),
  approximateArrivalTimestamp: z.number().int().positive(),
  data: base64,
  kinesisRecordMetadata: kinesisRecordMetadata.optional(),
});

/**
 * A Kinesis Data Firehose data-transformation event.
 *
 * @example
 * FirehoseEventSchema.parse(firehoseEvent({ data: ['a', 'b'] }));
 */
export const FirehoseEventSchema = z.strictObject({
  invocationId: z.uuid(),
  deliveryStreamArn: arn('firehose', 'a Firehose delivery stream ARN'),
  region: z.string(),
  sourceKinesisStreamArn: arn('kinesis', 'a Kinesis stream ARN').optional(),
  records: z.array(FirehoseRecordSchema).min(1),
});

/**
 * One Kafka record as Lambda delivers it (MSK and self-managed): key and value base64, headers as byte arrays.
 *
 * @example
 * KafkaRecordSchema.parse(Object.values(mskEvent().records)[0]?.[0]);
 */
export const KafkaRecordSchema = z.strictObject({
  topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  timestamp: z.number().int(),
  timestampType: z.enum(['CREATE_TIME', 'LOG_APPEND_TIME']),
  key: base64.optional(),
  value: base64,
  headers: z.array(z.record(z.string(), z.array(z.number().int().min(0).max(255)))),
});

const kafkaRecords = z.record(z.string(), z.array(KafkaRecordSchema).min(1)).superRefine((map, ctx) => {
  for (const [key, list] of Object.entries(map)) {
    for (const [i, record] of list.entries()) {
      if (`${record.topic}-${record.partition}` !== key) {
        ctx.addIssue({
          code: 'custom',
          path: [key, i],
          message: `record of ${record.topic}-${record.partition} filed under "${key}" (keys are "topic-partition")`,
        });
      }
    }
  }
});

/**
 * An Amazon MSK event.
 *
 * @example
 * MskEventSchema.parse(mskEvent());
 */
export const MskEventSchema = z.strictObject({
  eventSource: z.literal('aws:kafka'),
  eventSourceArn: arn('kafka', 'an MSK cluster ARN'),
  bootstrapServers: z.string().min(1),
  records: kafkaRecords,
});

/**
 * A self-managed Apache Kafka event.
 *
 * @example
 * SelfManagedKafkaEventSchema.parse(selfManagedKafkaEvent());
 */
export const SelfManagedKafkaEventSchema = z.strictObject({
  eventSource: z.literal('SelfManagedKafka'),
  bootstrapServers: z.string().min(1),
  records: kafkaRecords,
});
