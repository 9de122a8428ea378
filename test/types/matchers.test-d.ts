import { describe, expect, expectTypeOf, it } from 'vitest';
import '../../src/vitest/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';
import { type LambdaMatchers, lambdaMatchers } from '../../src/matchers/index.js';

declare const result: InvocationResult;

describe('Vitest matcher types', () => {
  it('types every matcher on expect(...) and under .not', () => {
    expect(result).toHaveSucceeded();
    expect(result).not.toHaveSucceeded();
    expect(result).toHaveSucceededWith({ id: expect.any(String) });
    expect(result).toHaveSucceededMatching({ nested: { a: 1 } });
    expect(result).toHaveFailed();
    expect(result).toHaveFailed('boom');
    expect(result).toHaveFailed(/boom/);
    expect(result).toHaveFailed({ errorType: 'TypeError', errorMessage: /boom/ });
    expect(result).toHaveFailedInit({ errorType: 'Runtime.ImportModuleError' });
    expect(result).toHaveTimedOut();
    expect(result).toBeThrottled();
    expect(result).toBeColdStart();
    expect(result).toBeWarmStart();
    expect(result).toHaveInitDurationBelow(500);
    expect(result).toHaveStatusCode(200);
    expect(result).toHaveHeader('content-type');
    expect(result).toHaveHeader('content-type', /json/);
    expect(result).toHaveJsonBody({ ok: true });
    expect(result).toHaveCookie('sid', expect.any(String));
    expect(result).toHaveHttpResponse({ statusCode: 200, headers: { etag: /"/ }, json: { ok: true } });
    expect(result).toHaveLogged('x', { level: 'WARN' });
    expect(result).toHaveLoggedJson({ event: 'saved' }, { level: 'INFO' });
    expect(result).toHaveLoggedInOrder(['a', /b/]);
    expect(result).toHaveLoggedNoErrors();
    expect(result).toHaveReport({ memorySizeMB: 128, initDurationMs: expect.any(Number) });
    expect(result).toHaveBatchItemFailures(['m-1', { messageId: 'm-2' }]);
    expectTypeOf(expect(result).toHaveSucceeded()).toEqualTypeOf<void>();
  });

  it('types the simulator matchers', () => {
    const sim = {} as unknown;
    expect(sim).toHaveBeenRetried('m-1', 2);
    expect(sim).toHaveBeenRetried(2);
    expect(sim).toHaveBeenDeadLettered('m-1');
    expect(sim).toHaveBeenSentToDestination('e-1', 'OnFailure');
    expect(sim).toHaveEndedAs('m-1', 'succeeded');
    expect(sim).toHaveAccountedForEveryMessage({ succeeded: 9, 'dead-lettered': 1 });
    // @ts-expect-error unknown status
    expect(sim).toHaveEndedAs('m-1', 'gone');
    // @ts-expect-error unknown destination
    expect(sim).toHaveBeenSentToDestination('e-1', 'OnError');
    // @ts-expect-error unknown status key
    expect(sim).toHaveAccountedForEveryMessage({ lost: 0 });
  });

  it('returns a promise after .resolves', () => {
    const pending = Promise.resolve(result);
    expectTypeOf(expect(pending).resolves.toHaveSucceeded()).toExtend<Promise<unknown>>();
  });

  it('rejects misuse', () => {
    // @ts-expect-error the status code is a number
    expect(result).toHaveStatusCode('200');
    // @ts-expect-error unknown log level
    expect(result).toHaveLogged('x', { level: 'LOUD' });
    // @ts-expect-error unknown option
    expect(result).toHaveLogged('x', { levle: 'INFO' });
    // @ts-expect-error toHaveSucceeded takes no argument
    expect(result).toHaveSucceeded(1);
    // @ts-expect-error the budget is a number of ms
    expect(result).toHaveInitDurationBelow('1s');
    // @ts-expect-error unknown REPORT field
    expect(result).toHaveReport({ memory: 1 });
    // @ts-expect-error unknown HTTP expectation key
    expect(result).toHaveHttpResponse({ status: 200 });
    // @ts-expect-error not a matcher
    expect(result).toHaveSucceded();
  });

  it('exports the matcher object and interface for use one by one', () => {
    expectTypeOf(lambdaMatchers.toHaveSucceeded).toBeFunction();
    expectTypeOf<LambdaMatchers<void>['toHaveStatusCode']>().parameters.toEqualTypeOf<[statusCode: number]>();
  });
});
