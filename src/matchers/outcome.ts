import type { ErrorPayload } from '../contract/result.js';
import {
  isAsymmetricMatcher,
  type MatcherContext,
  type MatcherResult,
  matchesPartial,
  matchesText,
  pickExpectedShape,
} from './context.js';
import {
  badArgument,
  buildResult,
  describeOutcome,
  outcomeWord,
  requireFunctionResult,
  requireResult,
} from './message.js';

/** Results of `fn.invoke()` name the instance that ran them; `invokeHandler()` results do not. */
function isFunctionInstanceResult(result: object): boolean {
  return 'instanceId' in result;
}

const FROM_INVOKE_HANDLER =
  "This result comes from invokeHandler(), which has no function instance: coldStart is true only with { coldStart: true }. For real cold and warm starts, create an instance and invoke it: const fn = createFunction({ handler: () => import('./handler.js') }); await fn.invoke(event).";

/**
 * What a failure is expected to look like: a message (string = substring, RegExp, or asymmetric
 * matcher), or an object naming `errorType` and/or `errorMessage`.
 *
 * @example
 * expect(result).toHaveFailed({ errorType: 'ValidationError', errorMessage: /missing id/ });
 */
export type ErrorExpectation =
  | string
  | RegExp
  | {
      readonly errorType?: string | RegExp | unknown;
      readonly errorMessage?: string | RegExp | unknown;
    };

function errorMatches(
  ctx: MatcherContext,
  error: ErrorPayload,
  expected: ErrorExpectation | undefined,
): boolean {
  if (expected === undefined) return true;
  if (typeof expected === 'string' || expected instanceof RegExp || isAsymmetricMatcher(expected)) {
    return matchesText(ctx.equals, error.errorMessage, expected, 'contains');
  }
  if ('errorType' in expected && !matchesText(ctx.equals, error.errorType, expected.errorType, 'exact')) {
    return false;
  }
  if (
    'errorMessage' in expected &&
    !matchesText(ctx.equals, error.errorMessage, expected.errorMessage, 'contains')
  ) {
    return false;
  }
  return true;
}

function startWord(result: { coldStart: boolean; initDurationMs: number | undefined }): string {
  if (!result.coldStart) return 'a warm start (no init ran)';
  return result.initDurationMs === undefined
    ? 'a cold start'
    : `a cold start, Init Duration: ${result.initDurationMs.toFixed(2)} ms`;
}

function checkErrorExpectation(name: string, expected: unknown): ErrorExpectation | undefined {
  if (expected === undefined) return undefined;
  if (typeof expected === 'string' || expected instanceof RegExp || isAsymmetricMatcher(expected)) {
    return expected as ErrorExpectation;
  }
  if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
    const keys = Object.keys(expected);
    const unknownKey = keys.find((k) => k !== 'errorType' && k !== 'errorMessage');
    if (unknownKey !== undefined || keys.length === 0) {
      badArgument(
        name,
        unknownKey ? `expected.${unknownKey}` : 'expected',
        'an object with errorType and/or errorMessage',
        expected,
      );
    }
    return expected as ErrorExpectation;
  }
  return badArgument(
    name,
    'expected',
    'a message (string or RegExp) or { errorType, errorMessage }',
    expected,
  );
}

function printErrorExpectation(ctx: MatcherContext, expected: ErrorExpectation | undefined): string {
  return expected === undefined ? '' : ctx.utils.printExpected(expected);
}

/**
 * Matchers over an invocation's outcome: success, response value, failure, timeout, init failure,
 * throttling and cold/warm start. Each is a plain function using the runner's `this`.
 */
