import type { DynamoDBStreamEvent, KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileFilterCriteria,
  createDynamoDBEventSource,
  createKinesisEventSource,
  createSqsEventSource,
  sqsFilterView,
} from '../../src/sources/index.js';

const criteria = (...patterns: unknown[]) => ({
  Filters: patterns.map((p) => ({ Pattern: JSON.stringify(p) })),
});
const matches = (pattern: unknown, view: unknown): boolean =>
  compileFilterCriteria(criteria(pattern), 'test')?.matches(view) ?? true;

// Rows follow the filter rule syntax table of the Lambda Developer Guide ("Control which events
// Lambda sends to your function", Filter rule syntax), one operator per group, each with a record
// that matches and one that does not.
const RULES: readonly { op: string; pattern: unknown; yes: unknown; no: unknown }[] = [
  { op: 'null', pattern: { UserID: [null] }, yes: { UserID: null }, no: { UserID: 'x' } },
  { op: 'empty', pattern: { LastName: [''] }, yes: { LastName: '' }, no: { LastName: 'Doe' } },
  { op: 'equals', pattern: { Name: ['Alice'] }, yes: { Name: 'Alice' }, no: { Name: 'alice' } },
  {
    op: 'equals-ignore-case',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    yes: { Name: 'ALICE' },
    no: { Name: 'Alicia' },
  },
  {
    op: 'and',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    yes: { Location: 'New York', Day: 'Monday' },
    no: { Location: 'New York', Day: 'Tuesday' },
  },
  {
    op: 'or (values)',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    yes: { PaymentType: 'Debit' },
    no: { PaymentType: 'Cash' },
  },
  {
    op: '$or (fields)',
    pattern: { $or: [{ LocationID: [8] }, { Day: ['Monday'] }] },
    yes: { LocationID: 3, Day: 'Monday' },
    no: { LocationID: 3, Day: 'Sunday' },
  },
  {
    op: 'anything-but',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    yes: { Weather: 'Sunny' },
    no: { Weather: 'Raining' },
  },
  {
    op: 'anything-but prefix',
    pattern: { State: [{ 'anything-but': { prefix: 'init' } }] },
    yes: { State: 'running' },
    no: { State: 'initializing' },
  },
  {
    op: 'numeric equals',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    yes: { Price: 100 },
    no: { Price: 100.5 },
  },
  {
    op: 'numeric range',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    yes: { Price: 20 },
    no: { Price: 10 },
  },
  {
    op: 'numeric is not a string',
    pattern: { Price: [{ numeric: ['>', 10] }] },
    yes: { Price: 11 },
    no: { Price: '11' },
  },
  { op: 'exists', pattern: { ProductName: [{ exists: true }] }, yes: { ProductName: 'x' }, no: {} },
  {
    op: 'does not exist',
    pattern: { ProductName: [{ exists: false }] },
    yes: { Other: 1 },
    no: { ProductName: 'x' },
  },
  {
    op: 'prefix',
    pattern: { Region: [{ prefix: 'us-' }] },
    yes: { Region: 'us-east-1' },
    no: { Region: 'eu-west-1' },
  },
  {
    op: 'prefix ignoring case',
    pattern: { Region: [{ prefix: { 'equals-ignore-case': 'US-' } }] },
    yes: { Region: 'us-east-1' },
    no: { Region: 'eu-us-1' },
  },
  {
    op: 'suffix',
    pattern: { FileName: [{ suffix: '.png' }] },
    yes: { FileName: 'image.png' },
    no: { FileName: 'image.jpg' },
  },
  {
    op: 'wildcard',
    pattern: { Key: [{ wildcard: 'orders/*/2024-*.json' }] },
    yes: { Key: 'orders/eu/2024-05.json' },
    no: { Key: 'orders/eu/2023-05.json' },
  },
  {
    op: 'nested',
    pattern: { body: { RequestCode: ['BBBB'] } },
    yes: { body: { RequestCode: 'BBBB' } },
    no: { body: { RequestCode: 'AAAA' } },
  },
  {
    op: 'array value: any element',
    pattern: { tags: ['urgent'] },
    yes: { tags: ['low', 'urgent'] },
    no: { tags: ['low'] },
  },
];

