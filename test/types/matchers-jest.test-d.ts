/// <reference types="jest" />
// Jest 30 typing: `import { expect } from '@jest/globals'` and the global `expect` from @types/jest.
import { expect as jestExpect } from '@jest/globals';
import { describe, expectTypeOf, it } from 'vitest';
import '../../src/jest/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

declare const result: InvocationResult;

describe('Jest matcher types', () => {
  it('types the matchers on @jest/globals expect', () => {
    jestExpect(result).toHaveSucceeded();
    jestExpect(result).not.toHaveFailed({ errorType: 'TypeError' });
    jestExpect(result).toHaveStatusCode(200);
    jestExpect(result).toHaveLogged(/x/, { level: 'ERROR' });
    expectTypeOf(jestExpect(Promise.resolve(result)).resolves.toHaveSucceeded()).toEqualTypeOf<
      Promise<void>
    >();
    // @ts-expect-error the status code is a number
    jestExpect(result).toHaveStatusCode('200');
  });

  it('types the matchers on the global expect of @types/jest', () => {
    const g = globalThis as unknown as { expect: jest.Expect };
    g.expect(result).toHaveBatchItemFailures(['m-1']);
    g.expect(result).not.toBeColdStart();
    // @ts-expect-error unknown log level
    g.expect(result).toHaveLogged('x', { level: 'LOUD' });
  });
});
