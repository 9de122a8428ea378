import { expect, vi } from 'vitest';
import type { FunctionResult, ModuleIsolation } from '../../src/lifecycle/index.js';

/** What `lambda-harness/vitest` registers; passed explicitly so these tests need no setup file. */
export const vitestIsolation: ModuleIsolation = {
  name: 'vitest',
  load: async (loader) => {
    vi.resetModules();
    return loader();
  },
};

type NotThrottled = Exclude<FunctionResult, { outcome: 'throttled' }>;

/** Assert a successful invocation and return it with its response typed. */
export function succeeded<T = Record<string, unknown>>(
  result: FunctionResult,
): Extract<NotThrottled, { outcome: 'success' }> & { response: T } {
  if (result.outcome !== 'success') {
    expect.fail(`expected success, got ${result.outcome}: ${JSON.stringify(result.error)}`);
  }
  return result as Extract<NotThrottled, { outcome: 'success' }> & { response: T };
}

/** Assert the invocation reached an instance (not throttled) and return it. */
export function ran(result: FunctionResult): NotThrottled {
  if (result.outcome === 'throttled') expect.fail('expected the invocation to run, it was throttled');
  return result as NotThrottled;
}

export function texts(result: NotThrottled): string[] {
  return result.logs.map((l) => l.text);
}
