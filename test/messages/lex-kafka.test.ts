// Failure text of the Lex and Kafka response-contract matchers, snapshot-tested as Vitest and as
// Jest (the `expect` package) render it: colourless, volatile parts masked.
import { expect as jestExpect } from 'expect';
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { lexV1Event, lexV2Event, mskEvent } from '../../src/events/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { lambdaMatchers } from '../../src/matchers/index.js';
import { failureOf } from '../matchers/helpers.js';

jestExpect.extend(lambdaMatchers);
const jest = jestExpect as unknown as typeof expect;
const clock = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) } as const;
const respond = (response: unknown) => invokeHandler(async () => response, {}, { clock });
const v1 = lexV1Event({ intentName: 'BookHotel', slots: { City: 'Paris', Nights: null }, seed: 1 });
const v2 = lexV2Event({ intentName: 'BookHotel', slots: { City: 'Paris', Nights: null }, seed: 1 });
const kafka = mskEvent({ topic: 'orders', partitions: 2, records: 4, seed: 1 });
const [first, second] = Object.values(kafka.records).map((records) => records[0]);
const id = (r: typeof first) => ({ partition: `${r?.topic}-${r?.partition}`, offset: r?.offset });

describe.each([
  ['vitest', expect],
  ['jest', jest],
] as const)('Lex and Kafka failure messages (%s)', (_runner, e) => {
  it('toBeValidLexV1Response: Close without fulfillmentState, ElicitSlot of an unknown slot', async () => {
    const close = await respond({
      dialogAction: { type: 'Close', message: { contentType: 'PlainText', content: 'ok' } },
    });
    const elicit = await respond({
      sessionAttributes: { nights: 2 },
      dialogAction: {
        type: 'ElicitSlot',
        intentName: 'BookHotel',
        slots: { City: 'Paris', Nights: null },
        slotToElicit: 'Date',
      },
    });
    expect(failureOf(() => e(close).toBeValidLexV1Response(v1))).toMatchSnapshot();
    expect(failureOf(() => e(elicit).toBeValidLexV1Response(v1))).toMatchSnapshot();
  });

  it('not.toBeValidLexV1Response on a valid response', async () => {
    const r = await respond({ dialogAction: { type: 'Close', fulfillmentState: 'Fulfilled' } });
    expect(failureOf(() => e(r).not.toBeValidLexV1Response())).toMatchSnapshot();
  });

  it('toBeValidLexV2Response: ConfirmIntent without intent or messages; a thrown error', async () => {
    const confirm = await respond({ sessionState: { dialogAction: { type: 'ConfirmIntent' } } });
    const thrown = await invokeHandler(
      async () => {
        throw new Error('slot service down');
      },
      v2,
      { clock },
    );
    expect(failureOf(() => e(confirm).toBeValidLexV2Response(v2))).toMatchSnapshot();
    expect(failureOf(() => e(thrown).toBeValidLexV2Response(v2))).toMatchSnapshot();
  });

  it('not.toBeValidLexV2Response on a valid response', async () => {
    const r = await respond({
      sessionState: {
        dialogAction: { type: 'ElicitSlot', slotToElicit: 'Nights' },
        intent: v2.sessionState.intent,
      },
      messages: [{ contentType: 'PlainText', content: 'How many nights?' }],
    });
    expect(failureOf(() => e(r).not.toBeValidLexV2Response(v2))).toMatchSnapshot();
  });

  it('toHaveKafkaBatchItemFailures: other records reported; a string identifier', async () => {
    const other = await respond({ batchItemFailures: [{ itemIdentifier: id(second) }] });
    const stringId = await respond({ batchItemFailures: [{ itemIdentifier: `orders-0-${first?.offset}` }] });
    expect(failureOf(() => e(other).toHaveKafkaBatchItemFailures(first ? [first] : []))).toMatchSnapshot();
    expect(failureOf(() => e(stringId).toHaveKafkaBatchItemFailures(first ? [first] : []))).toMatchSnapshot();
  });

  it('not.toHaveKafkaBatchItemFailures on a match', async () => {
    const r = await respond({ batchItemFailures: [{ itemIdentifier: id(first) }] });
    expect(failureOf(() => e(r).not.toHaveKafkaBatchItemFailures(first ? [first] : []))).toMatchSnapshot();
  });
});
