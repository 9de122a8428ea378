import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the harness attaches to the async context of one invocation (or init phase). Every patch
 * the harness installs (env view, console, stdout, crash routing, virtual timers) looks up the
 * current scope here, so overlapping invocations never see each other's state.
 *
 * @example
 * invocationScope.getStore()?.requestId; // the request id of the code running now, if any
 */
export interface InvocationScope {
  /** Request id used to attribute logs; undefined during init. */
  requestId: string | undefined;
  /** The environment the handler sees through `process.env`. */
  env: EnvLayer | undefined;
  /** Log sink (owned by src/logs). */
  sink: unknown;
  /** Per-invocation engine state (owned by src/invoke). */
  state: unknown;
}

/**
 * The process.env view of one invocation: values set on top of the real env (looked up with `in`,
 * so `values` may inherit from a shared null-prototype base object), and deletions.
 *
 * @example
 * const layer: EnvLayer = { values: { AWS_REGION: 'us-east-1' }, deleted: new Set(['HOME']) };
 */
export interface EnvLayer {
  readonly values: Record<string, string>;
  readonly deleted: Set<string>;
}

/**
 * The one AsyncLocalStorage carrying the current invocation scope.
 *
 * @example
 * invocationScope.getStore()?.requestId; // inside a handler: its request id
 */
export const invocationScope: AsyncLocalStorage<InvocationScope> = new AsyncLocalStorage<InvocationScope>();

/**
 * Run `fn` outside any invocation scope (the store is undefined inside), for the harness's own
 * timers. Cheaper than `AsyncLocalStorage#exit`, which toggles the promise hooks on Node 20.
 *
 * @example
 * outsideScope(() => setTimeout(check, 10));
 */
export function outsideScope<T>(fn: () => T): T {
  if (invocationScope.getStore() === undefined) return fn();
  return invocationScope.run(undefined as unknown as InvocationScope, fn);
}
