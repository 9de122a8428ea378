import { createFunction, getModuleIsolation } from 'lambda-harness';
import { describe, expect, it } from 'vitest';

describe('createFunction under Vitest (isolation registered by lambda-harness/vitest)', () => {
  it('uses vi.resetModules for cold starts', () => {
    expect(getModuleIsolation().name).toBe('vitest');
  });

  it('keeps module state while warm and re-runs init on a new instance', async () => {
    const fn = createFunction({ handler: () => import('../src/counter.js') });
    const again = createFunction({ handler: () => import('../src/counter.js') });
    try {
      const cold = await fn.invoke({});
      const warm = await fn.invoke({});
      expect(cold).toBeColdStart();
      expect(cold).toHaveLogged('counter module loaded');
      expect(warm).toBeWarmStart();
      expect(warm).toHaveSucceededWith({ count: 2 });
      expect(await again.invoke({})).toHaveSucceededWith({ count: 1 });
    } finally {
      await fn.dispose();
      await again.dispose();
    }
  });
});
