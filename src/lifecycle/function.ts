/**
 * Function instances on top of the invoker's two steps (`initFunction`, `invokeFunction`):
 * cold and warm starts, init failures and the suppressed init retry, per-instance /tmp,
 * resets after a timeout or crash, concurrency, throttling, provisioned concurrency, idle recycling.
 */
import { HarnessError } from '../errors/index.js';
import {
  type ClockOption,
  createEnvironment,
  type EngineEnvironment,
  type FunctionSettings,
  type InitOutcome,
  type InvokeOutcome,
  type InvokeRequest,
  initFunction,
  invokeFunction,
} from '../invoke/index.js';
import type { InvocationResult, PendingWork, ThrottledResult } from '../invoke/result.js';
import type { LogLine } from '../logs/types.js';
import { newLogStreamName, newRequestId } from '../runtime/ids.js';
import { perfNow, realDateNow } from '../runtime/real-clock.js';
import { getModuleIsolation, type ModuleIsolation } from './isolation.js';
import {
  type CreateFunctionOptions,
  type EnvironmentKind,
  type FunctionInvokeOptions,
  type ResolvedFunctionConfig,
  type ResolvedInvokeOptions,
  resolveFunctionConfig,
  resolveInvokeOptions,
} from './options.js';
import { initRemote, invokeRemote, type RemoteEnvironment, RemoteFreezeState } from './remote.js';
import { initFailureResult, placeSuppressedInitLogs } from './suppressed-init.js';
import { createInstanceTmpDir, installTmpdirPatch, removeInstanceTmpDir } from './tmp.js';

/**
 * State of one execution environment:
 * - `initializing`: provisioned concurrency is running its init ahead of traffic;
 * - `idle`: initialised, waiting for an event (the next invocation is warm);
 * - `busy`: running an invocation (or the init of a cold start);
 * - `needs-init`: the environment exists (same /tmp, same log stream) but its runtime was reset
 *   by a timeout, crash or failed init, so the next invocation re-runs init (a cold start).
 *
 * @example
 * fn.instances.filter((i) => i.state === 'needs-init').length; // environments that will re-init
 */
export type InstanceState = 'initializing' | 'idle' | 'busy' | 'needs-init';

/**
 * What a test can see of one instance (a snapshot; read `fn.instances` again for fresh values).
 *
 * @example
 * const [first] = fn.instances;
 * first.state; // 'idle'
 * first.invocations; // 2
 * fs.existsSync(path.join(first.tmpDir, 'cache.json'));
 */
export interface FunctionInstanceInfo {
  /** `<functionName>/<n>`, numbered in creation order from 1. */
  readonly id: string;
  readonly state: InstanceState;
  readonly initializationType: 'on-demand' | 'provisioned-concurrency';
  /** The instance's /tmp: `TMPDIR` and `os.tmpdir()` point here during its init and invocations. */
  readonly tmpDir: string;
  /** AWS_LAMBDA_LOG_STREAM_NAME of this environment. */
  readonly logStreamName: string;
  /** Invocations this instance ran (throttled ones never reach an instance). */
  readonly invocations: number;
  /** Init phases this instance ran, including the re-inits after resets and suppressed retries. */
  readonly inits: number;
  /** Why the instance was last reset, if it was. */
  readonly lastReset: 'timeout' | 'crash' | 'exit' | 'init-error' | undefined;
  /** The init phase's logs for provisioned instances (initialised before any invocation). */
  readonly provisionedInitLogs: readonly LogLine[];
}

/**
 * What `fn.invoke` resolves to: the invocation's result plus the id of the instance that ran it,
 * or a throttled result (429) that never reached an instance.
 *
 * @example
 * const result = await fn.invoke({});
 * if (result.outcome !== 'throttled') console.log(result.instanceId, result.coldStart);
 */
export type FunctionResult = (InvocationResult & { readonly instanceId: string }) | ThrottledResult;

/**
 * Counters over the function's lifetime.
 *
 * @example
 * fn.stats; // { invocations: 3, coldStarts: 1, throttles: 0, instancesCreated: 1, instancesRecycled: 0, frozenWorkDropped: 0, droppedWork: [] }
 */
