import { KinesisDataStreamSchema } from '@aws-lambda-powertools/parser/schemas/kinesis';
import { describe, expect, it } from 'vitest';
import { KinesisEventSchema, kinesisEvent, kinesisRecord } from '../../src/events/index.js';

const decode = (b64: string) => Buffer.from(b64, 'base64');

describe('kinesisEvent', () => {
  it('base64-encodes string, object and Buffer data', () => {
    const event = kinesisEvent({ data: ['plain', { a: 1 }, Buffer.from([0xff, 0x00])] });

    expect(decode(event.Records[0]!.kinesis.data).toString('utf8')).toBe('plain');
    expect(JSON.parse(decode(event.Records[1]!.kinesis.data).toString('utf8'))).toEqual({ a: 1 });
    expect([...decode(event.Records[2]!.kinesis.data)]).toEqual([0xff, 0x00]);
  });

  it('keeps one shard with strictly increasing ~56-digit sequence numbers and matching eventIDs', () => {
    const event = kinesisEvent({ records: 20, shardId: 'shardId-000000000006' });

    const seqs = event.Records.map((r) => BigInt(r.kinesis.sequenceNumber));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    for (const r of event.Records) {
      expect(r.kinesis.sequenceNumber).toMatch(/^\d{55,57}$/);
      expect(r.eventID).toBe(`shardId-000000000006:${r.kinesis.sequenceNumber}`);
    }
  });

  it('writes approximateArrivalTimestamp as float epoch seconds', () => {
    const event = kinesisEvent({ records: 3, time: 1_700_000_000_123 });

    for (const r of event.Records) {
      expect(typeof r.kinesis.approximateArrivalTimestamp).toBe('number');
      expect(r.kinesis.approximateArrivalTimestamp).toBeGreaterThanOrEqual(1_700_000_000.123);
      expect(r.kinesis.approximateArrivalTimestamp).toBeLessThan(1_700_000_001);
    }
  });

  it('keeps stream, role, region and account consistent', () => {
    const event = kinesisEvent({
      records: 3,
      region: 'ap-southeast-2',
      accountId: '210987654321',
      streamName: 's1',
    });

    for (const r of event.Records) {
      expect(r.eventSourceARN).toBe('arn:aws:kinesis:ap-southeast-2:210987654321:stream/s1');
      expect(r.invokeIdentityArn).toMatch(/^arn:aws:iam::210987654321:role\//);
      expect(r.awsRegion).toBe('ap-southeast-2');
    }
  });

  it('marks encrypted streams with encryptionType KMS only when asked', () => {
    expect(kinesisEvent({ encrypted: true }).Records[0]!.kinesis).toHaveProperty('encryptionType', 'KMS');
    expect(kinesisEvent().Records[0]!.kinesis).not.toHaveProperty('encryptionType');
  });

  it('parses with its own schema and the Powertools schema', () => {
    const event = kinesisEvent({ records: 4 });

    expect(KinesisEventSchema.safeParse(event).success).toBe(true);
    expect(KinesisDataStreamSchema.safeParse(event).success).toBe(true);
  });

  it('recomputes eventID from an overridden sequence number', () => {
    const event = kinesisEvent({ overrides: { Records: [{ kinesis: { sequenceNumber: '123' } }] } });

    expect(event.Records[0]!.eventID).toMatch(/:123$/);
  });

  it('rejects an override that is not base64 data', () => {
    expect(() => kinesisEvent({ overrides: { Records: [{ kinesis: { data: 'not base64!' } }] } })).toThrow(
      /Records\[0\]\.kinesis\.data: expected a base64 string/,
    );
  });

  it('kinesisRecord equals the record at the same index', () => {
    expect(kinesisRecord({ seed: 4, index: 1 })).toEqual(kinesisEvent({ seed: 4, records: 2 }).Records[1]);
  });
});

describe('tumbling windows', () => {
  it('adds window, state, shard, ARN and flags around the reference time', () => {
    const event = kinesisEvent({
      shardId: 'shardId-000000000002',
      time: '2024-01-15T12:00:42.000Z',
      tumblingWindow: { seconds: 30, state: { total: 4 }, final: true },
    });

    expect(event.window).toEqual({ start: '2024-01-15T12:00:30.000Z', end: '2024-01-15T12:01:00.000Z' });
    expect(event.state).toEqual({ total: 4 });
    expect(event.isFinalInvokeForWindow).toBe(true);
    expect(event.isWindowTerminatedEarly).toBe(false);
    expect(event).toMatchObject({
      shardId: 'shardId-000000000002',
      eventSourceARN: event.Records[0]!.eventSourceARN,
    });
    expect(KinesisDataStreamSchema.safeParse(event).success).toBe(true);
  });

  it('leaves ordinary events without window fields', () => {
    expect(kinesisEvent()).not.toHaveProperty('window');
  });

  it('rejects a window longer than 900 seconds', () => {
    expect(() => kinesisEvent({ tumblingWindow: { seconds: 901 } })).toThrow(/tumblingWindow\.seconds/);
  });
});
