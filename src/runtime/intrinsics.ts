/**
 * The built-ins the harness itself uses while a handler runs, captured at module load. A handler
 * (or its init) may replace `globalThis.Promise`, `JSON`, `Date`, `Buffer` or the timers for the
 * whole realm; the harness's own bookkeeping must keep working, so the engine's rooms import these
 * bindings under the same names (shadowing the globals in that module) instead of reading the
 * globals at call time.
 */
import { Buffer as NodeBuffer } from 'node:buffer';

const captured = globalThis;

/**
 * The Promise constructor as it was when lambda-harness loaded.
 *
 * @example
 * // with `Promise` imported from this module:
 * await new Promise((resolve) => setImmediate(resolve)); // works even if a handler replaced globalThis.Promise
 */
export const Promise: PromiseConstructor = captured.Promise;
/** The Promise type (the captured constructor builds the very same promises). */
export type Promise<T> = globalThis.Promise<T>;

/**
 * `JSON.parse` and `JSON.stringify` as they were when lambda-harness loaded.
 *
 * @example
 * // with `JSON` imported from this module:
 * JSON.stringify({ a: 1 }); // '{"a":1}' even if a handler replaced globalThis.JSON
 */
export const JSON: globalThis.JSON = Object.freeze({
  parse: captured.JSON.parse,
  stringify: captured.JSON.stringify,
  [Symbol.toStringTag]: 'JSON',
}) as globalThis.JSON;

/**
 * Node's Buffer (from node:buffer, never the replaceable global).
 *
 * @example
 * // with `Buffer` imported from this module:
 * Buffer.byteLength('é'); // 2
 */
export const Buffer: typeof NodeBuffer = NodeBuffer;
/** The Buffer type. */
export type Buffer = NodeBuffer;
