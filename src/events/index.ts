// Event generators: one module per source, each with a record factory where the source has records.
export * from '../schemas/index.js';
export * from './alb.js';
export * from './apigateway.js';
export * from './authorizer.js';
export * from './cloudwatch-logs.js';
export * from './codecommit.js';
export * from './codepipeline.js';
export * from './cognito.js';
export * from './config.js';
export * from './connect.js';
export {
  type CommonEventOptions,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  type DeepPartial,
  type EventOverrides,
  REFERENCE_TIME,
  type TumblingWindowInput,
} from './core.js';
export * from './dynamodb.js';
export * from './eventbridge.js';
export * from './firehose.js';
export type { HttpRequestInput } from './http.js';
export * from './http-api.js';
export * from './kafka.js';
export * from './kinesis.js';
export * from './lex.js';
export * from './registry.js';
export * from './s3.js';
export * from './services.js';
export * from './sns.js';
export * from './sqs.js';
export * from './transfer.js';
