// Zod schemas of the real event shapes, one module per source.

export * from './authorizer.js';
export * from './cognito.js';
export * from './dynamodb.js';
export * from './eventbridge.js';
export * from './http.js';
export * from './kinesis.js';
export * from './s3.js';
export * from './services.js';
export * from './sns.js';
export * from './sqs.js';
export * from './streams.js';