export const outcomeMatchers = {
  /** Passes when the invocation succeeded (whatever it returned). */
  toHaveSucceeded(this: MatcherContext, received: unknown): MatcherResult {
    const result = requireFunctionResult('toHaveSucceeded', received);
    return buildResult(this, result.outcome === 'success', {
      name: 'toHaveSucceeded',
      expectation: ['the invocation to succeed', 'the invocation not to succeed'],
      received: describeOutcome(this, result),
      logs: result.outcome === 'throttled' ? undefined : result.logs,
      hint:
        result.outcome === 'success'
          ? 'The handler returned normally; use toHaveFailed() to assert an error instead.'
          : `The invocation ${outcomeWord(result)}; the error and the captured logs above show why.`,
    });
  },

  /** Passes when the invocation succeeded with exactly this response (asymmetric matchers allowed). */
  toHaveSucceededWith(this: MatcherContext, received: unknown, expected: unknown): MatcherResult {
    const result = requireFunctionResult('toHaveSucceededWith', received);
    const succeeded = result.outcome === 'success';
    const pass = succeeded && this.equals(result.response, expected);
    return buildResult(this, pass, {
      name: 'toHaveSucceededWith',
      expectedLabel: 'expected',
      expectation: [
        `the invocation to succeed with ${this.utils.printExpected(expected)}`,
        `the invocation not to succeed with ${this.utils.printExpected(expected)}`,
      ],
      received: describeOutcome(this, result),
      logs: succeeded || result.outcome === 'throttled' ? undefined : result.logs,
      hint: succeeded
        ? 'The response is compared after JSON serialisation, as the invoker receives it (undefined becomes null, Dates become strings). Use toHaveSucceededMatching() for a partial match.'
        : `The invocation ${outcomeWord(result)}, so there is no response to compare.`,
      ...(succeeded ? { actual: result.response, expected } : {}),
    });
  },

  /** Passes when the invocation succeeded with a response containing `expected` (toMatchObject-style). */
  toHaveSucceededMatching(this: MatcherContext, received: unknown, expected: unknown): MatcherResult {
    const result = requireFunctionResult('toHaveSucceededMatching', received);
    if (typeof expected !== 'object' || expected === null) {
      badArgument('toHaveSucceededMatching', 'expected', 'an object or array', expected);
    }
    const succeeded = result.outcome === 'success';
    const pass = succeeded && matchesPartial(this.equals, result.response, expected);
    return buildResult(this, pass, {
      name: 'toHaveSucceededMatching',
      expectedLabel: 'expected',
      expectation: [
        `the invocation to succeed with a response matching ${this.utils.printExpected(expected)}`,
        `the invocation not to succeed with a response matching ${this.utils.printExpected(expected)}`,
      ],
      received: describeOutcome(this, result),
      logs: succeeded || result.outcome === 'throttled' ? undefined : result.logs,
      hint: succeeded
        ? 'Only the keys you list are compared; arrays must have the same length.'
        : `The invocation ${outcomeWord(result)}, so there is no response to compare.`,
      ...(succeeded ? { actual: pickExpectedShape(result.response, expected), expected } : {}),
    });
  },

  /**
   * Passes when the invocation failed (in init or invoke, not a timeout) and, if given, the error
   * matches: a string is a substring of errorMessage, a RegExp is tested against it, an object
   * names `errorType` (exact) and/or `errorMessage`.
   */
  toHaveFailed(this: MatcherContext, received: unknown, expected?: ErrorExpectation): MatcherResult {
    const result = requireResult('toHaveFailed', received);
    const exp = checkErrorExpectation('toHaveFailed', expected);
    const pass = result.outcome === 'error' && errorMatches(this, result.error, exp);
    const what = exp === undefined ? 'the invocation to fail' : 'the invocation to fail with';
    const whatNot = exp === undefined ? 'the invocation not to fail' : 'the invocation not to fail with';
    return buildResult(this, pass, {
      name: 'toHaveFailed',
      expectedLabel: exp === undefined ? '' : 'expected',
      expectation: [
        `${what} ${printErrorExpectation(this, exp)}`.trim(),
        `${whatNot} ${printErrorExpectation(this, exp)}`.trim(),
      ],
      received: describeOutcome(this, result),
      logs: result.logs,
      hint:
        result.outcome === 'timeout'
          ? 'A timeout is not a handler error: use toHaveTimedOut().'
          : result.outcome === 'success'
            ? 'The handler did not throw or reject. errorType is err.name (a subclass that does not set name reports "Error").'
            : 'errorType is err.name as the runtime serialises it; errorMessage strings match as substrings.',
      ...(result.outcome === 'error' &&
      exp !== undefined &&
      typeof exp === 'object' &&
      !(exp instanceof RegExp)
        ? { actual: pickExpectedShape(result.error, exp), expected: exp }
        : {}),
    });
  },

  /** Passes when the function's init phase failed (module load, top-level code, handler lookup). */
  toHaveFailedInit(this: MatcherContext, received: unknown, expected?: ErrorExpectation): MatcherResult {
    const result = requireResult('toHaveFailedInit', received);
    const exp = checkErrorExpectation('toHaveFailedInit', expected);
    const pass =
      result.outcome === 'error' && result.phase === 'init' && errorMatches(this, result.error, exp);
    return buildResult(this, pass, {
      name: 'toHaveFailedInit',
      expectedLabel: exp === undefined ? '' : 'expected',
      expectation: [
        `init to fail ${printErrorExpectation(this, exp)}`.trim(),
        `init not to fail ${printErrorExpectation(this, exp)}`.trim(),
      ],
      received: describeOutcome(this, result),
      logs: result.logs,
      hint:
        result.outcome === 'error' && result.phase === 'invoke'
          ? 'The module loaded; the handler itself failed. Use toHaveFailed() for that.'
          : 'Init errors include Runtime.ImportModuleError, Runtime.HandlerNotFound and errors thrown by top-level code.',
    });
  },

  /** Passes when the invocation hit its timeout (Sandbox.Timedout). */
  toHaveTimedOut(this: MatcherContext, received: unknown): MatcherResult {
    const result = requireResult('toHaveTimedOut', received);
    return buildResult(this, result.outcome === 'timeout', {
      name: 'toHaveTimedOut',
      expectation: ['the invocation to time out', 'the invocation not to time out'],
      received: [...describeOutcome(this, result), `  Duration: ${result.durationMs.toFixed(2)} ms`],
      logs: result.logs,
      hint:
        result.outcome === 'timeout'
          ? 'The handler was still running at the deadline; raise the timeout option or await less.'
          : 'Set a short `timeout` (seconds) on the function and make sure the handler awaits the slow work.',
    });
  },

  /** Passes when the invocation was rejected with HTTP 429 because concurrency was exhausted. */
  toBeThrottled(this: MatcherContext, received: unknown): MatcherResult {
    const result = requireFunctionResult('toBeThrottled', received);
    return buildResult(this, result.outcome === 'throttled', {
      name: 'toBeThrottled',
      expectation: ['the invocation to be throttled', 'the invocation not to be throttled'],
      received: describeOutcome(this, result),
      hint: 'Throttling happens when reserved concurrency is 0 or every environment is busy.',
    });
  },

  /** Passes when this invocation ran the function's init (a cold start). On an invokeHandler() result the hint points to function instances. */
  toBeColdStart(this: MatcherContext, received: unknown): MatcherResult {
    const result = requireResult('toBeColdStart', received);
    return buildResult(this, result.coldStart, {
      name: 'toBeColdStart',
      expectation: ['a cold start (init ran for this invocation)', 'not a cold start'],
      received: [`Received: ${startWord(result)}`],
      hint: isFunctionInstanceResult(result)
        ? 'A fresh function instance cold-starts once; after a crash, timeout or process exit the next invocation cold-starts again.'
        : FROM_INVOKE_HANDLER,
    });
  },

  /** Passes when this invocation reused an initialised environment (a warm start). */
  toBeWarmStart(this: MatcherContext, received: unknown): MatcherResult {
    const result = requireResult('toBeWarmStart', received);
    return buildResult(this, !result.coldStart, {
      name: 'toBeWarmStart',
      expectation: ['a warm start (the environment was reused)', 'not a warm start'],
      received: [`Received: ${startWord(result)}`],
      hint: isFunctionInstanceResult(result)
        ? 'Warm starts need the same function instance: invoke it twice.'
        : FROM_INVOKE_HANDLER,
    });
  },

  /** Passes when the invocation was a cold start whose init took less than `budgetMs`. */
  toHaveInitDurationBelow(this: MatcherContext, received: unknown, budgetMs: number): MatcherResult {
    const result = requireResult('toHaveInitDurationBelow', received);
    if (typeof budgetMs !== 'number' || !Number.isFinite(budgetMs) || budgetMs <= 0) {
      badArgument('toHaveInitDurationBelow', 'budgetMs', 'a positive number of milliseconds', budgetMs);
    }
    const init = result.initDurationMs;
    const pass = init !== undefined && init < budgetMs;
    return buildResult(this, pass, {
      name: 'toHaveInitDurationBelow',
      expectedLabel: 'budgetMs',
      expectation: [`an init duration below ${budgetMs} ms`, `an init duration of at least ${budgetMs} ms`],
      received: [
        init === undefined
          ? 'Received: no init duration (a warm start, so no init ran)'
          : `Received: a cold start, Init Duration: ${init.toFixed(2)} ms`,
      ],
      hint:
        init === undefined
          ? 'Only cold starts carry an init duration; assert on the first invocation of a function.'
          : 'Init is the module top-level code; move heavy work into the handler or make it lazy.',
    });
  },
};
