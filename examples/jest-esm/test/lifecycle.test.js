import { describe, expect, it } from '@jest/globals';
import { createFunction, getModuleIsolation } from 'lambda-harness';

describe('createFunction under Jest, native ESM', () => {
  it('uses jest.isolateModulesAsync (registered by lambda-harness/jest) for cold starts', () => {
    expect(getModuleIsolation().name).toBe('jest');
  });
  it('keeps module state while warm and re-runs init on a new instance', async () => {
    const fn = createFunction({ handler: () => import('../src/counter.js') });
    const again = createFunction({ handler: () => import('../src/counter.js') });
    try {
      const cold = await fn.invoke({});
      const warm = await fn.invoke({});
      expect(cold).toBeColdStart();
      expect(cold).toHaveLogged('counter module loaded');
      expect(warm).toHaveSucceededWith({ count: 2 });
      const other = await again.invoke({});
      expect(other).toHaveSucceededWith({ count: 1 });
    } finally {
      await fn.dispose();
      await again.dispose();
    }
  });
});
