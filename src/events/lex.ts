/**
 * Amazon Lex code hook events: Lex V1 (`currentIntent`, `dialogAction` responses) and Lex V2
 * (`sessionState`, `interpretations`).
 */
import type { LexEvent, LexV2Event, LexV2Intent, LexV2Slot } from 'aws-lambda';
import { z } from 'zod';
import { LexV1EventSchema, LexV2EventSchema } from '../schemas/lex.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  hasOverride,
  parseOptions,
  resolveCommon,
} from './core.js';

const slotName = z.string().regex(/^[A-Za-z][\w]{0,99}$/, 'expected a slot name');
const attributes = z.record(z.string(), z.string());

/**
 * Options of {@link lexV1Event}.
 *
 * @example
 * const options: LexV1EventOptions = { intentName: 'BookHotel', slots: { City: 'Paris', Nights: null }, invocationSource: 'DialogCodeHook' };
 */
export interface LexV1EventOptions extends CommonEventOptions {
  /** Default `BookTrip`-like generated name. */
  intentName?: string;
  /** Slot values, `null` for a slot not filled yet. Default `{}`. */
  slots?: Record<string, string | null>;
  /** Default `DialogCodeHook`. */
  invocationSource?: 'DialogCodeHook' | 'FulfillmentCodeHook';
  /** Default `None`. */
  confirmationStatus?: 'None' | 'Confirmed' | 'Denied';
  /** What the user said or typed. Default generated. */
  inputTranscript?: string;
  /** Default `Text`. */
  outputDialogMode?: 'Text' | 'Voice';
  sessionAttributes?: Record<string, string>;
  /** Default `null` (none sent). */
  requestAttributes?: Record<string, string> | null;
  botName?: string;
  userId?: string;
  overrides?: DeepPartial<LexEvent>;
}

const v1Schema = z.strictObject({
  ...commonOptionsShape,
  intentName: z
    .string()
    .regex(/^[A-Za-z_]{1,100}$/, 'expected an intent name')
    .optional(),
  slots: z.record(slotName, z.string().nullable()).optional(),
  invocationSource: z.enum(['DialogCodeHook', 'FulfillmentCodeHook']).optional(),
  confirmationStatus: z.enum(['None', 'Confirmed', 'Denied']).optional(),
  inputTranscript: z.string().max(1024).optional(),
  outputDialogMode: z.enum(['Text', 'Voice']).optional(),
  sessionAttributes: attributes.optional(),
  requestAttributes: attributes.nullable().optional(),
  botName: z
    .string()
    .regex(/^[A-Za-z_]{2,50}$/, 'expected a bot name')
    .optional(),
  userId: z.string().min(2).max(100).optional(),
});

const INTENTS = ['BookHotel', 'OrderFlowers', 'CheckBalance', 'ScheduleAppointment', 'TrackOrder'];
const UTTERANCES = [
  'I would like to book a hotel',
  'I want to order some flowers',
  "what's my balance",
  'can I make an appointment for tomorrow',
  'where is my order',
  'yes please',
  'two nights',
];

function slotDetailsOf(slots: Record<string, string | null>): LexEvent['currentIntent']['slotDetails'] {
  const details: LexEvent['currentIntent']['slotDetails'] = {};
  for (const [name, value] of Object.entries(slots)) {
    if (value !== null) details[name] = { resolutions: [{ value }], originalValue: value };
  }
  return details;
}

/**
 * Generates a Lex V1 code hook event: the current intent with its slots and `slotDetails`
 * (derived from the slots), the bot, the user's transcript, session and request attributes. The
 * function answers with a `dialogAction` (check it with `toBeValidLexV1Response`).
 *
 * @example
 * const event = lexV1Event({ intentName: 'BookHotel', slots: { City: 'Paris', Nights: null } });
 * event.currentIntent.slotDetails.City?.originalValue; // 'Paris'
 */
