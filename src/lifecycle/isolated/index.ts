/**
 * Isolated mode: each function instance is a child process that loads the built handler with
 * plain Node (not the test runner's module system), runs the real init through the engine's init
 * step and serves invocations through its invoke step. Use it to measure real cold starts in CI
 * and to run a handler exactly once, as the CLI does.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { HarnessError } from '../../errors/index.js';
import type { ErrorPayload, InvocationResult, StreamedChunk, StreamPrelude } from '../../invoke/result.js';
import {
  FUNCTION_OPTION_KEYS,
  type FunctionOptions,
  type FunctionSettings,
  resolveFunctionSettings,
} from '../../invoke/settings.js';
import { newRequestId } from '../../runtime/ids.js';
import { initFailureResult, placeSuppressedInitLogs } from '../suppressed-init.js';
import type { ImportTiming } from './import-timing.js';
import { type ChildSpec, IsolatedChild } from './instance.js';
import { type ChildStreamMessage, type InitReplyMessage, reviveChunk, reviveResult } from './protocol.js';
import { failedOutcome, killedAtDeadline, processDied, type SyntheticContext } from './results.js';
import { type DurationStats, summarize } from './stats.js';

export type { ImportTiming } from './import-timing.js';
export type { DurationStats } from './stats.js';

/**
 * Options of {@link createIsolatedFunction}: the handler file, its export, and the function's
 * configuration (the same keys as the in-process invoker, except `handler` and `logs`).
 *
 * @example
 * const options: IsolatedFunctionOptions = { file: 'dist/index.js', exportName: 'handler', runtime: 'nodejs22.x', timeout: 5 };
 */
export interface IsolatedFunctionOptions extends Omit<FunctionOptions, 'handler' | 'logs'> {
  /** Path of the handler file (JavaScript, ESM or CommonJS; TypeScript is loaded through tsx). */
  readonly file: string;
  /** Export path inside the module, for example `handler` or `handlers.get`. Default `handler`. */
  readonly exportName?: string;
  /** Extra node flags for each child process, for example `['--enable-source-maps']`. */
  readonly execArgv?: readonly string[];
  /** Working directory of the child; default the handler file's directory. */
  readonly cwd?: string;
}

const OWN_KEYS = ['file', 'exportName', 'execArgv', 'cwd'];
const PASSED_KEYS = FUNCTION_OPTION_KEYS.filter((k) => k !== 'handler' && k !== 'logs');

interface Resolved {
  readonly file: string;
  readonly exportName: string;
  readonly functionOptions: Record<string, unknown>;
  readonly execArgv: readonly string[];
  readonly cwd: string | undefined;
  readonly timeoutMs: number;
  readonly memorySizeMB: number;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly runtime: InvocationResult['runtime'];
  readonly settings: FunctionSettings;
}

