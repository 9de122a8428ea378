import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { SqsEventSchema, sqsEvent, sqsMessageAttributesMd5, sqsRecord } from '../../src/events/index.js';
import { md5 } from './helpers.js';

describe('sqsEvent', () => {
  it('generates one valid standard record by default', () => {
    const event = sqsEvent();

    expect(event.Records).toHaveLength(1);
    expect(SqsEventSchema.parse(event)).toEqual(event);
    expect(SqsSchema.safeParse(event).success).toBe(true);
    const [record] = event.Records;
    expect(record?.eventSource).toBe('aws:sqs');
    expect(record?.attributes.SequenceNumber).toBeUndefined();
    expect(record?.md5OfMessageAttributes).toBeUndefined();
    expect(record?.messageAttributes).toEqual({});
  });

  it('JSON-encodes object bodies, keeps string bodies and hashes each body', () => {
    const event = sqsEvent({ bodies: [{ orderId: 'o-1', qty: 2 }, 'plain text', ''] });

    expect(event.Records.map((r) => r.body)).toEqual(['{"orderId":"o-1","qty":2}', 'plain text', '']);
    for (const r of event.Records) expect(r.md5OfBody).toBe(md5(r.body));
  });

  it('keeps region, account and queue consistent in every record', () => {
    const event = sqsEvent({
      records: 5,
      region: 'eu-west-1',
      accountId: '111122223333',
      queueName: 'orders',
    });

    for (const r of event.Records) {
      expect(r.awsRegion).toBe('eu-west-1');
      expect(r.eventSourceARN).toBe('arn:aws:sqs:eu-west-1:111122223333:orders');
    }
  });

  it('writes epoch-ms string timestamps derived from the pinned reference time', () => {
    const event = sqsEvent({ records: 3, time: '2024-06-01T00:00:00.000Z' });
    const t0 = Date.parse('2024-06-01T00:00:00.000Z');

    const sent = event.Records.map((r) => Number(r.attributes.SentTimestamp));
    for (const r of event.Records) {
      expect(r.attributes.SentTimestamp).toMatch(/^\d{13}$/);
      expect(Number(r.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThan(
        Number(r.attributes.SentTimestamp),
      );
    }
    expect(sent[0]).toBeGreaterThanOrEqual(t0);
    expect(sent[2]).toBeLessThan(t0 + 1000);
    expect([...sent].sort((a, b) => a - b)).toEqual(sent);
  });

  it('builds FIFO records with increasing sequence numbers, group ids and content-based dedup ids', () => {
    const event = sqsEvent({ fifo: true, records: 4, messages: [{ messageGroupId: 'g-1' }] });

    expect(event.Records[0]?.eventSourceARN).toMatch(/\.fifo$/);
    expect(event.Records[0]?.attributes.MessageGroupId).toBe('g-1');
    const seqs = event.Records.map((r) => BigInt(r.attributes.SequenceNumber ?? '0'));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    for (const r of event.Records) {
      expect(r.attributes.SequenceNumber).toMatch(/^\d{20}$/);
      expect(r.attributes.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('rejects a FIFO flag that contradicts the queue name', () => {
    expect(() => sqsEvent({ fifo: true, queueName: 'orders' })).toThrow(/must end with "\.fifo"/);
    expect(() => sqsEvent({ fifo: false, queueName: 'orders.fifo' })).toThrow(/ends with "\.fifo"/);
  });

  it('converts message attributes and computes md5OfMessageAttributes', () => {
    const record = sqsRecord({
      messageAttributes: { tenant: 'acme', retries: 3, blob: new Uint8Array([1, 2, 3]) },
    });

    expect(record.messageAttributes.tenant).toEqual({
      stringValue: 'acme',
      stringListValues: [],
      binaryListValues: [],
      dataType: 'String',
    });
    expect(record.messageAttributes.retries?.dataType).toBe('Number');
    expect(record.messageAttributes.blob?.binaryValue).toBe('AQID');
    expect(record.md5OfMessageAttributes).toBe(sqsMessageAttributesMd5(record.messageAttributes));
  });

  it('adds the DLQ source ARN only for redriven messages', () => {
    const event = sqsEvent({ redriveSourceQueue: 'orders-main' });

    expect(event.Records[0]?.attributes.DeadLetterQueueSourceArn).toBe(
      'arn:aws:sqs:us-east-1:123456789012:orders-main',
    );
  });

  it('rejects unknown options and a records count smaller than the inputs', () => {
    expect(() => sqsEvent({ recrods: 2 } as never)).toThrow(
      /options\.recrods: unknown option\nHint: Did you mean "records"\?/,
    );
    expect(() => sqsEvent({ records: 1, bodies: ['a', 'b'] })).toThrow(HarnessError);
  });
});

describe('sqsMessageAttributesMd5 (published vectors)', () => {
  it('matches the Amazon sample with two string attributes', () => {
    expect(
      sqsMessageAttributesMd5({
        test_attribute_name_2: { dataType: 'String', stringValue: 'test_attribute_value_2' },
        test_attribute_name_1: { dataType: 'String', stringValue: 'test_attribute_value_1' },
      }),
    ).toBe('d53f3b558fe951154770f25cb63dbba9');
  });

  it('matches the Amazon sample with a binary attribute', () => {
    expect(
      sqsMessageAttributesMd5({
        test_attribute_name: {
          dataType: 'Binary',
          binaryValue: Buffer.from('test_attribute_value').toString('base64'),
        },
      }),
    ).toBe('23f6bd27ea87aab7dfeadcc9aebee495');
  });

  it('matches a String + Number vector', () => {
    expect(
      sqsMessageAttributesMd5({
        ordinal: { dataType: 'Number', stringValue: '1' },
        category: { dataType: 'String', stringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f');
  });

  it('returns undefined when there are no attributes', () => {
    expect(sqsMessageAttributesMd5({})).toBeUndefined();
  });
});

describe('sqs overrides', () => {
  it('merges a record override and recomputes md5OfBody from the merged body', () => {
    const event = sqsEvent({ records: 2, overrides: { Records: [{ body: 'overridden' }] } });

    expect(event.Records[0]?.body).toBe('overridden');
    expect(event.Records[0]?.md5OfBody).toBe(md5('overridden'));
    expect(event.Records[1]).toEqual(sqsEvent({ records: 2 }).Records[1]);
  });

  it('recomputes md5OfMessageAttributes when attributes are overridden', () => {
    const event = sqsEvent({
      overrides: { Records: [{ messageAttributes: { k: { dataType: 'String', stringValue: 'v' } } }] },
    });

    expect(event.Records[0]?.md5OfMessageAttributes).toBe(
      sqsMessageAttributesMd5({ k: { dataType: 'String', stringValue: 'v' } }),
    );
  });

  it('keeps a derived field the override sets explicitly (to test corrupted messages)', () => {
    const event = sqsEvent({ overrides: { Records: [{ body: 'x', md5OfBody: '0'.repeat(32) }] } });

    expect(event.Records[0]?.md5OfBody).toBe('0'.repeat(32));
  });

  it('adds records when the override lists more records than generated', () => {
    expect(sqsEvent({ overrides: { Records: [{}, {}, { body: 'third' }] } }).Records).toHaveLength(3);
  });

  it('throws INVALID_OVERRIDE naming the path and the expected type', () => {
    let caught: unknown;
    try {
      sqsEvent({ overrides: { Records: [{ body: 42 as unknown as string }] } });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).code).toBe('INVALID_OVERRIDE');
    expect((caught as HarnessError).path).toBe('Records[0].body');
    expect((caught as HarnessError).message).toContain('Records[0].body: expected string, received number');
  });

  it('rejects unknown fields in an override (typos fail loudly)', () => {
    expect(() => sqsEvent({ overrides: { Records: [{ bdy: 'x' } as never] } })).toThrow(
      /Records\[0\]\.bdy: unknown field\nHint: Did you mean "body"\?/,
    );
  });

  it('validates sqsRecord overrides relative to the record', () => {
    expect(() => sqsRecord({ overrides: { eventSource: 'aws:sns' as never } })).toThrow(
      /overrides\.eventSource/,
    );
  });
});

describe('sqsRecord', () => {
  it('equals the record at the same index of an event with the same seed', () => {
    expect(sqsRecord({ seed: 9, index: 2 })).toEqual(sqsEvent({ seed: 9, records: 3 }).Records[2]);
  });
});

describe('sqs FIFO batch limit', () => {
  it('rejects more than 10 FIFO records (Lambda caps FIFO batches at 10)', () => {
    expect(() => sqsEvent({ fifo: true, records: 11 })).toThrow(/at most 10 records per batch/);
    expect(sqsEvent({ fifo: true, records: 10 }).Records).toHaveLength(10);
    expect(sqsEvent({ records: 11 }).Records).toHaveLength(11);
  });
});
