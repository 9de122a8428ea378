import { createFunction, getModuleIsolation } from 'lambda-harness';

describe('createFunction under Jest (isolation registered by lambda-harness/jest)', () => {
  it('uses jest.isolateModulesAsync for cold starts', () => {
    expect(getModuleIsolation().name).toBe('jest');
  });

  it('keeps module state while warm and re-runs init on a new instance', async () => {
    const fn = createFunction({ handler: () => require('../src/counter') });
    const again = createFunction({ handler: () => require('../src/counter') });
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
