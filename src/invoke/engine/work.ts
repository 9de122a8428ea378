/**
 * The environment's real pending work, tracked as the event loop sees it: every async resource
 * (timer, immediate, fs / dns / crypto / zlib request, socket, server, child process, worker,
 * MessagePort, module loading's file reads, the parts of a stream pipeline) created while code of
 * one environment runs (its init, any of its invocations, or callbacks of work those started) is
 * attributed to that environment through the invocation scope (AsyncLocalStorage), by the
 * async hook in ../guard.ts. Nothing else is looked at: the test runner's, the harness's and other
 * environments' resources are never in this set, and the per-invocation cost does not depend on
 * what else the process holds.
 *
 * A resource keeps the simulated loop alive the way libuv would count it:
 * - timers and immediates while scheduled and ref'd (`_destroyed`, `hasRef()`);
 * - handles (sockets, servers, child processes, MessagePorts, watchers) while ref'd (`hasRef()`):
 *   an idle keep-alive agent socket is unref'd by Node, as on Lambda;
 * - zlib while a write is in progress on the thread pool (`buffer` set);
 * - requests (fs, dns, crypto jobs, connect/write/shutdown) until their destroy event.
 */
import { invocationScope } from '../../runtime/scope.js';
import type { TrackedTimer, WorkTracker } from '../guard.js';

/** Resource types that never hold the event loop (promises, ticks, wrappers around handles counted on their own). */
const NOT_WORK = new Set([
  'PROMISE',
  'TickObject',
  'Microtask',
  'FILEHANDLE',
  'TLSWRAP',
  'HTTPINCOMINGMESSAGE',
  'HTTPCLIENTREQUEST',
  'DNSCHANNEL',
  'ELDHISTOGRAM',
  'PerformanceObserver',
  'STREAM_PIPE',
  'JSSTREAM',
  'WASI',
  'SIGNALWRAP',
  'HTTPPARSER',
]);

const DESCRIPTIONS: Record<string, string> = {
  FSREQCALLBACK: 'fs request',
  FSREQPROMISE: 'fs promise request',
  FILEHANDLECLOSEREQ: 'fs close',
  STATWATCHER: 'fs.watchFile',
  FSEVENTWRAP: 'fs.watch',
  ZLIB: 'zlib',
  GETADDRINFOREQWRAP: 'dns lookup',
  GETNAMEINFOREQWRAP: 'dns lookupService',
  QUERYWRAP: 'dns query',
  TCPWRAP: 'TCP socket or server',
  TCPCONNECTWRAP: 'TCP connect',
  TCPSERVERWRAP: 'TCP server',
  PIPEWRAP: 'pipe',
  PIPECONNECTWRAP: 'pipe connect',
  PIPESERVERWRAP: 'pipe server',
  UDPWRAP: 'UDP socket',
  UDPSENDWRAP: 'UDP send',
  WRITEWRAP: 'stream write',
  SHUTDOWNWRAP: 'stream shutdown',
  PROCESSWRAP: 'child process',
  WORKER: 'worker thread',
  MESSAGEPORT: 'MessagePort',
  TTYWRAP: 'TTY',
};

interface Entry {
  readonly type: string;
  readonly resource: Record<string, unknown>;
}

/** Every environment's tracked non-timer resources by async id (for destroy events). */
const owners = new Map<number, EnvironmentWork>();

let ioWatch: ((on: boolean) => void) | undefined;

/**
 * Register what to do when the first tracked I/O appears (`true`) and when the last one ends
 * (`false`): the guard turns its destroy hook on and off.
 *
 * @example
 * watchIo((on) => (on ? destroyHook.enable() : destroyHook.disable()));
 */
export function watchIo(fn: (on: boolean) => void): void {
  ioWatch = fn;
}

/**
 * Whether any environment holds non-timer work whose destroy event it still needs (the async hook
 * stays enabled while true).
 *
 * @example
 * if (!hasTrackedIo()) disableHook();
 */
export function hasTrackedIo(): boolean {
  return owners.size > 0;
}

/**
 * A destroy event (from the async hook): the resource is done, whichever environment held it.
 *
 * @example
 * untrackResource(asyncId);
 */
export function untrackResource(asyncId: number): void {
  const work = owners.get(asyncId);
  if (work === undefined) return;
  owners.delete(asyncId);
  work.io.delete(asyncId);
  if (owners.size === 0) ioWatch?.(false);
}

