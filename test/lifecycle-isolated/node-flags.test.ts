import { describe, expect, it } from 'vitest';
import { runtimeNodeFlags } from '../../src/lifecycle/isolated/instance.js';

describe('node flags of the runtime profiles', () => {
  it('starts nodejs22.x and nodejs20.x as Lambda does, and nodejs24.x without module-syntax detection', () => {
    expect(runtimeNodeFlags('nodejs22.x', undefined)).toEqual([
      '--no-experimental-require-module',
      '--no-experimental-detect-module',
    ]);
    expect(runtimeNodeFlags('nodejs20.x', undefined)).toEqual(['--no-experimental-require-module']);
    expect(runtimeNodeFlags('nodejs24.x', undefined)).toEqual(['--no-experimental-detect-module']);
    expect(runtimeNodeFlags(undefined, undefined)).toEqual([]);
  });

  it("leaves a flag out when the function's NODE_OPTIONS turns the feature back on", () => {
    expect(runtimeNodeFlags('nodejs22.x', '--enable-source-maps --experimental-require-module')).toEqual([
      '--no-experimental-detect-module',
    ]);
  });
});
