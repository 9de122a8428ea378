/**
 * Parent side of the worker environment: one `worker_threads` Worker per execution environment,
 * with a heap limit from `memorySize`, its own TMPDIR and environment copy, killed at its deadline
 * when a synchronous loop keeps it from answering.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HarnessError, type HarnessErrorCode } from '../../errors/index.js';
import type { LogLine } from '../../logs/types.js';
import type { ChildExit, ChildSpec, InvokeExtras } from '../isolated/instance.js';
import { childInitMessage, ownFile, startFailure } from '../isolated/instance.js';
import type { ChildToParent, InitReplyMessage, InvokeReplyMessage } from '../isolated/protocol.js';

const perfNow: () => number = performance.now.bind(performance);
const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** Milliseconds past a deadline before a worker that does not answer is terminated. */
export const WORKER_KILL_GRACE_MS = 500;
const MAX_OUTPUT = 64 * 1024;

/**
 * What the worker receives as `workerData`.
 *
 * @example
 * const boot: WorkerBoot = { entry: 'file:///app/entry.js', tsx: undefined, tmpDir: '/tmp/x', wake };
 */
export interface WorkerBoot {
  /** URL of the worker entry module. */
  readonly entry: string;
  /** URLs of tsx's ESM and CommonJS registration APIs, when TypeScript must load. */
  readonly tsx: { readonly esm: string; readonly cjs: string } | undefined;
  readonly tmpDir: string;
  /** [0]: the parent's wake-up flag; [1]: never set (a thread parks on it for good). */
  readonly wake: SharedArrayBuffer;
}

/**
 * A worker that signalled its own process (`process.kill(process.pid, sig)`, `process.abort()`).
 *
 * @example
 * const m: WorkerSignalMessage = { type: 'signal', signal: 'SIGTERM' };
 */
export interface WorkerSignalMessage {
  readonly type: 'signal';
  readonly signal: string;
}

