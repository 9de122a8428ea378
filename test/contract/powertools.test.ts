// Independent check: every generator's output, over >= 1,000 seeds and random option/override
// shapes, parses with the matching schema of @aws-lambda-powertools/parser (written by AWS).
import { AlbMultiValueHeadersSchema, AlbSchema } from '@aws-lambda-powertools/parser/schemas/alb';
import { APIGatewayProxyEventSchema } from '@aws-lambda-powertools/parser/schemas/api-gateway';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { KinesisDataStreamSchema } from '@aws-lambda-powertools/parser/schemas/kinesis';
import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import { S3Schema } from '@aws-lambda-powertools/parser/schemas/s3';
import { SnsSchema } from '@aws-lambda-powertools/parser/schemas/sns';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AlbEventSchema,
  ApiGatewayProxyEventSchema,
  albEvent,
  apiGatewayProxyEvent,
  DynamoDBStreamEventSchema,
  dynamoDBStreamEvent,
  EventBridgeEventSchema,
  eventBridgeEvent,
  FunctionUrlEventSchema,
  functionUrlEvent,
  HttpApiEventSchema,
  httpApiEvent,
  KinesisEventSchema,
  kinesisEvent,
  S3EventSchema,
  ScheduledEventSchema,
  SnsEventSchema,
  SqsEventSchema,
  s3Event,
  s3Record,
  scheduledEvent,
  snsEvent,
  sqsEvent,
} from '../../src/events/index.js';
import { checkParity, commonOptions, NUM_RUNS, PARITY_SEED, parses } from './parity.js';

function check<T>(
  arb: fc.Arbitrary<T>,
  generate: (input: T) => unknown,
  ours: z.ZodType,
  theirs: z.ZodType,
): void {
  checkParity(arb, generate, [ours, 'own schema'], [theirs, 'Powertools schema']);
}

const common = commonOptions;
const text = fc.string({ maxLength: 40 });
const payload = fc.oneof(text, fc.jsonValue({ maxDepth: 2 }));
const binary = fc.uint8Array({ maxLength: 32 });
const name = fc.stringMatching(/^[A-Za-z][\w.-]{0,15}$/);

