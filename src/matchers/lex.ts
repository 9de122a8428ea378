// Response contracts of Amazon Lex code hooks: the dialogAction (V1) or sessionState (V2) Lex
// reads back. A response Lex cannot read ends the conversation with an error for the user.
import { stringifyValue } from './context.js';
import { contractMatcher, problemsJudgement } from './contract-matcher.js';
import { badArgument } from './message.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMapProblem(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return `${where} is ${stringifyValue(value)}, not a map of strings`;
  const bad = Object.entries(value).find(([, v]) => typeof v !== 'string');
  return bad ? `${where}.${bad[0]} is ${stringifyValue(bad[1])}: Lex keeps only string values` : undefined;
}

const V1_TYPES = ['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot'];
const V1_CONTENT = ['PlainText', 'SSML', 'CustomPayload'];

/** The slot names of a Lex event's current intent (V1 `currentIntent`, V2 `sessionState.intent`). */
function eventSlots(event: unknown): string[] | undefined {
  if (!isRecord(event)) return undefined;
  const intent = isRecord(event.currentIntent)
    ? event.currentIntent
    : isRecord(event.sessionState) && isRecord(event.sessionState.intent)
      ? event.sessionState.intent
      : undefined;
  return intent && isRecord(intent.slots) ? Object.keys(intent.slots) : undefined;
}

/** Problems Lex V1 would have with a code hook response (`{ sessionAttributes, dialogAction }`). */
export function lexV1ResponseProblems(response: unknown, event?: unknown): string[] {
  if (!isRecord(response)) return [`the response is ${stringifyValue(response)}, not { dialogAction }`];
  const problems: string[] = [];
  const attrs = stringMapProblem(response.sessionAttributes, 'sessionAttributes');
  if (attrs) problems.push(attrs);
  const action = response.dialogAction;
  if (!isRecord(action)) return [...problems, 'dialogAction is missing'];
  const type = action.type;
  if (typeof type !== 'string' || !V1_TYPES.includes(type)) {
    return [...problems, `dialogAction.type is ${stringifyValue(type)}, not ${V1_TYPES.join(' | ')}`];
  }
  const need = (key: string, what: string, ok: (v: unknown) => boolean) => {
    if (!ok(action[key]))
      problems.push(`dialogAction.${key} is ${stringifyValue(action[key])}: ${type} needs ${what}`);
  };
  const slotsOk = (v: unknown) =>
    isRecord(v) && Object.values(v).every((s) => s === null || typeof s === 'string');
  if (type === 'Close')
    need('fulfillmentState', '"Fulfilled" or "Failed"', (v) => v === 'Fulfilled' || v === 'Failed');
  if (type === 'ElicitSlot' || type === 'ConfirmIntent')
    need('intentName', 'the intent name', (v) => typeof v === 'string' && v !== '');
  if (type === 'ElicitSlot' || type === 'ConfirmIntent' || type === 'Delegate') {
    need('slots', 'a map of slot values (strings or null)', slotsOk);
  }
  if (type === 'ElicitSlot') {
    need('slotToElicit', 'the slot to ask for', (v) => typeof v === 'string' && v !== '');
    const known = isRecord(action.slots) ? Object.keys(action.slots) : (eventSlots(event) ?? []);
    if (typeof action.slotToElicit === 'string' && known.length > 0 && !known.includes(action.slotToElicit)) {
      problems.push(
        `dialogAction.slotToElicit "${action.slotToElicit}" is not a slot of the intent (slots: ${known.join(', ')})`,
      );
    }
  }
  if (action.message !== undefined) {
    const m = action.message;
    if (!isRecord(m) || !V1_CONTENT.includes(String(m.contentType)) || typeof m.content !== 'string') {
      problems.push(
        `dialogAction.message is ${stringifyValue(m)}: expected { contentType: PlainText | SSML | CustomPayload, content: string }`,
      );
    }
  }
  return problems;
}

const V2_TYPES = ['Close', 'ConfirmIntent', 'Delegate', 'ElicitIntent', 'ElicitSlot'];
const V2_STATES = [
  'Failed',
  'Fulfilled',
  'FulfillmentInProgress',
  'InProgress',
  'ReadyForFulfillment',
  'Waiting',
];
const V2_CONTENT = ['CustomPayload', 'ImageResponseCard', 'PlainText', 'SSML'];

