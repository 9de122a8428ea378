import { z } from 'zod';

const jsonText = (what: string, check: (value: unknown) => boolean) =>
  z.string().refine((text) => {
    try {
      return check(JSON.parse(text));
    } catch {
      return false;
    }
  }, `expected ${what}`);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const MESSAGE_TYPES = [
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
  'ScheduledNotification',
];

/**
 * The decoded `invokingEvent` of an AWS Config rule event: a configuration item change (possibly
 * oversized, then a summary and where the full item was delivered) or a periodic notification.
 *
 * @example
 * ConfigInvokingEventSchema.parse(JSON.parse(configRuleEvent().invokingEvent));
 */
export const ConfigInvokingEventSchema = z.discriminatedUnion('messageType', [
  z.looseObject({
    messageType: z.literal('ConfigurationItemChangeNotification'),
    configurationItemDiff: z
      .looseObject({ changedProperties: z.record(z.string(), z.unknown()), changeType: z.string() })
      .nullable()
      .optional(),
    configurationItem: z.looseObject({
      configurationItemVersion: z.string(),
      configurationItemCaptureTime: z.string(),
      configurationStateId: z.number(),
      awsAccountId: z.string().regex(/^\d{12}$/),
      configurationItemStatus: z.enum([
        'OK',
        'ResourceDiscovered',
        'ResourceNotRecorded',
        'ResourceDeleted',
        'ResourceDeletedNotRecorded',
      ]),
      resourceType: z
        .string()
        .regex(/^AWS::\w+::\w+$/, 'expected a resource type such as "AWS::EC2::Instance"'),
      resourceId: z.string().min(1),
      awsRegion: z.string().min(1),
      configuration: z.unknown(),
    }),
    notificationCreationTime: z.string(),
    recordVersion: z.string(),
  }),
  z.looseObject({
    messageType: z.literal('OversizedConfigurationItemChangeNotification'),
    configurationItemSummary: z.looseObject({
      changeType: z.string(),
      resourceType: z.string().regex(/^AWS::\w+::\w+$/),
      resourceId: z.string().min(1),
      awsAccountId: z.string().regex(/^\d{12}$/),
    }),
    s3DeliverySummary: z.looseObject({ s3BucketLocation: z.string().min(1) }),
    notificationCreationTime: z.string(),
    recordVersion: z.string(),
  }),
  z.looseObject({
    messageType: z.literal('ScheduledNotification'),
    awsAccountId: z.string().regex(/^\d{12}$/),
    notificationCreationTime: z.string(),
    recordVersion: z.string(),
  }),
]);

/**
 * An AWS Config custom rule event. `invokingEvent` and `ruleParameters` are JSON text.
 *
 * @example
 * ConfigRuleEventSchema.parse(configRuleEvent({ messageType: 'ScheduledNotification' }));
 */
export const ConfigRuleEventSchema = z.strictObject({
  version: z.literal('1.0'),
  invokingEvent: jsonText(
    `JSON text of an invoking event (messageType ${MESSAGE_TYPES.join(' | ')})`,
    (v) => ConfigInvokingEventSchema.safeParse(v).success,
  ),
  ruleParameters: jsonText('JSON text of an object', isObject).optional(),
  resultToken: z.string().min(1),
  eventLeftScope: z.boolean(),
  executionRoleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN'),
  configRuleArn: z
    .string()
    .regex(
      /^arn:aws[\w-]*:config:[\w-]+:\d{12}:config-rule\/config-rule-[a-z0-9]+$/,
      'expected a Config rule ARN',
    ),
  configRuleName: z.string().min(1).max(128),
  configRuleId: z.string().regex(/^config-rule-[a-z0-9]+$/, 'expected "config-rule-..."'),
  accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  evaluationMode: z.enum(['DETECTIVE', 'PROACTIVE']).optional(),
});
