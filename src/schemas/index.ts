// Zod schemas of the real event shapes, one module per source.
export * from './dynamodb.js';
export * from './kinesis.js';
export * from './sqs.js';
