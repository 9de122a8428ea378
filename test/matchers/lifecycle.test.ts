import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { createFunction, getModuleIsolation } from '../../src/lifecycle/index.js';
import { failureOf } from './helpers.js';

describe('matchers over createFunction() results', () => {
  it('registers the Vitest module isolation from the runner entry', () => {
    expect(getModuleIsolation().name).toBe('vitest');
  });

  it('sees cold then warm starts, with module state kept while warm', async () => {
    const fn = createFunction({ handler: () => import('./fixtures/counter.js') });
    try {
      const cold = await fn.invoke({});
      const warm = await fn.invoke({});
      expect(cold).toBeColdStart();
      expect(cold).toHaveInitDurationBelow(10_000);
      expect(cold).toHaveLogged('init counter');
      expect(cold).toHaveReport({ initDurationMs: expect.any(Number) });
      expect(warm).toBeWarmStart();
      expect(warm).toHaveSucceededWith({ invocations: 2 });
      expect(warm).toHaveReport({ initDurationMs: undefined });
    } finally {
      await fn.dispose();
    }
  });

  it('reports an init failure', async () => {
    const fn = createFunction({ handler: () => import('./fixtures/broken-init.js') });
    try {
      const result = await fn.invoke({});
      expect(result).toHaveFailedInit();
      expect(result).toHaveFailedInit('TABLE_NAME');
      expect(result).toHaveFailed({ errorMessage: /config missing/ });
      expect(result).not.toHaveSucceeded();
      expect(failureOf(() => expect(result).toHaveSucceeded())).toContain('error in the init phase');
    } finally {
      await fn.dispose();
    }
  });

  it('reports throttling', async () => {
    const fn = createFunction({ handler: () => import('./fixtures/counter.js'), reservedConcurrency: 0 });
    try {
      const result = await fn.invoke({});
      expect(result).toBeThrottled();
      expect(result).not.toHaveSucceeded();
      expect(failureOf(() => expect(result).toHaveSucceeded())).toContain('throttled');
    } finally {
      await fn.dispose();
    }
  });
});

describe('a throttled result given to a matcher that needs a run', () => {
  it('explains that the handler never ran', async () => {
    const fn = createFunction({ handler: () => import('./fixtures/counter.js'), reservedConcurrency: 0 });
    try {
      const result = await fn.invoke({});
      expect(() => expect(result).toHaveLogged('x')).toThrow(/throttled invocation \(HTTP 429\)/);
      expect(() => expect(result).not.toHaveFailed()).toThrow(/toBeThrottled/);
    } finally {
      await fn.dispose();
    }
  });
});
