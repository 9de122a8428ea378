// Isolated mode straight from the TypeScript sources (as `tsx src/cli/index.ts` and the demo run
// it): the child is src/lifecycle/isolated/child.ts, started through tsx.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIsolatedFunction } from '../../src/lifecycle/isolated/index.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/cli');

describe('isolated mode from source', { timeout: 60_000 }, () => {
  it('runs a handler in a child process started through tsx', async () => {
    const fn = createIsolatedFunction({ file: join(FIXTURES, 'echo.mjs'), functionName: 'from-source' });
    try {
      const result = await fn.invoke({ hello: 'world' });
      expect(result.outcome).toBe('success');
      expect(result.outcome === 'success' && result.response).toEqual({
        ok: true,
        invocations: 1,
        echo: { hello: 'world' },
      });
      expect(result.functionName).toBe('from-source');
      expect(result.coldStart).toBe(true);
    } finally {
      await fn.dispose();
    }
  });
});