export function lexV1Event(options: LexV1EventOptions = {}): LexEvent {
  const fn = 'lexV1Event';
  const opts = parseOptions(v1Schema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('lex-v1');
  const slots = { ...(opts.slots ?? {}) };
  const event: LexEvent & { currentIntent: { nluIntentConfidenceScore?: number } } = {
    messageVersion: '1.0',
    invocationSource: opts.invocationSource ?? 'DialogCodeHook',
    userId: opts.userId ?? r.lowerAlnum(26),
    inputTranscript: opts.inputTranscript ?? r.pick(UTTERANCES),
    sessionAttributes: { ...(opts.sessionAttributes ?? {}) },
    requestAttributes: opts.requestAttributes === undefined ? null : opts.requestAttributes,
    bot: {
      name: opts.botName ?? `${r.pick(['Travel', 'Shop', 'Bank', 'Clinic'])}Bot`,
      alias: '$LATEST',
      version: '$LATEST',
    },
    outputDialogMode: opts.outputDialogMode ?? 'Text',
    currentIntent: {
      name: opts.intentName ?? r.pick(INTENTS),
      slots,
      slotDetails: slotDetailsOf(slots),
      confirmationStatus: opts.confirmationStatus ?? 'None',
      nluIntentConfidenceScore: Math.round(r.float() * 1000) / 1000,
    },
  };
  return applyEventOverrides(event, opts.overrides, LexV1EventSchema, fn, (merged, given) => {
    // slotDetails follow the merged slots unless the override sets them.
    if (!hasOverride(given, ['currentIntent', 'slotDetails'])) {
      merged.currentIntent.slotDetails = slotDetailsOf(
        merged.currentIntent.slots as Record<string, string | null>,
      );
    }
  });
}

/**
 * Options of {@link lexV2Event}.
 *
 * @example
 * const options: LexV2EventOptions = { intentName: 'OrderPizza', slots: { Size: 'large', Toppings: ['ham', 'olives'], Crust: null } };
 */
export interface LexV2EventOptions extends CommonEventOptions {
  intentName?: string;
  /** A string (Scalar slot), a string array (List slot) or `null` (not filled). Default `{}`. */
  slots?: Record<string, string | string[] | null>;
  /** Default `DialogCodeHook`. */
  invocationSource?: 'DialogCodeHook' | 'FulfillmentCodeHook';
  /** Default `Text`; `Speech` adds `transcriptions`. */
  inputMode?: 'DTMF' | 'Speech' | 'Text';
  /** Default `InProgress` for dialog hooks, `ReadyForFulfillment` for fulfillment. */
  intentState?: LexV2Intent['state'];
  /** Default `None`. */
  confirmationState?: 'Confirmed' | 'Denied' | 'None';
  inputTranscript?: string;
  sessionAttributes?: Record<string, string>;
  /** Absent by default. */
  requestAttributes?: Record<string, string>;
  /** Default `en_US`. */
  localeId?: string;
  botName?: string;
  overrides?: DeepPartial<LexV2Event>;
}

const v2Schema = z.strictObject({
  ...commonOptionsShape,
  intentName: z
    .string()
    .regex(/^[A-Za-z_][\w-]{0,99}$/, 'expected an intent name')
    .optional(),
  slots: z.record(slotName, z.union([z.string(), z.array(z.string()).min(1), z.null()])).optional(),
  invocationSource: z.enum(['DialogCodeHook', 'FulfillmentCodeHook']).optional(),
  inputMode: z.enum(['DTMF', 'Speech', 'Text']).optional(),
  intentState: z
    .enum(['Failed', 'Fulfilled', 'FulfillmentInProgress', 'InProgress', 'ReadyForFulfillment', 'Waiting'])
    .optional(),
  confirmationState: z.enum(['Confirmed', 'Denied', 'None']).optional(),
  inputTranscript: z.string().max(1024).optional(),
  sessionAttributes: attributes.optional(),
  requestAttributes: attributes.optional(),
  localeId: z
    .string()
    .regex(/^[a-z]{2}_[A-Z]{2}$/, 'expected a locale id such as "en_US"')
    .optional(),
  botName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected a bot name')
    .optional(),
});

function slotValue(value: string | string[] | null): LexV2Slot | null {
  if (value === null) return null;
  if (typeof value === 'string') {
    return {
      shape: 'Scalar',
      value: { originalValue: value, interpretedValue: value, resolvedValues: [value] },
    };
  }
  const joined = value.join(' and ');
  return {
    shape: 'List',
    value: { originalValue: joined, interpretedValue: joined, resolvedValues: [] },
    values: value.map((v) => ({
      shape: 'Scalar' as const,
      value: { originalValue: v, interpretedValue: v, resolvedValues: [v] },
    })),
  };
}

/**
 * Generates a Lex V2 code hook event: the session state's intent with typed slot values (Scalar or
 * List), the interpretations Lex ranked (the intent first, then `FallbackIntent`), the proposed
 * next state on dialog hooks with an unfilled slot, the bot (id, alias, locale, version) and, for
 * speech input, transcriptions. The function answers with `sessionState.dialogAction` (check it
 * with `toBeValidLexV2Response`).
 *
 * @example
 * const event = lexV2Event({ intentName: 'OrderPizza', slots: { Size: 'large', Crust: null } });
 * event.sessionState.intent.slots.Size?.value.interpretedValue; // 'large'
 * event.proposedNextState?.dialogAction; // { type: 'ElicitSlot', slotToElicit: 'Crust' }
 */
export function lexV2Event(options: LexV2EventOptions = {}): LexV2Event {
  const fn = 'lexV2Event';
  const opts = parseOptions(v2Schema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('lex-v2');
  const source = opts.invocationSource ?? 'DialogCodeHook';
  const slots: Record<string, LexV2Slot | null> = {};
  for (const [name, value] of Object.entries(opts.slots ?? {})) slots[name] = slotValue(value);
  const intent: LexV2Intent = {
    name: opts.intentName ?? r.pick(INTENTS),
    slots,
    state: opts.intentState ?? (source === 'DialogCodeHook' ? 'InProgress' : 'ReadyForFulfillment'),
    confirmationState: opts.confirmationState ?? 'None',
  };
  const inputMode = opts.inputMode ?? 'Text';
  const transcript = opts.inputTranscript ?? r.pick(UTTERANCES);
  const unfilled = Object.keys(slots).find((name) => slots[name] === null);
  // proposedNextState and transcriptions are present only when they apply (a cast: the types require them).
  const event = {
    messageVersion: '1.0',
    invocationSource: source,
    inputMode,
    responseContentType: inputMode === 'Speech' ? 'audio/pcm' : 'text/plain; charset=utf-8',
    sessionId: r.digits(15, true),
    inputTranscript: transcript,
    bot: {
      id: r.upperAlnum(10),
      name: opts.botName ?? `${r.pick(['Travel', 'Shop', 'Bank', 'Clinic'])}Bot`,
      aliasId: 'TSTALIASID',
      aliasName: 'TestBotAlias',
      localeId: opts.localeId ?? 'en_US',
      version: 'DRAFT',
    },
    interpretations: [
      {
        intent: structuredClone(intent),
        nluConfidence: Math.round((0.7 + r.float() * 0.3) * 100) / 100,
        interpretationSource: 'Lex',
      },
      {
        intent: { name: 'FallbackIntent', slots: {}, state: 'InProgress', confirmationState: 'None' },
        interpretationSource: 'Lex',
      },
    ],
    ...(source === 'DialogCodeHook' && unfilled
      ? {
          proposedNextState: {
            dialogAction: { type: 'ElicitSlot' as const, slotToElicit: unfilled },
            intent: { ...structuredClone(intent), state: 'InProgress' as const },
          },
        }
      : {}),
    ...(opts.requestAttributes ? { requestAttributes: { ...opts.requestAttributes } } : {}),
    sessionState: {
      activeContexts: [],
      sessionAttributes: { ...(opts.sessionAttributes ?? {}) },
      intent,
      originatingRequestId: r.uuid(),
    },
    ...(inputMode === 'Speech'
      ? {
          transcriptions: [
            {
              transcription: transcript,
              transcriptionConfidence: Math.round((0.8 + r.float() * 0.2) * 100) / 100,
              resolvedContext: { intent: intent.name },
              resolvedSlots: {},
            },
          ],
        }
      : {}),
  } as unknown as LexV2Event;
  return applyEventOverrides(event, opts.overrides, LexV2EventSchema, fn);
}
