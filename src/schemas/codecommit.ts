import { z } from 'zod';

/**
 * One CodeCommit repository trigger record.
 *
 * @example
 * CodeCommitRecordSchema.parse(codeCommitEvent().Records[0]);
 */
export const CodeCommitRecordSchema = z.strictObject({
  awsRegion: z.string().min(1),
  codecommit: z.strictObject({
    references: z
      .array(
        z.strictObject({
          commit: z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-digit commit id'),
          ref: z.string().regex(/^refs\/(heads|tags)\/.+$/, 'expected a ref such as "refs/heads/main"'),
          created: z.boolean().optional(),
          deleted: z.boolean().optional(),
        }),
      )
      .min(1),
  }),
  customData: z.string().optional(),
  eventId: z.uuid(),
  eventName: z.enum(['ReferenceChanges', 'TriggerEventTest']),
  eventPartNumber: z.number().int().min(1),
  eventSource: z.literal('aws:codecommit'),
  eventSourceARN: z
    .string()
    .regex(/^arn:aws[\w-]*:codecommit:[\w-]+:\d{12}:[\w.-]+$/, 'expected a repository ARN'),
  eventTime: z
    .string()
    .regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/,
      'expected a time such as "2024-01-15T12:00:00.000+0000"',
    ),
  eventTotalParts: z.number().int().min(1),
  eventTriggerConfigId: z.uuid(),
  eventTriggerName: z.string().min(1),
  eventVersion: z.literal('1.0'),
  userIdentityARN: z.string().regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:.+$/, 'expected an IAM or STS ARN'),
});

/**
 * A CodeCommit repository trigger event.
 *
 * @example
 * CodeCommitEventSchema.parse(codeCommitEvent({ references: [{ ref: 'refs/heads/main' }] }));
 */
export const CodeCommitEventSchema = z.strictObject({ Records: z.array(CodeCommitRecordSchema).min(1) });
