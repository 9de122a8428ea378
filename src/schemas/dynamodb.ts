import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected a base64 string');
const numberString = z.string().regex(/^-?\d+(\.\d+)?(E[+-]?\d+)?$/i, 'expected a number as a string');

/**
 * A DynamoDB AttributeValue as it appears in stream records (`B` is base64, `N` a string).
 *
 * @example
 * const value: StreamAttributeValue = { M: { n: { N: '1' }, tags: { SS: ['a'] } } };
 */
export type StreamAttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: StreamAttributeValue[] }
  | { M: Record<string, StreamAttributeValue> };

/**
 * A DynamoDB AttributeValue in a stream record: exactly one type key.
 *
 * @example
 * AttributeValueSchema.parse({ N: '101' });
 */
export const AttributeValueSchema: z.ZodType<StreamAttributeValue> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ S: z.string() }),
      z.strictObject({ N: numberString }),
      z.strictObject({ B: base64 }),
      z.strictObject({ BOOL: z.boolean() }),
      z.strictObject({ NULL: z.literal(true) }),
      z.strictObject({ SS: z.array(z.string()).min(1) }),
      z.strictObject({ NS: z.array(numberString).min(1) }),
      z.strictObject({ BS: z.array(base64).min(1) }),
      z.strictObject({ L: z.array(AttributeValueSchema) }),
      z.strictObject({ M: z.record(z.string(), AttributeValueSchema) }),
    ],
    {
      error:
        'expected an AttributeValue with exactly one of S, N (a number string), B (base64), BOOL, NULL, SS, NS, BS, L, M',
    },
  ),
);

/**
 * An item image (or `Keys`) in AttributeValue format.
 *
 * @example
 * DynamoDBImageSchema.parse({ Id: { N: '101' }, Msg: { S: 'x' } });
 */
export const DynamoDBImageSchema = z.record(z.string(), AttributeValueSchema);

/**
 * The `dynamodb` change record of a stream record.
 *
 * @example
 * DynamoDBStreamChangeSchema.parse(dynamoDBStreamRecord().dynamodb);
 */
export const DynamoDBStreamChangeSchema = z.strictObject({
  ApproximateCreationDateTime: z.number().positive().optional(),
  Keys: DynamoDBImageSchema,
  NewImage: DynamoDBImageSchema.optional(),
  OldImage: DynamoDBImageSchema.optional(),
  SequenceNumber: z.string().regex(/^\d+$/, 'expected a digit string'),
  SizeBytes: z.number().int().positive(),
  StreamViewType: z.enum(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']),
});

/**
 * One DynamoDB Streams record as Lambda delivers it. INSERT has no OldImage, REMOVE no NewImage.
 *
 * @example
 * DynamoDBStreamRecordSchema.parse(dynamoDBStreamRecord({ eventName: 'REMOVE' }));
 */
export const DynamoDBStreamRecordSchema = z
  .strictObject({
    eventID: z.string().min(1),
    eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
    eventVersion: z.string(),
    eventSource: z.literal('aws:dynamodb'),
    awsRegion: z.string(),
    dynamodb: DynamoDBStreamChangeSchema,
    eventSourceARN: z
      .string()
      .regex(
        /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/[^/]+\/stream\/.+$/,
        'expected a DynamoDB stream ARN',
      ),
    userIdentity: z
      .strictObject({ type: z.literal('Service'), principalId: z.literal('dynamodb.amazonaws.com') })
      .optional(),
  })
  .superRefine((record, ctx) => {
    const { eventName, dynamodb } = record;
    if (eventName === 'INSERT' && dynamodb.OldImage) {
      ctx.addIssue({
        code: 'custom',
        path: ['dynamodb', 'OldImage'],
        message: 'an INSERT record has no OldImage',
      });
    }
    if (eventName === 'REMOVE' && dynamodb.NewImage) {
      ctx.addIssue({
        code: 'custom',
        path: ['dynamodb', 'NewImage'],
        message: 'a REMOVE record has no NewImage',
      });
    }
    if (record.userIdentity && eventName !== 'REMOVE') {
      ctx.addIssue({
        code: 'custom',
        path: ['userIdentity'],
        message: 'userIdentity marks TTL deletions (REMOVE) only',
      });
    }
  });

/**
 * A DynamoDB Streams event.
 *
 * @example
 * DynamoDBStreamEventSchema.parse(dynamoDBStreamEvent({ records: 2 }));
 */
export const DynamoDBStreamEventSchema = z.strictObject({
  Records: z.array(DynamoDBStreamRecordSchema).min(1),
  // Tumbling-window invocations only.
  window: z.strictObject({ start: z.iso.datetime(), end: z.iso.datetime() }).optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  shardId: z.string().optional(),
  eventSourceARN: z.string().optional(),
  isFinalInvokeForWindow: z.boolean().optional(),
  isWindowTerminatedEarly: z.boolean().optional(),
});
