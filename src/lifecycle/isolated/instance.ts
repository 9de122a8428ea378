/**
 * Parent side of isolated mode: spawn one child process per environment, initialise it, send it
 * events, and watch it (a child that blocks past its deadline is killed, a child that dies is
 * reported as Runtime.ExitError).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HarnessError, type HarnessErrorCode } from '../../errors/index.js';
import type { ErrorPayload, InvocationResult } from '../../invoke/result.js';
import type { LogLine } from '../../logs/types.js';
import { runtimeExitReason } from '../../runtime/exit-reason.js';
import { perfNow } from '../../runtime/real-clock.js';
import type {
  ChildInitMessage,
  ChildInvokeMessage,
  ChildStreamMessage,
  ChildToParent,
  InitReplyMessage,
  InvokeReplyMessage,
} from './protocol.js';

/** Extensions loaded through tsx in the child. */
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * The path of this module's file, in the CommonJS build (`__filename`), the ESM build and source.
 * `import.meta` cannot be used: it is a syntax error in the CommonJS build, so the file name is read
 * from V8's structured stack trace instead.
 */
export function ownFile(): string {
  if (typeof __filename === 'string' && __filename.length > 0) return __filename;
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  let name: string | null | undefined;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, callsites) => callsites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, ownFile);
    // With ownFile as the cut-off, the first call site is ownFile's caller in this same module.
    name = (holder.stack as NodeJS.CallSite[] | undefined)?.[0]?.getFileName();
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
  if (!name)
    throw new HarnessError('INTERNAL', 'isolated mode: cannot tell where lambda-harness is installed');
  return name.startsWith('file:') ? fileURLToPath(name) : name;
}

