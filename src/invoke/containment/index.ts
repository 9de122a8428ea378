/**
 * Containment of the in-runner environment: the handler runs in the test runner's own realm, so
 * whatever it (or its init) replaces or mutates process-wide is recorded and put back at the end
 * of every init phase and invocation, and kept per environment so that the environment's next
 * warm invocation finds it again, as on Lambda (see docs/decisions/0005-in-runner-globals.md):
 *
 * - begins: (first one in) check that the test process's globals are still those of the last
 *   snapshot, and snapshot them again only if not; then apply the environment's own recorded
 *   changes (a new init phase starts from none: a new runtime process);
 * - ends: record what changed as the environment's changes; (last one out) put the snapshot back.
 *
 * The snapshot is kept between boundaries: a boundary where nothing changed costs one read of the
 * tracked objects (`matchesSnapshot`), with no copy of them.
 *
 * It also traps signals a handler sends its own process (signals.ts) and watches for a main
 * thread blocked past a deadline (watchdog.ts). Attached to the engine in engine/hooks.ts.
 */
import { INIT_TIMEOUT_MS } from '../../runtime/profiles.js';
import type { EngineBoundary, EngineHooks } from '../engine/hooks.js';
import {
  applyDelta,
  diffSnapshot,
  type GlobalsDelta,
  type GlobalsSnapshot,
  isEmptyDelta,
  matchesSnapshot,
  restoreSnapshot,
  takeSnapshot,
} from './globals.js';
import { installSignalTraps, removeSignalTraps } from './signals.js';
import { armWatchdog, disarmWatchdog } from './watchdog.js';

let depth = 0;
/** The test process's globals as last captured; kept after the last boundary closes, and checked at the next. */
let baseline: GlobalsSnapshot | undefined;
/** What each environment changed, re-applied at its next phase (weak: dropped with the environment). */
const environments = new WeakMap<object, GlobalsDelta>();
const watched = new WeakMap<EngineBoundary, object>();

function listenersBefore(signal: NodeJS.Signals): readonly Function[] {
  return (depth > 0 && baseline?.listeners.get(signal)) || [];
}

function label(b: EngineBoundary): string {
  return b.phase === 'init'
    ? `the init phase of ${b.settings.functionName}`
    : `${b.settings.functionName} (request ${b.requestId ?? '?'})`;
}

/**
 * The containment hooks (always attached to the engine).
 *
 * @example
 * addEngineHooks(containmentHooks); // done once by engine/hooks.ts
 */
export const containmentHooks: EngineHooks = {
  begins(b) {
    const env = b.environment;
    // An init phase runs in a new runtime process: nothing of the previous one survives.
    if (b.phase === 'init' && env) environments.delete(env);
    const token = armWatchdog(b.phase === 'init' ? INIT_TIMEOUT_MS : b.settings.timeoutMs, label(b));
    if (token) watched.set(b, token);
    if (depth++ === 0) {
      installSignalTraps(listenersBefore);
      // The test may have changed its globals since the last boundary: then they are the baseline.
      if (!baseline || !matchesSnapshot(baseline)) baseline = takeSnapshot();
    }
    const own = env ? environments.get(env) : undefined;
    if (own) applyDelta(own);
  },
  ends(b) {
    disarmWatchdog(watched.get(b));
    if (settled.delete(b)) return;
    if (depth === 0 || !baseline) return;
    const env = b.environment;
    // A one-off environment (invokeHandler) never runs again, so its changes are not recorded:
    // while other invocations still run there is nothing to do; the last one out restores.
    const keeps = env?.keepsWork !== false;
    if (!keeps && depth > 1) {
      depth--;
      return;
    }
    const delta = diffSnapshot(baseline);
    if (env && keeps) {
      if (isEmptyDelta(delta)) environments.delete(env);
      else environments.set(env, delta);
    }
    if (--depth === 0) {
      restoreSnapshot(baseline, delta);
      removeSignalTraps();
    }
  },
};

const settled = new WeakSet<EngineBoundary>();

/**
 * The invocation of `b` completed (response, error, timeout or exit): put the runner's globals
 * back at once rather than at the end boundary, so the runner's own code that runs in the turns
 * between (Vitest's reporting, for example) never sees a Promise or JSON the handler replaced.
 * The changes are recorded for the environment all the same. Only the innermost (non-overlapping)
 * invocation settles early.
 *
 * @example
 * run.onSettled = () => settleContainment(boundary);
 */
export function settleContainment(b: EngineBoundary): void {
  if (depth !== 1 || !baseline || settled.has(b)) return;
  settled.add(b);
  containmentHooks.ends?.call(containmentHooks, { ...b });
}

/**
 * What an environment changed in the runner's globals and will find again at its next warm
 * invocation (undefined when nothing). For tests and diagnostics.
 *
 * @example
 * environmentGlobals(instance)?.props.map((c) => c.key); // ['Promise']
 */
export function environmentGlobals(environment: object): GlobalsDelta | undefined {
  return environments.get(environment);
}
