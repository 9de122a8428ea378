import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFunction, type LambdaFunction } from '../../src/lifecycle/index.js';
import { succeeded, vitestIsolation } from './helpers.js';

const priceMock = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../fixtures/lifecycle/price.js', () => ({
  price: () => {
    priceMock.calls += 1;
    return 42;
  },
}));

const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

describe('module mocks', () => {
  it('vi.mock of a module the handler imports survives cold starts', async () => {
    const fn = createFunction({
      handler: () => import('../fixtures/lifecycle/multi.js'),
      handlerName: 'multi.handler',
      isolation: vitestIsolation,
    });
    fns.push(fn);
    const first = succeeded<{ price: number; entryCalls: number }>(await fn.invoke({}));
    fn.forceColdStart();
    const second = succeeded<{ price: number; entryCalls: number }>(await fn.invoke({}));

    expect(first.response).toMatchObject({ price: 42, entryCalls: 1 });
    expect(second.coldStart).toBe(true);
    expect(second.response).toMatchObject({ price: 42, entryCalls: 1 });
    expect(priceMock.calls).toBe(2);
  });
});