export interface FunctionStats {
  /** Invocations that reached an instance. */
  readonly invocations: number;
  /** Invocations that ran an init phase. */
  readonly coldStarts: number;
  /** Invocations rejected with 429. */
  readonly throttles: number;
  readonly instancesCreated: number;
  /** Instances discarded (idle timeout, forceColdStart, dispose). */
  readonly instancesRecycled: number;
  /**
   * Instances discarded while frozen with work still pending (timers, intervals, I/O the handler
   * or init left): that work is dropped and never runs, as on Lambda when a sandbox is reclaimed.
   */
  readonly frozenWorkDropped: number;
  /** What each of those instances dropped (instance id, why, and the pending-work report). */
  readonly droppedWork: readonly {
    readonly instanceId: string;
    readonly reason: 'recycled' | 'disposed';
    readonly pendingWork: PendingWork;
  }[];
}

/**
 * A simulated Lambda function: a pool of execution environments that invocations are routed to.
 *
 * @example
 * const fn = createFunction({ handler: () => import('./handler.js'), timeout: 3 });
 * const first = await fn.invoke({ id: 1 });  // cold start: module code ran, REPORT has Init Duration
 * const second = await fn.invoke({ id: 2 }); // warm: same instance, module state kept
 * fn.forceColdStart();
 * await fn.dispose();
 */
export interface LambdaFunction {
  readonly functionName: string;
  /** The function timeout in seconds (as configured). */
  readonly timeout: number;
  /** The module isolation used for cold starts (`vitest`, `jest`, `node`, or a custom name); the kind's name outside the runner. */
  readonly isolation: string;
  /** Where the execution environments run: `runner`, `worker` or `process`. */
  readonly environment: EnvironmentKind;
  /**
   * Invoke the function synchronously (RequestResponse). Resolves to the result as a value:
   * success, error (init or invoke phase), timeout, or throttled (429). Throws only for harness
   * misuse (bad options, a non-JSON event, an isolation that did not re-evaluate the module).
   */
  invoke(event?: unknown, options?: FunctionInvokeOptions): Promise<FunctionResult>;
  /** The instances that exist now (idle-timeout recycling is applied first). */
  readonly instances: readonly FunctionInstanceInfo[];
  readonly stats: FunctionStats;
  /**
   * Discard every instance (their /tmp directories are removed; busy ones when they finish), so
   * the next invocation is a cold start in a new environment. Provisioned instances are
   * initialised again.
   */
  forceColdStart(): void;
  /**
   * Simulate the function sitting unused for `seconds`: on-demand instances idle for longer than
   * `idleTimeout` are recycled (provisioned ones stay). Returns how many were recycled.
   */
  passIdleTime(seconds: number): number;
  /** Resolves when the provisioned instances have finished their init. */
  ready(): Promise<void>;
  /** Discard all instances (waiting for in-flight invocations) and refuse further invocations. */
  dispose(): Promise<void>;
}

// One cold-start load at a time across the process: runner isolations (vi.resetModules,
// jest.isolateModulesAsync) act on a process-wide module registry and cannot overlap.
let loadChain: Promise<unknown> = Promise.resolve();
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = loadChain.then(fn);
  loadChain = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/** Module objects returned by previous cold starts: seeing one again means nothing was re-evaluated. */
const loadedModules = new WeakSet<object>();

class Instance {
  state: InstanceState;
  handler: Function | undefined;
  invocations = 0;
  inits = 0;
  lastReset: FunctionInstanceInfo['lastReset'];
  lastUsed: number;
  idleCredit = 0;
  /**
   * Virtual occupancy: the virtual interval [from, until) of this instance's last invocation that
   * gave its own `clock: { mode: 'virtual', startMs }` (what the simulators do). Undefined until then.
   */
  virtualFrom: number | undefined;
  virtualUntil: number | undefined;
  discardWhenDone = false;
  discarded = false;
  provisionedInitLogs: readonly LogLine[] = [];
  /** The worker or child process running this environment (worker and process kinds). */
  remote: RemoteEnvironment | undefined;
  /** That environment as it is frozen (its virtual clock, what it would drop), across its resets. */
  readonly remoteFrozen = new RemoteFreezeState();
  readonly extraEnv: Readonly<Record<string, string>>;
  /** The runtime process of this instance (its pending work); replaced at each init. */
  environment: EngineEnvironment | undefined;

