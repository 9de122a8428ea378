import { type LambdaMatchers, lambdaMatchers } from 'lambda-harness/vitest';
import { describe, expect, expectTypeOf, it } from 'vitest';

describe('entry points', () => {
  it('exports the matcher object from lambda-harness/vitest', () => {
    expect(Object.keys(lambdaMatchers)).toContain('toHaveSucceeded');
    expectTypeOf<LambdaMatchers<void>['toHaveStatusCode']>().parameters.toEqualTypeOf<[statusCode: number]>();
  });
});