// Runs as a CommonJS script in the worker: register tsx if needed, then load the entry.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) {
    (await import(workerData.tsx.esm)).register();
    require(require('node:url').fileURLToPath(workerData.tsx.cjs)).register();
  }
  await import(workerData.entry);
})();
`;

function locateEntry(): { url: string; isTypeScript: boolean } {
  const here = ownFile();
  if (TS_EXTENSIONS.has(extname(here))) {
    return { url: pathToFileURL(join(dirname(here), '..', 'worker', 'entry.ts')).href, isTypeScript: true };
  }
  let dir = dirname(here);
  for (let i = 0; i < 4; i += 1) {
    for (const candidate of [join(dir, 'entry.js'), join(dir, 'lifecycle', 'worker', 'entry.js')]) {
      if (existsSync(candidate)) return { url: pathToFileURL(candidate).href, isTypeScript: false };
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new HarnessError('INTERNAL', `worker environment: cannot find the worker entry near ${here}`, {
    hint: 'Reinstall lambda-harness; the package must contain dist/lifecycle/worker/entry.js.',
  });
}

let tsxUrls: { esm: string; cjs: string } | undefined;
function tsxApis(): { esm: string; cjs: string } {
  if (!tsxUrls) {
    try {
      const req = createRequire(ownFile());
      tsxUrls = {
        // require() resolves the CommonJS build of the ESM API; its ES module build sits beside it.
        esm: pathToFileURL(req.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href,
        cjs: pathToFileURL(req.resolve('tsx/cjs/api')).href,
      };
    } catch (error) {
      throw new HarnessError(
        'INVALID_CONFIGURATION',
        'worker environment: TypeScript needs the "tsx" package',
        {
          hint: 'Install it (npm install tsx) or build the handler to JavaScript first.',
          cause: error,
        },
      );
    }
  }
  return tsxUrls;
}

interface ExitState {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}
/** How the worker ended, once it did, and who wants to know. */
interface ExitBox {
  value: ExitState | undefined;
  onChange: ((value: ExitState) => void) | undefined;
}

type Reply =
  | InvokeReplyMessage
  | ChildExit
  | { type: 'deadline' }
  | { type: 'failure'; message: string; code: string };

/**
 * One live worker thread (one execution environment).
 *
 * @example
 * const env = await WorkerEnvironment.start({ ...spec, tmpDir });
 * if (env.init.ok) await env.invoke({ id: 1 }, requestId, 3000);
 * env.kill();
 */
export class WorkerEnvironment {
  readonly init: InitReplyMessage;
  readonly startupMs: number;
  readonly #worker: Worker;
  readonly #wake: Int32Array;
  readonly #output: string[];
  #nextId = 1;
  #exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #pending: ((m: Reply) => void) | undefined;

  private constructor(
    worker: Worker,
    wake: Int32Array,
    init: InitReplyMessage,
    startupMs: number,
    output: string[],
    exited: ExitBox,
  ) {
    this.#worker = worker;
    this.#wake = wake;
    this.init = init;
    this.startupMs = startupMs;
    this.#output = output;
    this.#exited = exited.value;
    exited.onChange = (value) => {
      this.#exited = value;
      this.#pending?.({ type: 'exit', ...value });
    };
    worker.on('message', (m: ChildToParent | WorkerSignalMessage) => {
      if (m.type === 'invoke-done') this.#pending?.(m);
      else if (m.type === 'failure') this.#pending?.({ type: 'failure', message: m.message, code: m.code });
    });
  }

  /** Starts a worker, initialises the function in it and waits for the init reply. */
  static async start(spec: ChildSpec & { readonly tmpDir: string }): Promise<WorkerEnvironment> {
    const entry = locateEntry();
    const needsTsx =
      entry.isTypeScript ||
      TS_EXTENSIONS.has(extname(spec.file)) ||
      (spec.setup !== undefined && TS_EXTENSIONS.has(extname(spec.setup)));
    const wakeBuffer = new SharedArrayBuffer(8);
    const boot: WorkerBoot = {
      entry: entry.url,
      tsx: needsTsx ? tsxApis() : undefined,
      tmpDir: spec.tmpDir,
      wake: wakeBuffer,
    };
    const userEnv = (spec.functionOptions.env ?? {}) as Record<string, string | undefined>;
    const env: Record<string, string | undefined> = { ...process.env, TMPDIR: spec.tmpDir };
    if (userEnv.TMPDIR !== undefined) env.TMPDIR = userEnv.TMPDIR;
    const memory =
      typeof spec.functionOptions.memorySize === 'number' ? spec.functionOptions.memorySize : 128;
    const t0 = perfNow();
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: boot,
      env,
      // No stdout/stderr pipes: an open pipe keeps the test process alive while a forgotten worker
      // sleeps frozen. The engine captures what the handler writes during init and invocations.
      resourceLimits: { maxOldGenerationSizeMb: memory },
    });
    const output: string[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      if (size > MAX_OUTPUT) return;
      size += chunk.length;
      output.push(chunk.toString('utf8'));
    };
    const exited: ExitBox = { value: undefined, onChange: undefined };
    let oom = false;
    let selfSignal: NodeJS.Signals | undefined;
    // An error that escaped the engine ends the worker; the 'exit' event reports it.
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') oom = true;
      else collect(Buffer.from(`${error.stack ?? String(error)}\n`));
    });
    worker.on('message', (m: { type?: string; signal?: string }) => {
      if (m.type !== 'signal') return;
      selfSignal = m.signal as NodeJS.Signals;
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      // Lambda reports an out-of-memory kill as "signal: killed", a self-signal by its name.
      const value =
        oom || selfSignal
          ? { code: null, signal: (oom ? 'SIGKILL' : selfSignal) as NodeJS.Signals }
          : { code, signal: null };
      exited.value = value;
      exited.onChange?.(value);
    });
    const wake = new Int32Array(wakeBuffer);
    const initTimeout = (spec.initTimeoutMs ?? 10_000) + WORKER_KILL_GRACE_MS;
    const message = childInitMessage(spec, {
      attributeImports: false,
      slowestImportsLimit: 0,
      extraEnv: { TMPDIR: env.TMPDIR as string },
    });
    const reply = await new Promise<ChildToParent | ChildExit | 'timeout'>((resolve) => {
      const timer = realSetTimeout(() => resolve('timeout'), initTimeout);
      const done = (value: ChildToParent | ChildExit | 'timeout') => {
        realClearTimeout(timer);
        worker.off('message', onMessage);
        exited.onChange = undefined;
        resolve(value);
      };
      const onMessage = (m: ChildToParent | WorkerSignalMessage) => {
        if (m.type !== 'signal') done(m);
      };
      worker.on('message', onMessage);
      exited.onChange = (v) => done({ type: 'exit', ...v });
      worker.postMessage(message);
      Atomics.store(wake, 0, 1);
      Atomics.notify(wake, 0);
    });
    const startupMs = perfNow() - t0;
    if (reply !== 'timeout' && reply.type === 'failure') {
      void worker.terminate();
      throw new HarnessError(reply.code as HarnessErrorCode, reply.message.split('\n')[0] ?? '', {
        ...(reply.hint ? { hint: reply.hint } : {}),
      });
    }
    let init: InitReplyMessage;
    if (reply === 'timeout') {
      void worker.terminate();
      init = startFailure(spec, reply, startupMs, output);
    } else if (reply.type === 'exit') {
      init = startFailure(spec, reply, startupMs, output);
    } else if (reply.type === 'init-done') {
      init = reply;
    } else {
      void worker.terminate();
      throw new HarnessError(
        'INTERNAL',
        `worker environment: unexpected message "${reply.type}" during init`,
      );
    }
    const environment = new WorkerEnvironment(worker, wake, init, startupMs, output, exited);
    // A function the test forgot to dispose must not keep the test process alive: a frozen worker
    // never ends by itself. In-flight invocations hold the parent's deadline timer instead. (After
    // the last listener is added: adding a 'message' listener refs the worker's port again.)
    worker.unref();
    return environment;
  }

  /** True while the worker runs (or is frozen). */
  get alive(): boolean {
    return this.#exited === undefined;
  }

  /** What the worker wrote outside captured invocations. */
  get output(): string {
    return this.#output.join('');
  }

  /**
   * Thaws the worker with one event. Resolves with its reply, `{ type: 'exit' }` when it died, or
   * `{ type: 'deadline' }` when it did not answer in time (it is then terminated).
   */
  invoke(
    event: unknown,
    requestId: string,
    deadlineMs: number,
    clock?: { readonly mode: 'real' } | { readonly mode: 'virtual'; readonly startMs?: number },
    initLogs?: readonly LogLine[],
    _onStream?: undefined,
    extra: InvokeExtras = {},
  ): Promise<Reply> {
    if (this.#exited) return Promise.resolve({ type: 'exit', ...this.#exited });
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = realSetTimeout(() => {
        this.#pending = undefined;
        this.kill();
        resolve({ type: 'deadline' });
      }, deadlineMs + WORKER_KILL_GRACE_MS);
      this.#pending = (m) => {
        if (m.type === 'invoke-done' && m.id !== id) return;
        realClearTimeout(timer);
        this.#pending = undefined;
        resolve(m);
      };
      this.#worker.postMessage({
        type: 'invoke',
        id,
        event,
        requestId,
        ...(clock ? { clock } : {}),
        ...(initLogs ? { initLogs } : {}),
        ...extra,
      });
      Atomics.store(this.#wake, 0, 1);
      Atomics.notify(this.#wake, 0);
    });
  }

  /** Ends the worker (Lambda does not let a discarded environment clean up). */
  kill(): void {
    if (this.#exited) return;
    void this.#worker.terminate();
  }
}
