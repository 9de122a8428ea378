import { z } from 'zod';

const verdict = z.strictObject({ status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']) });

/**
 * One SES receipt-rule record as the Lambda action delivers it (`ses.mail` + `ses.receipt`).
 *
 * @example
 * SesRecordSchema.parse(sesEvent().Records[0]);
 */
export const SesRecordSchema = z.strictObject({
  eventSource: z.literal('aws:ses'),
  eventVersion: z.string(),
  ses: z.strictObject({
    mail: z.strictObject({
      timestamp: z.iso.datetime({ precision: 3 }),
      source: z.string().min(1),
      messageId: z.string().min(1),
      destination: z.array(z.string().min(1)).min(1),
      headersTruncated: z.boolean(),
      headers: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })),
      commonHeaders: z.strictObject({
        returnPath: z.string(),
        from: z.array(z.string()).optional(),
        sender: z.array(z.string()).optional(),
        'reply-to': z.array(z.string()).optional(),
        date: z.string(),
        to: z.array(z.string()).optional(),
        cc: z.array(z.string()).optional(),
        bcc: z.array(z.string()).optional(),
        messageId: z.string(),
        subject: z.string().optional(),
      }),
    }),
    receipt: z
      .strictObject({
        timestamp: z.iso.datetime({ precision: 3 }),
        processingTimeMillis: z.number().int().nonnegative(),
        recipients: z.array(z.string().min(1)).min(1),
        spamVerdict: verdict,
        virusVerdict: verdict,
        spfVerdict: verdict,
        dkimVerdict: verdict,
        dmarcVerdict: verdict,
        // SES sends dmarcPolicy only when the message fails DMARC.
        dmarcPolicy: z.enum(['none', 'quarantine', 'reject']).optional(),
        action: z.strictObject({
          type: z.literal('Lambda'),
          functionArn: z
            .string()
            .regex(
              /^arn:aws[\w-]*:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/,
              'expected a function ARN',
            ),
          invocationType: z.enum(['Event', 'RequestResponse']),
          topicArn: z.string().optional(),
        }),
      })
      .refine((r) => r.dmarcPolicy === undefined || r.dmarcVerdict.status === 'FAIL', {
        message: 'dmarcPolicy appears only when dmarcVerdict is FAIL',
        path: ['dmarcPolicy'],
      }),
  }),
});

/**
 * An SES receipt-rule Lambda action event (always one record).
 *
 * @example
 * SesEventSchema.parse(sesEvent({ subject: 'Invoice' }));
 */
export const SesEventSchema = z.strictObject({
  Records: z.array(SesRecordSchema).length(1, 'SES invokes a Lambda action with exactly one record'),
});
