/**
 * The registry of event sources: what the CLI lists and generates, and what the golden-fixture
 * completeness check walks.
 */
import type { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import {
  HttpApiAuthorizerEventV1Schema,
  HttpApiAuthorizerEventV2Schema,
  RequestAuthorizerEventSchema,
  TokenAuthorizerEventSchema,
  WebSocketEventSchema,
} from '../schemas/authorizer.js';
import { CodeCommitEventSchema } from '../schemas/codecommit.js';
import { CodePipelineEventSchema } from '../schemas/codepipeline.js';
import { CognitoTriggerEventSchema } from '../schemas/cognito.js';
import { ConfigRuleEventSchema } from '../schemas/config.js';
import { ConnectContactFlowEventSchema } from '../schemas/connect.js';
import { DynamoDBStreamEventSchema } from '../schemas/dynamodb.js';
import { EventBridgeEventSchema, ScheduledEventSchema } from '../schemas/eventbridge.js';
import {
  AlbEventSchema,
  ApiGatewayProxyEventSchema,
  FunctionUrlEventSchema,
  HttpApiEventSchema,
} from '../schemas/http.js';
import { KinesisEventSchema } from '../schemas/kinesis.js';
import { LexV1EventSchema, LexV2EventSchema } from '../schemas/lex.js';
import { S3EventSchema } from '../schemas/s3.js';
import {
  CloudFormationCustomResourceEventSchema,
  S3BatchEventSchema,
  SecretsManagerRotationEventSchema,
} from '../schemas/services.js';
import { SnsEventSchema } from '../schemas/sns.js';
import { SqsEventSchema } from '../schemas/sqs.js';
import {
  CloudWatchLogsEventSchema,
  FirehoseEventSchema,
  MskEventSchema,
  SelfManagedKafkaEventSchema,
} from '../schemas/streams.js';
import { TransferFamilyAuthorizerEventSchema } from '../schemas/transfer.js';
import { albEvent } from './alb.js';
import { apiGatewayProxyEvent } from './apigateway.js';
import {
  httpApiAuthorizerEvent,
  requestAuthorizerEvent,
  tokenAuthorizerEvent,
  webSocketEvent,
} from './authorizer.js';
import { cloudWatchLogsEvent } from './cloudwatch-logs.js';
import { codeCommitEvent } from './codecommit.js';
import { codePipelineEvent } from './codepipeline.js';
import { cognitoTriggerEvent } from './cognito.js';
import { configRuleEvent } from './config.js';
import { connectContactFlowEvent } from './connect.js';
import type { CommonEventOptions } from './core.js';
import { dynamoDBStreamEvent } from './dynamodb.js';
import { eventBridgeEvent, scheduledEvent } from './eventbridge.js';
import { firehoseEvent } from './firehose.js';
import { functionUrlEvent, httpApiEvent } from './http-api.js';
import { mskEvent, selfManagedKafkaEvent } from './kafka.js';
import { kinesisEvent } from './kinesis.js';
import { lexV1Event, lexV2Event } from './lex.js';
import { s3Event } from './s3.js';
import { cloudFormationCustomResourceEvent, s3BatchEvent, secretsManagerRotationEvent } from './services.js';
import { snsEvent } from './sns.js';
import { sqsEvent } from './sqs.js';
import { transferFamilyAuthorizerEvent } from './transfer.js';

const postJson = { method: 'POST', path: '/items', body: { name: 'widget', qty: 2 } };
const binary = { method: 'PUT', path: '/files/logo.png', body: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) };

/**
 * Options accepted by {@link generateEvent}: the common options plus any option of the source's
 * generator (`records`, `overrides`, `queueName`, ...). Unknown options are rejected by the generator.
 *
 * @example
 * const options: GenerateEventOptions = { seed: 3, records: 2, overrides: { Records: [{ body: 'x' }] } };
 */
export type GenerateEventOptions = CommonEventOptions & {
  records?: number;
  overrides?: Record<string, unknown>;
  [option: string]: unknown;
};

/**
 * One entry of {@link eventSources}.
 *
 * @example
 * const entry: EventSourceEntry = eventSources.sqs;
 * entry.generate('fifo', { seed: 1 });
 */
export interface EventSourceEntry {
  /** One line for CLI listings. */
  readonly description: string;
  /** Variant names; the first is the default. */
  readonly variants: readonly string[];
  /** True when the source delivers `Records[]` and accepts a `records` count. */
  readonly batch: boolean;
  /** Generates the event of a variant (the variant's presets are applied under the options). */
  generate(variant?: string, options?: GenerateEventOptions): unknown;
  /** The zod schema of this source's events (the real AWS shape). */
  readonly schema: z.ZodType;
}

