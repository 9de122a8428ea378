/**
 * `import 'lambda-harness/jest'` in a Jest setup file (`setupFilesAfterEnv`) registers every
 * lambda-harness matcher and the snapshot serializer on Jest's `expect`, types them for both
 * `import { expect } from '@jest/globals'` and the global `expect` (@types/jest), and makes
 * `createFunction()` cold starts reload modules through `jest.isolateModulesAsync()`.
 *
 * @example
 * // jest.config.js: setupFilesAfterEnv: ['lambda-harness/jest']
 * // or at the top of a test file:
 * import 'lambda-harness/jest';
 */
import { expect, jest as jestApi } from '@jest/globals';
import { setModuleIsolation } from '../lifecycle/index.js';
import { lambdaMatchers, lambdaSnapshotSerializer } from '../matchers/index.js';
import type { LambdaMatchers } from '../matchers/types.js';

expect.extend(lambdaMatchers);
expect.addSnapshotSerializer(lambdaSnapshotSerializer);

// A cold start of createFunction() re-evaluates the handler's modules: in Jest that is an isolated
// module registry (jest.mock() registrations stay in force inside it).
setModuleIsolation({
  name: 'jest',
  load: async (loader) => {
    let loaded: unknown;
    await jestApi.isolateModulesAsync(async () => {
      loaded = await loader();
    });
    return loaded;
  },
});

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends LambdaMatchers<R> {}
}

declare global {
  namespace jest {
    interface Matchers<R, T = {}> extends LambdaMatchers<R> {}
  }
}

export type { LambdaMatchers };
export { lambdaMatchers, lambdaSnapshotSerializer };
