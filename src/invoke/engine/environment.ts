/**
 * One execution environment as the engine sees it: the runtime process of a function instance.
 * It owns the pending work its init and invocations started (work.ts), which outlives the
 * invocation that started it, and it is frozen between invocations as Lambda freezes a sandbox:
 *
 * - freeze (after init, after each response): every timer and immediate the environment holds is
 *   gated (its callback is swapped for one that, while frozen, only notes that it fell due) and
 *   unref'd, so nothing the handler left runs between invocations and the test process is never
 *   kept alive by it. Timers created while frozen (by I/O completing in the gap) are gated too.
 * - thaw (at the next invocation, after START, before the handler): what fell due runs first, in
 *   the order it fell due, inside that invocation; its log lines carry the request id of the last
 *   invocation that started (observed: "still tagged invoke 1") and land in this invocation's
 *   logs. A timer not yet due keeps its due time (the clock ran on while frozen).
 * - late failures: an uncaught exception, unhandled rejection or process.exit from the
 *   environment's older work fails the invocation as the runtime process would: during an
 *   invocation it is that invocation's (v3: Unhandled Promise Rejection / Uncaught Exception,
 *   error posted; v4: crash print, exit 1); at the thaw or in the gap the process dies before it
 *   answers the next invocation: Runtime.ExitError (v3 exit 128 / 129, v4 exit 1), and the
 *   environment resets.
 * - what cannot be frozen in-process: I/O (fs, sockets, zlib, child processes) that completes in
 *   the gap runs its callback then. Its log lines are kept and placed in the next invocation's
 *   logs, its failures fail the next invocation, and timers it starts are gated; only its side
 *   effects (a write, a request) happen earlier than on Lambda.
 * - dispose (reset, recycle, dispose) drops the frozen work: gated timers are cleared, I/O
 *   callbacks still arriving are ignored, and `dropped` reports what was dropped.
 */
import { clearImmediate as realClearImmediate, clearTimeout as realClearTimeout } from 'node:timers';
import {
  createLogSink,
  enterCapture,
  exitCapture,
  type LogSink,
  logRuntimeError,
} from '../../logs/capture.js';
import type { CapturedLine } from '../../logs/format.js';
import { enterEnvScope, exitEnvScope } from '../../runtime/env.js';
import { UnhandledPromiseRejection } from '../../runtime/errors.js';
import type { RuntimeProfile } from '../../runtime/profiles.js';
import { type InvocationScope, invocationScope } from '../../runtime/scope.js';
import { enterGuard, exitGuard, type TrackedTimer } from '../guard.js';
import type { PendingWork } from '../result.js';
import type { FunctionSettings } from '../settings-core.js';
import {
  advanceVirtualClock,
  createVirtualClock,
  dropVirtualTimers,
  runDueVirtualTimers,
  type VirtualClock,
  virtualTimerCounts,
} from '../virtual-time.js';
import { crashPrint, formatLoggedError, hop, type ProcessEnd, realDateNow } from './common.js';
import { emitFrozen, emitThawed } from './hooks.js';
import { addPendingWork, describePending } from './pending.js';
import { watchRunnerModuleLoading } from './runner-rpc.js';
import { EnvironmentWork, isNodeNoop } from './work.js';

/**
 * Why an environment ended: `reset` (timeout, crash or exit: the runtime process is replaced),
 * `recycled` (idle too long), `disposed` (the function was disposed).
 *
 * @example
 * const why: EnvironmentEnd = 'recycled';
 */
export type EnvironmentEnd = 'reset' | 'recycled' | 'disposed';

type CrashKind = 'uncaughtException' | 'unhandledRejection';

/** What the environment needs from the invocation running in it (the engine's Run). */
export interface ActiveInvocation {
  readonly requestId: string;
  readonly sink: LogSink;
  readonly done: boolean;
  onCrash(kind: CrashKind, error: unknown, promise?: unknown): boolean;
  onProcessDeath(code: ProcessEnd): void;
}

interface Deferred {
  readonly timer: TrackedTimer;
  readonly callback: Function;
  readonly args: readonly unknown[];
  readonly scope: InvocationScope | undefined;
}

const GATED = Symbol('lambda-harness.gated');

type Gatable = TrackedTimer & {
  _onTimeout?: Function;
  _onImmediate?: Function;
  ref?: () => unknown;
  unref?: () => unknown;
  [GATED]?: true;
};

/**
 * An execution environment for the engine's init and invoke steps, as library authors see it
 * (`EngineEnvironment` in `lambda-harness/engine`). Pass the same one to `initFunction` and every
 * `invokeFunction` of a function instance; `dispose` it when the instance is reset, recycled or
 * disposed. The engine's own members (freezing, thawing, its pending work) stay on the class.
 *
 * @example
 * const env = createEnvironment('instance-1');
 * await initFunction({ settings, loader, logStreamName, environment: env });
 * env.dispose('disposed');
 * env.ended; // 'disposed'
 */
