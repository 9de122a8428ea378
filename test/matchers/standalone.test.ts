// The matchers are plain functions of the `this` that expect.extend provides: they work one by
// one, outside any runner, with the colourless plainMatcherUtils.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';
import { lambdaMatchers, type MatcherContext, plainMatcherUtils } from '../../src/matchers/index.js';

const ctx = (isNot = false): MatcherContext => ({
  isNot,
  equals: isDeepStrictEqual,
  utils: plainMatcherUtils,
});

describe('matchers without a runner', () => {
  it('return pass and a message; pass is the plain truth under .not too', async () => {
    const result = await invokeHandler(async () => ({ ok: true }), {});
    const positive = lambdaMatchers.toHaveSucceededWith.call(ctx(), result, { ok: true });
    const negated = lambdaMatchers.toHaveSucceededWith.call(ctx(true), result, { ok: true });
    expect(positive.pass).toBe(true);
    expect(negated.pass).toBe(true);
    expect(negated.message()).toMatch(/^expect\(result\)\.not\.toHaveSucceededWith\(expected\)/);
    expect(negated.actual).toEqual({ ok: true });
  });

  it('can be registered one by one', async () => {
    const result = await invokeHandler(async () => {
      throw new Error('x');
    }, {});
    const failed = lambdaMatchers.toHaveFailed.call(ctx(), result, 'x');
    const succeeded = lambdaMatchers.toHaveSucceeded.call(ctx(), result);
    expect(failed.pass).toBe(true);
    expect(succeeded.pass).toBe(false);
    expect(succeeded.message()).toContain('Received: error in the invoke phase');
  });
});
