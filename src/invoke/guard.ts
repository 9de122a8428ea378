import { createHook } from 'node:async_hooks';
import nodeModule from 'node:module';
import { performance } from 'node:perf_hooks';
import { setTimeout as realSetTimeout } from 'node:timers';
import { logProcessWarning } from '../logs/capture.js';
import { invocationScope, outsideScope } from '../runtime/scope.js';
import { hasTrackedIo, untrackResource, watchIo } from './engine/work.js';

/**
 * What the process-level guard needs from an invocation (or init) state.
 * Implemented by the engine; exported for the lifecycle engineer's tests only.
 *
 * @example
 * const target: CrashTarget = { work: new EnvironmentWork(), onCrash() {}, onExit() {} };
 */
export interface CrashTarget {
  /** Where the async resources created in this scope are recorded (the environment's pending work). */
  readonly work: WorkTracker;
  /** An uncaught exception or unhandled rejection raised from this scope. Return false to let it through. */
  onCrash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown, promise?: unknown): boolean;
  /** process.exit(code) called from this scope. */
  onExit(code: number): void;
}

/**
 * Records the async resources created in a scope (implemented by the engine's EnvironmentWork).
 *
 * @example
 * const tracker: WorkTracker = { track(id, type, resource) {} };
 */
export interface WorkTracker {
  track(asyncId: number, type: string, resource: object): void;
}

/**
 * A Node Timeout or Immediate, with the internal fields the guard reads.
 *
 * @example
 * const pending = [...state.timers].filter(isPending);
 */
export interface TrackedTimer {
  _destroyed?: boolean;
  _idleTimeout?: number;
  _repeat?: number | null;
  hasRef?: () => boolean;
  constructor: { name: string };
}

/**
 * Thrown out of `process.exit()` called by a handler: the invocation already ended with ExitError.
 *
 * @example
 * try { process.exit(1); } catch (e) { e instanceof ProcessExitSignal; } // inside an invocation
 */
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
  init(asyncId, type, _trigger, resource) {
    if (type === 'PROMISE') return;
    const t = target();
    if (t) t.work.track(asyncId, type, resource);
  },
});

// Destroy events tell when tracked I/O ends. A destroy hook makes Node track every promise for its
// destroy event, so it is on only while some environment holds I/O (Node still emits the destroy of
// a resource created before it was enabled).
const destroyHook = createHook({ destroy: untrackResource });
watchIo((on) => {
  if (on) destroyHook.enable();
  else destroyHook.disable();
});

let depth = 0;
let hookEnabled = false;
let lastClose = 0;
let disableTimer: NodeJS.Timeout | undefined;
let savedEmit: typeof process.emit | undefined;
let savedExit: typeof process.exit | undefined;

const patchedEmit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'uncaughtException' || event === 'unhandledRejection') {
    if (target()?.onCrash(event, args[0], args[1])) return true;
  }
  const prev = (savedEmit ?? realProcess().emit) as (...a: unknown[]) => boolean;
  if (event === 'warning') {
    const printer = nodeWarningPrinter(this);
    // Inside a scope the warning goes to the scope's console as the runtime shows it; other
    // 'warning' listeners still run, Node's own stderr printer does not.
    if (printer && logProcessWarning(args[0])) return emitWithoutPrinter(this, printer, prev, args);
  }
  return prev.call(this, event, ...args);
} as typeof process.emit;

/** Node's default 'warning' listener (absent under --no-warnings), which prints to stderr. */
function nodeWarningPrinter(proc: NodeJS.Process): Function | undefined {
  if (typeof proc?.rawListeners !== 'function') return undefined;
  return proc.rawListeners('warning').find((l) => l.name === 'onWarning');
}

function emitWithoutPrinter(
  proc: NodeJS.Process,
  printer: Function,
  prev: (...a: unknown[]) => boolean,
  args: unknown[],
): boolean {
  const first = proc.rawListeners('warning')[0] === printer;
  proc.removeListener('warning', printer as (w: Error) => void);
  try {
    prev.call(proc, 'warning', ...args);
  } finally {
    if (first) proc.prependListener('warning', printer as (w: Error) => void);
    else proc.on('warning', printer as (w: Error) => void);
  }
  return true;
}

