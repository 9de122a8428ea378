// The Lex V1/V2 and Kafka batch-response matchers pass, fail and negate under Vitest's expect and
// under Jest's (the `expect` package @jest/globals re-exports), registered from lambdaMatchers.
import { expect as jestExpect } from 'expect';
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { lexV1Event, lexV2Event, mskEvent, selfManagedKafkaEvent } from '../../src/events/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import {
  kafkaItemKey,
  lambdaMatchers,
  lexV1ResponseProblems,
  lexV2ResponseProblems,
} from '../../src/matchers/index.js';
import { passes } from './helpers.js';

jestExpect.extend(lambdaMatchers);
const jest = jestExpect as unknown as typeof expect;
const clock = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) } as const;
const respond = (response: unknown) => invokeHandler(async () => response, {}, { clock });
const fail = () =>
  invokeHandler(
    async () => {
      throw new Error('boom');
    },
    {},
    { clock },
  );

const v1 = lexV1Event({ intentName: 'BookHotel', slots: { City: 'Paris', Nights: null } });
const v2 = lexV2Event({ intentName: 'BookHotel', slots: { City: 'Paris', Nights: null } });
const kafka = mskEvent({ topic: 'orders', partitions: 2, records: 4, seed: 1 });
const [p0, p1] = Object.values(kafka.records);
const failure = (r: { topic: string; partition: number; offset: number }) => ({
  itemIdentifier: { partition: `${r.topic}-${r.partition}`, offset: r.offset },
});