function resolveOptions(
  options: IsolatedFunctionOptions,
  where: string,
  extra: readonly string[] = [],
): Resolved {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new HarnessError('INVALID_OPTIONS', `${where}: expected an options object with at least \`file\``);
  }
  const all = options as unknown as Record<string, unknown>;
  for (const key of Object.keys(all)) {
    if (!OWN_KEYS.includes(key) && !PASSED_KEYS.includes(key) && !extra.includes(key)) {
      throw new HarnessError('INVALID_OPTIONS', `${where}.${key}: unknown option`, {
        path: key,
        hint: `Known options: ${[...OWN_KEYS, ...extra, ...PASSED_KEYS].join(', ')}.`,
      });
    }
  }
  if (typeof all.file !== 'string' || all.file.length === 0) {
    throw new HarnessError('INVALID_OPTIONS', `${where}.file: expected the path of a handler file`, {
      path: 'file',
    });
  }
  const file = resolve(all.file);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new HarnessError('INVALID_HANDLER', `${where}.file: no such file ${file}`, {
      path: 'file',
      hint: 'Build the handler first, or check the path (it is resolved against the current directory).',
    });
  }
  const exportName = all.exportName === undefined ? 'handler' : all.exportName;
  if (typeof exportName !== 'string' || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(exportName)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${where}.exportName: expected an export path such as "handler" or "handlers.get"`,
      {
        path: 'exportName',
      },
    );
  }
  const functionOptions: Record<string, unknown> = {};
  for (const key of PASSED_KEYS) if (all[key] !== undefined) functionOptions[key] = all[key];
  const settings = resolveFunctionSettings(functionOptions as FunctionOptions, where);
  const execArgv = all.execArgv === undefined ? [] : all.execArgv;
  if (!Array.isArray(execArgv) || execArgv.some((a) => typeof a !== 'string')) {
    throw new HarnessError('INVALID_OPTIONS', `${where}.execArgv: expected an array of node flags`, {
      path: 'execArgv',
    });
  }
  if (all.cwd !== undefined && typeof all.cwd !== 'string') {
    throw new HarnessError('INVALID_OPTIONS', `${where}.cwd: expected a directory path`, { path: 'cwd' });
  }
  return {
    file,
    exportName,
    functionOptions,
    execArgv: execArgv as string[],
    cwd: all.cwd as string | undefined,
    timeoutMs: settings.timeoutMs,
    memorySizeMB: settings.memorySizeMB,
    functionName: settings.functionName,
    functionVersion: settings.functionVersion,
    runtime: settings.profile.name,
    settings: { ...settings, echo: false },
  };
}

function checkInvokeOptions(opts: unknown): void {
  const where = 'isolated invoke options';
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new HarnessError('INVALID_OPTIONS', `${where}: expected an object`);
  }
  const o = opts as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'requestId' && key !== 'clock' && key !== 'onStream') {
      throw new HarnessError('INVALID_OPTIONS', `${where}.${key}: unknown option`, {
        path: key,
        hint: 'Known options: requestId, clock, onStream.',
      });
    }
  }
  if (o.onStream !== undefined && typeof o.onStream !== 'function') {
    throw new HarnessError('INVALID_OPTIONS', `${where}.onStream: expected a function`, {
      path: 'onStream',
      hint: 'Pass (event) => { ... }, called with the prelude and each chunk of a streaming handler.',
    });
  }
  if (o.requestId !== undefined && (typeof o.requestId !== 'string' || o.requestId.length === 0)) {
    throw new HarnessError('INVALID_OPTIONS', `${where}.requestId: expected a non-empty string`, {
      path: 'requestId',
    });
  }
  const clock = o.clock as { mode?: unknown; startMs?: unknown } | undefined;
  if (
    clock !== undefined &&
    (clock === null ||
      typeof clock !== 'object' ||
      (clock.mode !== 'real' && clock.mode !== 'virtual') ||
      (clock.startMs !== undefined && typeof clock.startMs !== 'number'))
  ) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${where}.clock: expected { mode: 'real' } or { mode: 'virtual', startMs? }`,
      {
        path: 'clock',
      },
    );
  }
}

/**
 * What an isolated instance reported about its init.
 *
 * @example
 * const info: IsolatedInitInfo = fn.lastInit!; // { ok: true, initDurationMs: 41.2, ... }
 */
export interface IsolatedInitInfo {
  readonly ok: boolean;
  readonly initDurationMs: number;
  readonly error: ErrorPayload | undefined;
  /** Spawn to init reply: process start, runtime setup and init. */
  readonly startupMs: number;
  /** On Runtime.HandlerNotFound: the function exports the module does have. */
  readonly availableExports: readonly string[] | undefined;
}

/**
 * A function whose instances are child processes.
 *
 * @example
 * const fn = createIsolatedFunction({ file: 'dist/index.js' });
 * const first = await fn.invoke({ id: 1 });  // cold: a new process ran init
 * const second = await fn.invoke({ id: 2 }); // warm: same process
 * await fn.dispose();
 */