const patchedExit = ((code?: number | string | null) => {
  const t = target();
  if (t) {
    const n = code === undefined || code === null ? Number(process.exitCode ?? 0) : Number(code);
    t.onExit(Number.isFinite(n) ? n : 1);
    throw new ProcessExitSignal(n);
  }
  return (savedExit as typeof process.exit).call(process, code as number);
}) as typeof process.exit;

/** The async hook is invisible to user code; it is disabled after 100 ms without invocations. */
function scheduleHookDisable(): void {
  lastClose = performance.now();
  if (disableTimer) return;
  disableTimer = outsideScope(() =>
    realSetTimeout(function check() {
      disableTimer = undefined;
      if (depth > 0 || !hookEnabled) return;
      const idle = performance.now() - lastClose;
      // Environments still waiting for their I/O's destroy events keep the hook on.
      if (idle >= 100 && !hasTrackedIo()) {
        hook.disable();
        hookEnabled = false;
      } else disableTimer = outsideScope(() => realSetTimeout(check, idle >= 100 ? 100 : 100 - idle).unref());
    }, 100).unref(),
  );
}

/** Where `emit` is patched: Node's real process object. */
let emitHost: Record<string, unknown> | undefined;
let hostHadOwnEmit = false;
let hostPreviousEmit: unknown;

let nodeProcess: NodeJS.Process | undefined;

/**
 * Node's own process object. Under Jest the test sandbox's `process` is a copy (and `require`
 * of 'process' returns the copy), while Node emits 'uncaughtException'/'unhandledRejection' on
 * the real one; the module loader's `_load` still returns the real one.
 */
function realProcess(): NodeJS.Process {
  if (nodeProcess) return nodeProcess;
  nodeProcess = process;
  try {
    const load = (
      nodeModule as unknown as { _load?: (request: string, parent: null, isMain: boolean) => unknown }
    )._load;
    const p = typeof load === 'function' ? load('process', null, false) : undefined;
    if (p && typeof (p as NodeJS.Process).emit === 'function') nodeProcess = p as NodeJS.Process;
  } catch {
    // keep the global process
  }
  return nodeProcess;
}

function install(): void {
  if (!hookEnabled) {
    hook.enable();
    hookEnabled = true;
  }
  const real = realProcess();
  savedEmit = real.emit;
  emitHost = real as unknown as Record<string, unknown>;
  // Patch an own property of the real process: writing to (or deleting from) its prototype
  // invalidates V8's prototype caches and costs microseconds per invocation. When emit is
  // inherited, it becomes an own property holding the very same inherited function afterwards.
  hostHadOwnEmit = true;
  hostPreviousEmit = emitHost.emit;
  emitHost.emit = patchedEmit;
  savedExit = process.exit;
  process.exit = patchedExit;
}

function uninstall(): void {
  if (emitHost && emitHost.emit === patchedEmit) {
    if (hostHadOwnEmit) emitHost.emit = hostPreviousEmit;
    else delete emitHost.emit;
  }
  emitHost = undefined;
  hostPreviousEmit = undefined;
  if (process.exit === patchedExit && savedExit) process.exit = savedExit;
  savedEmit = undefined;
  savedExit = undefined;
  scheduleHookDisable();
}

/**
 * Whether the timer-tracking async hook is currently enabled (it stays on for 100 ms after the
 * last invocation so back-to-back invocations do not pay for enabling it).
 *
 * @example
 * isTrackingHookEnabled(); // false in a fresh process
 */
export function isTrackingHookEnabled(): boolean {
  return hookEnabled;
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
  enterGuard();
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    exitGuard();
  };
}

/**
 * Closure-free form of {@link openGuard}; match each call with {@link exitGuard}.
 *
 * @example
 * enterGuard();
 * try { ... } finally { exitGuard(); }
 */
export function enterGuard(): void {
  if (depth++ === 0) install();
}

/**
 * Leave a guard entered with {@link enterGuard}.
 *
 * @example
 * exitGuard();
 */
export function exitGuard(): void {
  if (depth === 0) return;
  if (--depth === 0) uninstall();
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
