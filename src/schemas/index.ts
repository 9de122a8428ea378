// Zod schemas of the real event shapes, one module per source.

export * from './authorizer.js';
export * from './codecommit.js';
export * from './codepipeline.js';
export * from './cognito.js';
export * from './config.js';
export * from './connect.js';
export * from './dynamodb.js';
export * from './eventbridge.js';
export * from './http.js';
export * from './kinesis.js';
export * from './lex.js';
export * from './s3.js';
export * from './services.js';
export * from './sns.js';
export * from './sqs.js';
export * from './streams.js';
export * from './transfer.js';