export interface EngineEnvironmentView {
  /** A label for hooks and messages, for example the instance id. */
  readonly label: string;
  /** Set once disposed: its work is dropped and its late callbacks are ignored. */
  readonly ended: EnvironmentEnd | undefined;
  /** What was still frozen when the environment ended (undefined when nothing was). */
  readonly dropped: PendingWork | undefined;
  /** Frozen between invocations. */
  readonly frozen: boolean;
  /** The request id the runtime's console uses for work that outlived its invocation. */
  readonly lastRequestId: string | undefined;
  /** Whether work left running is kept for the next invocation (false for a one-off environment, not yet ended). */
  readonly keepsWork: boolean;
  /** End the environment: its pending work is dropped (see `dropped`) and its late callbacks ignored. */
  dispose(reason: EnvironmentEnd): void;
}

/**
 * An execution environment (one runtime process) and its pending work: the engine's side of
 * {@link EngineEnvironmentView}.
 *
 * @example
 * const env = createEnvironment('instance-1');
 * await initFunction({ settings, loader, logStreamName, environment: env });
 * env.dispose('disposed');
 */
export class EngineEnvironment implements EngineEnvironmentView {
  readonly work = new EnvironmentWork();
  /** Set once disposed: its work is dropped and its late callbacks are ignored. */
  ended: EnvironmentEnd | undefined;
  /** What was still frozen when the environment ended (undefined when nothing was). */
  dropped: PendingWork | undefined;
  /** Frozen between invocations. */
  frozen = false;
  /** The invocation running now, if any. */
  active: ActiveInvocation | undefined;
  /** True while the callbacks that fell due in the gap run at the start of an invocation. */
  thawing = false;
  /** The request id the runtime's console uses for work that outlived its invocation. */
  lastRequestId: string | undefined;
  #profile: RuntimeProfile | undefined;
  #carry: LogSink | undefined;
  #gapLines: CapturedLine[] = [];
  #deferred: Deferred[] = [];
  #unrefed = new Set<Gatable>();
  /** The process died in the gap (v3 exit 128/129, v4 exit 1): the next invocation fails with it. */
  #deathCode: ProcessEnd | undefined;
  #holding = false;
  /** The environment's virtual clock (virtual-time invocations): it runs on while frozen. */
  #clock: VirtualClock | undefined;
  /** Virtual idle time passed since the last invocation (passIdleTime). */
  #idleMs = 0;
  /** Some virtual timer fell due in the gap: it runs at the thaw. */
  #virtualDue = false;
  /** Where a new virtual clock starts when no start is given (the timeline of a previous environment). */
  virtualStart: number | undefined;

  readonly #oneOff: boolean;

  constructor(
    /** A label for hooks and messages, for example the instance id. */
    readonly label: string,
    options?: { readonly oneOff?: boolean },
  ) {
    this.#oneOff = options?.oneOff === true;
    watchRunnerModuleLoading();
  }

  /** Fix the function's settings (log format, level, runtime generation) once, at first use. */
  bind(settings: FunctionSettings): void {
    if (this.#profile) return;
    this.#profile = settings.profile;
    this.#carry = createLogSink({
      requestId: undefined,
      initRequestIdText: settings.profile.initRequestIdText,
      format: settings.logFormat,
      level: settings.logLevel,
      echo: settings.echo,
      now: realDateNow,
    });
    (this.#carry as { lines: CapturedLine[] }).lines = this.#gapLines;
  }

