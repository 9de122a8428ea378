import { z } from 'zod';

/**
 * One SQS message attribute as Lambda delivers it.
 *
 * @example
 * SqsMessageAttributeSchema.parse({ stringValue: 'x', stringListValues: [], binaryListValues: [], dataType: 'String' });
 */
export const SqsMessageAttributeSchema = z.strictObject({
  stringValue: z.string().optional(),
  binaryValue: z.string().optional(),
  stringListValues: z.array(z.string()).optional(),
  binaryListValues: z.array(z.string()).optional(),
  dataType: z
    .string()
    .regex(/^(String|Number|Binary)(\..+)?$/, 'expected "String", "Number", "Binary" or a custom "String.x"'),
});

/**
 * The `attributes` of an SQS record: every value a string, timestamps in epoch ms.
 *
 * @example
 * SqsAttributesSchema.parse({ ApproximateReceiveCount: '1', SentTimestamp: '1705320000000', SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: '1705320000003' });
 */
export const SqsAttributesSchema = z.strictObject({
  ApproximateReceiveCount: z.string().regex(/^\d+$/, 'expected a digit string'),
  SentTimestamp: z.string().regex(/^\d+$/, 'expected epoch milliseconds as a string'),
  SenderId: z.string(),
  ApproximateFirstReceiveTimestamp: z.string().regex(/^\d+$/, 'expected epoch milliseconds as a string'),
  SequenceNumber: z.string().regex(/^\d+$/, 'expected a digit string').optional(),
  MessageGroupId: z.string().optional(),
  MessageDeduplicationId: z.string().optional(),
  AWSTraceHeader: z.string().optional(),
  DeadLetterQueueSourceArn: z.string().optional(),
});

/**
 * One SQS record as Lambda delivers it (standard or FIFO).
 *
 * @example
 * SqsRecordSchema.parse(sqsRecord());
 */
export const SqsRecordSchema = z.strictObject({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string().regex(/^[0-9a-f]{32}$/, 'expected 32 hex digits'),
  md5OfMessageAttributes: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'expected 32 hex digits')
    .optional(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string().regex(/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:.+$/, 'expected an SQS queue ARN'),
  awsRegion: z.string(),
});

/**
 * An SQS event (`Records`, 1 to 10,000 items).
 *
 * @example
 * SqsEventSchema.parse(sqsEvent({ records: 3 }));
 */
export const SqsEventSchema = z.strictObject({
  Records: z.array(SqsRecordSchema).min(1),
});
