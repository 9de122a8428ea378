/**
 * `import 'lambda-harness/jest'` in a Jest setup file (`setupFilesAfterEach`) registers every
 * lambda-harness matcher and the snapshot serializer on Jest's `expect`, and types them for both
 * `import { expect } from '@jest/globals'` and the global `expect` (@types/jest).
 *
 * @example
 * // jest.config.js: setupFilesAfterEach: ['lambda-harness/jest']
 * // or at the top of a test file:
 * import 'lambda-harness/jest';
 */
import { expect } from '@jest/globals';
import { lambdaMatchers, lambdaSnapshotSerializer } from '../matchers/index.js';
import type { LambdaMatchers } from '../matchers/types.js';

expect.extend(lambdaMatchers);
expect.addSnapshotSerializer(lambdaSnapshotSerializer);

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
