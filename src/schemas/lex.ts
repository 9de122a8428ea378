import { z } from 'zod';

const strings = z.record(z.string(), z.string());

/**
 * An Amazon Lex V1 code hook event (`messageVersion` 1.0).
 *
 * @example
 * LexV1EventSchema.parse(lexV1Event({ intentName: 'BookHotel', slots: { City: 'Paris' } }));
 */
export const LexV1EventSchema = z.strictObject({
  messageVersion: z.literal('1.0'),
  invocationSource: z.enum(['DialogCodeHook', 'FulfillmentCodeHook']),
  userId: z.string().min(1),
  inputTranscript: z.string(),
  sessionAttributes: strings,
  requestAttributes: strings.nullable(),
  bot: z.strictObject({ name: z.string().min(1), alias: z.string().min(1), version: z.string().min(1) }),
  outputDialogMode: z.enum(['Text', 'Voice']),
  currentIntent: z.looseObject({
    name: z.string().min(1),
    slots: z.record(z.string(), z.string().nullable()),
    slotDetails: z.record(
      z.string(),
      z.strictObject({
        resolutions: z.array(z.strictObject({ value: z.string() })).max(5),
        originalValue: z.string(),
      }),
    ),
    confirmationStatus: z.enum(['None', 'Confirmed', 'Denied']),
    nluIntentConfidenceScore: z.number().min(0).max(1).optional(),
  }),
  alternativeIntents: z.array(z.looseObject({ name: z.string() })).optional(),
  recentIntentSummaryView: z.array(z.looseObject({ intentName: z.string() })).optional(),
  activeContexts: z.array(z.looseObject({ name: z.string() })).optional(),
});

const slotValue = z.strictObject({
  originalValue: z.string(),
  interpretedValue: z.string().optional(),
  resolvedValues: z.array(z.string()),
});
const scalarSlot = z.strictObject({ shape: z.literal('Scalar'), value: slotValue });
const slot = z.union([
  scalarSlot,
  z.strictObject({ shape: z.literal('List'), value: slotValue, values: z.array(scalarSlot) }),
]);
const intent = z.looseObject({
  name: z.string().min(1),
  slots: z.record(z.string(), slot.nullable()),
  state: z.enum([
    'Failed',
    'Fulfilled',
    'FulfillmentInProgress',
    'InProgress',
    'ReadyForFulfillment',
    'Waiting',
  ]),
  confirmationState: z.enum(['Confirmed', 'Denied', 'None']),
});
const dialogAction = z.looseObject({
  type: z.enum(['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot']),
  slotToElicit: z.string().optional(),
});

/**
 * An Amazon Lex V2 code hook event.
 *
 * @example
 * LexV2EventSchema.parse(lexV2Event({ intentName: 'BookHotel', slots: { City: 'Paris' } }));
 */
export const LexV2EventSchema = z.strictObject({
  messageVersion: z.literal('1.0'),
  invocationSource: z.enum(['DialogCodeHook', 'FulfillmentCodeHook']),
  inputMode: z.enum(['DTMF', 'Speech', 'Text']),
  responseContentType: z.string().min(1),
  sessionId: z.string().min(2),
  inputTranscript: z.string(),
  invocationLabel: z.string().optional(),
  bot: z.strictObject({
    id: z.string().regex(/^[0-9A-Z]{10}$/, 'expected a 10-character bot id'),
    name: z.string().min(1),
    aliasId: z.string().min(1),
    aliasName: z.string().min(1),
    localeId: z.string().regex(/^[a-z]{2}_[A-Z]{2}$/, 'expected a locale id such as "en_US"'),
    version: z.string().regex(/^(DRAFT|\d+)$/, 'expected "DRAFT" or a version number'),
  }),
  interpretations: z
    .array(
      z.looseObject({
        intent,
        nluConfidence: z.number().min(0).max(1).optional(),
        interpretationSource: z.enum(['Lex', 'Bedrock']).optional(),
      }),
    )
    .min(1),
  proposedNextState: z.looseObject({ dialogAction, intent }).optional(),
  requestAttributes: strings.optional(),
  sessionState: z.looseObject({
    activeContexts: z.array(z.looseObject({ name: z.string() })).optional(),
    sessionAttributes: strings.optional(),
    dialogAction: dialogAction.optional(),
    intent,
    originatingRequestId: z.string().min(1),
  }),
  transcriptions: z
    .array(
      z.looseObject({
        transcription: z.string(),
        transcriptionConfidence: z.number().min(0).max(1),
      }),
    )
    .optional(),
});
