/**
 * Amazon Connect contact flow events (the "Invoke AWS Lambda function" block).
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import { ConnectContactFlowEventSchema } from '../schemas/connect.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * Options of {@link connectContactFlowEvent}.
 *
 * @example
 * const options: ConnectContactFlowEventOptions = { channel: 'VOICE', customerPhone: '+14255550100', parameters: { action: 'lookup' } };
 */
export interface ConnectContactFlowEventOptions extends CommonEventOptions {
  /** Default `VOICE`. Chats and tasks have no phone endpoints. */
  channel?: 'VOICE' | 'CHAT' | 'TASK' | 'EMAIL';
  /** Default `INBOUND`. */
  initiationMethod?: ConnectContactFlowEvent['Details']['ContactData']['InitiationMethod'];
  /** Contact attributes set earlier in the flow. Default `{}`. */
  attributes?: Record<string, string>;
  /** The block's function input parameters (`Details.Parameters`). Default `{}`. */
  parameters?: Record<string, string>;
  /** E.164 number of the caller (voice). Default generated. */
  customerPhone?: string;
  /** E.164 number that was dialled (voice). Default generated. */
  systemPhone?: string;
  /** The queue the contact is in; `null` for none. Default a generated queue. */
  queueName?: string | null;
  /** The instance id (a UUID). Default generated. */
  instanceId?: string;
  /** Whether customer audio streaming (Start media streaming block) is on. Default false. */
  mediaStreaming?: boolean;
  overrides?: DeepPartial<ConnectContactFlowEvent>;
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number such as "+14255550100"');
const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  channel: z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL']).optional(),
  initiationMethod: z.enum(['INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK', 'API']).optional(),
  attributes: z.record(z.string(), z.string()).optional(),
  parameters: z.record(z.string(), z.string()).optional(),
  customerPhone: e164.optional(),
  systemPhone: e164.optional(),
  queueName: z.string().min(1).max(127).nullable().optional(),
  instanceId: z.uuid().optional(),
  mediaStreaming: z.boolean().optional(),
});

/**
 * Generates the event a contact flow's "Invoke AWS Lambda function" block sends: the contact's
 * data (ids, channel, endpoints, queue, attributes, instance ARN) and the block's parameters. The
 * function must answer with a flat object of string values (see `toBeValidConnectResponse`).
 *
 * @example
 * const event = connectContactFlowEvent({ attributes: { tier: 'gold' }, parameters: { action: 'lookup' } });
 * event.Details.ContactData.CustomerEndpoint?.Address; // '+1...'
 */
export function connectContactFlowEvent(
  options: ConnectContactFlowEventOptions = {},
): ConnectContactFlowEvent {
  const fn = 'connectContactFlowEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('contact');
  const channel = opts.channel ?? 'VOICE';
  const voice = channel === 'VOICE';
  const instanceId = opts.instanceId ?? r.uuid();
  const instanceArn = `arn:aws:connect:${c.region}:${c.accountId}:instance/${instanceId}`;
  const contactId = r.uuid();
  const previous = r.uuid();
  const customer = opts.customerPhone ?? `+1425555${r.digits(4)}`;
  const system = opts.systemPhone ?? `+1800555${r.digits(4)}`;
  const queueId = r.uuid();
  const queueName = opts.queueName === undefined ? `${r.pick(WORDS.nouns)}-support` : opts.queueName;
  const streamArn = `arn:aws:kinesisvideo:${c.region}:${c.accountId}:stream/connect-${r.pick(WORDS.adjectives)}-contact-${contactId}/${c.time}`;
  const fragment = r.digits(46, true);
  const initiation = opts.initiationMethod ?? 'INBOUND';
  const event = {
    Details: {
      ContactData: {
        Attributes: { ...(opts.attributes ?? {}) },
        Channel: channel,
        ContactId: contactId,
        CustomerEndpoint: voice ? { Address: customer, Type: 'TELEPHONE_NUMBER' } : null,
        InitialContactId: initiation === 'TRANSFER' ? previous : contactId,
        InitiationMethod: initiation,
        InstanceARN: instanceArn,
        LanguageCode: 'en-US',
        MediaStreams: {
          Customer: {
            Audio:
              voice && opts.mediaStreaming
                ? { StartFragmentNumber: fragment, StartTimestamp: String(c.time), StreamARN: streamArn }
                : null,
          },
        },
        Name: 'ContactFlowEvent',
        PreviousContactId: initiation === 'TRANSFER' ? previous : contactId,
        Queue:
          queueName === null
            ? null
            : {
                ARN: `${instanceArn}/queue/${queueId}`,
                Name: queueName,
                ...(voice ? { OutboundCallerId: { Address: system, Type: 'TELEPHONE_NUMBER' } } : {}),
              },
        SystemEndpoint: voice ? { Address: system, Type: 'TELEPHONE_NUMBER' } : null,
      },
      Parameters: { ...(opts.parameters ?? {}) },
    },
    Name: 'ContactFlowEvent',
  } as ConnectContactFlowEvent;
  return applyEventOverrides(event, opts.overrides, ConnectContactFlowEventSchema, fn);
}