export interface IsolatedFunction {
  /** Invokes the function (one invocation at a time; calls queue). Never throws for handler failures. */
  invoke(event: unknown, options?: IsolatedInvokeOptions): Promise<InvocationResult>;
  /** Discards the current instance, so the next invocation cold-starts in a new process. */
  forceColdStart(): void;
  /** Live instances (0 or 1). */
  readonly instances: number;
  /** Processes started so far (cold starts, init failures included). */
  readonly coldStarts: number;
  /** The last init's report, once an instance was started. */
  readonly lastInit: IsolatedInitInfo | undefined;
  /** Output the current or last child wrote outside invocations (crash prints, stray writes). */
  readonly strayOutput: string;
  /** Kills the instance. */
  dispose(): Promise<void>;
}

/**
 * Per-invocation options of {@link IsolatedFunction.invoke}.
 *
 * @example
 * await fn.invoke(event, { requestId: '11111111-1111-4111-8111-111111111111' });
 */
export interface IsolatedInvokeOptions {
  readonly requestId?: string;
  /** `{ mode: 'virtual' }` runs the handler's timers on a simulated clock. Default real time. */
  readonly clock?: { readonly mode: 'real' } | { readonly mode: 'virtual'; readonly startMs?: number };
  /** Streaming handlers: called with the prelude and each chunk as it reaches the caller. */
  readonly onStream?: (event: IsolatedStreamEvent) => void;
}

/**
 * What {@link IsolatedInvokeOptions.onStream} receives while a streaming handler runs.
 *
 * @example
 * await fn.invoke(event, { onStream: (e) => { if (e.type === 'chunk') process.stdout.write(e.chunk.data); } });
 */
export type IsolatedStreamEvent =
  | { readonly type: 'prelude'; readonly prelude: StreamPrelude }
  | { readonly type: 'chunk'; readonly chunk: StreamedChunk };

/**
 * Creates a function whose instance runs in a child process. A timeout or crash discards the
 * process (the next invocation cold-starts in a new one); a handler that blocks the event loop past
 * its deadline is killed and reported as `Sandbox.Timedout`; a process that dies is reported as
 * `Runtime.ExitError`; a failed init is reported on every invocation (each one retries init in a
 * new process).
 *
 * @example
 * const fn = createIsolatedFunction({ file: 'dist/orders.mjs', exportName: 'handler', runtime: 'nodejs22.x', timeout: 3 });
 * const result = await fn.invoke({ orderId: 'o-1' });
 * console.log(result.outcome, result.initDurationMs);
 * await fn.dispose();
 */
