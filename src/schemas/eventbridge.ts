import { z } from 'zod';

const shape = {
  version: z.literal('0'),
  id: z.uuid(),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  time: z
    .string()
    .regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      'expected ISO 8601 without milliseconds, e.g. 2024-01-15T12:00:00Z',
    ),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
  'replay-name': z.string().optional(),
};

/**
 * An EventBridge event delivered to Lambda (`time` has no milliseconds).
 *
 * @example
 * EventBridgeEventSchema.parse(eventBridgeEvent({ source: 'com.example.orders', detailType: 'Order Placed' }));
 */
export const EventBridgeEventSchema = z.strictObject(shape);

/**
 * A scheduled-rule event: `source` `aws.events`, `detail-type` `Scheduled Event`, the rule ARN in
 * `resources` and an empty `detail`.
 *
 * @example
 * ScheduledEventSchema.parse(scheduledEvent({ ruleName: 'nightly' }));
 */
export const ScheduledEventSchema = z.strictObject({
  ...shape,
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
  resources: z
    .array(
      z.string().regex(/^arn:aws[\w-]*:events:[\w-]+:\d{12}:rule\/.+$/, 'expected an EventBridge rule ARN'),
    )
    .length(1),
  detail: z.strictObject({}),
});
