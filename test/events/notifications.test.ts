import { S3SqsEventNotificationSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { SnsSqsNotificationSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { describe, expect, it } from 'vitest';
import {
  EventBridgeEventSchema,
  encodeS3Key,
  eventBridgeEvent,
  S3EventSchema,
  ScheduledEventSchema,
  SnsEventSchema,
  s3Event,
  s3Record,
  scheduledEvent,
  snsEvent,
  snsNotification,
  snsRecord,
  sqsEvent,
} from '../../src/events/index.js';
import { md5 } from './helpers.js';

describe('s3Event', () => {
  it('URL-encodes keys as S3 does (spaces as +) and derives size and eTag from content', () => {
    const record = s3Record({ key: 'in/my file (1).csv', content: 'a,b\n' });

    expect(record.s3.object.key).toBe('in/my+file+%281%29.csv');
    expect(record.s3.object.size).toBe(4);
    expect(record.s3.object.eTag).toBe(md5('a,b\n'));
  });

  it('omits size and eTag on ObjectRemoved events', () => {
    const record = s3Event({ eventName: 'ObjectRemoved:Delete' }).Records[0]!;

    expect(record.s3.object).not.toHaveProperty('size');
    expect(record.s3.object).not.toHaveProperty('eTag');
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
  });

  it('keeps bucket ARN, region and ISO-with-ms times consistent; sequencers increase', () => {
    const event = s3Event({ records: 4, bucket: 'my-bucket', region: 'eu-west-3' });

    for (const r of event.Records) {
      expect(r.s3.bucket.arn).toBe('arn:aws:s3:::my-bucket');
      expect(r.awsRegion).toBe('eu-west-3');
      expect(r.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const seqs = event.Records.map((r) => BigInt(`0x${r.s3.object.sequencer}`));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    expect(S3EventSchema.safeParse(event).success).toBe(true);
  });

  it('adds versionId only for versioned buckets', () => {
    expect(s3Record({ versioned: true }).s3.object.versionId).toMatch(/^\S{32}$/);
    expect(s3Record().s3.object).not.toHaveProperty('versionId');
  });

  it('encodes reserved characters but keeps slashes', () => {
    expect(encodeS3Key("a b/c+d=e's.txt")).toBe('a+b/c%2Bd%3De%27s.txt');
  });
});

describe('snsEvent', () => {
  it('JSON-encodes object messages, defaults Subject to null, types message attributes', () => {
    const event = snsEvent({ message: { id: 1 }, messageAttributes: { tenant: 'acme', n: 2, tags: ['a'] } });
    const sns = event.Records[0]!.Sns;

    expect(sns.Message).toBe('{"id":1}');
    expect(sns.Subject).toBeNull();
    expect(sns.MessageAttributes).toEqual({
      tenant: { Type: 'String', Value: 'acme' },
      n: { Type: 'Number', Value: '2' },
      tags: { Type: 'String.Array', Value: '["a"]' },
    });
    expect(SnsEventSchema.safeParse(event).success).toBe(true);
  });

  it('derives the subscription ARN and URLs from the topic and region', () => {
    const record = snsRecord({ topicName: 'orders', region: 'ca-central-1', accountId: '111122223333' });

    expect(record.Sns.TopicArn).toBe('arn:aws:sns:ca-central-1:111122223333:orders');
    expect(record.EventSubscriptionArn.startsWith(`${record.Sns.TopicArn}:`)).toBe(true);
    expect(record.Sns.UnsubscribeUrl).toContain(encodeURI(record.EventSubscriptionArn));
    expect(record.Sns.SigningCertUrl).toMatch(/^https:\/\/sns\.ca-central-1\.amazonaws\.com\//);
    expect(record.Sns.Timestamp).toMatch(/\.\d{3}Z$/);
  });
});

describe('eventBridgeEvent and scheduledEvent', () => {
  it('carries the custom source, detail-type and typed detail; time has no ms', () => {
    const event = eventBridgeEvent({
      source: 'com.example.orders',
      detailType: 'Order Placed',
      detail: { orderId: 'o-1' },
      time: '2024-02-03T04:05:06.789Z',
    });

    expect(event.source).toBe('com.example.orders');
    expect(event['detail-type']).toBe('Order Placed');
    expect(event.detail.orderId).toBe('o-1');
    expect(event.time).toBe('2024-02-03T04:05:06Z');
    expect(event.version).toBe('0');
    expect(event).not.toHaveProperty('replay-name');
    expect(EventBridgeEventSchema.safeParse(event).success).toBe(true);
  });

  it('adds replay-name only on replays', () => {
    expect(eventBridgeEvent({ replayName: 'r1' })['replay-name']).toBe('r1');
  });

  it('builds scheduled events from the rule', () => {
    const event = scheduledEvent({ ruleName: 'nightly', region: 'eu-west-1', accountId: '111122223333' });

    expect(event.source).toBe('aws.events');
    expect(event['detail-type']).toBe('Scheduled Event');
    expect(event.resources).toEqual(['arn:aws:events:eu-west-1:111122223333:rule/nightly']);
    expect(event.detail).toEqual({});
    expect(event.account).toBe('111122223333');
    expect(ScheduledEventSchema.safeParse(event).success).toBe(true);
  });

  it('rejects a scheduled override that changes the source', () => {
    expect(() => scheduledEvent({ overrides: { source: 'com.example' } })).toThrow(/overrides\.source/);
  });
});

describe('notifications through SQS', () => {
  it('snsNotification builds the SNS-to-SQS envelope Powertools recognises', () => {
    const envelope = snsNotification({
      message: { orderId: 'o-1' },
      subject: 'Order',
      messageAttributes: { a: 'b' },
    });

    expect(envelope).toMatchObject({ Type: 'Notification', Message: '{"orderId":"o-1"}', Subject: 'Order' });
    expect(envelope.SigningCertURL).toMatch(/^https:\/\//);
    expect(envelope.UnsubscribeURL).toContain('Action=Unsubscribe');
    expect(envelope).not.toHaveProperty('SigningCertUrl');
    expect(SnsSqsNotificationSchema.safeParse(envelope).success).toBe(true);
  });

  it('omits Subject and MessageAttributes when there are none', () => {
    const envelope = snsNotification({ message: 'plain' });

    expect(envelope).not.toHaveProperty('Subject');
    expect(envelope).not.toHaveProperty('MessageAttributes');
  });

  it('rejects overrides (the envelope is a plain value to edit directly)', () => {
    expect(() => snsNotification({ overrides: {} } as never)).toThrow(/options\.overrides: unknown option/);
  });

  it('S3 and SNS notifications nest in SQS bodies as Powertools expects', () => {
    const s3InSqs = sqsEvent({ bodies: [s3Event()] });
    const snsInSqs = sqsEvent({ bodies: [snsNotification({ message: 'hi' })] });

    expect(S3SqsEventNotificationSchema.safeParse(s3InSqs).success).toBe(true);
    expect(SnsSqsNotificationSchema.safeParse(JSON.parse(snsInSqs.Records[0]!.body)).success).toBe(true);
  });
});
