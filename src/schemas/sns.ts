import { z } from 'zod';

/**
 * One SNS record as Lambda receives it.
 *
 * @example
 * SnsRecordSchema.parse(snsEvent().Records[0]);
 */
export const SnsRecordSchema = z.strictObject({
  EventSource: z.literal('aws:sns'),
  EventVersion: z.string(),
  EventSubscriptionArn: z
    .string()
    .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[^:]+:[\w-]+$/, 'expected a subscription ARN'),
  Sns: z.strictObject({
    Type: z.literal('Notification'),
    MessageId: z.string(),
    TopicArn: z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[^:]+$/, 'expected an SNS topic ARN'),
    Subject: z.string().nullable(),
    Message: z.string(),
    Timestamp: z.iso.datetime({ precision: 3 }),
    SignatureVersion: z.string(),
    Signature: z.string(),
    SigningCertUrl: z.url(),
    UnsubscribeUrl: z.url(),
    MessageAttributes: z.record(z.string(), z.strictObject({ Type: z.string(), Value: z.string() })),
  }),
});

/**
 * An SNS event (in practice one record).
 *
 * @example
 * SnsEventSchema.parse(snsEvent({ message: { hello: 'world' } }));
 */
export const SnsEventSchema = z.strictObject({ Records: z.array(SnsRecordSchema).min(1) });
