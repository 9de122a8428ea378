import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import {
  DynamoDBStreamEventSchema,
  dynamoDBRecordMaker,
  dynamoDBStreamEvent,
  dynamoDBStreamRecord,
  imageSize,
} from '../../src/events/index.js';
import { createDynamoDBEventSource } from '../../src/sources/index.js';

describe('dynamoDBStreamEvent', () => {
  it('reproduces SizeBytes of the Developer Guide samples (26, 59, 38)', () => {
    const event = dynamoDBStreamEvent({
      keySchema: { partitionKey: 'Id' },
      changes: [
        { eventName: 'INSERT', newImage: { Message: 'New item!', Id: 101 } },
        {
          eventName: 'MODIFY',
          oldImage: { Message: 'New item!', Id: 101 },
          newImage: { Message: 'This item has changed', Id: 101 },
        },
        { eventName: 'REMOVE', oldImage: { Message: 'This item has changed', Id: 101 } },
      ],
    });

    expect(event.Records.map((r) => r.dynamodb?.SizeBytes)).toEqual([26, 59, 38]);
    expect(event.Records[0]!.dynamodb!.Keys).toEqual({ Id: { N: '101' } });
  });

  it('marshals plain images and takes Keys from the key schema', () => {
    const record = dynamoDBStreamRecord({
      keySchema: { partitionKey: 'pk', sortKey: 'sk' },
      newImage: {
        pk: 'u#1',
        sk: 'profile',
        tags: new Set(['a']),
        n: 1.5,
        blob: new Uint8Array([1]),
        none: null,
      },
    });

    expect(record.dynamodb!.Keys).toEqual({ pk: { S: 'u#1' }, sk: { S: 'profile' } });
    expect(record.dynamodb!.NewImage).toMatchObject({
      tags: { SS: ['a'] },
      n: { N: '1.5' },
      blob: { B: 'AQ==' },
      none: { NULL: true },
    });
  });

  it('omits OldImage on INSERT and NewImage on REMOVE', () => {
    const insert = dynamoDBStreamRecord({ eventName: 'INSERT' });
    const remove = dynamoDBStreamRecord({ eventName: 'REMOVE' });

    expect(insert.dynamodb).not.toHaveProperty('OldImage');
    expect(insert.dynamodb).toHaveProperty('NewImage');
    expect(remove.dynamodb).not.toHaveProperty('NewImage');
    expect(remove.dynamodb).toHaveProperty('OldImage');
    expect(remove).not.toHaveProperty('userIdentity');
  });

  it.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
    ['NEW_AND_OLD_IMAGES', true, true],
  ] as const)('StreamViewType %s carries NewImage=%s OldImage=%s on MODIFY', (view, hasNew, hasOld) => {
    const record = dynamoDBStreamRecord({ eventName: 'MODIFY', streamViewType: view });

    expect(record.dynamodb!.StreamViewType).toBe(view);
    expect('NewImage' in record.dynamodb!).toBe(hasNew);
    expect('OldImage' in record.dynamodb!).toBe(hasOld);
    expect(record.dynamodb!.SizeBytes).toBe(
      imageSize(record.dynamodb!.Keys as never) +
        imageSize(record.dynamodb!.NewImage as never) +
        imageSize(record.dynamodb!.OldImage as never),
    );
  });

  it('marks TTL removals with the DynamoDB service identity', () => {
    const record = dynamoDBStreamRecord({ eventName: 'REMOVE', ttl: true });

    expect(record.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('increases sequence numbers and keeps the stream ARN consistent', () => {
    const event = dynamoDBStreamEvent({ records: 10, tableName: 'Orders', region: 'eu-central-1' });

    const seqs = event.Records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    for (const r of event.Records) {
      expect(r.eventSourceARN).toMatch(
        /^arn:aws:dynamodb:eu-central-1:123456789012:table\/Orders\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/,
      );
      expect(Number.isInteger(r.dynamodb!.ApproximateCreationDateTime)).toBe(true);
      expect(r.eventID).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('throws when an image lacks a key attribute', () => {
    expect(() => dynamoDBStreamEvent({ changes: [{ newImage: { name: 'no id' } }] })).toThrow(
      /changes\[0\]\.newImage lacks the key attribute "id"/,
    );
  });

  it('recomputes Keys and SizeBytes from an overridden image', () => {
    const event = dynamoDBStreamEvent({
      eventName: 'INSERT',
      overrides: { Records: [{ dynamodb: { NewImage: { id: { S: 'over' } } } }] },
    });

    expect(event.Records[0]!.dynamodb!.Keys).toEqual({ id: { S: 'over' } });
    expect(event.Records[0]!.dynamodb!.SizeBytes).toBe(
      imageSize({ id: { S: 'over' } }) + imageSize(event.Records[0]!.dynamodb!.NewImage as never),
    );
  });

  it('rejects an override with an invalid AttributeValue', () => {
    expect(() =>
      dynamoDBStreamEvent({ overrides: { Records: [{ dynamodb: { NewImage: { id: { N: 'abc' } } } }] } }),
    ).toThrow(HarnessError);
  });

  it('parses with its own schema and the Powertools schema', () => {
    const event = dynamoDBStreamEvent({ records: 3, eventName: 'MODIFY' });

    expect(DynamoDBStreamEventSchema.safeParse(event).success).toBe(true);
    expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
  });
});

describe('dynamoDB image marshalling errors', () => {
  it('rejects values DynamoDB cannot store (a Date) instead of silently writing an empty map', () => {
    let caught: unknown;
    try {
      dynamoDBStreamEvent({ changes: [{ newImage: { id: 'a', at: new Date(0) } }] });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).path).toBe('changes[0].newImage');
    expect((caught as HarnessError).message).toMatch(/cannot be marshalled to DynamoDB/);
    expect((caught as HarnessError).message).not.toMatch(/convertClassInstanceToMap/);
  });
});

describe('dynamoDB inputs given on the "wrong" side', () => {
  it('a REMOVE given only newImage removes that item (it becomes the OldImage)', () => {
    const record = dynamoDBStreamRecord({ eventName: 'REMOVE', newImage: { id: 'gone', n: 1 } });

    expect(record.dynamodb!.OldImage).toEqual({ id: { S: 'gone' }, n: { N: '1' } });
    expect(record.dynamodb).not.toHaveProperty('NewImage');
    expect(record.dynamodb!.Keys).toEqual({ id: { S: 'gone' } });
  });

  it('an INSERT given only oldImage inserts that item', () => {
    const record = dynamoDBStreamRecord({ eventName: 'INSERT', oldImage: { id: 'new' } });

    expect(record.dynamodb!.NewImage).toEqual({ id: { S: 'new' } });
    expect(record.dynamodb).not.toHaveProperty('OldImage');
  });
});

describe('dynamoDB tumbling windows', () => {
  it('adds the window fields and parses with the Powertools schema', () => {
    const event = dynamoDBStreamEvent({ tumblingWindow: { seconds: 60, state: { count: '3' } } });

    expect(event.window.end).toBe('2024-01-15T12:01:00.000Z');
    expect(event.state).toEqual({ count: '3' });
    expect(event.eventSourceARN).toBe(event.Records[0]!.eventSourceARN);
    expect(event.shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
    expect(DynamoDBStreamEventSchema.safeParse(event).success).toBe(true);
  });
});

describe('dynamoDBStreamEvent key fidelity', () => {
  it.each([
    ['BOOL', true],
    ['NULL', null],
    ['M', { a: 1 }],
    ['L', [1]],
  ])('rejects a %s key attribute (AWS keys are S, N or B)', (type, id) => {
    expect(() => dynamoDBStreamEvent({ changes: [{ newImage: { id } }] })).toThrow(
      new RegExp(
        `changes\\[0\\]\\.newImage\\.id: a key attribute must be a string, number or binary \\(S, N or B\\), received type ${type}`,
      ),
    );
  });

  it('rejects an empty key value', () => {
    expect(() => dynamoDBStreamEvent({ changes: [{ newImage: { id: '' } }] })).toThrow(
      /newImage\.id: a key attribute cannot be empty/,
    );
  });

  it('rejects a MODIFY whose images have different keys, and accepts one that keeps them', () => {
    expect(() =>
      dynamoDBStreamEvent({
        changes: [{ eventName: 'MODIFY', oldImage: { id: 'a' }, newImage: { id: 'b' } }],
      }),
    ).toThrow(/a MODIFY cannot change the key attribute "id"/);
    const event = dynamoDBStreamEvent({
      changes: [{ eventName: 'MODIFY', oldImage: { id: 'a', n: 1 }, newImage: { id: 'a', n: 2 } }],
    });
    expect(event.Records[0]?.dynamodb?.Keys).toEqual({ id: { S: 'a' } });
  });

  it('applies the same rules to the DynamoDB Streams simulator', () => {
    const sim = createDynamoDBEventSource({ target: async () => undefined, StartingPosition: 'LATEST' });
    expect(() => sim.write({ newImage: { id: true } })).toThrow(/S, N or B/);
    expect(() => sim.write({ eventName: 'MODIFY', oldImage: { id: 'a' }, newImage: { id: 'b' } })).toThrow(
      /cannot change the key attribute/,
    );
  });
});

describe("dynamoDBRecordMaker (the simulator's writes)", () => {
  const table = {
    seed: 7,
    tableName: 'Orders',
    keySchema: { partitionKey: 'pk', sortKey: 'sk' },
    region: 'eu-west-1',
    accountId: '111122223333',
    time: Date.UTC(2024, 0, 1),
    streamViewType: 'NEW_AND_OLD_IMAGES' as const,
  };
  const item = fc.record({
    pk: fc.string({ minLength: 1, maxLength: 8 }),
    sk: fc.integer({ min: 0, max: 1000 }),
    note: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
  });

  it('builds what dynamoDBStreamRecord builds for the same table, index and change (500 runs)', () => {
    const make = dynamoDBRecordMaker(table, 'dynamoDBStreamRecord');
    fc.assert(
      fc.property(
        fc.nat(100_000),
        fc.constantFrom('INSERT', 'MODIFY', 'REMOVE'),
        item,
        fc.boolean(),
        (index, eventName, image, ttl) => {
          const clean = Object.fromEntries(Object.entries(image).filter(([, v]) => v !== undefined));
          const change =
            eventName === 'REMOVE'
              ? { eventName, oldImage: clean, ttl }
              : eventName === 'MODIFY'
                ? { eventName, oldImage: { ...clean, note: 'before' }, newImage: clean }
                : { eventName, newImage: clean };
          expect(make(index, change)).toEqual(dynamoDBStreamRecord({ ...table, index, ...change }));
        },
      ),
      { numRuns: 500, seed: 42 },
    );
  });

  it('rejects a bad change as dynamoDBStreamRecord does, naming the field', () => {
    const make = dynamoDBRecordMaker(table, 'dynamoDBStreamRecord');
    expect(() => make(0, { eventName: 'UPSERT' as never, newImage: { pk: 'a', sk: 1 } })).toThrow(
      /dynamoDBStreamRecord\(\) options\.eventName/,
    );
    expect(() => make(0, { newImage: { pk: 'a' } })).toThrow(/sk/);
  });
});
