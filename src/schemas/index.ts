// Zod schemas of the real event shapes, one module per source.
export * from './sqs.js';
