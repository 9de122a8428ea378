import { createHook } from 'node:async_hooks';
import { setImmediate as realSetImmediate } from 'node:timers';
import { invocationScope } from '../runtime/scope.js';

/**
 * What the process-level guard needs from an invocation (or init) state.
 * Implemented by the engine; exported for the lifecycle engineer's tests only.
 *
 * @example
 * const target: CrashTarget = { timers: new Set(), onCrash() {}, onExit() {} };
 */
export interface CrashTarget {
  /** Real Timeout/Immediate objects created in this scope. */
  readonly timers: Set<TrackedTimer>;
  /** An uncaught exception or unhandled rejection raised from this scope. Return false to let it through. */
  onCrash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown, promise?: unknown): boolean;
  /** process.exit(code) called from this scope. */
  onExit(code: number): void;
}

/** A Node Timeout or Immediate, with the internal fields the guard reads. */
export interface TrackedTimer {
  _destroyed?: boolean;
  _idleTimeout?: number;
  _repeat?: number | null;
  hasRef?: () => boolean;
  constructor: { name: string };
}

/** Thrown out of `process.exit()` called by a handler: the invocation already ended with ExitError. */
export class ProcessExitSignal extends Error {
  readonly exitCode: number;
  constructor(code: number) {
    super(`process.exit(${code}) called by the handler (lambda-harness stopped it)`);
    this.name = 'ProcessExitSignal';
    this.exitCode = code;
  }
}

function target(): CrashTarget | undefined {
  return invocationScope.getStore()?.state as CrashTarget | undefined;
}

const hook = createHook({
  init(_id, type, _trigger, resource) {
    if (type !== 'Timeout' && type !== 'Immediate') return;
    const t = target();
    if (t) t.timers.add(resource as TrackedTimer);
  },
});

let depth = 0;
let hookEnabled = false;
let disableScheduled = false;
let savedEmit: typeof process.emit | undefined;
let patchedEmit: typeof process.emit | undefined;
let savedExit: typeof process.exit | undefined;
let patchedExit: typeof process.exit | undefined;

function install(): void {
  if (!hookEnabled) {
    hook.enable();
    hookEnabled = true;
  }
  const prevEmit = process.emit;
  savedEmit = prevEmit;
  patchedEmit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'uncaughtException' || event === 'unhandledRejection') {
      const t = target();
      if (t?.onCrash(event, args[0], args[1])) return true;
    }
    return (prevEmit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof process.emit;
  process.emit = patchedEmit;
  const prevExit = process.exit;
  savedExit = prevExit;
  patchedExit = ((code?: number | string | null) => {
    const t = target();
    if (t) {
      const n = code === undefined || code === null ? Number(process.exitCode ?? 0) : Number(code);
      t.onExit(Number.isFinite(n) ? n : 1);
      throw new ProcessExitSignal(n);
    }
    return prevExit.call(process, code as number);
  }) as typeof process.exit;
  process.exit = patchedExit;
}

function uninstall(): void {
  if (process.emit === patchedEmit && savedEmit) process.emit = savedEmit;
  if (process.exit === patchedExit && savedExit) process.exit = savedExit;
  savedEmit = patchedEmit = undefined;
  savedExit = patchedExit = undefined;
  // The async hook is invisible to user code; disable it one turn later so back-to-back
  // invocations do not pay for enable/disable each time.
  if (!disableScheduled) {
    disableScheduled = true;
    invocationScope.exit(() =>
      realSetImmediate(() => {
        disableScheduled = false;
        if (depth === 0 && hookEnabled) {
          hook.disable();
          hookEnabled = false;
        }
      }),
    );
  }
}

/**
 * Route process-level failures raised from inside an invocation scope (uncaught exceptions,
 * unhandled rejections, process.exit) to that scope's state instead of the test runner, and
 * track the real timers the scope creates. Reference counted; the returned function removes
 * the process.emit/process.exit patches with the last close.
 *
 * @example
 * const close = openGuard();
 * try { ... } finally { close(); }
 */
export function openGuard(): () => void {
  if (depth++ === 0) install();
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    if (--depth === 0) uninstall();
  };
}

/**
 * Whether a tracked timer is still scheduled.
 *
 * @example
 * isPending(setTimeout(() => {}, 10) as never); // true
 */
export function isPending(t: TrackedTimer): boolean {
  return t._destroyed !== true;
}