describe.each([
  ['vitest', expect],
  ['jest', jest],
] as const)('response-contract matchers under %s', (_runner, e) => {
  it('toBeValidLexV1Response: each dialogAction type with its fields passes; missing fields fail', async () => {
    const valid = [
      {
        dialogAction: {
          type: 'Close',
          fulfillmentState: 'Fulfilled',
          message: { contentType: 'PlainText', content: 'Booked' },
        },
      },
      {
        sessionAttributes: { step: '2' },
        dialogAction: {
          type: 'ElicitSlot',
          intentName: 'BookHotel',
          slots: { City: 'Paris', Nights: null },
          slotToElicit: 'Nights',
        },
      },
      {
        dialogAction: {
          type: 'ConfirmIntent',
          intentName: 'BookHotel',
          slots: { City: 'Paris', Nights: '2' },
        },
      },
      { dialogAction: { type: 'Delegate', slots: { City: 'Paris', Nights: null } } },
      { dialogAction: { type: 'ElicitIntent' } },
    ];
    for (const response of valid) {
      const r = await respond(response);
      expect(
        passes(() => e(r).toBeValidLexV1Response(v1)),
        JSON.stringify(response),
      ).toBe(true);
      expect(passes(() => e(r).not.toBeValidLexV1Response(v1))).toBe(false);
    }
    const invalid = [
      { dialogAction: { type: 'Close' } },
      {
        dialogAction: {
          type: 'ElicitSlot',
          intentName: 'BookHotel',
          slots: { City: 'Paris' },
          slotToElicit: 'Date',
        },
      },
      { dialogAction: { type: 'Finish' } },
      { sessionAttributes: { count: 2 }, dialogAction: { type: 'ElicitIntent' } },
      {
        dialogAction: {
          type: 'Close',
          fulfillmentState: 'Fulfilled',
          message: { contentType: 'Markdown', content: 'x' },
        },
      },
      'Booked',
    ];
    for (const response of invalid) {
      const r = await respond(response);
      expect(
        passes(() => e(r).toBeValidLexV1Response(v1)),
        JSON.stringify(response),
      ).toBe(false);
      expect(passes(() => e(r).not.toBeValidLexV1Response(v1))).toBe(true);
    }
    const failed = await fail();
    expect(passes(() => e(failed).toBeValidLexV1Response())).toBe(false);
    expect(passes(() => e(failed).not.toBeValidLexV1Response())).toBe(true);
  });

  it('toBeValidLexV2Response: sessionState rules, slot names from the event, messages', async () => {
    const valid = [
      {
        sessionState: { dialogAction: { type: 'Close' }, intent: { name: 'BookHotel', state: 'Fulfilled' } },
        messages: [{ contentType: 'PlainText', content: 'Booked' }],
      },
      {
        sessionState: {
          dialogAction: { type: 'ElicitSlot', slotToElicit: 'Nights' },
          intent: { name: 'BookHotel', state: 'InProgress' },
        },
      },
      {
        sessionState: {
          dialogAction: { type: 'Delegate' },
          intent: v2.sessionState.intent,
          sessionAttributes: { a: 'b' },
        },
      },
      {
        sessionState: { dialogAction: { type: 'ElicitIntent' } },
        messages: [
          {
            contentType: 'ImageResponseCard',
            imageResponseCard: { title: 'Pick', buttons: [{ text: 'A', value: 'a' }] },
          },
        ],
      },
    ];
    for (const response of valid) {
      const r = await respond(response);
      expect(
        passes(() => e(r).toBeValidLexV2Response(v2)),
        JSON.stringify(response),
      ).toBe(true);
      expect(passes(() => e(r).not.toBeValidLexV2Response(v2))).toBe(false);
    }
    const invalid = [
      { dialogAction: { type: 'Close' } },
      {
        sessionState: {
          dialogAction: { type: 'ElicitSlot', slotToElicit: 'Date' },
          intent: { name: 'BookHotel' },
        },
      },
      { sessionState: { dialogAction: { type: 'ElicitSlot' }, intent: { name: 'BookHotel' } } },
      { sessionState: { dialogAction: { type: 'ConfirmIntent' }, intent: { name: 'BookHotel' } } },
      { sessionState: { dialogAction: { type: 'Delegate' } } },
      { sessionState: { dialogAction: { type: 'Close' }, intent: { name: 'BookHotel', state: 'Done' } } },
      { sessionState: { dialogAction: { type: 'Close' } }, messages: [{ contentType: 'PlainText' }] },
    ];
    for (const response of invalid) {
      const r = await respond(response);
      expect(
        passes(() => e(r).toBeValidLexV2Response(v2)),
        JSON.stringify(response),
      ).toBe(false);
      expect(passes(() => e(r).not.toBeValidLexV2Response(v2))).toBe(true);
    }
    const failed = await fail();
    expect(passes(() => e(failed).toBeValidLexV2Response(v2))).toBe(false);
    expect(passes(() => e(failed).not.toBeValidLexV2Response(v2))).toBe(true);
  });

  it('toHaveKafkaBatchItemFailures: records or identifiers, order ignored, [] for success', async () => {
    const a = p0?.[0];
    const b = p1?.[1];
    if (!a || !b) throw new Error('expected two partitions of records');
    const r = await respond({ batchItemFailures: [failure(b), failure(a)] });

    expect(passes(() => e(r).toHaveKafkaBatchItemFailures([a, b]))).toBe(true);
    expect(
      passes(() =>
        e(r).toHaveKafkaBatchItemFailures([{ partition: `orders-${a.partition}`, offset: a.offset }, b]),
      ),
    ).toBe(true);
    expect(passes(() => e(r).toHaveKafkaBatchItemFailures([a]))).toBe(false);
    expect(passes(() => e(r).not.toHaveKafkaBatchItemFailures([a]))).toBe(true);
    expect(passes(() => e(r).not.toHaveKafkaBatchItemFailures([b, a]))).toBe(false);
    for (const empty of [{ batchItemFailures: [] }, null, undefined, {}]) {
      const none = await respond(empty);
      expect(
        passes(() => e(none).toHaveKafkaBatchItemFailures([])),
        JSON.stringify(empty),
      ).toBe(true);
      expect(passes(() => e(none).toHaveKafkaBatchItemFailures([a]))).toBe(false);
    }
  });

  it('toHaveKafkaBatchItemFailures fails on SQS-style string identifiers, bad offsets and thrown errors', async () => {
    const a = p0?.[0];
    if (!a) throw new Error('expected a record');
    const bad = [
      { batchItemFailures: [{ itemIdentifier: `orders-${a.partition}-${a.offset}` }] },
      { batchItemFailures: [{ itemIdentifier: { partition: 'orders-0', offset: '3' } }] },
      { batchItemFailures: [{ itemIdentifier: { topic: 'orders', partition: 0, offset: 3 } }] },
      { batchItemFailures: 'all' },
    ];
    for (const response of bad) {
      const r = await respond(response);
      expect(
        passes(() => e(r).toHaveKafkaBatchItemFailures([a])),
        JSON.stringify(response),
      ).toBe(false);
      expect(passes(() => e(r).not.toHaveKafkaBatchItemFailures([a]))).toBe(true);
    }
    const failed = await fail();
    expect(passes(() => e(failed).toHaveKafkaBatchItemFailures([]))).toBe(false);
    expect(passes(() => e(failed).not.toHaveKafkaBatchItemFailures([]))).toBe(true);
  });
});

describe('matcher argument checks', () => {
  it('rejects an expected item that is not a Kafka record or identifier, naming its index', async () => {
    const r = await respond({ batchItemFailures: [] });
    expect(() => expect(r).toHaveKafkaBatchItemFailures(['orders-0@1' as never])).toThrow(/expected\[0\]/);
    expect(() => expect(r).toBeValidLexV2Response('event' as never)).toThrow(/event/);
  });

  it('self-managed Kafka records name the same identifiers', () => {
    const [record] = Object.values(selfManagedKafkaEvent({ topic: 'clicks' }).records)[0] ?? [];
    expect(kafkaItemKey(record)).toBe(`clicks-${record?.partition}@${record?.offset}`);
  });

  it('the problem lists are usable without a runner', () => {
    expect(lexV1ResponseProblems({ dialogAction: { type: 'Close', fulfillmentState: 'Fulfilled' } })).toEqual(
      [],
    );
    expect(lexV2ResponseProblems({ sessionState: { dialogAction: { type: 'ConfirmIntent' } } })).toEqual([
      'sessionState.intent.name is missing: ConfirmIntent continues an intent, so Lex needs to know which',
      'messages is missing: ConfirmIntent requires at least one message',
    ]);
  });
});