export function createIsolatedFunction(options: IsolatedFunctionOptions): IsolatedFunction {
  const r = resolveOptions(options, 'createIsolatedFunction options');
  let child: IsolatedChild | undefined;
  let coldStarts = 0;
  let lastInit: IsolatedInitInfo | undefined;
  let stray = '';
  let queue: Promise<unknown> = Promise.resolve();

  const discard = () => {
    if (child) {
      stray = child.output;
      child.kill();
    }
    child = undefined;
  };

  const spec: ChildSpec = {
    file: r.file,
    exportPath: r.exportName,
    functionOptions: r.functionOptions,
    execArgv: r.execArgv,
    ...(r.cwd ? { cwd: r.cwd } : {}),
  };

  const startChild = async (initTimeoutMs?: number): Promise<IsolatedChild> => {
    const started = await IsolatedChild.start(
      initTimeoutMs === undefined ? spec : { ...spec, initTimeoutMs },
    );
    lastInit = {
      ok: started.init.ok,
      initDurationMs: started.init.initDurationMs,
      error: started.init.error,
      startupMs: Math.round(started.startupMs * 100) / 100,
      availableExports: started.init.exports,
    };
    return started;
  };

  async function run(event: unknown, opts: IsolatedInvokeOptions): Promise<InvocationResult> {
    const requestId = opts.requestId ?? newRequestId();
    let cold = false;
    let firstFailed: InitReplyMessage | undefined;
    if (!child?.alive) {
      cold = true;
      coldStarts += 1;
      const first = await startChild();
      if (first.init.ok) child = first;
      else {
        // Suppressed init: Lambda retries a failed init inside the first invocation, in a fresh
        // runtime process, under the function timeout.
        first.kill();
        stray = first.output;
        firstFailed = first.init;
        const retry = await startChild(r.timeoutMs);
        if (!retry.init.ok) {
          retry.kill();
          stray = retry.output;
          child = undefined;
          return initFailureResult({
            settings: r.settings,
            first: failedOutcome(first.init),
            retry: failedOutcome(retry.init),
            requestId,
          });
        }
        child = retry;
      }
    }
    const current = child as IsolatedChild;
    const ctx: SyntheticContext = {
      requestId,
      functionName: r.functionName,
      functionVersion: r.functionVersion,
      runtime: r.runtime,
      memorySizeMB: r.memorySizeMB,
      logFormat: r.settings.logFormat,
      coldStart: cold,
      initDurationMs: cold ? current.init.initDurationMs : undefined,
      initLogs: cold ? (firstFailed?.logs ?? current.init.logs) : [],
      startedAt: Date.now(),
    };
    const t0 = Date.now();
    const onStream = opts.onStream;
    const watch = onStream
      ? (m: ChildStreamMessage) => {
          if (m.prelude) onStream({ type: 'prelude', prelude: m.prelude });
          if (m.chunk) onStream({ type: 'chunk', chunk: reviveChunk(m.chunk) });
        }
      : undefined;
    const reply = await current.invoke(event, requestId, r.timeoutMs, opts.clock, firstFailed?.logs, watch);
    if (reply.type === 'invoke-done') {
      if (reply.resetRequired) discard();
      const result = reviveResult(reply.result);
      return firstFailed
        ? ({
            ...result,
            logs: placeSuppressedInitLogs(result.logs, firstFailed.logs, current.init.logs),
          } as InvocationResult)
        : result;
    }
    if (reply.type === 'failure') {
      discard();
      throw new HarnessError('INTERNAL', `isolated instance failed: ${reply.message.split('\n')[0]}`);
    }
    discard();
    if (reply.type === 'deadline') return killedAtDeadline(ctx, r.timeoutMs);
    return processDied(ctx, Date.now() - t0, reply.code, reply.signal);
  }

  return {
    invoke(event, opts = {}) {
      try {
        checkInvokeOptions(opts);
      } catch (error) {
        return Promise.reject(error);
      }
      const next = queue.then(() => run(event, opts));
      queue = next.catch(() => undefined);
      return next;
    },
    forceColdStart: discard,
    get instances() {
      return child?.alive ? 1 : 0;
    },
    get coldStarts() {
      return coldStarts;
    },
    get lastInit() {
      return lastInit;
    },
    get strayOutput() {
      return child ? child.output : stray;
    },
    async dispose() {
      await queue;
      discard();
    },
  };
}

/**
 * Options of {@link measureColdStart}.
 *
 * @example
 * const options: ColdStartOptions = { file: 'dist/index.js', runs: 20, onProgress: (done, total) => {} };
 */