  /** `{ environment }` for the engine's requests, when there is one. */
  environmentOption(): { environment?: EngineEnvironment } {
    return this.environment ? { environment: this.environment } : {};
  }

  /** Whether this instance's environment runs a virtual clock (its invocations continue it). */
  get onVirtualClock(): boolean {
    return this.environment?.virtualClock !== undefined || this.remoteFrozen.virtualNow !== undefined;
  }

  /** Virtual idle time passes for this frozen instance (`passIdleTime` on the virtual clock). */
  passVirtualIdle(ms: number): void {
    this.environment?.passVirtualIdle(ms);
    this.remoteFrozen.passVirtualIdle(ms);
  }

  /** A fresh runtime process for an init: the previous one (if any) is gone with its work. */
  newEnvironment(): EngineEnvironment {
    const previous = this.environment;
    previous?.dispose('reset');
    this.environment = createEnvironment(this.id);
    // The same environment's virtual timeline goes on across a reset (only the process is new).
    this.environment.virtualStart = previous?.virtualClock?.now;
    return this.environment;
  }

  constructor(
    readonly id: string,
    readonly initializationType: 'on-demand' | 'provisioned-concurrency',
    readonly tmpDir: string,
    readonly logStreamName: string,
    userSetsTmpdir: boolean,
  ) {
    this.state = initializationType === 'provisioned-concurrency' ? 'initializing' : 'busy';
    this.lastUsed = perfNow();
    // A TMPDIR in the function's own env wins, as it would on Lambda.
    this.extraEnv = userSetsTmpdir ? {} : { TMPDIR: tmpDir };
  }

  info(): FunctionInstanceInfo {
    return {
      id: this.id,
      state: this.state,
      initializationType: this.initializationType,
      tmpDir: this.tmpDir,
      logStreamName: this.logStreamName,
      invocations: this.invocations,
      inits: this.inits,
      lastReset: this.lastReset,
      provisionedInitLogs: this.provisionedInitLogs,
    };
  }
}

/** The virtual start of an invocation that gave its own `{ mode: 'virtual', startMs }` clock. */
function virtualStartOf(clock: ClockOption | undefined): number | undefined {
  return clock?.mode === 'virtual' ? clock.startMs : undefined;
}

/**
 * Whether the instance's last virtual invocation, [from, from + duration), covers virtual time
 * `at`. A simulator starts invocations in virtual-time order, so for it this is "at < until"; a
 * start before `from` belongs to another timeline (another simulator run) and does not overlap.
 * An invocation that took no virtual time occupies none.
 */
function virtuallyBusyAt(i: Instance, at: number): boolean {
  const from = i.virtualFrom;
  return from !== undefined && from <= at && at < (i.virtualUntil as number);
}

