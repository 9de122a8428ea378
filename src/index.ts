// Public entry of lambda-harness. No side effects: runner integration lives in
// `lambda-harness/vitest` and `lambda-harness/jest`.

export type * from './contract/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export * from './invoke/index.js';
export * from './lifecycle/index.js';
export * from './logs/index.js';
export * from './matchers/index.js';
export * from './runtime/index.js';
export * from './sources/index.js';
export * from './template/index.js';