/** Where the child entry is: next to this file in source, `dist/lifecycle/isolated/child.js` when built. */
export function locateChildScript(): { path: string; isTypeScript: boolean } {
  const here = ownFile();
  if (TS_EXTENSIONS.has(extname(here))) {
    return { path: join(dirname(here), 'child.ts'), isTypeScript: true };
  }
  let dir = dirname(here);
  for (let i = 0; i < 4; i += 1) {
    for (const candidate of [join(dir, 'child.js'), join(dir, 'lifecycle', 'isolated', 'child.js')]) {
      if (existsSync(candidate)) return { path: candidate, isTypeScript: false };
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new HarnessError('INTERNAL', `isolated mode: cannot find the child script near ${here}`, {
    hint: 'Reinstall lambda-harness; the package must contain dist/lifecycle/isolated/child.js.',
  });
}

let tsxUrl: string | undefined;
export function tsxLoaderUrl(): string {
  if (!tsxUrl) {
    try {
      tsxUrl = pathToFileURL(createRequire(ownFile()).resolve('tsx')).href;
    } catch (error) {
      throw new HarnessError(
        'INVALID_CONFIGURATION',
        'isolated mode: TypeScript handlers need the "tsx" package',
        {
          hint: 'Install it (npm install tsx) or build the handler to JavaScript first.',
          cause: error,
        },
      );
    }
  }
  return tsxUrl;
}

/**
 * Node flags the managed runtime starts Node with: nodejs22.x runs with
 * `--no-experimental-require-module --no-experimental-detect-module`, nodejs20.x with the first
 * only (lambda-semantics.md 1.3), and nodejs24.x without module-syntax detection (observed:
 * esm-syntax-in-cjs fails on both generations), so a `.js` file with `export` in a CommonJS or
 * typeless package fails with Runtime.UserCodeSyntaxError as on Lambda. A flag is left out when this Node does not know it, or
 * when the function's NODE_OPTIONS turns the feature back on.
 *
 * @example
 * runtimeNodeFlags('nodejs22.x', undefined); // ['--no-experimental-require-module', '--no-experimental-detect-module']
 */
export function runtimeNodeFlags(runtime: unknown, nodeOptions: string | undefined): string[] {
  const wanted =
    runtime === 'nodejs20.x'
      ? ['--no-experimental-require-module']
      : runtime === 'nodejs22.x'
        ? ['--no-experimental-require-module', '--no-experimental-detect-module']
        : // nodejs24.x: observed esm-syntax-in-cjs fails init there too (issue 12), so no detection.
          runtime === 'nodejs24.x'
          ? ['--no-experimental-detect-module']
          : [];
  const userFlags = (nodeOptions ?? '').split(/\s+/);
  return wanted.filter(
    (flag) =>
      process.allowedNodeEnvironmentFlags.has(flag) && !userFlags.includes(flag.replace('--no-', '--')),
  );
}

/**
 * What to start: a handler file and the function's configuration.
 *
 * @example
 * const spec: ChildSpec = { file: '/app/dist/index.js', exportPath: 'handler', functionOptions: { timeout: 3 } };
 */
export interface ChildSpec {
  readonly file: string;
  readonly exportPath: string;
  readonly functionOptions: Record<string, unknown>;
  readonly attributeImports?: boolean;
  readonly slowestImportsLimit?: number;
  /** Init limit enforced by killing the child; default 10 000 ms (+ grace). */
  readonly initTimeoutMs?: number;
  /** Extra node flags for the child (NODE_OPTIONS-like). */
  readonly execArgv?: readonly string[];
  /** Working directory of the child; default the handler's directory. */
  readonly cwd?: string;
  /** A module imported inside the environment before init (mocks, polyfills). */
  readonly setup?: string;
  /** The environment's log stream, kept across resets; default a new one per process. */
  readonly logStreamName?: string;
  readonly initializationType?: 'on-demand' | 'provisioned-concurrency';
  /** The environment's own /tmp: TMPDIR of the process and of every invocation. */
  readonly tmpDir?: string;
  /** Stop the process (SIGSTOP) between invocations, as Lambda freezes an environment. */
  readonly freeze?: boolean;
  /** `{ mode: 'virtual' }`: init runs on the environment's virtual clock (see ChildInitMessage). */
  readonly clock?: ChildInitMessage['clock'];
  /** Where that clock starts without a `startMs` (the instance's previous environment's time). */
  readonly virtualStart?: number;
}

/**
 * The init message of a child process or worker: the spec's fields, with what differs by kind.
 *
 * @example
 * const message = childInitMessage(spec, { attributeImports: false, slowestImportsLimit: 0 });
 */
export function childInitMessage(
  spec: ChildSpec,
  kind: Pick<ChildInitMessage, 'attributeImports' | 'slowestImportsLimit' | 'extraEnv'>,
): ChildInitMessage {
  return {
    type: 'init',
    file: spec.file,
    exportPath: spec.exportPath,
    functionOptions: spec.functionOptions,
    ...kind,
    ...(spec.initTimeoutMs !== undefined ? { initTimeoutMs: spec.initTimeoutMs } : {}),
    ...(spec.setup !== undefined ? { setup: spec.setup } : {}),
    ...(spec.logStreamName !== undefined ? { logStreamName: spec.logStreamName } : {}),
    ...(spec.initializationType !== undefined ? { initializationType: spec.initializationType } : {}),
    ...(spec.clock !== undefined ? { clock: spec.clock } : {}),
    ...(spec.virtualStart !== undefined ? { virtualStart: spec.virtualStart } : {}),
  };
}

/**
 * `--max-old-space-size` from the function's memory, unless the function's flags set a heap size:
 * a handler that allocates past its memory dies as on Lambda instead of swapping the machine.
 *
 * @example
 * heapFlags(128, []); // ['--max-old-space-size=128']
 */
export function heapFlags(memorySizeMB: unknown, flags: readonly string[]): string[] {
  if (flags.some((f) => f.includes('max-old-space-size'))) return [];
  const mb = typeof memorySizeMB === 'number' ? memorySizeMB : 128;
  return [`--max-old-space-size=${mb}`];
}

/** What V8 prints when a process runs out of heap. */
export const OUT_OF_MEMORY_TEXT = /heap out of memory|Reached heap limit/;

const frozenChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Milliseconds the parent waits past a deadline before killing a child that does not answer. */
export const KILL_GRACE_MS = 1000;
const MAX_OUTPUT = 64 * 1024;

/**
 * One live child process (one execution environment).
 *
 * @example
 * const child = await IsolatedChild.start(spec);
 * if (child.init.ok) await child.invoke({ id: 1 }, 'req-id', 3000);
 * child.kill();
 */
export class IsolatedChild {
  readonly init: InitReplyMessage;
  /** Milliseconds from spawn to the init reply (process start + runtime setup + init). */
  readonly startupMs: number;
  readonly #proc: ChildProcess;
  readonly #output: string[];
  #nextId = 1;
  #exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly #pending = new Map<number, (m: InvokeReplyMessage | ChildExit) => void>();
  readonly #streamWatchers = new Map<number, (m: ChildStreamMessage) => void>();
  #onFailure: ((m: ChildToParent & { type: 'failure' }) => void) | undefined;
  #freeze = false;

  private constructor(proc: ChildProcess, init: InitReplyMessage, startupMs: number, output: string[]) {
    this.#proc = proc;
    this.init = init;
    this.startupMs = startupMs;
    this.#output = output;
    proc.on('message', (m: ChildToParent) => this.#onMessage(m));
    // A send to a process that just died emits 'error' (ERR_IPC_CHANNEL_CLOSED); the 'exit'
    // handler reports the death, so the error itself must not crash the parent.
    proc.on('error', () => {});
    proc.on('exit', (code, signal) => {
      // V8 aborts a process that runs out of heap; Lambda's OOM kill reads "signal: killed".
      const oom = OUT_OF_MEMORY_TEXT.test(this.output);
      this.#exited = oom ? { code: null, signal: 'SIGKILL' } : { code, signal };
      const exit = this.#exited;
      for (const resolve of this.#pending.values()) resolve({ type: 'exit', ...exit });
      this.#pending.clear();
    });
  }

  /** Spawns a child, initialises the function in it and waits for the init reply. */
  static async start(spec: ChildSpec): Promise<IsolatedChild> {
    const script = locateChildScript();
    const userEnv = (spec.functionOptions.env ?? {}) as Record<string, string | undefined>;
    const nodeOptions = userEnv.NODE_OPTIONS;
    const execArgv: string[] = [...runtimeNodeFlags(spec.functionOptions.runtime, nodeOptions)];
    if (
      script.isTypeScript ||
      TS_EXTENSIONS.has(extname(spec.file)) ||
      (spec.setup !== undefined && TS_EXTENSIONS.has(extname(spec.setup)))
    )
      execArgv.push('--import', tsxLoaderUrl());
    if (spec.execArgv) execArgv.push(...spec.execArgv);
    if (spec.tmpDir !== undefined)
      execArgv.push(...heapFlags(spec.functionOptions.memorySize, [...execArgv, nodeOptions ?? '']));
    const env = { ...process.env };
    if (spec.tmpDir !== undefined) env.TMPDIR = spec.tmpDir;
    // The test runner's or the shell's NODE_OPTIONS are not the function's; the function's own
    // NODE_OPTIONS (from its env) applies to its process, as on Lambda.
    delete env.NODE_OPTIONS;
    if (nodeOptions !== undefined) env.NODE_OPTIONS = nodeOptions;
    const t0 = perfNow();
    const proc = fork(script.path, [], {
      execArgv,
      env,
      cwd: spec.cwd ?? dirname(spec.file),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const output: string[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      if (size > MAX_OUTPUT) return;
      size += chunk.length;
      output.push(chunk.toString('utf8'));
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const initTimeout = (spec.initTimeoutMs ?? 10_000) + KILL_GRACE_MS + 2000;
    const message = childInitMessage(spec, {
      attributeImports: spec.attributeImports ?? false,
      slowestImportsLimit: spec.slowestImportsLimit ?? 10,
      ...(spec.tmpDir !== undefined ? { extraEnv: { TMPDIR: spec.tmpDir } } : {}),
    });
    const reply = await new Promise<InitReplyMessage | ChildToParent | ChildExit | 'timeout'>((resolve) => {
      const timer = realSetTimeout(() => resolve('timeout'), initTimeout);
      const done = (value: InitReplyMessage | ChildToParent | ChildExit | 'timeout') => {
        realClearTimeout(timer);
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        proc.off('error', onError);
        resolve(value);
      };
      const onMessage = (m: ChildToParent) => done(m);
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        done({ type: 'exit', code, signal });
      const onError = () => done({ type: 'exit', code: null, signal: null });
      proc.on('message', onMessage);
      proc.on('exit', onExit);
      proc.on('error', onError);
      proc.send(message);
    });
    const startupMs = perfNow() - t0;
    if (reply !== 'timeout' && reply.type === 'failure') {
      proc.kill('SIGKILL');
      throw new HarnessError(
        reply.code as HarnessErrorCode,
        reply.message.replace(/^\[lambda-harness\]\s*/, '').split('\n')[0] ?? '',
        {
          ...(reply.hint ? { hint: reply.hint } : {}),
        },
      );
    }
    let init: InitReplyMessage;
    if (reply === 'timeout') {
      proc.kill('SIGKILL');
      init = startFailure(spec, reply, startupMs, output);
    } else if (reply.type === 'exit') {
      init = startFailure(spec, reply, startupMs, output);
    } else if (reply.type === 'init-done') {
      init = reply;
    } else {
      proc.kill('SIGKILL');
      throw new HarnessError('INTERNAL', `isolated mode: unexpected message "${reply.type}" during init`);
    }
    const child = new IsolatedChild(proc, init, startupMs, output);
    if (spec.freeze && init.ok) {
      child.#freeze = true;
      proc.kill('SIGSTOP');
      // A forgotten dispose must neither keep the test process alive nor leave a stopped orphan.
      frozenChildren.add(proc);
      proc.once('exit', () => frozenChildren.delete(proc));
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', () => {
          for (const p of frozenChildren) p.kill('SIGKILL');
        });
      }
      proc.unref();
      (proc.channel as { unref?: () => void } | null | undefined)?.unref?.();
      (proc.stdout as { unref?: () => void } | null)?.unref?.();
      (proc.stderr as { unref?: () => void } | null)?.unref?.();
    }
    return child;
  }

  #onMessage(m: ChildToParent): void {
    if (m.type === 'stream') {
      this.#streamWatchers.get(m.id)?.(m);
      return;
    }
    if (m.type === 'invoke-done') {
      this.#streamWatchers.delete(m.id);
      const resolve = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      resolve?.(m);
    } else if (m.type === 'failure') {
      this.#onFailure?.(m);
    }
  }

  /** True while the process is alive. */
  get alive(): boolean {
    return this.#exited === undefined && this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  /** Whatever the child wrote outside captured invocations (crash prints, stray writes). */
  get output(): string {
    return this.#output.join('');
  }

  /**
   * Sends one event. Resolves with the child's reply, `{ type: 'exit' }` when the process died, or
   * `{ type: 'deadline' }` when it did not answer within `deadlineMs` (it is then killed).
   */
  invoke(
    event: unknown,
    requestId: string,
    deadlineMs: number,
    clock?: { readonly mode: 'real' } | { readonly mode: 'virtual'; readonly startMs?: number },
    initLogs?: readonly LogLine[],
    onStream?: (message: ChildStreamMessage) => void,
    extra: InvokeExtras = {},
  ): Promise<
    InvokeReplyMessage | ChildExit | { type: 'deadline' } | { type: 'failure'; message: string; code: string }
  > {
    if (!this.alive)
      return Promise.resolve({
        type: 'exit',
        code: this.#exited?.code ?? null,
        signal: this.#exited?.signal ?? null,
      });
    const id = this.#nextId++;
    if (onStream) this.#streamWatchers.set(id, onStream);
    return new Promise((resolve) => {
      const timer = realSetTimeout(() => {
        this.#pending.delete(id);
        this.kill();
        resolve({ type: 'deadline' });
      }, deadlineMs + KILL_GRACE_MS);
      const finish = (
        m: InvokeReplyMessage | ChildExit | { type: 'failure'; message: string; code: string },
      ) => {
        realClearTimeout(timer);
        this.#onFailure = undefined;
        // Frozen until the next invocation: its timers and I/O callbacks wait for the thaw.
        if (this.#freeze && this.alive) this.#proc.kill('SIGSTOP');
        resolve(m);
      };
      this.#pending.set(id, finish);
      this.#onFailure = (m) => {
        this.#pending.delete(id);
        finish({ type: 'failure', message: m.message, code: m.code });
      };
      if (this.#freeze) this.#proc.kill('SIGCONT');
      this.#proc.send({
        type: 'invoke',
        id,
        event,
        requestId,
        ...(clock ? { clock } : {}),
        ...(initLogs ? { initLogs } : {}),
        ...extra,
      });
    });
  }

  /** Ends the process (SIGKILL: Lambda does not let a discarded environment clean up). */
  kill(): void {
    if (this.alive) this.#proc.kill('SIGKILL');
  }
}

/**
 * Per-invocation fields beyond the event: what `fn.invoke` options carry into the environment.
 *
 * @example
 * const extra: InvokeExtras = { reportInitDuration: false, traceId: null };
 */
export type InvokeExtras = Partial<
  Pick<
    ChildInvokeMessage,
    'reportInitDuration' | 'traceId' | 'identity' | 'clientContext' | 'tenantId' | 'idleMs'
  >
>;

/** The child process ended. */
export interface ChildExit {
  readonly type: 'exit';
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * The init reply of an environment (child process or worker) that never answered its init: it
 * passed the init limit, or it exited first (its output so far becomes raw stderr lines).
 *
 * @example
 * const init = startFailure(spec, 'timeout', perfNow() - t0, []);
 */
export function startFailure(
  spec: ChildSpec,
  reply: 'timeout' | ChildExit,
  startupMs: number,
  output: readonly string[],
): InitReplyMessage {
  if (reply === 'timeout') {
    const limit = spec.initTimeoutMs ?? 10_000;
    return failedInit(
      spec,
      {
        errorType: 'Sandbox.Timedout',
        errorMessage: `Init phase timed out after ${(limit / 1000).toFixed(2)} seconds`,
      },
      limit,
      'timeout',
    );
  }
  const reason = runtimeExitReason(reply.signal ?? reply.code ?? 1);
  return failedInit(
    spec,
    { errorType: 'Runtime.ExitError', errorMessage: `Error: ${reason}` },
    startupMs,
    'error',
    output.join(''),
  );
}

function failedInit(
  spec: ChildSpec,
  error: ErrorPayload,
  initDurationMs: number,
  status: 'error' | 'timeout',
  output = '',
): InitReplyMessage {
  const lines = output
    .split('\n')
    .filter((l) => l.length > 0)
    .map((text) => ({
      text,
      source: 'raw' as const,
      level: undefined,
      requestId: undefined,
      message: text,
      json: undefined,
      timestamp: new Date().toISOString(),
      stream: 'stderr' as const,
    }));
  return {
    type: 'init-done',
    ok: false,
    initDurationMs: Math.round(initDurationMs * 100) / 100,
    error,
    status,
    logs: lines,
    pendingWork: { timers: 0, intervals: 0, immediates: 0, descriptions: [] },
    slowestImports: [],
    handlerName: spec.exportPath,
  };
}

export type { InvocationResult };
