import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  KinesisStreamTumblingWindowEvent,
  S3Event,
  S3EventRecord,
  ScheduledEvent,
  SNSEvent,
  SNSEventRecord,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import {
  albEvent,
  apiGatewayProxyEvent,
  type DynamoDBStreamTumblingWindowEvent,
  dynamoDBStreamEvent,
  dynamoDBStreamRecord,
  type EventOverrides,
  eventBridgeEvent,
  functionUrlEvent,
  generateEvent,
  httpApiEvent,
  kinesisEvent,
  kinesisRecord,
  type SnsNotification,
  s3Event,
  s3Record,
  scheduledEvent,
  snsEvent,
  snsNotification,
  snsRecord,
  sqsEvent,
  sqsRecord,
} from '../../src/index.js';

describe('generators return the @types/aws-lambda event types', () => {
  it('batch sources and their record factories', () => {
    expectTypeOf(sqsEvent()).toEqualTypeOf<SQSEvent>();
    expectTypeOf(sqsRecord()).toEqualTypeOf<SQSRecord>();
    expectTypeOf(kinesisEvent()).toEqualTypeOf<KinesisStreamEvent>();
    expectTypeOf(kinesisRecord()).toEqualTypeOf<KinesisStreamRecord>();
    expectTypeOf(dynamoDBStreamEvent()).toEqualTypeOf<DynamoDBStreamEvent>();
    expectTypeOf(dynamoDBStreamRecord()).toEqualTypeOf<DynamoDBRecord>();
    expectTypeOf(s3Event()).toEqualTypeOf<S3Event>();
    expectTypeOf(s3Record()).toEqualTypeOf<S3EventRecord>();
    expectTypeOf(snsEvent()).toEqualTypeOf<SNSEvent>();
    expectTypeOf(snsRecord()).toEqualTypeOf<SNSEventRecord>();
  });

  it('tumbling-window options select the window event types', () => {
    expectTypeOf(kinesisEvent({ tumblingWindow: {} })).toEqualTypeOf<KinesisStreamTumblingWindowEvent>();
    expectTypeOf(
      dynamoDBStreamEvent({ tumblingWindow: { seconds: 30 } }),
    ).toEqualTypeOf<DynamoDBStreamTumblingWindowEvent>();
    expectTypeOf(dynamoDBStreamEvent({ tumblingWindow: {} }).state).toEqualTypeOf<Record<string, unknown>>();
  });

  it('HTTP sources', () => {
    expectTypeOf(apiGatewayProxyEvent()).toEqualTypeOf<APIGatewayProxyEvent>();
    expectTypeOf(httpApiEvent()).toEqualTypeOf<APIGatewayProxyEventV2>();
    expectTypeOf(functionUrlEvent()).toEqualTypeOf<APIGatewayProxyEventV2>();
    expectTypeOf(albEvent()).toEqualTypeOf<ALBEvent>();
  });

  it('EventBridge keeps the detail type and detail-type literal; scheduled events are ScheduledEvent', () => {
    const event = eventBridgeEvent({ detailType: 'Order Placed', detail: { orderId: 'o-1' } });
    expectTypeOf(event).toEqualTypeOf<EventBridgeEvent<'Order Placed', { orderId: string }>>();
    expectTypeOf(event.detail.orderId).toBeString();
    expectTypeOf(scheduledEvent()).toEqualTypeOf<ScheduledEvent>();
  });

  it('snsNotification returns the SNS-to-SQS envelope type', () => {
    expectTypeOf(snsNotification()).toEqualTypeOf<SnsNotification>();
    expectTypeOf(snsNotification().SigningCertURL).toBeString();
  });

  it('generateEvent (the CLI entry) returns unknown', () => {
    expectTypeOf(generateEvent('sqs')).toBeUnknown();
  });
});

describe('overrides are typed deep partials', () => {
  it('accepts partial records and nested partials', () => {
    sqsEvent({ overrides: { Records: [{ body: 'x', attributes: { ApproximateReceiveCount: '2' } }] } });
    apiGatewayProxyEvent({ overrides: { requestContext: { stage: 'dev' } } });
    dynamoDBStreamEvent({ overrides: { Records: [{ dynamodb: { SizeBytes: 10 } }] } });
    expectTypeOf<EventOverrides<SQSEvent>>().toHaveProperty('Records');
  });

  it('rejects wrong override types at compile time', () => {
    // @ts-expect-error body is a string
    sqsEvent({ overrides: { Records: [{ body: 42 }] } });
    // @ts-expect-error unknown field in a record override
    sqsEvent({ overrides: { Records: [{ bdy: 'x' }] } });
    // @ts-expect-error ApproximateArrivalTimestamp is a number
    kinesisEvent({ overrides: { Records: [{ kinesis: { approximateArrivalTimestamp: '1' } }] } });
    // @ts-expect-error isBase64Encoded is a boolean
    apiGatewayProxyEvent({ overrides: { isBase64Encoded: 'yes' } });
    // @ts-expect-error headers values are strings
    httpApiEvent({ overrides: { headers: { a: 1 } } });
    // @ts-expect-error eventName is INSERT | MODIFY | REMOVE
    dynamoDBStreamEvent({ overrides: { Records: [{ eventName: 'UPSERT' }] } });
    // @ts-expect-error Sns.Message is a string
    snsEvent({ overrides: { Records: [{ Sns: { Message: { a: 1 } } }] } });
    // @ts-expect-error resources is a string array
    scheduledEvent({ overrides: { resources: 'arn' } });
  });

  it('rejects unknown and mistyped options at compile time', () => {
    // @ts-expect-error unknown option
    sqsEvent({ recrods: 2 });
    // @ts-expect-error records is a number
    kinesisEvent({ records: '2' });
    // @ts-expect-error streamViewType is one of four literals
    dynamoDBStreamEvent({ streamViewType: 'ALL' });
    // @ts-expect-error authType is NONE | AWS_IAM
    functionUrlEvent({ authType: 'JWT' });
  });
});