type Generator = (options: never) => unknown;

function entry(
  description: string,
  schema: z.ZodType,
  generator: Generator,
  variants: Record<string, Record<string, unknown>>,
  batch = false,
): EventSourceEntry {
  const names = Object.keys(variants);
  return {
    description,
    variants: names,
    batch,
    schema,
    generate(variant, options = {}) {
      const name = variant ?? (names[0] as string);
      const preset = variants[name];
      if (!preset) {
        throw new HarnessError(
          'INVALID_OPTIONS',
          `unknown variant "${name}"; valid variants: ${names.join(', ')}`,
          {
            path: 'variant',
            hint: `Pick one of: ${names.join(', ')}.`,
          },
        );
      }
      return (generator as (o: unknown) => unknown)({ ...preset, ...options });
    },
  };
}

/**
 * Every event source with its variants, generator and schema.
 *
 * @example
 * for (const [source, { variants }] of Object.entries(eventSources)) console.log(source, variants.join(' '));
 */
export const eventSources = {
  sqs: entry(
    'SQS queue messages (standard or FIFO)',
    SqsEventSchema,
    sqsEvent,
    {
      standard: { fifo: false },
      fifo: { fifo: true },
    },
    true,
  ),
  kinesis: entry(
    'Kinesis Data Streams records from one shard',
    KinesisEventSchema,
    kinesisEvent,
    {
      default: {},
      encrypted: { encrypted: true },
      'tumbling-window': { tumblingWindow: { seconds: 60, state: { count: 2 } } },
    },
    true,
  ),
  dynamodb: entry(
    'DynamoDB Streams change records',
    DynamoDBStreamEventSchema,
    dynamoDBStreamEvent,
    {
      insert: { eventName: 'INSERT' },
      modify: { eventName: 'MODIFY' },
      remove: { eventName: 'REMOVE' },
      'ttl-remove': { eventName: 'REMOVE', ttl: true },
      'keys-only': { eventName: 'MODIFY', streamViewType: 'KEYS_ONLY' },
      'new-image': { eventName: 'MODIFY', streamViewType: 'NEW_IMAGE' },
      'old-image': { eventName: 'MODIFY', streamViewType: 'OLD_IMAGE' },
      'tumbling-window': { eventName: 'INSERT', tumblingWindow: { seconds: 60, state: { count: '2' } } },
    },
    true,
  ),
  apigateway: entry(
    'API Gateway REST API (v1) proxy requests',
    ApiGatewayProxyEventSchema,
    apiGatewayProxyEvent,
    {
      get: { method: 'GET', path: '/items/42', resource: '/items/{id}', query: { expand: 'owner' } },
      'post-json': postJson,
      binary,
      'cognito-authorizer': {
        path: '/me',
        authorizer: { type: 'cognito', claims: { sub: 'user-1', email: 'user@example.com' } },
      },
      'lambda-authorizer': {
        path: '/me',
        authorizer: { type: 'lambda', principalId: 'user-1', context: { tier: 'gold' } },
      },
    },
  ),
  'http-api': entry('HTTP API (payload format 2.0) requests', HttpApiEventSchema, httpApiEvent, {
    get: {
      routeKey: 'GET /items/{id}',
      path: '/items/42',
      query: { expand: 'owner' },
      cookies: { session: 'abc' },
    },
    'post-json': postJson,
    binary,
    'jwt-authorizer': {
      routeKey: 'GET /me',
      path: '/me',
      authorizer: { type: 'jwt', claims: { sub: 'user-1' }, scopes: ['profile:read'] },
    },
    'lambda-authorizer': { path: '/me', authorizer: { type: 'lambda', context: { tier: 'gold' } } },
    'iam-authorizer': { path: '/me', authorizer: { type: 'iam' } },
  }),
  alb: entry('Application Load Balancer target-group requests', AlbEventSchema, albEvent, {
    'single-value': { path: '/health', query: 'verbose=1&verbose=2' },
    'multi-value': { path: '/health', query: 'verbose=1&verbose=2', multiValueHeaders: true },
  }),
  'function-url': entry('Lambda Function URL requests', FunctionUrlEventSchema, functionUrlEvent, {
    none: { method: 'POST', path: '/webhook', body: { ok: true } },
    'aws-iam': { authType: 'AWS_IAM', path: '/internal' },
  }),
  s3: entry(
    'S3 event notifications',
    S3EventSchema,
    s3Event,
    {
      put: { eventName: 'ObjectCreated:Put' },
      delete: { eventName: 'ObjectRemoved:Delete' },
    },
    true,
  ),
  sns: entry('SNS notifications', SnsEventSchema, snsEvent, { default: {} }, true),
  eventbridge: entry(
    'EventBridge events (custom source, detail-type, detail)',
    EventBridgeEventSchema,
    eventBridgeEvent,
    {
      custom: {},
    },
  ),
  scheduled: entry('EventBridge scheduled-rule events', ScheduledEventSchema, scheduledEvent, {
    default: {},
  }),
  'cloudwatch-logs': entry(
    'CloudWatch Logs subscription-filter deliveries (base64 of gzip of JSON)',
    CloudWatchLogsEventSchema,
    cloudWatchLogsEvent,
    { default: {}, control: { messageType: 'CONTROL_MESSAGE' } },
  ),
  firehose: entry(
    'Kinesis Data Firehose data-transformation records',
    FirehoseEventSchema,
    firehoseEvent,
    { 'direct-put': {}, 'kinesis-source': { sourceStreamName: 'clickstream' } },
    true,
  ),
  msk: entry(
    'Amazon MSK records keyed topic-partition',
    MskEventSchema,
    mskEvent,
    { default: {}, 'two-partitions': { partitions: 2 } },
    true,
  ),
  'self-managed-kafka': entry(
    'Self-managed Apache Kafka records keyed topic-partition',
    SelfManagedKafkaEventSchema,
    selfManagedKafkaEvent,
    { default: {} },
    true,
  ),
  'token-authorizer': entry(
    'API Gateway REST API Lambda authorizer, TOKEN type',
    TokenAuthorizerEventSchema,
    tokenAuthorizerEvent,
    { default: { method: 'GET', path: '/items/42' } },
  ),
  'request-authorizer': entry(
    'API Gateway REST API Lambda authorizer, REQUEST type',
    RequestAuthorizerEventSchema,
    requestAuthorizerEvent,
    {
      default: {
        method: 'GET',
        path: '/items/42',
        resource: '/items/{id}',
        headers: { Authorization: 'Bearer token-1' },
      },
    },
  ),
  'http-api-authorizer': entry(
    'HTTP API Lambda authorizer (payload 2.0 or 1.0)',
    HttpApiAuthorizerEventV2Schema.or(HttpApiAuthorizerEventV1Schema),
    httpApiAuthorizerEvent,
    {
      v2: { routeKey: 'GET /items/{id}', path: '/items/42' },
      v1: { payloadVersion: '1.0', routeKey: 'GET /items/{id}', path: '/items/42' },
    },
  ),
  websocket: entry('API Gateway WebSocket API route events', WebSocketEventSchema, webSocketEvent, {
    connect: { eventType: 'CONNECT', query: { token: 'abc' } },
    message: { eventType: 'MESSAGE', routeKey: 'sendMessage', body: { action: 'sendMessage', text: 'hi' } },
    disconnect: { eventType: 'DISCONNECT' },
  }),
  cognito: entry(
    'Cognito user pool triggers (every triggerSource)',
    CognitoTriggerEventSchema,
    cognitoTriggerEvent,
    {
      'pre-sign-up': { triggerSource: 'PreSignUp_SignUp' },
      'post-confirmation': { triggerSource: 'PostConfirmation_ConfirmSignUp' },
      'pre-authentication': { triggerSource: 'PreAuthentication_Authentication' },
      'post-authentication': { triggerSource: 'PostAuthentication_Authentication' },
      'define-auth-challenge': { triggerSource: 'DefineAuthChallenge_Authentication' },
      'create-auth-challenge': { triggerSource: 'CreateAuthChallenge_Authentication' },
      'verify-auth-challenge': { triggerSource: 'VerifyAuthChallengeResponse_Authentication' },
      'pre-token-generation': { triggerSource: 'TokenGeneration_HostedAuth' },
      'pre-token-generation-v2': { triggerSource: 'TokenGeneration_Authentication', version: '2' },
      'user-migration': { triggerSource: 'UserMigration_Authentication' },
      'custom-message': { triggerSource: 'CustomMessage_SignUp' },
      'custom-email-sender': { triggerSource: 'CustomEmailSender_SignUp' },
      'custom-sms-sender': { triggerSource: 'CustomSMSSender_SignUp' },
    },
  ),
  cloudformation: entry(
    'CloudFormation custom resource requests',
    CloudFormationCustomResourceEventSchema,
    cloudFormationCustomResourceEvent,
    {
      create: { requestType: 'Create', properties: { Size: '1' } },
      update: { requestType: 'Update', properties: { Size: '2' }, oldProperties: { Size: '1' } },
      delete: { requestType: 'Delete', properties: { Size: '2' } },
    },
  ),
  'secrets-manager': entry(
    'Secrets Manager rotation steps',
    SecretsManagerRotationEventSchema,
    secretsManagerRotationEvent,
    {
      'create-secret': { step: 'createSecret' },
      'set-secret': { step: 'setSecret' },
      'test-secret': { step: 'testSecret' },
      'finish-secret': { step: 'finishSecret' },
    },
  ),
  's3-batch': entry('S3 Batch Operations tasks', S3BatchEventSchema, s3BatchEvent, {
    v1: {},
    v2: { schemaVersion: '2.0', userArguments: { size: 'small' } },
  }),
  'transfer-family': entry(
    'AWS Transfer Family custom identity provider logins',
    TransferFamilyAuthorizerEventSchema,
    transferFamilyAuthorizerEvent,
    { password: { auth: 'password' }, 'public-key': { auth: 'public-key' }, ftps: { protocol: 'FTPS' } },
  ),
  connect: entry(
    'Amazon Connect contact flow Lambda invocations',
    ConnectContactFlowEventSchema,
    connectContactFlowEvent,
    {
      voice: { channel: 'VOICE', attributes: { tier: 'gold' }, parameters: { action: 'lookup' } },
      chat: { channel: 'CHAT', parameters: { action: 'lookup' } },
      transfer: { channel: 'VOICE', initiationMethod: 'TRANSFER' },
    },
  ),
  codepipeline: entry(
    'CodePipeline jobs for a Lambda invoke action',
    CodePipelineEventSchema,
    codePipelineEvent,
    {
      default: { userParameters: { stage: 'prod' }, outputArtifacts: ['ActionOutput'] },
      continuation: { continuationToken: 'poll-2' },
      encrypted: { encryptionKey: true },
    },
  ),
  codecommit: entry('CodeCommit repository triggers', CodeCommitEventSchema, codeCommitEvent, {
    push: { references: [{ ref: 'refs/heads/main' }] },
    'branch-created': { references: [{ ref: 'refs/heads/feature-x', created: true }] },
    'branch-deleted': { references: [{ ref: 'refs/heads/feature-x', deleted: true }] },
    test: { eventName: 'TriggerEventTest', customData: 'test' },
  }),
  config: entry(
    'AWS Config custom rule evaluations (change-triggered or periodic)',
    ConfigRuleEventSchema,
    configRuleEvent,
    {
      'configuration-change': { ruleParameters: { desiredInstanceType: 't3.micro' } },
      oversized: { messageType: 'OversizedConfigurationItemChangeNotification' },
      scheduled: { messageType: 'ScheduledNotification' },
      'resource-deleted': { configurationItemStatus: 'ResourceDeleted' },
    },
  ),
  'lex-v1': entry('Amazon Lex V1 code hooks', LexV1EventSchema, lexV1Event, {
    'dialog-code-hook': { intentName: 'BookHotel', slots: { City: 'Paris', Nights: null } },
    fulfillment: {
      intentName: 'BookHotel',
      slots: { City: 'Paris', Nights: '3' },
      invocationSource: 'FulfillmentCodeHook',
      confirmationStatus: 'Confirmed',
    },
  }),
  'lex-v2': entry('Amazon Lex V2 code hooks', LexV2EventSchema, lexV2Event, {
    'dialog-code-hook': { intentName: 'BookHotel', slots: { City: 'Paris', Nights: null } },
    fulfillment: {
      intentName: 'BookHotel',
      slots: { City: 'Paris', Nights: '3' },
      invocationSource: 'FulfillmentCodeHook',
      confirmationState: 'Confirmed',
    },
    speech: { intentName: 'OrderFlowers', slots: { FlowerType: 'roses' }, inputMode: 'Speech' },
  }),
} satisfies Record<string, EventSourceEntry>;

/**
 * A source name of {@link eventSources}.
 *
 * @example
 * const source: EventSourceName = 'dynamodb';
 */
export type EventSourceName = keyof typeof eventSources;

/**
 * Generates an event by source and variant name (the CLI's entry point).
 *
 * @example
 * const event = generateEvent('sqs', 'fifo', { seed: 7, records: 2 });
 */
export function generateEvent(source: string, variant?: string, options?: GenerateEventOptions): unknown {
  const names = Object.keys(eventSources);
  const found = (eventSources as Record<string, EventSourceEntry>)[source];
  if (!found) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `unknown event source "${source}"; valid sources: ${names.join(', ')}`,
      {
        path: 'source',
        hint: `Pick one of: ${names.join(', ')}.`,
      },
    );
  }
  try {
    return found.generate(variant, options);
  } catch (error) {
    if (error instanceof HarnessError && error.path === 'variant') {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `unknown variant "${variant}" of source "${source}"; valid variants: ${found.variants.join(', ')}`,
        { path: 'variant', hint: `Pick one of: ${found.variants.join(', ')}.` },
      );
    }
    throw error;
  }
}