class SimulatedFunction implements LambdaFunction {
  readonly #config: ResolvedFunctionConfig;
  readonly #settings: FunctionSettings;
  readonly #isolation: ModuleIsolation;
  readonly #pool: Instance[] = [];
  #nextId = 1;
  #busy = 0;
  #disposed = false;
  #provisioning: Promise<void> = Promise.resolve();
  #idleWaiters: Array<() => void> = [];
  #stats = {
    invocations: 0,
    coldStarts: 0,
    throttles: 0,
    instancesCreated: 0,
    instancesRecycled: 0,
    frozenWorkDropped: 0,
  };
  #droppedWork: { instanceId: string; reason: 'recycled' | 'disposed'; pendingWork: PendingWork }[] = [];

  constructor(config: ResolvedFunctionConfig) {
    this.#config = config;
    this.#settings = config.settings;
    this.#isolation = config.isolation ?? getModuleIsolation();
    installTmpdirPatch();
    this.#provision();
  }

  get functionName(): string {
    return this.#settings.functionName;
  }

  get isolation(): string {
    return this.#config.remote ? this.#config.remote.kind : this.#isolation.name;
  }

  get environment(): EnvironmentKind {
    return this.#config.remote ? this.#config.remote.kind : 'runner';
  }

  get timeout(): number {
    return this.#settings.timeoutMs / 1000;
  }

  get instances(): readonly FunctionInstanceInfo[] {
    this.#sweepIdle(0);
    return this.#pool.map((i) => i.info());
  }

  get stats(): FunctionStats {
    return { ...this.#stats, droppedWork: [...this.#droppedWork] };
  }

  ready(): Promise<void> {
    return this.#provisioning;
  }

  forceColdStart(): void {
    this.#assertLive('forceColdStart()');
    for (const instance of [...this.#pool]) this.#discard(instance);
    this.#provision();
  }

  passIdleTime(seconds: number): number {
    this.#assertLive('passIdleTime()');
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${this.functionName}.passIdleTime(seconds): expected a number >= 0, received ${String(seconds)}`,
        { path: 'seconds' },
      );
    }
    // On the virtual clock the idle time passes for frozen environments too: what falls due in
    // it runs at their next thaw.
    for (const i of this.#pool)
      if (i.state === 'idle' || i.state === 'needs-init') i.passVirtualIdle(seconds * 1000);
    return this.#sweepIdle(seconds * 1000);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#provisioning.catch(() => undefined);
    for (const instance of [...this.#pool]) this.#discard(instance);
    while (this.#busy > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    for (const instance of [...this.#pool]) this.#discard(instance);
  }

  async invoke(event?: unknown, options?: FunctionInvokeOptions): Promise<FunctionResult> {
    this.#assertLive('invoke()');
    const opts = resolveInvokeOptions(options, this.functionName);
    await this.#provisioning;
    this.#assertLive('invoke()');
    // From here to claiming the instance everything is synchronous, so concurrent invokes
    // cannot both take the last slot.
    // An invocation placed on the virtual timeline (its own clock with startMs) also finds the
    // instances whose last virtual invocation is still running at that virtual time busy.
    const at = virtualStartOf(opts.clock);
    this.#sweepIdle(0, at);
    const pick = this.#pick(at);
    const throttled = this.#throttle(pick.virtuallyBusy, opts.requestId);
    if (throttled) {
      this.#stats.throttles++;
      return throttled;
    }
    const instance = pick.instance ?? this.#create('on-demand');
    instance.state = 'busy';
    this.#busy++;
    this.#stats.invocations++;
    instance.invocations++;
    try {
      const result = await this.#run(instance, event, opts);
      if (at !== undefined && result.outcome !== 'throttled') {
        instance.virtualFrom = at;
        instance.virtualUntil = at + result.durationMs;
      }
      return result;
    } finally {
      this.#busy--;
      instance.lastUsed = perfNow();
      instance.idleCredit = 0;
      if (instance.state === 'busy') instance.state = instance.handler ? 'idle' : 'needs-init';
      if (instance.discardWhenDone || this.#disposed) this.#discard(instance);
      if (this.#busy === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  #assertLive(what: string): void {
    if (this.#disposed) {
      throw new HarnessError(
        'INVALID_CONFIGURATION',
        `${this.functionName}.${what}: the function was disposed`,
        {
          hint: 'Create a new function with createFunction() for each test, or call dispose() in afterEach only.',
        },
      );
    }
  }

  /** `virtuallyBusy`: idle instances still running a virtual invocation at this one's virtual start. */
  #throttle(virtuallyBusy: number, requestId: string | undefined): ThrottledResult | undefined {
    const reserved = this.#config.reservedConcurrency;
    const inFlight = this.#busy + virtuallyBusy;
    let reason: string | undefined;
    if (reserved !== undefined && inFlight >= reserved)
      reason = 'ReservedFunctionConcurrentInvocationLimitExceeded';
    else if (inFlight >= this.#config.accountConcurrency) reason = 'ConcurrentInvocationLimitExceeded';
    if (!reason) return undefined;
    return {
      outcome: 'throttled',
      requestId: requestId ?? newRequestId(),
      functionName: this.functionName,
      statusCode: 429,
      error: {
        errorType: 'TooManyRequestsException',
        errorMessage: 'Rate Exceeded.',
        Reason: reason,
        Type: 'User',
      },
    };
  }

  /**
   * Pick the instance for an invocation: provisioned first, then the most recently used one
   * (undefined: create a new one). With a virtual start `at`, an idle instance whose last virtual
   * invocation covers `at` is busy on the virtual timeline: it is skipped and counted.
   */
  #pick(at: number | undefined): { instance: Instance | undefined; virtuallyBusy: number } {
    let best: Instance | undefined;
    let virtuallyBusy = 0;
    for (const i of this.#pool) {
      if (i.state !== 'idle' && i.state !== 'needs-init') continue;
      if (at !== undefined && virtuallyBusyAt(i, at)) {
        virtuallyBusy++;
        continue;
      }
      if (!best) {
        best = i;
        continue;
      }
      const iProv = i.initializationType === 'provisioned-concurrency';
      const bProv = best.initializationType === 'provisioned-concurrency';
      if (iProv !== bProv) {
        if (iProv) best = i;
        continue;
      }
      if (i.lastUsed > best.lastUsed) best = i;
    }
    return { instance: best, virtuallyBusy };
  }

  #create(type: 'on-demand' | 'provisioned-concurrency'): Instance {
    const instance = new Instance(
      `${this.functionName}/${this.#nextId++}`,
      type,
      createInstanceTmpDir(this.functionName),
      newLogStreamName(this.#settings.functionVersion, realDateNow()),
      Object.hasOwn(this.#settings.env, 'TMPDIR'),
    );
    this.#pool.push(instance);
    this.#stats.instancesCreated++;
    return instance;
  }

  #discard(instance: Instance): void {
    if (instance.discarded) return;
    if (instance.state === 'busy' || instance.state === 'initializing') {
      instance.discardWhenDone = true;
      return;
    }
    instance.discarded = true;
    instance.handler = undefined;
    instance.remote?.kill();
    instance.remote = undefined;
    const reason = this.#disposed ? 'disposed' : 'recycled';
    instance.environment?.dispose(reason);
    // A worker or process environment is ended as it was frozen after its last reply.
    const dropped = instance.environment ? instance.environment.dropped : instance.remoteFrozen.dropped;
    if (dropped) {
      this.#stats.frozenWorkDropped++;
      this.#droppedWork.push({ instanceId: instance.id, reason, pendingWork: dropped });
    }
    const at = this.#pool.indexOf(instance);
    if (at >= 0) this.#pool.splice(at, 1);
    removeInstanceTmpDir(instance.tmpDir);
    this.#stats.instancesRecycled++;
  }

  /**
   * Recycles on-demand instances idle for longer than `idleTimeout`: wall time plus time passed
   * with passIdleTime(), or, before an invocation at virtual time `at`, the virtual time since the
   * instance's last virtual invocation ended.
   */
  #sweepIdle(extraMs: number, at?: number): number {
    const limit = this.#config.idleTimeoutMs;
    if (extraMs > 0)
      for (const i of this.#pool) if (i.state === 'idle' || i.state === 'needs-init') i.idleCredit += extraMs;
    if (limit === undefined) return 0;
    const now = perfNow();
    let recycled = 0;
    for (const i of [...this.#pool]) {
      if (i.state !== 'idle' && i.state !== 'needs-init') continue;
      // Provisioned concurrency keeps its environments initialised however idle they are.
      if (i.initializationType === 'provisioned-concurrency') continue;
      const virtualIdle = at !== undefined && i.virtualUntil !== undefined ? at - i.virtualUntil : 0;
      if (now - i.lastUsed + i.idleCredit > limit || virtualIdle > limit) {
        this.#discard(i);
        recycled++;
      }
    }
    return recycled;
  }

  #provision(): void {
    const n = this.#config.provisionedConcurrency;
    if (n === 0) return;
    const created: Instance[] = [];
    for (let k = 0; k < n; k++) created.push(this.#create('provisioned-concurrency'));
    const previous = this.#provisioning;
    const provisioning = previous.then(async () => {
      for (const instance of created) {
        const init = await this.#init(instance);
        instance.provisionedInitLogs = init.outcome.logs;
        if (init.outcome.ok) {
          instance.handler = init.outcome.handler;
          instance.state = 'idle';
        } else {
          instance.state = 'needs-init';
          instance.lastReset = 'init-error';
        }
        instance.lastUsed = perfNow();
        if (instance.discardWhenDone) this.#discard(instance);
      }
    });
    // Invocations and ready() see a failure; an unobserved one must not crash the test process.
    provisioning.catch(() => undefined);
    this.#provisioning = provisioning;
  }

  /** One init phase through the module isolation (serialised process-wide). */
  async #init(
    instance: Instance,
    timeoutMs?: number,
    clock: ClockOption = this.#config.clock,
  ): Promise<{ outcome: InitOutcome; module: unknown }> {
    const remote = this.#config.remote;
    if (remote) {
      // Every init of a worker or process environment starts a new runtime (a new thread or
      // process): the whole module graph, node_modules included, is evaluated again.
      instance.inits++;
      instance.remote?.kill();
      instance.remote = undefined;
      const onDemand = instance.initializationType === 'on-demand';
      const limit = timeoutMs ?? (onDemand ? this.#config.initTimeoutMs : undefined);
      const started = await initRemote(
        remote,
        {
          logStreamName: instance.logStreamName,
          tmpDir: instance.tmpDir,
          initializationType: instance.initializationType,
          ...(limit !== undefined ? { initTimeoutMs: limit } : {}),
          clock,
        },
        instance.remoteFrozen,
      );
      if (instance.discarded) started.env?.kill();
      else instance.remote = started.env;
      return { outcome: started.outcome, module: undefined };
    }
    let loaded: unknown;
    const isolation = this.#isolation;
    const userLoader = this.#config.loader;
    const loader = async (): Promise<unknown> => {
      loaded = await isolation.load(userLoader);
      return loaded;
    };
    instance.inits++;
    const onDemand = instance.initializationType === 'on-demand';
    const outcome = await serialised(() =>
      initFunction({
        settings: this.#settings,
        loader,
        initializationType: instance.initializationType,
        logStreamName: instance.logStreamName,
        extraEnv: instance.extraEnv,
        environment: instance.newEnvironment(),
        ...(clock.mode === 'virtual' ? { clock } : {}),
        ...(timeoutMs !== undefined
          ? { initTimeoutMs: timeoutMs }
          : onDemand
            ? { initTimeoutMs: this.#config.initTimeoutMs }
            : {}),
      }),
    );
    if (outcome.ok && loaded !== null && typeof loaded === 'object') {
      if (loadedModules.has(loaded)) {
        instance.handler = undefined;
        throw new HarnessError(
          'UNSUPPORTED',
          `${this.functionName}: cold start of ${instance.id} got the same module object as an earlier cold start, so the handler's module code did not run again (isolation: ${isolation.name})`,
          {
            hint:
              isolation.name === 'node'
                ? "Under Vitest import 'lambda-harness/vitest' (or pass isolation: { name: 'vitest', load: async (l) => { vi.resetModules(); return l(); } }); under Jest import 'lambda-harness/jest'. Plain Node can re-load CommonJS handlers (() => require('./handler.cjs')) but not ES modules: use isolated mode for those."
                : `The isolation '${isolation.name}' must make the loader evaluate the module again (e.g. vi.resetModules() before it, or jest.isolateModulesAsync around it).`,
          },
        );
      }
      loadedModules.add(loaded);
    }
    return { outcome, module: loaded };
  }

  async #run(instance: Instance, event: unknown, opts: ResolvedInvokeOptions): Promise<FunctionResult> {
    const settings = this.#settings;
    // A function-level virtual clock starts each environment's timeline once; later invocations of
    // that environment continue it (plus passIdleTime), so work frozen with it falls due in order.
    const clock: ClockOption =
      opts.clock ??
      (this.#config.clock.mode === 'virtual' && instance.onVirtualClock
        ? { mode: 'virtual' }
        : this.#config.clock);
    const common = {
      settings,
      event,
      logStreamName: instance.logStreamName,
      initializationType: instance.initializationType,
      extraEnv: instance.extraEnv,
      clock,
      ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
      ...(opts.traceId !== undefined ? { traceId: opts.traceId } : {}),
      ...(opts.identity !== undefined ? { identity: opts.identity } : {}),
      ...(opts.clientContext !== undefined ? { clientContext: opts.clientContext } : {}),
      ...(opts.tenantId !== undefined ? { tenantId: opts.tenantId } : {}),
    };

    // Warm start.
    if (instance.handler) {
      const outcome = await this.#invokeStep(instance, {
        ...common,
        handler: instance.handler,
        ...instance.environmentOption(),
      });
      this.#afterInvoke(instance, outcome.resetRequired, outcome.resetReason);
      return { ...outcome.result, instanceId: instance.id };
    }

    // Cold start: init (on-demand: under the init limit), then on failure the suppressed init
    // retry inside this invocation, under the function timeout.
    this.#stats.coldStarts++;
    const first = (await this.#init(instance, undefined, clock)).outcome;
    let init = first;
    let retry: InitOutcome | undefined;
    if (!first.ok) {
      retry = (await this.#init(instance, settings.timeoutMs, clock)).outcome;
      init = retry;
    }
    if (!init.ok) {
      instance.handler = undefined;
      instance.state = 'needs-init';
      instance.lastReset = 'init-error';
      const result = initFailureResult({
        settings,
        first: first as InitOutcome & { ok: false },
        retry: init,
        ...(opts.requestId !== undefined ? { requestId: opts.requestId } : {}),
      });
      return { ...result, instanceId: instance.id };
    }
    const onDemand = instance.initializationType === 'on-demand';
    // Set only once the invocation ran: a harness error (a non-JSON event) leaves the instance
    // uninitialised, so the next invocation is still the cold start that reports this init.
    const outcome = await this.#invokeStep(instance, {
      ...common,
      // The invocation continues the virtual clock its init ran on (init time passed before it).
      ...(clock.mode === 'virtual' && instance.onVirtualClock ? { clock: { mode: 'virtual' } } : {}),
      handler: init.handler,
      ...instance.environmentOption(),
      coldStart: true,
      ...(onDemand ? { initDurationMs: init.initDurationMs } : {}),
      initLogs: first.logs,
    });
    instance.handler = init.handler;
    this.#afterInvoke(instance, outcome.resetRequired, outcome.resetReason);
    let result: InvocationResult = outcome.result;
    if (retry) result = { ...result, logs: placeSuppressedInitLogs(result.logs, first.logs, retry.logs) };
    // Work init left is the environment's: it was frozen with it and is in this invocation's report.
    return { ...result, instanceId: instance.id };
  }

  /** The engine's invoke step, here or in the instance's worker or process. */
  #invokeStep(instance: Instance, request: InvokeRequest): Promise<InvokeOutcome> {
    if (!this.#config.remote) return invokeFunction(request);
    const remote = instance.remote;
    if (!remote) throw new HarnessError('INTERNAL', `${instance.id}: no live environment to invoke`);
    const { handler: _handler, environment: _environment, ...rest } = request;
    return invokeRemote(remote, this.#settings, rest, instance.remoteFrozen);
  }

  #afterInvoke(
    instance: Instance,
    resetRequired: boolean,
    reason: 'timeout' | 'crash' | 'exit' | undefined,
  ): void {
    if (!resetRequired) return;
    // Lambda resets the environment: the runtime restarts, module state is lost, /tmp stays.
    instance.handler = undefined;
    instance.remote?.kill();
    instance.remote = undefined;
    instance.lastReset = reason;
  }
}

/**
 * Create a simulated Lambda function whose invocations run in execution environments
 * ("instances") the way Lambda runs them: the first invocation of an instance is a cold start
 * (the handler's modules are loaded afresh through the test runner's module system and their
 * top-level code runs, REPORT carries Init Duration), later ones are warm (same module state,
 * same /tmp); overlapping invocations get separate instances; a timeout or crash resets the
 * instance; reserved concurrency throttles; provisioned concurrency pre-initialises instances.
 *
 * @example
 * import { createFunction } from 'lambda-harness';
 * import { vi } from 'vitest';
 *
 * const fn = createFunction({
 *   handler: () => import('./handler.js'),
 *   isolation: { name: 'vitest', load: async (load) => { vi.resetModules(); return load(); } },
 *   timeout: 3,
 * });
 * const cold = await fn.invoke({ id: 1 });
 * const warm = await fn.invoke({ id: 2 });
 * cold.outcome === 'success' && cold.coldStart; // true
 * warm.outcome === 'success' && warm.coldStart; // false
 * await fn.dispose();
 */
export function createFunction(options: CreateFunctionOptions): LambdaFunction {
  return new SimulatedFunction(resolveFunctionConfig(options));
}