/** Problems Lex V2 would have with a code hook response (`{ sessionState, messages, requestAttributes }`). */
export function lexV2ResponseProblems(response: unknown, event?: unknown): string[] {
  if (!isRecord(response)) return [`the response is ${stringifyValue(response)}, not { sessionState }`];
  const problems: string[] = [];
  const state = response.sessionState;
  if (!isRecord(state)) return ['sessionState is missing (Lex V2 always requires it)'];
  const attrs = stringMapProblem(state.sessionAttributes, 'sessionState.sessionAttributes');
  if (attrs) problems.push(attrs);
  const req = stringMapProblem(response.requestAttributes, 'requestAttributes');
  if (req) problems.push(req);
  const action = state.dialogAction;
  const type = isRecord(action) ? action.type : undefined;
  if (!isRecord(action) || typeof type !== 'string' || !V2_TYPES.includes(type)) {
    problems.push(`sessionState.dialogAction.type is ${stringifyValue(type)}, not ${V2_TYPES.join(' | ')}`);
  }
  const intent = state.intent;
  if (intent !== undefined) {
    if (!isRecord(intent)) problems.push(`sessionState.intent is ${stringifyValue(intent)}, not an object`);
    else if (intent.state !== undefined && !V2_STATES.includes(String(intent.state))) {
      problems.push(
        `sessionState.intent.state is ${stringifyValue(intent.state)}, not ${V2_STATES.join(' | ')}`,
      );
    }
  }
  if (type === 'ElicitSlot' || type === 'ConfirmIntent' || type === 'Delegate') {
    if (!isRecord(intent) || typeof intent.name !== 'string' || intent.name === '') {
      problems.push(
        `sessionState.intent.name is missing: ${type} continues an intent, so Lex needs to know which`,
      );
    }
  }
  if (type === 'ElicitSlot' && isRecord(action)) {
    if (typeof action.slotToElicit !== 'string' || action.slotToElicit === '') {
      problems.push(
        `sessionState.dialogAction.slotToElicit is ${stringifyValue(action.slotToElicit)}: ElicitSlot needs the slot to ask for`,
      );
    } else {
      const known =
        isRecord(intent) && isRecord(intent.slots) ? Object.keys(intent.slots) : (eventSlots(event) ?? []);
      if (known.length > 0 && !known.includes(action.slotToElicit)) {
        problems.push(
          `sessionState.dialogAction.slotToElicit "${action.slotToElicit}" is not a slot of the intent (slots: ${known.join(', ')})`,
        );
      }
    }
  }
  const messages = response.messages;
  if (
    (type === 'ElicitIntent' || type === 'ConfirmIntent') &&
    (!Array.isArray(messages) || messages.length === 0)
  ) {
    problems.push(`messages is missing: ${type} requires at least one message`);
  }
  if (messages !== undefined) {
    if (!Array.isArray(messages)) problems.push(`messages is ${stringifyValue(messages)}, not an array`);
    else {
      messages.forEach((m, i) => {
        if (!isRecord(m) || !V2_CONTENT.includes(String(m.contentType))) {
          problems.push(
            `messages[${i}].contentType is ${stringifyValue(isRecord(m) ? m.contentType : m)}, not ${V2_CONTENT.join(' | ')}`,
          );
        } else if (m.contentType === 'ImageResponseCard') {
          const card = m.imageResponseCard;
          if (!isRecord(card) || typeof card.title !== 'string' || card.title === '') {
            problems.push(`messages[${i}].imageResponseCard.title is missing`);
          } else if (Array.isArray(card.buttons) && card.buttons.length > 5) {
            problems.push(`messages[${i}].imageResponseCard has ${card.buttons.length} buttons (at most 5)`);
          }
        } else if (typeof m.content !== 'string' || m.content === '') {
          problems.push(
            `messages[${i}].content is ${stringifyValue(m.content)}: a ${m.contentType} message needs text`,
          );
        }
      });
    }
  }
  return problems;
}

function lexMatcher(
  name: 'toBeValidLexV1Response' | 'toBeValidLexV2Response',
  version: string,
  check: (response: unknown, event?: unknown) => string[],
  hint: string,
) {
  return contractMatcher<Record<string, unknown> | undefined>({
    name,
    argumentLabel: 'event',
    argument: (event) => {
      if (event !== undefined && !isRecord(event)) {
        badArgument(
          name,
          'event',
          `the Lex ${version} event the handler was invoked with (or nothing)`,
          event,
        );
      }
      return event;
    },
    expectation: () => [`a response Lex ${version} accepts`, `a response Lex ${version} rejects`],
    failedHint: 'A failed code hook makes Lex answer the user with an error (DependencyFailedException).',
    judge: (ctx, response, event) =>
      problemsJudgement(ctx, check(response, event), {
        valid: 'a valid code hook response',
        shown: response,
        hint,
      }),
  });
}

/** Response-contract matchers for Amazon Lex V1 and V2 code hooks. */
export const lexMatchers = {
  /**
   * Passes when the handler succeeded with a Lex V1 response: a `dialogAction` of a known type with
   * the fields that type needs (Close: fulfillmentState; ElicitSlot: intentName, slots, slotToElicit
   * naming a slot; ConfirmIntent: intentName, slots; Delegate: slots), string session attributes.
   */
  toBeValidLexV1Response: lexMatcher(
    'toBeValidLexV1Response',
    'V1',
    lexV1ResponseProblems,
    'Return { sessionAttributes, dialogAction: { type: "Close", fulfillmentState: "Fulfilled", message: { contentType: "PlainText", content } } } or another dialogAction type with its fields.',
  ),
  /**
   * Passes when the handler succeeded with a Lex V2 response: `sessionState` with a dialogAction of
   * a known type (ElicitSlot naming a slot of the intent; ElicitSlot/ConfirmIntent/Delegate with the
   * intent), messages where the type requires them, valid message content types, string attributes.
   */
  toBeValidLexV2Response: lexMatcher(
    'toBeValidLexV2Response',
    'V2',
    lexV2ResponseProblems,
    'Return { sessionState: { dialogAction: { type: "Close" }, intent: { name, state: "Fulfilled" } }, messages: [{ contentType: "PlainText", content }] }.',
  ),
};