/**
 * The pending work of one environment. Timers are held as objects (their state is read on the
 * object); other resources by async id until destroyed.
 *
 * @example
 * const work = new EnvironmentWork();
 * work.alive(); // false
 */
export class EnvironmentWork implements WorkTracker {
  readonly timers = new Set<TrackedTimer>();
  readonly io = new Map<number, Entry>();
  /**
   * Work the environment's code started whose I/O happens outside it (the test runner's module
   * loading over its RPC): a description per pending request, until its promise settles.
   */
  readonly foreign = new Map<object, string>();
  /** Called for each timer created while the environment is frozen (set by the environment). */
  onNewTimer: ((timer: TrackedTimer) => void) | undefined;
  readonly #origins = new WeakMap<TrackedTimer, string>();

  track(asyncId: number, type: string, resource: object): void {
    if (type === 'Timeout' || type === 'Immediate') {
      const timer = resource as TrackedTimer;
      this.timers.add(timer);
      this.#origins.set(timer, invocationScope.getStore()?.requestId ?? 'init');
      this.onNewTimer?.(timer);
      return;
    }
    if (NOT_WORK.has(type)) return;
    this.io.set(asyncId, { type, resource: resource as Record<string, unknown> });
    if (owners.size === 0) ioWatch?.(true);
    owners.set(asyncId, this);
  }

  /**
   * Count a request the environment's code made to something outside it (the test runner's module
   * loader) as its pending work until the request's promise settles: the handler awaiting it keeps
   * the event loop alive, as the module loading it stands for would on Lambda.
   */
  holdUntilSettled(request: PromiseLike<unknown>, description: string): void {
    const key = {};
    this.foreign.set(key, description);
    const settled = () => {
      this.foreign.delete(key);
    };
    request.then(settled, settled);
  }

  /** Whether anything (timers, I/O, foreign requests) is still held by this environment. */
  holdsAnything(): boolean {
    return this.hasTimers() || this.io.size > 0 || this.foreign.size > 0;
  }

  /** The request id of the invocation that scheduled a timer, or `init`. */
  originOf(timer: TrackedTimer): string | undefined {
    return this.#origins.get(timer);
  }

  /** Whether some of this work keeps the event loop alive now. */
  alive(): boolean {
    for (const t of this.timers) {
      if (t._destroyed === true) {
        this.timers.delete(t);
        continue;
      }
      if (isNodeNoop(t)) continue;
      if (t.hasRef?.() ?? true) return true;
    }
    if (this.foreign.size > 0) return true;
    if (this.io.size === 0) return false;
    for (const entry of this.io.values()) if (ioAlive(entry)) return true;
    return false;
  }

  /** Whether any timer or immediate of this environment is still scheduled (ref'd or not). */
  hasTimers(): boolean {
    for (const t of this.timers) {
      if (t._destroyed === true) this.timers.delete(t);
      else if (!isNodeNoop(t)) return true;
    }
    return false;
  }

  /** Short descriptions of the non-timer work keeping the loop alive, for pendingWork. */
  describeIo(): string[] {
    const out: string[] = [];
    for (const entry of this.io.values())
      if (ioAlive(entry)) out.push(DESCRIPTIONS[entry.type] ?? entry.type);
    for (const description of this.foreign.values()) out.push(description);
    return out;
  }

  /** Forget everything (the environment is gone); its resources' destroy events are no longer needed. */
  release(): void {
    const had = owners.size > 0;
    for (const id of this.io.keys()) owners.delete(id);
    this.io.clear();
    if (had && owners.size === 0) ioWatch?.(false);
    this.timers.clear();
    this.foreign.clear();
  }
}

function ioAlive(entry: Entry): boolean {
  const r = entry.resource;
  if (entry.type === 'ZLIB') return r.buffer !== null && r.buffer !== undefined;
  const hasRef = r.hasRef;
  if (typeof hasRef === 'function') return (hasRef as () => boolean).call(r) === true;
  return true;
}

/** Node schedules a no-op immediate after an uncaught exception was handled; it is not the handler's. */
export function isNodeNoop(t: TrackedTimer): boolean {
  return (
    t.constructor.name === 'Immediate' &&
    (t as unknown as { _onImmediate?: Function })._onImmediate?.name === 'noop'
  );
}
