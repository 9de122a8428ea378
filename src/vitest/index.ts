/**
 * `import 'lambda-harness/vitest'` in a Vitest setup file registers every lambda-harness matcher
 * and the snapshot serializer on Vitest's `expect`, types them on `expect(...)` for Vitest 4
 * and 5, and makes `createFunction()` cold starts reload modules through `vi.resetModules()`. This file and `src/jest/` are the only places that import a test runner.
 *
 * @example
 * // vitest.config.ts: test: { setupFiles: ['lambda-harness/vitest'] }
 * // or at the top of a test file:
 * import 'lambda-harness/vitest';
 */
import { expect, vi } from 'vitest';
import { setModuleIsolation } from '../lifecycle/index.js';
import { lambdaMatchers, lambdaSnapshotSerializer } from '../matchers/index.js';
import type { LambdaMatchers } from '../matchers/types.js';

expect.extend(lambdaMatchers);
expect.addSnapshotSerializer(lambdaSnapshotSerializer);

// A cold start of createFunction() re-evaluates the handler's modules: in Vitest that is a module
// registry reset (vi.mock() factories stay in force and apply to the fresh graph).
setModuleIsolation({
  name: 'vitest',
  load: async (loader) => {
    vi.resetModules();
    return loader();
  },
});

// Vitest 4 declares `Matchers<T>` and Vitest 5 `Matchers<R, T>`: an interface merge must repeat the
// exact type parameters, so no single `Matchers` augmentation fits both. Both versions build
// `expect(x)` from the Chai assertion's members (methods kept as-is, promisified after
// `.resolves`/`.rejects`), so the matchers are declared there once. See the "Types" notes in
// docs/matchers.md.
declare global {
  namespace Chai {
    interface Assertion extends LambdaMatchers<void> {}
  }
}

export type { LambdaMatchers };
export { lambdaMatchers, lambdaSnapshotSerializer };
