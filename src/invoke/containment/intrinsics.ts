/** Built-ins the containment code uses, captured at load (a handler may replace the globals). */
const R = globalThis.Reflect;

/**
 * The Reflect functions containment uses, as they were when lambda-harness loaded.
 *
 * @example
 * Reflect.ownKeys(globalThis);
 */
export const Reflect = Object.freeze({
  ownKeys: R.ownKeys,
  getOwnPropertyDescriptor: R.getOwnPropertyDescriptor,
  defineProperty: R.defineProperty,
  deleteProperty: R.deleteProperty,
  apply: R.apply,
});