/** Plain JS values DynamoDB can store (safe numbers, no NaN/Infinity). */
const ddbValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 20 }),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    binary,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(name, tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('generator output parses with the Powertools parser schemas (>= 1,000 runs per source)', () => {
  it('SQS (standard and FIFO, bodies, attributes, record overrides)', () => {
    const arb = fc.record({
      common,
      fifo: fc.boolean(),
      bodies: fc.array(payload, { maxLength: 3 }),
      attrs: fc.array(fc.dictionary(name, fc.oneof(text, fc.integer(), binary), { maxKeys: 3 }), {
        maxLength: 3,
      }),
      extra: fc.integer({ min: 0, max: 7 }),
      overrides: fc.array(fc.record({ body: text, receiptHandle: text }, { requiredKeys: [] }), {
        maxLength: 3,
      }),
    });
    check(
      arb,
      (i) =>
        sqsEvent({
          ...i.common,
          fifo: i.fifo,
          bodies: i.bodies,
          messages: i.attrs.map((messageAttributes) => ({ messageAttributes })),
          records: Math.max(i.bodies.length, i.attrs.length, 1) + i.extra,
          overrides: { Records: i.overrides },
        }),
      SqsEventSchema,
      SqsSchema,
    );
  });

  it('Kinesis (string, JSON and binary data, partition keys, encryption)', () => {
    const arb = fc.record({
      common,
      data: fc.array(fc.oneof(text, fc.jsonValue({ maxDepth: 2 }), binary), { maxLength: 5 }),
      encrypted: fc.boolean(),
      overrides: fc.array(fc.record({ kinesis: fc.record({ partitionKey: name }) }, { requiredKeys: [] }), {
        maxLength: 2,
      }),
    });
    check(
      arb,
      (i) =>
        kinesisEvent({
          ...i.common,
          data: i.data,
          encrypted: i.encrypted,
          records: Math.max(i.data.length, i.overrides.length, 1),
          overrides: { Records: i.overrides },
        }),
      KinesisEventSchema,
      KinesisDataStreamSchema,
    );
  });

  it('DynamoDB Streams (every event name, view type, key schema and image shape)', () => {
    const arb = fc.record({
      common,
      view: fc.constantFrom('KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES' as const),
      sortKey: fc.boolean(),
      ttl: fc.boolean(),
      changes: fc.array(
        fc.record({
          eventName: fc.constantFrom('INSERT', 'MODIFY', 'REMOVE' as const),
          pk: fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.integer()),
          sk: fc.string({ minLength: 1, maxLength: 10 }),
          rest: fc.dictionary(name, ddbValue, { maxKeys: 4 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      overrides: fc.array(
        fc.record(
          { dynamodb: fc.record({ ApproximateCreationDateTime: fc.integer({ min: 1, max: 2 ** 31 }) }) },
          {
            requiredKeys: [],
          },
        ),
        { maxLength: 2 },
      ),
    });
    check(
      arb,
      (i) =>
        dynamoDBStreamEvent({
          ...i.common,
          streamViewType: i.view,
          ttl: i.ttl,
          keySchema: i.sortKey ? { partitionKey: 'pk', sortKey: 'sk' } : { partitionKey: 'pk' },
          changes: i.changes.map((c) => {
            const image = { ...c.rest, pk: c.pk, ...(i.sortKey ? { sk: c.sk } : {}) };
            return c.eventName === 'REMOVE'
              ? { eventName: c.eventName, oldImage: image }
              : { eventName: c.eventName, newImage: image };
          }),
          records: Math.max(i.changes.length, i.overrides.length),
          overrides: { Records: i.overrides },
        }),
      DynamoDBStreamEventSchema,
      DynamoDBStreamSchema,
    );
  });

  // Powertools limits httpMethod to 7 methods (lambda-semantics 9.1); REST APIs accept the same set,
  // so the property draws from it.
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
  const request = fc.record(
    {
      method,
      path: fc.array(fc.stringMatching(/^[\w.~-]{1,12}$/), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
      query: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
        {
          maxKeys: 3,
        },
      ),
      headers: fc.dictionary(
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
        fc.oneof(
          fc.stringMatching(/^[\x20-\x7e]{0,20}$/),
          fc.array(fc.stringMatching(/^[\x21-\x7e]{1,10}$/), { minLength: 1, maxLength: 2 }),
        ),
        { maxKeys: 3 },
      ),
      cookies: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/), {
        maxKeys: 2,
      }),
      body: fc.oneof(text, fc.jsonValue({ maxDepth: 2 }), binary),
      sourceIp: fc.oneof(fc.ipV4(), fc.ipV6()),
    },
    { requiredKeys: [] },
  );

  it('API Gateway REST v1 (requests, authorizers, header overrides)', () => {
    const arb = fc.record({
      common,
      request,
      stage: fc.stringMatching(/^[a-z]{1,8}$/),
      authorizer: fc.option(
        fc.oneof(
          fc.record({
            type: fc.constant('cognito' as const),
            claims: fc.dictionary(name, text, { maxKeys: 3 }),
          }),
          fc.record({
            type: fc.constant('lambda' as const),
            context: fc.dictionary(name, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 3 }),
          }),
        ),
        { nil: undefined },
      ),
      overrideHeaders: fc.dictionary(fc.stringMatching(/^X-[A-Za-z]{1,8}$/), text, { maxKeys: 2 }),
    });
    check(
      arb,
      (i) =>
        apiGatewayProxyEvent({
          ...i.common,
          ...i.request,
          stage: i.stage,
          ...(i.authorizer ? { authorizer: i.authorizer } : {}),
          overrides: { headers: i.overrideHeaders },
        }),
      ApiGatewayProxyEventSchema,
      APIGatewayProxyEventSchema,
    );
  });

  it('HTTP API v2 (requests, JWT / Lambda / IAM authorizers, query overrides)', () => {
    const arb = fc.record({
      common,
      request,
      authorizer: fc.option(
        fc.oneof(
          fc.record({ type: fc.constant('jwt' as const), claims: fc.dictionary(name, text, { maxKeys: 3 }) }),
          fc.record({
            type: fc.constant('lambda' as const),
            context: fc.dictionary(name, fc.jsonValue(), { maxKeys: 3 }),
          }),
          fc.record({ type: fc.constant('iam' as const) }),
        ),
        { nil: undefined },
      ),
      overrideQuery: fc.option(
        fc.dictionary(name, fc.stringMatching(/^[\w ]{0,10}$/), { minKeys: 1, maxKeys: 3 }),
        {
          nil: undefined,
        },
      ),
    });
    check(
      arb,
      (i) =>
        httpApiEvent({
          ...i.common,
          ...i.request,
          ...(i.authorizer ? { authorizer: i.authorizer } : {}),
          ...(i.overrideQuery ? { overrides: { queryStringParameters: i.overrideQuery } } : {}),
        }),
      HttpApiEventSchema,
      APIGatewayProxyEventV2Schema,
    );
  });

  it('Function URL (NONE and AWS_IAM)', () => {
    const arb = fc.record({ common, request, authType: fc.constantFrom('NONE', 'AWS_IAM' as const) });
    check(
      arb,
      (i) => functionUrlEvent({ ...i.common, ...i.request, authType: i.authType }),
      FunctionUrlEventSchema,
      LambdaFunctionUrlSchema,
    );
  });

  it('ALB (single-value and multi-value modes)', () => {
    const arb = fc.record({ common, request, multi: fc.boolean() });
    fc.assert(
      fc.property(arb, (i) => {
        const event = albEvent({ ...i.common, ...i.request, multiValueHeaders: i.multi });
        parses(AlbEventSchema, event, 'own schema');
        parses(i.multi ? AlbMultiValueHeadersSchema : AlbSchema, event, 'Powertools schema');
      }),
      { numRuns: NUM_RUNS, seed: PARITY_SEED },
    );
  });

  it('S3 (created and removed events, keys, versioned buckets)', () => {
    const arb = fc.record({
      common,
      eventName: fc.constantFrom(
        'ObjectCreated:Put',
        'ObjectCreated:Post',
        'ObjectCreated:Copy',
        'ObjectCreated:CompleteMultipartUpload',
        'ObjectRemoved:Delete',
        'ObjectRemoved:DeleteMarkerCreated',
      ),
      versioned: fc.boolean(),
      versionId: fc.option(fc.string({ minLength: 1, maxLength: 32 }), { nil: undefined }),
      objects: fc.array(
        fc.record(
          { key: fc.string({ minLength: 1, maxLength: 30 }), content: fc.oneof(text, binary) },
          { requiredKeys: ['key'] },
        ),
        {
          maxLength: 3,
        },
      ),
    });
    check(
      arb,
      (i) =>
        s3Event({
          ...i.common,
          eventName: i.eventName,
          versioned: i.versioned,
          objects: i.objects,
          ...(i.versionId
            ? { overrides: { Records: [{ s3: { object: { versionId: i.versionId } } }] } }
            : {}),
        }),
      S3EventSchema,
      S3Schema,
    );
  });

  it('SNS (messages, subjects, attributes)', () => {
    const arb = fc.record({
      common,
      message: payload,
      subject: fc.option(fc.string({ maxLength: 100 }), { nil: null }),
      subjectOverride: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      messageAttributes: fc.dictionary(name, fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 })), {
        maxKeys: 3,
      }),
    });
    check(
      arb,
      (i) =>
        snsEvent({
          ...i.common,
          message: i.message,
          subject: i.subject,
          messageAttributes: i.messageAttributes,
          ...(i.subjectOverride !== undefined
            ? { overrides: { Records: [{ Sns: { Subject: i.subjectOverride } }] } }
            : {}),
        }),
      SnsEventSchema,
      SnsSchema,
    );
  });

  it('EventBridge (custom source, detail-type, detail, replays)', () => {
    const arb = fc.record({
      common,
      source: fc.string({ minLength: 1, maxLength: 40 }),
      detailType: fc.string({ minLength: 1, maxLength: 40 }),
      detail: fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      resources: fc.array(text, { maxLength: 2 }),
      replayName: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
      detailOverride: fc.option(fc.dictionary(name, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), {
        nil: undefined,
      }),
    });
    check(
      arb,
      (i) =>
        eventBridgeEvent({
          ...i.common,
          source: i.source,
          detailType: i.detailType,
          detail: i.detail,
          resources: i.resources,
          ...(i.replayName ? { replayName: i.replayName } : {}),
          ...(i.detailOverride ? { overrides: { detail: i.detailOverride } } : {}),
        }),
      EventBridgeEventSchema,
      EventBridgeSchema,
    );
  });

  it('scheduled events', () => {
    const arb = fc.record({ common, ruleName: fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/) });
    check(
      arb,
      (i) => scheduledEvent({ ...i.common, ruleName: i.ruleName }),
      ScheduledEventSchema,
      EventBridgeSchema,
    );
  });
});