describe('filter rule syntax, per operator', () => {
  it.each(RULES)('$op: matches the documented example and rejects its opposite', ({ pattern, yes, no }) => {
    expect(matches(pattern, yes)).toBe(true);
    expect(matches(pattern, no)).toBe(false);
  });

  it('filters are OR-ed: a record passes when any filter matches', () => {
    const f = compileFilterCriteria(criteria({ a: [1] }, { b: [2] }), 'test');
    expect(f?.matches({ a: 0, b: 2 })).toBe(true);
    expect(f?.matches({ a: 0, b: 0 })).toBe(false);
  });

  it('SQS body: a JSON pattern matches JSON bodies only; a plain-string pattern matches plain bodies only', () => {
    expect(matches({ body: { type: ['order'] } }, sqsFilterView({ body: '{"type":"order"}' }))).toBe(true);
    expect(matches({ body: { type: ['order'] } }, sqsFilterView({ body: 'type=order' }))).toBe(false);
    expect(matches({ body: ['hello'] }, sqsFilterView({ body: 'hello' }))).toBe(true);
    expect(matches({ body: ['{"a":1}'] }, sqsFilterView({ body: '{"a":1}' }))).toBe(false);
  });

  it('rejects what Lambda rejects: more than 5 filters, bad JSON, a leaf that is not an array, unknown operators', () => {
    const six = criteria(...Array.from({ length: 6 }, (_, i) => ({ a: [i] })));
    expect(() => compileFilterCriteria(six, 'opts')).toThrow(
      /opts\.FilterCriteria\.Filters: 6 filters; .*at most 5/,
    );
    expect(() => compileFilterCriteria({ Filters: [{ Pattern: '{nope' }] }, 'opts')).toThrow(
      /opts\.FilterCriteria\.Filters\[0\]\.Pattern: not valid JSON/,
    );
    expect(() => compileFilterCriteria(criteria({ body: { a: 'x' } }), 'opts')).toThrow(
      /Filters\[0\]\.Pattern: body\.a: expected an array/,
    );
    expect(() => compileFilterCriteria(criteria({ a: [{ cidr: '10.0.0.0/8' }] }), 'opts')).toThrow(
      /unknown filter operator "cidr"/,
    );
  });
});

describe('filtering in the mappings', () => {
  it('SQS: non-matching messages are deleted without an invocation and their history says filtered', async () => {
    const seen: string[] = [];
    const sim = createSqsEventSource({
      target: async (event: SQSEvent) => {
        for (const r of event.Records) seen.push(r.body);
      },
      FilterCriteria: criteria({ body: { type: ['order'] } }),
    });
    const order = sim.send(JSON.stringify({ type: 'order' }));
    const refund = sim.send(JSON.stringify({ type: 'refund' }));
    const plain = sim.send('order');
    const summary = await sim.run();
    expect(seen).toEqual(['{"type":"order"}']);
    expect(sim.history(order).status).toBe('succeeded');
    expect(sim.history(refund)).toMatchObject({ status: 'filtered', attempts: [] });
    expect(sim.history(plain).status).toBe('filtered');
    expect(summary.byStatus).toMatchObject({ succeeded: 1, filtered: 2, 'in-flight': 0 });
  });

  it('Kinesis: data is decoded and parsed for the filter; filtered records are skipped', async () => {
    const seen: string[] = [];
    const sim = createKinesisEventSource({
      target: async (event: KinesisStreamEvent) => {
        for (const r of event.Records) seen.push(Buffer.from(r.kinesis.data, 'base64').toString());
      },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: criteria({ data: { temp: [{ numeric: ['>', 30] }] } }),
    });
    const hot = sim.put({ data: { temp: 35 }, partitionKey: 'a' });
    const cold = sim.put({ data: { temp: 5 }, partitionKey: 'a' });
    await sim.run();
    expect(seen).toEqual(['{"temp":35}']);
    expect(sim.history(hot.sequenceNumber).status).toBe('succeeded');
    expect(sim.history(cold.sequenceNumber).status).toBe('filtered');
  });

  it('DynamoDB: filters on eventName and the marshalled image', async () => {
    const names: string[] = [];
    const sim = createDynamoDBEventSource({
      target: async (event: DynamoDBStreamEvent) => {
        for (const r of event.Records) names.push(r.eventName ?? '');
      },
      StartingPosition: 'TRIM_HORIZON',
      Table: { KeySchema: { partitionKey: 'pk' } },
      FilterCriteria: criteria({ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['gold'] } } } }),
    });
    sim.write({ eventName: 'INSERT', newImage: { pk: 'a', kind: 'gold' } });
    sim.write({ eventName: 'INSERT', newImage: { pk: 'b', kind: 'tin' } });
    sim.write({ eventName: 'REMOVE', oldImage: { pk: 'a', kind: 'gold' } });
    const summary = await sim.run();
    expect(names).toEqual(['INSERT']);
    expect(summary.byStatus).toMatchObject({ succeeded: 1, filtered: 2 });
  });

  it('property: every message is either delivered to the function or recorded as filtered, never both', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ type: fc.constantFrom('a', 'b', 'c'), n: fc.integer({ min: 0, max: 50 }) }), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 10 }),
        async (bodies, batchSize) => {
          const delivered = new Set<string>();
          const sim = createSqsEventSource({
            target: async (event: SQSEvent) => {
              for (const r of event.Records) delivered.add(r.messageId);
            },
            BatchSize: batchSize,
            FilterCriteria: criteria({ body: { type: ['a'] } }, { body: { n: [{ numeric: ['>=', 40] }] } }),
          });
          const ids = bodies.map((b) => sim.send(JSON.stringify(b)));
          const summary = await sim.run();
          expect(summary.total).toBe(ids.length);
          for (const [i, id] of ids.entries()) {
            const b = bodies[i] as { type: string; n: number };
            const expectedPass = b.type === 'a' || b.n >= 40;
            const status = sim.history(id).status;
            expect(status).toBe(expectedPass ? 'succeeded' : 'filtered');
            expect(delivered.has(id)).toBe(expectedPass);
          }
        },
      ),
      { seed: 1337, numRuns: 60 },
    );
  });
});
