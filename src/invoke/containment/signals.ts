/**
 * A handler that signals its own process (`process.kill(process.pid, 'SIGTERM')`, `process.kill(0)`,
 * `process.abort()`) would end the test runner's worker. While an init phase or invocation runs,
 * `process.kill` and `process.abort` are trapped: a fatal signal aimed at this process is reported
 * to the invocation as the death of the runtime (`Runtime.ExitError`, "signal: terminated"; the
 * environment resets), the handler's code stops there, and nothing reaches the test process.
 */
import { constants } from 'node:os';
import { setImmediate as realSetImmediate } from 'node:timers';
import { invocationScope } from '../../runtime/scope.js';
import { type CrashTarget, ProcessExitSignal } from '../guard.js';
import { Reflect } from './intrinsics.js';

/**
 * Thrown out of `process.kill(process.pid, signal)` / `process.abort()` called by a handler: the
 * invocation already ended with Runtime.ExitError.
 *
 * @example
 * try { process.kill(process.pid, 'SIGTERM'); } catch (e) { e instanceof ProcessSignalled; } // inside an invocation
 */
export class ProcessSignalled extends ProcessExitSignal {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super(1);
    this.name = 'ProcessSignalled';
    this.signal = signal;
    this.message = `the handler sent ${signal} to its own process (lambda-harness stopped it)`;
  }
}

// Signals whose default action in Node does not end the process.
const HARMLESS = new Set(['SIGCHLD', 'SIGCONT', 'SIGURG', 'SIGWINCH', 'SIGPIPE', 'SIGUSR1']);
// Stopping signals: the process would stop (and the invocation time out); here it keeps running.
const STOPPING = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

const byNumber = new Map<number, NodeJS.Signals>();
for (const [name, n] of Object.entries(constants.signals))
  if (!byNumber.has(n)) byNumber.set(n, name as NodeJS.Signals);

function target(): CrashTarget | undefined {
  const state = invocationScope.getStore()?.state as Partial<CrashTarget> | undefined;
  return state && typeof state.onExit === 'function' ? (state as CrashTarget) : undefined;
}

/** Whether `pid` reaches this process: itself, its process group as the caller names it, or all (-1). */
function hitsSelf(pid: unknown): boolean {
  const n = Number(pid);
  return n === process.pid || n === 0 || n === -1 || n === -process.pid;
}

function signalName(signal: unknown): NodeJS.Signals | 0 | undefined {
  if (signal === undefined) return 'SIGTERM';
  if (signal === 0 || signal === '0') return 0;
  if (typeof signal === 'number') return byNumber.get(signal);
  if (typeof signal === 'string' && signal in constants.signals) return signal as NodeJS.Signals;
  return undefined;
}

let savedKill: typeof process.kill | undefined;
let savedAbort: typeof process.abort | undefined;
let listenersBefore: (signal: NodeJS.Signals) => readonly Function[] = () => [];

const trappedKill = function (this: unknown, pid: number, signal?: string | number): true {
  const t = target();
  const name = signalName(signal);
  // Unknown signals and other processes go to Node as they are (it throws or sends as usual).
  if (!t || !hitsSelf(pid) || name === undefined || name === 0)
    return Reflect.apply(savedKill as Function, process, [pid, signal]) as true;
  if (HARMLESS.has(name) || STOPPING.has(name)) return true;
  // A listener the handler (or its init) installed catches the signal: the process lives on.
  const before = listenersBefore(name);
  const own = process.rawListeners(name).filter((l) => !before.includes(l));
  if (own.length > 0) {
    realSetImmediate(() => {
      for (const l of own) Reflect.apply(l, process, [name]);
    });
    return true;
  }
  t.onExit(name);
  throw new ProcessSignalled(name);
} as typeof process.kill;

const trappedAbort = ((): never => {
  const t = target();
  if (!t) return (savedAbort as () => never)();
  t.onExit('SIGABRT');
  throw new ProcessSignalled('SIGABRT');
}) as typeof process.abort;

/**
 * Trap `process.kill` and `process.abort` for code running in an invocation scope (other callers
 * reach Node unchanged). `before(signal)` lists the listeners the test process had, so a listener
 * the handler added is recognised as catching its signal. Remove with {@link removeSignalTraps}.
 *
 * @example
 * installSignalTraps((signal) => snapshot.listeners.get(signal) ?? []);
 */
export function installSignalTraps(before: (signal: NodeJS.Signals) => readonly Function[]): void {
  if (savedKill) return;
  listenersBefore = before;
  savedKill = process.kill;
  savedAbort = process.abort;
  process.kill = trappedKill;
  if (typeof savedAbort === 'function') process.abort = trappedAbort;
}

/**
 * Remove the traps of {@link installSignalTraps} (unless something replaced them meanwhile).
 *
 * @example
 * removeSignalTraps();
 */
export function removeSignalTraps(): void {
  if (!savedKill) return;
  if (process.kill === trappedKill) process.kill = savedKill;
  if (process.abort === trappedAbort && savedAbort) process.abort = savedAbort;
  savedKill = undefined;
  savedAbort = undefined;
  listenersBefore = () => [];
}