export interface ColdStartOptions extends IsolatedFunctionOptions {
  /** Fresh processes to start; default 10. */
  readonly runs?: number;
  /** One extra run with per-module timing to list the slowest imports; default true. */
  readonly attributeImports?: boolean;
  /** How many slowest imports to list; default 10. */
  readonly slowestImports?: number;
  /** Called after each measured run with (done, runs); the import-attribution run is not counted. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * What {@link measureColdStart} measured.
 *
 * @example
 * const report = await measureColdStart({ file: 'dist/index.js', runs: 10 });
 * if (report.ok && report.stats.p90 > 300) process.exitCode = 1;
 */
export interface ColdStartReport {
  /** False when init failed (then `error` says why and no further runs were made). */
  readonly ok: boolean;
  readonly error: ErrorPayload | undefined;
  /** On Runtime.HandlerNotFound: the function exports the module does have. */
  readonly availableExports: readonly string[] | undefined;
  /** Init duration of each run, in ms, as the REPORT line's Init Duration would show. */
  readonly runs: readonly number[];
  readonly stats: DurationStats;
  /** Spawn-to-ready time of each process (Node start + runtime setup + init), in ms. */
  readonly startup: DurationStats;
  /** Packages or own files whose top-level code took longest (from one extra, attributed run). */
  readonly slowestImports: readonly ImportTiming[];
  readonly file: string;
  readonly exportName: string;
  readonly runtime: InvocationResult['runtime'];
}

/**
 * Measures cold starts: starts `runs` fresh processes one after another, each running the real
 * init of the built handler (no test runner involved), and summarises the init durations. One
 * extra process with per-module timing lists the slowest imports (its numbers are not in the
 * statistics, since the timing hooks slow loading down).
 *
 * @example
 * const report = await measureColdStart({ file: 'dist/index.js', exportName: 'handler', runs: 20 });
 * console.log(report.stats.p90, report.slowestImports[0]?.name);
 */
export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartReport> {
  const r = resolveOptions(options, 'measureColdStart options', [
    'runs',
    'attributeImports',
    'slowestImports',
    'onProgress',
  ]);
  const runsCount = options.runs ?? 10;
  if (!Number.isInteger(runsCount) || runsCount < 1 || runsCount > 10_000) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `measureColdStart options.runs: expected an integer from 1 to 10000, received ${String(runsCount)}`,
      { path: 'runs' },
    );
  }
  const limit = options.slowestImports ?? 10;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      'measureColdStart options.slowestImports: expected an integer >= 0',
      { path: 'slowestImports' },
    );
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new HarnessError('INVALID_OPTIONS', 'measureColdStart options.onProgress: expected a function', {
      path: 'onProgress',
    });
  }
  if (options.attributeImports !== undefined && typeof options.attributeImports !== 'boolean') {
    throw new HarnessError(
      'INVALID_OPTIONS',
      'measureColdStart options.attributeImports: expected a boolean',
      {
        path: 'attributeImports',
      },
    );
  }
  const attribute = (options.attributeImports ?? true) && limit > 0;
  // Progress counts the measured runs only: `--runs 10` reads 10/10, not 11/11 with the extra
  // import-attribution run (which is not a measurement).
  const total = runsCount;
  const spec = {
    file: r.file,
    exportPath: r.exportName,
    functionOptions: r.functionOptions,
    execArgv: r.execArgv,
    ...(r.cwd ? { cwd: r.cwd } : {}),
  };
  const runs: number[] = [];
  const startup: number[] = [];
  let error: ErrorPayload | undefined;
  let availableExports: readonly string[] | undefined;
  for (let i = 0; i < runsCount; i += 1) {
    const child = await IsolatedChild.start(spec);
    child.kill();
    options.onProgress?.(i + 1, total);
    if (!child.init.ok) {
      error = child.init.error;
      availableExports = child.init.exports;
      break;
    }
    runs.push(child.init.initDurationMs);
    startup.push(Math.round(child.startupMs * 100) / 100);
  }
  let slowestImports: readonly ImportTiming[] = [];
  if (!error && attribute) {
    const child = await IsolatedChild.start({ ...spec, attributeImports: true, slowestImportsLimit: limit });
    child.kill();
    slowestImports = child.init.slowestImports;
  }
  return {
    ok: error === undefined,
    error,
    availableExports,
    runs,
    stats: summarize(runs),
    startup: summarize(startup),
    slowestImports,
    file: r.file,
    exportName: r.exportName,
    runtime: r.runtime,
  };
}