  /**
   * A phase (init or an invocation) ended: later output of its work goes to the environment's
   * carry-over sink (tagged with the last-started request id), its failures to the environment.
   */
  adopt(scope: InvocationScope): void {
    if (this.#carry && !this.ended) scope.sink = this.#carry;
  }

  /** The invocation sees its environment: freeze and thaw bookkeeping, late failures. */
  get carrySink(): LogSink | undefined {
    return this.#carry;
  }

  /** Whether anything is waiting for the thaw (fell-due callbacks, gap output, a death). */
  get needsThaw(): boolean {
    return (
      this.#deferred.length > 0 ||
      this.#virtualDue ||
      this.#gapLines.length > 0 ||
      this.#deathCode !== undefined
    );
  }

  /** The environment's virtual clock, once a virtual-time invocation ran in it. */
  get virtualClock(): VirtualClock | undefined {
    return this.#clock;
  }

  /**
   * Virtual time passes while the environment is frozen (`passIdleTime` on the virtual clock): its
   * next invocation without a start of its own begins that much later.
   */
  passVirtualIdle(ms: number): void {
    if (this.#clock) this.#idleMs += ms;
  }

  /**
   * The virtual clock of the next invocation, at `startMs` (the simulators' timeline) or, without
   * one, where the environment's clock stood plus the idle time passed. A one-off environment gets
   * a fresh clock. Timers of earlier invocations that fell due in the gap run at the thaw.
   */
  clockFor(startMs: number | undefined): VirtualClock {
    const clock = this.#clock;
    if (this.#oneOff || clock === undefined || this.ended) {
      const fresh = createVirtualClock(startMs ?? this.virtualStart ?? realDateNow());
      if (!this.#oneOff && !this.ended) this.#clock = fresh;
      return fresh;
    }
    const to = startMs ?? clock.now + this.#idleMs;
    this.#idleMs = 0;
    if (advanceVirtualClock(clock, to)) this.#virtualDue = true;
    return clock;
  }

  /** Freeze after init or after an invocation's response; returns the report of what was frozen. */
  freeze(currentRequestId?: string): PendingWork {
    this.active = undefined;
    const report = this.#withVirtual(describePending(this.work, currentRequestId), currentRequestId);
    if (this.ended) return report;
    this.frozen = true;
    if (this.#carry) {
      (this.#carry as { lines: CapturedLine[] }).lines = this.#gapLines;
      this.#carry.now = realDateNow;
    }
    for (const t of this.work.timers) this.#gate(t as Gatable);
    this.work.onNewTimer = (t) => this.#gate(t as Gatable);
    const holds = this.work.holdsAnything();
    if (holds && !this.#holding) {
      // Keep routing the environment's late output and failures while it holds work.
      this.#holding = true;
      enterEnvScope();
      enterCapture();
      enterGuard();
    }
    if (holds) emitFrozen(this);
    return report;
  }

  /**
   * Thaw at the start of an invocation (after START, before the handler): gap output moves into
   * this invocation's logs, callbacks that fell due run (tagged with the last-started request
   * id), then the request id moves on. Resolves once their microtasks and one macrotask turn ran.
   */
  async thaw(run: ActiveInvocation): Promise<void> {
    this.#enter(run);
    const lines = run.sink.lines as CapturedLine[];
    if (this.#gapLines.length > 0) lines.push(...this.#gapLines.splice(0));
    if (this.#carry) (this.#carry as { lines: CapturedLine[] }).lines = lines;
    if (this.#deathCode !== undefined) {
      run.onProcessDeath(this.#deathCode);
      return;
    }
    if (this.#deferred.length === 0 && !this.#virtualDue) {
      this.#afterThaw(run);
      return;
    }
    this.thawing = true;
    emitThawed(this);
    const due = this.#deferred.splice(0);
    for (const d of due) {
      if (run.done) break;
      try {
        if (d.scope) invocationScope.run(d.scope, () => d.callback.apply(d.timer, d.args));
        else d.callback.apply(d.timer, d.args);
      } catch (err) {
        this.onLateCrash('uncaughtException', err);
      }
    }
    if (this.#virtualDue && this.#clock) {
      this.#virtualDue = false;
      // Virtual timers that fell due in the gap, each in the scope that scheduled it.
      try {
        if (!run.done) runDueVirtualTimers(this.#clock);
      } catch (err) {
        this.onLateCrash('uncaughtException', err);
      }
    }
    await hop();
    this.thawing = false;
    this.#afterThaw(run);
  }

  /** Thaw when nothing waits (the common case): synchronous. */
  thawNow(run: ActiveInvocation): void {
    this.#enter(run);
    if (this.#carry) (this.#carry as { lines: CapturedLine[] }).lines = run.sink.lines as CapturedLine[];
    this.#afterThaw(run);
  }

  #enter(run: ActiveInvocation): void {
    this.frozen = false;
    this.active = run;
    this.work.onNewTimer = undefined;
    for (const t of this.#unrefed) t.ref?.();
    this.#unrefed.clear();
    if (this.#carry) this.#carry.now = run.sink.now;
    this.#release();
  }

  #afterThaw(run: ActiveInvocation): void {
    this.lastRequestId = run.requestId;
    if (this.#carry) this.#carry.requestId = run.requestId;
  }

  #release(): void {
    if (!this.#holding) return;
    this.#holding = false;
    exitGuard();
    exitCapture();
    exitEnvScope();
  }

  #gate(t: Gatable): void {
    if (t._destroyed === true || isNodeNoop(t)) return;
    if (t.hasRef?.() === true) {
      t.unref?.();
      this.#unrefed.add(t);
    }
    if (t[GATED]) return;
    t[GATED] = true;
    const key = t._onImmediate !== undefined ? '_onImmediate' : '_onTimeout';
    const callback = t[key];
    if (typeof callback !== 'function') return;
    const env = this;
    t[key] = function gated(this: unknown, ...args: unknown[]) {
      if (env.ended) return;
      if (env.frozen) {
        // One entry per timer: an interval that fell due several times in the gap runs once at the thaw.
        if (!env.#deferred.some((d) => d.timer === t))
          env.#deferred.push({ timer: t, callback, args, scope: invocationScope.getStore() });
        return;
      }
      return callback.apply(this, args);
    };
  }

  /**
   * A failure from the environment's older work (its phase already ended). Returns true when the
   * environment took it (always, unless the process-level guard should let it through).
   */
  onLateCrash(kind: CrashKind, error: unknown, promise?: unknown): boolean {
    // A one-off environment (invokeHandler) keeps nothing: a late failure reaches the test runner.
    if (this.ended) return !this.#oneOff;
    const profile = this.#profile;
    if (!profile) return false;
    const run = this.active;
    if (run && !this.thawing && !run.done) return run.onCrash(kind, error, promise);
    // At the thaw or in the gap: the runtime reports it under the last-started id, then dies
    // before it answers the next invocation.
    const value = kind === 'unhandledRejection' ? new UnhandledPromiseRejection(error, promise) : error;
    const sink = this.#carry;
    if (sink) {
      if (profile.catchesProcessErrors) {
        logRuntimeError(
          sink,
          kind === 'unhandledRejection' ? 'Unhandled Promise Rejection' : 'Uncaught Exception',
          value,
          formatLoggedError(value),
        );
      } else crashPrint(sink, value, kind);
    }
    const code = profile.catchesProcessErrors ? (kind === 'unhandledRejection' ? 128 : 129) : 1;
    this.#die(code);
    return true;
  }

  /** process.exit(code) from the environment's older work. */
  onLateExit(code: number | NodeJS.Signals): void {
    if (this.ended) return;
    const run = this.active;
    if (run && !this.thawing && !run.done) {
      run.onProcessDeath(code);
      return;
    }
    this.#die(code);
  }

  /** Whether this environment is kept between invocations (false for invokeHandler's one-off ones). */
  get keepsWork(): boolean {
    return !this.#oneOff;
  }

  /**
   * The runtime process is dying but only exits when the next event is handed out (an error raised
   * right after a response, observed): nothing more of it runs, and the next invocation fails.
   */
  dieWithNextEvent(end: ProcessEnd): void {
    this.#deathCode ??= end;
    this.#deferred.length = 0;
    this.#virtualDue = false;
    if (this.#clock) dropVirtualTimers(this.#clock);
  }

  #die(code: ProcessEnd): void {
    const run = this.active;
    if (run && !run.done) {
      run.onProcessDeath(code);
      return;
    }
    // Nothing of the dead process runs any more.
    this.#deathCode ??= code;
    this.#deferred.length = 0;
    this.#virtualDue = false;
    if (this.#clock) dropVirtualTimers(this.#clock);
  }

  /** A report with the environment's virtual timers added (left on its clock). */
  #withVirtual(report: PendingWork, currentRequestId?: string): PendingWork {
    if (!this.#clock) return report;
    return addPendingWork(report, virtualTimerCounts(this.#clock, currentRequestId));
  }

  /**
   * What ending the environment now would drop (undefined when nothing), or what it dropped once
   * ended. A worker or process environment sends it with each reply: its parent ends it without
   * asking, and nothing of it runs while it is frozen.
   */
  droppable(): PendingWork | undefined {
    if (this.ended) return this.dropped;
    const report = this.#withVirtual(describePending(this.work));
    const frozenCount = report.timers + report.intervals + report.immediates + this.#deferred.length;
    return frozenCount > 0 || report.descriptions.length > 0 ? report : undefined;
  }

  /** Drop the environment and everything it left pending (frozen timers are cleared). */
  dispose(reason: EnvironmentEnd): void {
    if (this.ended) return;
    this.dropped = this.droppable();
    this.ended = reason;
    this.frozen = false;
    this.active = undefined;
    for (const t of this.work.timers) {
      if (t.constructor.name === 'Immediate') realClearImmediate(t as unknown as NodeJS.Immediate);
      else realClearTimeout(t as unknown as NodeJS.Timeout);
    }
    this.#deferred.length = 0;
    this.#virtualDue = false;
    if (this.#clock) dropVirtualTimers(this.#clock);
    this.#unrefed.clear();
    this.work.onNewTimer = undefined;
    this.work.release();
    this.#gapLines.length = 0;
    if (this.#carry) this.#carry.closed = true;
    this.#release();
  }
}

/**
 * A new execution environment. `oneOff`: nothing is kept after its phase (invokeHandler), so a
 * late failure of its work is left to the test runner as before.
 *
 * @example
 * const env = createEnvironment('instance-1');
 */
export function createEnvironment(label: string, options?: { readonly oneOff?: boolean }): EngineEnvironment {
  return new EngineEnvironment(label, options);
}
