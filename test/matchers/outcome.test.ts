import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { HarnessError } from '../../src/errors/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { failureOf, passes } from './helpers.js';

const ok = () => invokeHandler(async () => ({ id: '42', items: [1, 2], nested: { a: 1, b: 2 } }), {});
const boom = () =>
  invokeHandler(async () => {
    throw new TypeError('boom: order 42 missing');
  }, {});
const slow = () =>
  invokeHandler(
    async () => new Promise((resolve) => setTimeout(resolve, 5_000)),
    {},
    {
      timeout: 1,
      clock: 'virtual',
    },
  );

describe('toHaveSucceeded / toHaveSucceededWith / toHaveSucceededMatching', () => {
  it('passes on success and fails on error, in both directions', async () => {
    const success = await ok();
    const failure = await boom();
    expect(success).toHaveSucceeded();
    expect(failure).not.toHaveSucceeded();
    expect(passes(() => expect(failure).toHaveSucceeded())).toBe(false);
    expect(passes(() => expect(success).not.toHaveSucceeded())).toBe(false);
  });

  it('compares the response exactly, with asymmetric matchers inside', async () => {
    const success = await ok();
    expect(success).toHaveSucceededWith({ id: '42', items: [1, 2], nested: { a: 1, b: 2 } });
    expect(success).toHaveSucceededWith({
      id: expect.any(String),
      items: [1, 2],
      nested: expect.objectContaining({ a: 1 }),
    });
    expect(success).not.toHaveSucceededWith({ id: '42' });
    expect(passes(() => expect(success).toHaveSucceededWith({ id: '43' }))).toBe(false);
  });

  it('compares the JSON-serialised response (undefined becomes null)', async () => {
    const result = await invokeHandler(async () => undefined, {});
    expect(result).toHaveSucceededWith(null);
  });

  it('matches a partial response', async () => {
    const success = await ok();
    expect(success).toHaveSucceededMatching({ nested: { b: 2 } });
    expect(success).toHaveSucceededMatching({ id: expect.stringMatching(/^\d+$/) });
    expect(success).not.toHaveSucceededMatching({ nested: { b: 3 } });
    expect(success).not.toHaveSucceededMatching({ items: [1] });
    expect(await boom()).not.toHaveSucceededMatching({ id: '42' });
  });

  it('returns actual and expected so the runner draws a diff', async () => {
    const success = await ok();
    let error: (Error & { actual?: unknown; expected?: unknown }) | undefined;
    try {
      expect(success).toHaveSucceededMatching({ nested: { a: 9 } });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.actual).toEqual({ nested: { a: 1 } });
    expect(error?.expected).toEqual({ nested: { a: 9 } });
  });
});

describe('toHaveFailed / toHaveFailedInit / toHaveTimedOut', () => {
  it('matches errorType and message (substring, RegExp, object form)', async () => {
    const failure = await boom();
    expect(failure).toHaveFailed();
    expect(failure).toHaveFailed('order 42');
    expect(failure).toHaveFailed(/missing$/);
    expect(failure).toHaveFailed({ errorType: 'TypeError' });
    expect(failure).toHaveFailed({ errorType: 'TypeError', errorMessage: /boom/ });
    expect(failure).toHaveFailed({ errorMessage: expect.stringContaining('42') });
    expect(failure).not.toHaveFailed({ errorType: 'RangeError' });
    expect(failure).not.toHaveFailed('nope');
    expect(await ok()).not.toHaveFailed();
  });

  it('does not count a timeout as a failure, and detects the timeout', async () => {
    const timedOut = await slow();
    expect(timedOut).toHaveTimedOut();
    expect(timedOut).not.toHaveFailed();
    expect(await ok()).not.toHaveTimedOut();
    expect(await boom()).not.toHaveTimedOut();
  });

  it('does not report an invoke-phase failure as an init failure', async () => {
    const failure = await boom();
    expect(failure).not.toHaveFailedInit();
  });

  it('rejects bad expectations with a HarnessError naming the argument', async () => {
    const failure = await boom();
    expect(() => expect(failure).toHaveFailed({ type: 'TypeError' } as never)).toThrow(HarnessError);
    expect(() => expect(failure).toHaveFailed({ type: 'TypeError' } as never)).toThrow(/expected\.type/);
    expect(() => expect(failure).toHaveFailed(42 as never)).toThrow(/toHaveFailed\(\): expected/);
  });

  it('rejects a received value that is not a result (even under .not)', () => {
    expect(() => expect({ statusCode: 200 }).toHaveSucceeded()).toThrow(/must be an invocation result/);
    expect(() => expect(Promise.resolve()).not.toHaveSucceeded()).toThrow(/received a Promise/);
  });
});

describe('cold and warm starts', () => {
  it('reads coldStart and the init duration', async () => {
    const cold = await invokeHandler(async () => 1, {}, { coldStart: true });
    const warm = await invokeHandler(async () => 1, {});
    expect(cold).toBeColdStart();
    expect(cold).not.toBeWarmStart();
    expect(warm).toBeWarmStart();
    expect(warm).not.toBeColdStart();
    expect(cold).toHaveInitDurationBelow(10_000);
    expect(cold).not.toHaveInitDurationBelow(0.0001);
    expect(warm).not.toHaveInitDurationBelow(10_000);
    expect(() => expect(cold).toHaveInitDurationBelow(-1)).toThrow(/budgetMs/);
  });

  it('explains a warm start that has no init duration', async () => {
    const warm = await invokeHandler(async () => 1, {});
    expect(failureOf(() => expect(warm).toHaveInitDurationBelow(100))).toContain('no init duration');
  });
});

describe('hints that lead to the fix', () => {
  it('prints the failing frame once after "at:", never "at:  at"', async () => {
    const result = await invokeHandler(async () => {
      throw new Error('boom');
    }, {});
    let message = '';
    try {
      expect(result).toHaveSucceeded();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ {2}at: {11}\S/);
    expect(message).not.toMatch(/at:\s+at /);
  });

  it('toBeColdStart / toBeWarmStart on an invokeHandler() result point to function instances', async () => {
    const result = await invokeHandler(async () => 'ok', {});
    const coldWarm = await invokeHandler(async () => 'ok', {}, { coldStart: true });
    for (const message of [
      failureOf(() => expect(result).toBeColdStart()),
      failureOf(() => expect(coldWarm).toBeWarmStart()),
    ]) {
      expect(message).toMatch(/This result comes from invokeHandler\(\), which has no function instance/);
      expect(message).toMatch(/createFunction\(/);
    }
  });
});