describe('where Powertools is stricter than real payloads (lambda-semantics 9.1)', () => {
  it('S3: Powertools rejects an IPv6 sourceIPAddress that real notifications carry; the real shape is checked instead', () => {
    const record = s3Record({ overrides: { requestParameters: { sourceIPAddress: '2001:db8::1' } } });
    const event = { Records: [record] };

    expect(S3Schema.safeParse(event).success).toBe(false);
    expect(S3EventSchema.safeParse(event).success).toBe(true);
  });
});

// The sources added for issue 15 (generators beyond the first 12), checked the same way.
import {
  APIGatewayRequestAuthorizerEventSchema,
  APIGatewayTokenAuthorizerEventSchema,
} from '@aws-lambda-powertools/parser/schemas/api-gateway';
import { APIGatewayRequestAuthorizerEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import {
  CloudFormationCustomResourceCreateSchema,
  CloudFormationCustomResourceDeleteSchema,
  CloudFormationCustomResourceUpdateSchema,
} from '@aws-lambda-powertools/parser/schemas/cloudformation-custom-resource';
import { CloudWatchLogsSchema } from '@aws-lambda-powertools/parser/schemas/cloudwatch';
import {
  CreateAuthChallengeTriggerSchema,
  CustomEmailSenderTriggerSchema,
  CustomMessageTriggerSchema,
  CustomSMSSenderTriggerSchema,
  DefineAuthChallengeTriggerSchema,
  MigrateUserTriggerSchema,
  PostAuthenticationTriggerSchema,
  PostConfirmationTriggerSchema,
  PreAuthenticationTriggerSchema,
  PreSignupTriggerSchema,
  PreTokenGenerationTriggerSchemaV1,
  PreTokenGenerationTriggerSchemaV2AndV3,
  VerifyAuthChallengeTriggerSchema,
} from '@aws-lambda-powertools/parser/schemas/cognito';
import {
  KafkaMskEventSchema,
  KafkaSelfManagedEventSchema,
} from '@aws-lambda-powertools/parser/schemas/kafka';
import { KinesisFirehoseSchema } from '@aws-lambda-powertools/parser/schemas/kinesis-firehose';
import {
  CloudFormationCustomResourceEventSchema,
  CloudWatchLogsEventSchema,
  cloudFormationCustomResourceEvent,
  cloudWatchLogsEvent,
  cognitoTriggerEvent,
  cognitoTriggerSchema,
  FirehoseEventSchema,
  firehoseEvent,
  HttpApiAuthorizerEventV2Schema,
  httpApiAuthorizerEvent,
  MskEventSchema,
  mskEvent,
  RequestAuthorizerEventSchema,
  requestAuthorizerEvent,
  SelfManagedKafkaEventSchema,
  selfManagedKafkaEvent,
  TokenAuthorizerEventSchema,
  tokenAuthorizerEvent,
} from '../../src/events/index.js';

describe('new sources parse with the Powertools parser schemas (>= 1,000 runs per source)', () => {
  // Authorizers see the request without its body.
  const request = fc.record(
    {
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
      path: fc.array(fc.stringMatching(/^[\w.~-]{1,12}$/), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
      query: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
        {
          maxKeys: 3,
        },
      ),
      headers: fc.dictionary(
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
        fc.stringMatching(/^[\x20-\x7e]{0,20}$/),
        {
          maxKeys: 3,
        },
      ),
      sourceIp: fc.oneof(fc.ipV4(), fc.ipV6()),
    },
    { requiredKeys: [] },
  );
  it('CloudWatch Logs (messages, filters, decoded-payload overrides)', () => {
    const arb = fc.record({
      common,
      messages: fc.option(fc.array(payload, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      filters: fc.array(name, { maxLength: 2 }),
      logGroupOverride: fc.option(fc.stringMatching(/^\/aws\/lambda\/[\w-]{1,20}$/), { nil: undefined }),
    });
    check(
      arb,
      (i) =>
        cloudWatchLogsEvent({
          ...i.common,
          ...(i.messages ? { messages: i.messages } : {}),
          subscriptionFilters: i.filters,
          ...(i.logGroupOverride ? { overrides: { logGroup: i.logGroupOverride } } : {}),
        }),
      CloudWatchLogsEventSchema,
      CloudWatchLogsSchema,
    );
  });

  it('Firehose (Direct PUT and Kinesis source, data, record overrides)', () => {
    const arb = fc.record({
      common,
      data: fc.array(fc.oneof(text, fc.jsonValue({ maxDepth: 2 }), binary), { maxLength: 5 }),
      source: fc.option(
        name.map((n) => n.replace(/[^\w.-]/g, 'x')),
        { nil: undefined },
      ),
      overrides: fc.array(fc.record({ data: fc.base64String({ maxLength: 12 }) }, { requiredKeys: [] }), {
        maxLength: 2,
      }),
    });
    check(
      arb,
      (i) =>
        firehoseEvent({
          ...i.common,
          data: i.data,
          ...(i.source ? { sourceStreamName: i.source } : {}),
          overrides: { records: i.overrides },
        }),
      FirehoseEventSchema,
      KinesisFirehoseSchema,
    );
  });

  const kafka = fc.record({
    common,
    topic: fc.stringMatching(/^[\w.-]{1,20}$/),
    partitions: fc.integer({ min: 1, max: 4 }),
    messages: fc.array(
      fc.record(
        {
          key: fc.oneof(text, binary, fc.constant(null)),
          value: payload,
          headers: fc.dictionary(name, fc.oneof(text, binary), { maxKeys: 2 }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 5 },
    ),
  });

  it('MSK (topics, partitions, keys, values, headers)', () => {
    check(
      kafka,
      (i) => mskEvent({ ...i.common, topic: i.topic, partitions: i.partitions, messages: i.messages }),
      MskEventSchema,
      KafkaMskEventSchema,
    );
  });

  it('self-managed Kafka', () => {
    check(
      kafka,
      (i) =>
        selfManagedKafkaEvent({
          ...i.common,
          topic: i.topic,
          partitions: i.partitions,
          messages: i.messages,
        }),
      SelfManagedKafkaEventSchema,
      KafkaSelfManagedEventSchema,
    );
  });

  it('REST TOKEN and REQUEST authorizers', () => {
    const arb = fc.record({ common, request, token: text, stage: fc.stringMatching(/^[a-z]{1,8}$/) });
    check(
      arb,
      (i) =>
        tokenAuthorizerEvent({
          ...i.common,
          token: i.token,
          stage: i.stage,
          ...(i.request.method ? { method: i.request.method } : {}),
          ...(i.request.path ? { path: i.request.path } : {}),
        }),
      TokenAuthorizerEventSchema,
      APIGatewayTokenAuthorizerEventSchema,
    );
    check(
      arb,
      (i) => {
        return requestAuthorizerEvent({ ...i.common, ...i.request, stage: i.stage });
      },
      RequestAuthorizerEventSchema,
      APIGatewayRequestAuthorizerEventSchema,
    );
  });

  it('HTTP API authorizer, payload 2.0', () => {
    const arb = fc.record({ common, request });
    check(
      arb,
      (i) => {
        return httpApiAuthorizerEvent({ ...i.common, ...i.request });
      },
      HttpApiAuthorizerEventV2Schema,
      APIGatewayRequestAuthorizerEventV2Schema,
    );
  });

  it('CloudFormation custom resources (Create, Update, Delete)', () => {
    const arb = fc.record({
      common,
      requestType: fc.constantFrom('Create', 'Update', 'Delete' as const),
      properties: fc.dictionary(fc.stringMatching(/^[A-Z][a-zA-Z]{0,8}$/), fc.jsonValue({ maxDepth: 1 }), {
        maxKeys: 3,
      }),
    });
    const theirs = {
      Create: CloudFormationCustomResourceCreateSchema,
      Update: CloudFormationCustomResourceUpdateSchema,
      Delete: CloudFormationCustomResourceDeleteSchema,
    };
    fc.assert(
      fc.property(arb, (i) => {
        const event = cloudFormationCustomResourceEvent({
          ...i.common,
          requestType: i.requestType,
          properties: i.properties,
        });
        parses(CloudFormationCustomResourceEventSchema, event, 'own schema');
        parses(theirs[i.requestType], event, 'Powertools schema');
      }),
      { numRuns: NUM_RUNS, seed: PARITY_SEED },
    );
  });

  it('Cognito triggers (every trigger Powertools models, client metadata, attributes)', () => {
    const theirs: [string, z.ZodType, string?][] = [
      ['PreSignUp_SignUp', PreSignupTriggerSchema],
      ['PostConfirmation_ConfirmSignUp', PostConfirmationTriggerSchema],
      ['PreAuthentication_Authentication', PreAuthenticationTriggerSchema],
      ['PostAuthentication_Authentication', PostAuthenticationTriggerSchema],
      ['DefineAuthChallenge_Authentication', DefineAuthChallengeTriggerSchema],
      ['CreateAuthChallenge_Authentication', CreateAuthChallengeTriggerSchema],
      ['VerifyAuthChallengeResponse_Authentication', VerifyAuthChallengeTriggerSchema],
      ['TokenGeneration_HostedAuth', PreTokenGenerationTriggerSchemaV1],
      ['TokenGeneration_RefreshTokens', PreTokenGenerationTriggerSchemaV2AndV3, '2'],
      ['UserMigration_Authentication', MigrateUserTriggerSchema],
      ['CustomMessage_ForgotPassword', CustomMessageTriggerSchema],
      ['CustomEmailSender_SignUp', CustomEmailSenderTriggerSchema],
      ['CustomSMSSender_SignUp', CustomSMSSenderTriggerSchema],
    ];
    const arb = fc.record({
      common,
      which: fc.integer({ min: 0, max: theirs.length - 1 }),
      attrs: fc.option(fc.dictionary(name, text, { maxKeys: 3 }), { nil: undefined }),
      clientMetadata: fc.option(fc.dictionary(name, text, { maxKeys: 2 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(arb, (i) => {
        const [source, schema, version] = theirs[i.which] as [string, z.ZodType, string?];
        const event = cognitoTriggerEvent({
          ...i.common,
          triggerSource: source as 'PreSignUp_SignUp',
          ...(i.attrs ? { userAttributes: i.attrs } : {}),
          ...(i.clientMetadata && !source.startsWith('PreAuthentication')
            ? { clientMetadata: i.clientMetadata }
            : {}),
          ...(version ? { version: version as '2' } : {}),
        });
        parses(cognitoTriggerSchema(cognitoTriggerOfSource(source)), event, 'own schema');
        parses(schema, event, 'Powertools schema');
      }),
      { numRuns: NUM_RUNS, seed: PARITY_SEED },
    );
  });
});

import { cognitoTriggerOf as cognitoTriggerOfSource } from '../../src/events/index.js';
