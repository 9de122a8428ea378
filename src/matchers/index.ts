// Runner-neutral matchers. No test runner is imported here: `lambda-harness/vitest` and
// `lambda-harness/jest` register these with expect.extend().
import { batchMatchers, kafkaBatchMatchers } from './batch.js';
import { contractMatchers } from './contracts.js';
import { httpMatchers } from './http.js';
import { lexMatchers } from './lex.js';
import { logMatchers } from './logs.js';
import { outcomeMatchers } from './outcome.js';
import { sourceMatchers } from './sources.js';
import { streamingMatchers } from './streaming.js';

export type { BatchItemRef, KafkaItemRef } from './batch.js';
export { batchItemIdentifier, batchMatchers, kafkaBatchMatchers, kafkaItemKey } from './batch.js';
export type { MatcherContext, MatcherResult, MatcherUtils } from './context.js';
export { matchesPartial, plainMatcherUtils } from './context.js';
export {
  arnMatches,
  authorizerDecision,
  cognitoResponseProblems,
  contractMatchers,
  firehoseResponseProblems,
} from './contracts.js';
export type {
  HttpCookie,
  HttpIntegration,
  HttpReadOptions,
  HttpResponseExpectation,
  HttpResponseView,
} from './http.js';
export { httpMatchers, parseSetCookie, toHttpResponse } from './http.js';
export { lexMatchers, lexV1ResponseProblems, lexV2ResponseProblems } from './lex.js';
export type { LogExpectation, LogMatchOptions } from './logs.js';
export { logMatchers } from './logs.js';
export type { ErrorExpectation } from './outcome.js';
export { outcomeMatchers } from './outcome.js';
export { lambdaSnapshotSerializer, normalizeLogs, normalizeResult, VolatileMasker } from './snapshot.js';
export type { SimulatorLike } from './sources.js';
export { sourceMatchers } from './sources.js';
export type { StreamedHttpResponseExpectation, StreamedHttpResponseView } from './streaming.js';
export { streamingMatchers, toStreamedHttpResponse } from './streaming.js';
export type { LambdaMatchers } from './types.js';

/**
 * Every lambda-harness matcher, ready for `expect.extend()`. The runner entries register them for
 * you; import this to register them yourself or to pick a few.
 *
 * @example
 * import { expect } from 'vitest';
 * import { lambdaMatchers } from 'lambda-harness';
 * expect.extend({ toHaveSucceeded: lambdaMatchers.toHaveSucceeded });
 */
export const lambdaMatchers = {
  ...outcomeMatchers,
  ...httpMatchers,
  ...logMatchers,
  ...batchMatchers,
  ...kafkaBatchMatchers,
  ...lexMatchers,
  ...sourceMatchers,
  ...contractMatchers,
  ...streamingMatchers,
};
