import type { ReportFields } from '../contract/logs.js';
import type { ItemStatus } from '../sources/index.js';
import type { BatchItemRef, KafkaItemRef } from './batch.js';
import type { HttpReadOptions, HttpResponseExpectation } from './http.js';
import type { LogMatchOptions } from './logs.js';
import type { ErrorExpectation } from './outcome.js';
import type { StreamedHttpResponseExpectation } from './streaming.js';

/**
 * The lambda-harness matchers as they appear on `expect(...)`. `R` is the runner's return type
 * (`void`, or a promise after `.resolves`). The runner entries merge this into Vitest's and Jest's
 * assertion types; use it yourself to type a custom runner integration.
 *
 * @example
 * // vitest.setup.ts
 * import 'lambda-harness/vitest';
 * // a test
 * expect(await invokeHandler(handler, event)).toHaveSucceededWith({ ok: true });
 */
export interface LambdaMatchers<R = unknown> {
  /**
   * The handler's Firehose transformation result answers every record of `event` exactly once,
   * with `result` Ok | Dropped | ProcessingFailed and base64 `data`.
   * @example expect(await invokeHandler(handler, event)).toBeFirehoseTransformationResult(event);
   */
  toBeFirehoseTransformationResult(event: { records: readonly { recordId: string }[] }): R;
  /**
   * The authorizer's response (REST policy document or HTTP API `{ isAuthorized }`) lets API Gateway
   * invoke `methodArn`; resources match with `*` and `?`, an explicit Deny wins.
   * @example expect(await invokeHandler(authorizer, event)).toAllowMethodArn(event.methodArn);
   */
  toAllowMethodArn(methodArn: string): R;
  /**
   * The authorizer's response is valid and does not allow `methodArn` (API Gateway answers 403).
   * @example expect(await invokeHandler(authorizer, event)).toDenyMethodArn(event.methodArn);
   */
  toDenyMethodArn(methodArn: string): R;
  /**
   * The handler returned the Cognito trigger event with a response Cognito accepts for its trigger.
   * @example expect(await invokeHandler(preSignUp, event)).toBeValidCognitoResponse(event);
   */
  toBeValidCognitoResponse(event: object): R;
  /**
   * The handler succeeded and reported exactly these Kafka records failed, each as
   * `{ itemIdentifier: { partition: 'topic-partition', offset } }`; `[]` asserts a complete success.
   * @example expect(await invokeHandler(handler, event)).toHaveKafkaBatchItemFailures([record]);
   */
  toHaveKafkaBatchItemFailures(expected: readonly KafkaItemRef[]): R;
  /**
   * The handler's Lex V1 response has a `dialogAction` Lex accepts (the fields its type needs).
   * @example expect(await invokeHandler(codeHook, event)).toBeValidLexV1Response(event);
   */
  toBeValidLexV1Response(event?: object): R;
  /**
   * The handler's Lex V2 response has a `sessionState` Lex accepts (dialogAction, intent, messages).
   * @example expect(await invokeHandler(codeHook, event)).toBeValidLexV2Response(event);
   */
  toBeValidLexV2Response(event?: object): R;
  /**
   * The invocation succeeded.
   * @example expect(result).toHaveSucceeded();
   */
  toHaveSucceeded(): R;
  /**
   * The invocation succeeded with exactly this (JSON-serialised) response; asymmetric matchers allowed.
   * @example expect(result).toHaveSucceededWith({ id: expect.any(String) });
   */
  toHaveSucceededWith(expected: unknown): R;
  /**
   * The invocation succeeded with a response containing these keys (toMatchObject-style).
   * @example expect(result).toHaveSucceededMatching({ order: { status: 'PAID' } });
   */
  toHaveSucceededMatching(expected: object): R;
  /**
   * The invocation failed (init or invoke phase); optionally with a message or `{ errorType, errorMessage }`.
   * @example expect(result).toHaveFailed({ errorType: 'ValidationError', errorMessage: /id/ });
   */
  toHaveFailed(expected?: ErrorExpectation): R;
  /**
   * The function's init phase failed.
   * @example expect(result).toHaveFailedInit({ errorType: 'Runtime.ImportModuleError' });
   */
  toHaveFailedInit(expected?: ErrorExpectation): R;
  /**
   * The invocation hit its timeout (Sandbox.Timedout).
   * @example expect(result).toHaveTimedOut();
   */
  toHaveTimedOut(): R;
  /**
   * The invocation was throttled (HTTP 429, the handler never ran).
   * @example expect(await fn.invoke(event)).toBeThrottled();
   */
  toBeThrottled(): R;
  /**
   * This invocation ran init (a cold start).
   * @example expect(first).toBeColdStart();
   */
  toBeColdStart(): R;
  /**
   * This invocation reused an initialised environment.
   * @example expect(second).toBeWarmStart();
   */
  toBeWarmStart(): R;
  /**
   * A cold start whose Init Duration is below the budget.
   * @example expect(first).toHaveInitDurationBelow(500);
   */
  toHaveInitDurationBelow(budgetMs: number): R;
  /**
   * The HTTP response (API Gateway v1/v2, ALB, Function URL) has this status code.
   * @example expect(result).toHaveStatusCode(201);
   */
  toHaveStatusCode(statusCode: number): R;
  /**
   * The HTTP response has this header (case-insensitive), optionally with this value.
   * @example expect(result).toHaveHeader('content-type', /json/);
   */
  toHaveHeader(name: string, value?: string | RegExp | unknown): R;
  /**
   * The HTTP response body parses as JSON equal to this value.
   * @example expect(result).toHaveJsonBody({ id: '42' });
   */
  toHaveJsonBody(expected: unknown): R;
  /**
   * The HTTP response sets this cookie, optionally with this value.
   * @example expect(result).toHaveCookie('session', expect.any(String));
   */
  toHaveCookie(name: string, value?: string | RegExp | unknown): R;
  /**
   * The HTTP response matches every part given; `integration` applies one service's rules.
   * @example expect(result).toHaveHttpResponse({ statusCode: 200, json: { ok: true } }, { integration: 'apigw-v1' });
   */
  toHaveHttpResponse(expected: HttpResponseExpectation, options?: HttpReadOptions): R;
  /**
   * Some captured line matches (substring, RegExp or matcher), optionally at a level.
   * @example expect(result).toHaveLogged(/order \d+ saved/, { level: 'INFO' });
   */
  toHaveLogged(expected: string | RegExp | unknown, options?: LogMatchOptions): R;
  /**
   * Some line carries a JSON object containing these keys.
   * @example expect(result).toHaveLoggedJson({ level: 'ERROR', message: expect.stringContaining('boom') });
   */
  toHaveLoggedJson(expected: Record<string, unknown>, options?: LogMatchOptions): R;
  /**
   * Lines matching each expectation appear in this order.
   * @example expect(result).toHaveLoggedInOrder(['start', /saved/, 'done']);
   */
  toHaveLoggedInOrder(expected: readonly (string | RegExp | unknown)[], options?: LogMatchOptions): R;
  /**
   * Nothing was logged at ERROR or FATAL.
   * @example expect(result).toHaveLoggedNoErrors();
   */
  toHaveLoggedNoErrors(): R;
  /**
   * The REPORT line's fields contain these values.
   * @example expect(result).toHaveReport({ memorySizeMB: 128, initDurationMs: undefined });
   */
  toHaveReport(expected: { readonly [K in keyof ReportFields]?: ReportFields[K] | unknown }): R;
  /**
   * The batch response reports exactly these failed items (ids or records, order ignored).
   * @example expect(result).toHaveBatchItemFailures([event.Records[1].messageId]);
   */
  toHaveBatchItemFailures(expected: readonly BatchItemRef[]): R;
  /**
   * A simulated item was retried this many times (delivered `times + 1` times): on the simulator
   * with the item id, or on `sim.history(id)`.
   * @example expect(sim).toHaveBeenRetried(messageId, 2);
   */
  toHaveBeenRetried(id: string, times: number): R;
  toHaveBeenRetried(times: number): R;
  /**
   * A simulated item ended in a dead-letter queue (SQS redrive DLQ or the async DLQ).
   * @example expect(sim).toHaveBeenDeadLettered(messageId);
   */
  toHaveBeenDeadLettered(id: string): R;
  toHaveBeenDeadLettered(): R;
  /**
   * An async event was sent to the OnSuccess or OnFailure destination.
   * @example expect(sim).toHaveBeenSentToDestination(requestId, 'OnFailure');
   */
  toHaveBeenSentToDestination(id: string, destination: 'OnSuccess' | 'OnFailure'): R;
  /**
   * A simulated item ended with this status.
   * @example expect(sim).toHaveEndedAs(messageId, 'succeeded');
   */
  toHaveEndedAs(id: string, status: ItemStatus): R;
  toHaveEndedAs(status: ItemStatus): R;
  /**
   * Every simulated item is in exactly one final place, none in flight; optionally with these counts.
   * @example expect(sim).toHaveAccountedForEveryMessage({ succeeded: 9, 'dead-lettered': 1 });
   */
  toHaveAccountedForEveryMessage(expected?: { readonly [S in ItemStatus]?: number }): R;
  /**
   * A streaming handler streamed this body (string exact, RegExp or asymmetric matcher), or exactly
   * these chunks in order when given an array.
   * @example expect(result).toHaveStreamed(['data: 1\n\n', 'data: 2\n\n']);
   */
  toHaveStreamed(
    expected: string | RegExp | readonly unknown[] | { asymmetricMatch(other: unknown): boolean },
  ): R;
  /**
   * The streamed response, as a Function URL (InvokeMode RESPONSE_STREAM) client gets it, matches
   * these parts (status and headers from the HttpResponseStream prelude).
   * @example expect(result).toHaveStreamedHttpResponse({ statusCode: 200, headers: { 'content-type': 'text/event-stream' } });
   */
  toHaveStreamedHttpResponse(expected: StreamedHttpResponseExpectation): R;
}
