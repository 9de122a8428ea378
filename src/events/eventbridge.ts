/**
 * EventBridge events (custom source, detail-type, detail) and scheduled-rule events.
 */
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import { z } from 'zod';
import { jsonPayloadSchema } from '../errors/options.js';
import { WORDS } from '../random/index.js';
import { EventBridgeEventSchema, ScheduledEventSchema } from '../schemas/eventbridge.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  isoNoMs,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * Options of {@link eventBridgeEvent}.
 *
 * @example
 * const options: EventBridgeEventOptions<'Order Placed', { orderId: string }> = {
 *   source: 'com.example.orders', detailType: 'Order Placed', detail: { orderId: 'o-1' },
 * };
 */
export interface EventBridgeEventOptions<
  TDetailType extends string = string,
  TDetail = Record<string, unknown>,
> extends CommonEventOptions {
  /** Default `com.example.<noun>`. */
  source?: string;
  /** Default a generated "Noun Verb" detail type. */
  detailType?: TDetailType;
  /** Default a small generated object. */
  detail?: TDetail;
  /** ARNs the event concerns. Default `[]`. */
  resources?: string[];
  /** Marks the event as replayed from an archive. */
  replayName?: string;
  overrides?: DeepPartial<EventBridgeEvent<TDetailType, TDetail>>;
}

/**
 * Options of {@link scheduledEvent}.
 *
 * @example
 * const options: ScheduledEventOptions = { ruleName: 'nightly-report', time: '2024-03-01T02:00:00Z' };
 */
export interface ScheduledEventOptions extends CommonEventOptions {
  /** The rule's name (in the rule ARN). Default generated. */
  ruleName?: string;
  overrides?: DeepPartial<ScheduledEvent>;
}

const ebOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  source: z.string().min(1).max(256).optional(),
  detailType: z.string().min(1).max(128).optional(),
  detail: jsonPayloadSchema.optional(),
  resources: z.array(z.string()).optional(),
  replayName: z.string().min(1).optional(),
});
const scheduledOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ruleName: z
    .string()
    .regex(/^[.\-_A-Za-z0-9]{1,64}$/, 'expected an EventBridge rule name')
    .optional(),
});

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Generates an EventBridge event: `version` "0", a UUID `id`, `time` in ISO without milliseconds,
 * account and region consistent, `detail` as given (typed).
 *
 * @example
 * const event = eventBridgeEvent({ source: 'com.example.orders', detailType: 'Order Placed', detail: { orderId: 'o-1' } });
 * event.detail.orderId; // 'o-1'
 */
export function eventBridgeEvent<TDetailType extends string = string, TDetail = Record<string, unknown>>(
  options: EventBridgeEventOptions<TDetailType, TDetail> = {},
): EventBridgeEvent<TDetailType, TDetail> {
  const fn = 'eventBridgeEvent';
  const opts = parseOptions(ebOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('event');
  const noun = r.pick(WORDS.nouns);
  const verb = r.pick(WORDS.verbs);
  const event: EventBridgeEvent<TDetailType, TDetail> = {
    version: '0',
    id: r.uuid(),
    'detail-type': opts.detailType ?? (`${capitalise(noun)} ${capitalise(verb)}` as TDetailType),
    source: opts.source ?? `com.example.${noun}s`,
    account: c.accountId,
    time: isoNoMs(c.time),
    region: c.region,
    resources: opts.resources ?? [],
    detail:
      opts.detail !== undefined
        ? opts.detail
        : ({
            [`${noun}Id`]: `${noun}-${r.hex(8)}`,
            status: r.pick(WORDS.statuses),
            product: r.faker.commerce.productName(),
            price: Number(r.faker.commerce.price({ min: 1, max: 500 })),
            customer: { name: r.faker.person.fullName(), email: r.faker.internet.email().toLowerCase() },
          } as TDetail),
  };
  if (opts.replayName !== undefined) event['replay-name'] = opts.replayName;
  return applyEventOverrides(event, opts.overrides, EventBridgeEventSchema, fn);
}

/**
 * Generates a scheduled-rule event: `source` `aws.events`, `detail-type` `Scheduled Event`, the rule
 * ARN in `resources`, an empty `detail`, `time` the (whole-second) fire time.
 *
 * @example
 * const event = scheduledEvent({ ruleName: 'nightly', region: 'eu-west-1' });
 * event.resources; // ['arn:aws:events:eu-west-1:123456789012:rule/nightly']
 */
export function scheduledEvent(options: ScheduledEventOptions = {}): ScheduledEvent {
  const fn = 'scheduledEvent';
  const opts = parseOptions(scheduledOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('event');
  const rule = opts.ruleName ?? `${r.pick(WORDS.adjectives)}-${r.pick(WORDS.nouns)}-schedule`;
  const event: ScheduledEvent = {
    version: '0',
    id: r.uuid(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: c.accountId,
    time: isoNoMs(c.time),
    region: c.region,
    resources: [`arn:aws:events:${c.region}:${c.accountId}:rule/${rule}`],
    detail: {},
  };
  return applyEventOverrides(event, opts.overrides, ScheduledEventSchema, fn);
}
