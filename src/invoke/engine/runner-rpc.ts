/**
 * Module loading that the test runner does over its RPC. Under Vitest, a handler file is
 * transformed by Vitest's module runner: its `import()` asks the main process for the module
 * (`fetch`, `resolve` calls over the worker's RPC channel) and evaluates the answer. That I/O is
 * the runner's (its channel was opened outside any environment), so the async hook never sees it
 * as the environment's work, and a handler awaiting such an import would look like an empty event
 * loop. On Lambda the same import is the runtime's own module loading, which keeps the loop alive.
 *
 * So the runner's module-loading requests made from an environment's async context (its init, its
 * invocations, callbacks of work they started) count as that environment's pending work until
 * their answer arrives. Requests made from anywhere else (the test, the runner itself, another
 * environment) are not looked at. Nothing here imports a test runner: the runner's RPC is found on
 * the worker-state global Vitest sets in its workers (`__vitest_worker__.rpc`).
 */
import { invocationScope } from '../../runtime/scope.js';
import { EnvironmentWork } from './work.js';

/** The RPC calls of Vitest's module runner that load modules (Vitest 4: fetch / resolve; 3: also resolveId, transform). */
const MODULE_LOADING_CALLS = new Set(['fetch', 'resolve', 'resolveId', 'transform']);

type Rpc = Record<string | symbol, unknown>;
type WorkerState = { rpc?: unknown };

/** The last RPC object installed by this module (a new Vitest worker state brings a new one). */
let installed: unknown;
/** Module-loading calls under way through one of this module's wrappers (synchronous part). */
let counting = 0;

function environmentWork(): EnvironmentWork | undefined {
  const work = (invocationScope.getStore()?.state as { work?: unknown } | undefined)?.work;
  return work instanceof EnvironmentWork ? work : undefined;
}

/**
 * Make the test runner's module-loading RPC calls count as pending work of the environment whose
 * code made them. Idempotent and cheap (one global read when already installed); a no-op outside
 * Vitest's workers.
 *
 * @example
 * watchRunnerModuleLoading(); // called when an execution environment is created
 */
export function watchRunnerModuleLoading(): void {
  const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
  if (state === undefined || state === null || typeof state !== 'object') return;
  const rpc = state.rpc;
  if (rpc === installed || rpc === null || (typeof rpc !== 'object' && typeof rpc !== 'function')) return;
  const wrapped = new Proxy(rpc as Rpc, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !MODULE_LOADING_CALLS.has(key) || typeof value !== 'function')
        return value;
      const call = value as (...args: unknown[]) => unknown;
      const counted = function (this: unknown, ...args: unknown[]): unknown {
        // Another layer of ours below (the RPC re-wrapped by someone else, then by us again)
        // passes the call through: the outermost layer holds the answer its caller awaits, once.
        if (counting > 0) return call.apply(this, args);
        let answer: unknown;
        counting++;
        try {
          answer = call.apply(this, args);
        } finally {
          counting--;
        }
        const work = environmentWork();
        if (work && answer !== null && typeof (answer as PromiseLike<unknown>)?.then === 'function')
          work.holdUntilSettled(answer as PromiseLike<unknown>, `module loading (test runner ${key})`);
        return answer;
      };
      // birpc's calls carry an `asEvent` variant; keep it reachable.
      Object.assign(counted, value);
      return counted;
    },
  });
  try {
    state.rpc = wrapped;
    installed = wrapped;
  } catch {
    // A read-only state: leave the runner as it is (such imports then look like an empty loop).
    installed = rpc;
  }
}
