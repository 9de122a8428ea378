/**
 * The inside of one execution environment that is not the test runner: a child process (process
 * kind) or a worker thread (worker kind). It loads the handler with plain Node, runs the engine's
 * init step and serves invocations through its invoke step; the transport (IPC or a MessagePort)
 * is the caller's.
 */
import { basename, dirname, extname } from 'node:path';
import { setImmediate as realSetImmediate } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../../errors/index.js';
import {
  createEnvironment,
  type EngineEnvironment,
  type InitOutcome,
  initFunction,
  invokeFunction,
} from '../../invoke/engine.js';
import { type FunctionOptions, type FunctionSettings, settingsFrom } from '../../invoke/settings-core.js';
import { onResponseStream } from '../../invoke/streaming.js';
import type { CognitoIdentityInput } from '../../runtime/context.js';
import { newLogStreamName } from '../../runtime/ids.js';
import { startImportTiming, stopImportTiming } from './import-timing.js';
import { loadUserModule } from './load-module.js';
import {
  type ChildInitMessage,
  type ChildInvokeMessage,
  type ChildToParent,
  type FrozenState,
  type ParentToChild,
  plainLogLine,
  plainResult,
} from './protocol.js';

/** `index.handler` from `/app/index.ts` and `handler`; dots in the file name would split it wrongly. */
export function handlerNameFor(file: string, exportPath: string): string {
  const mod = basename(file, extname(file)).replace(/\./g, '_');
  return `${mod}.${exportPath}`;
}

/** Function-valued export paths of a loaded module (one level of nesting), to suggest one. */
function exportNames(namespace: unknown): string[] {
  if (namespace === null || (typeof namespace !== 'object' && typeof namespace !== 'function')) return [];
  const names: string[] = [];
  const ns = namespace as Record<string, unknown>;
  for (const key of Object.keys(ns)) {
    const value = ns[key];
    if (typeof value === 'function') names.push(key);
    else if (value !== null && typeof value === 'object') {
      for (const inner of Object.keys(value)) {
        if (typeof (value as Record<string, unknown>)[inner] === 'function') names.push(`${key}.${inner}`);
      }
    }
  }
  return names.slice(0, 20);
}

/**
 * Two check phases later: from whichever phase this starts in, a timers phase on the loop's fresh
 * time and a poll phase have run before it resolves.
 */
function loopTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(() => realSetImmediate(resolve)));
}

function frozenState(environment: EngineEnvironment): FrozenState {
  return { virtualNow: environment.virtualClock?.now, dropped: environment.droppable() };
}

/**
 * Serves the messages of one environment: `init` once, then `invoke` any number of times.
 * Returns the handler of one message; the caller sends what `send` is given.
 *
 * @example
 * const handle = environmentServer((m) => process.send?.(m));
 * process.on('message', (m) => void handle(m));
 */
export function environmentServer(
  send: (message: ChildToParent) => Promise<void> | void,
): (message: ParentToChild) => Promise<void> {
  let settings: FunctionSettings | undefined;
  let init: InitOutcome | undefined;
  let logStreamName = '';
  let invocations = 0;
  let initializationType: 'on-demand' | 'provisioned-concurrency' = 'on-demand';
  let extraEnv: Readonly<Record<string, string>> = {};
  // One execution environment for init and every invocation, as in the runner: what they leave
  // is frozen with it between messages (timers, on the real or the virtual clock) and runs at the
  // thaw inside the next invocation; the parent ends it on reset, recycle and dispose.
  let environment: EngineEnvironment | undefined;

  async function onInit(msg: ChildInitMessage): Promise<void> {
    const handlerName = handlerNameFor(msg.file, msg.exportPath);
    // Validated by the parent; the zod-free path keeps zod out of the environment's graph.
    settings = settingsFrom(
      { ...msg.functionOptions, handler: handlerName } as FunctionOptions,
      'function options',
    );
    const s = settings;
    logStreamName = msg.logStreamName ?? newLogStreamName(s.functionVersion, Date.now());
    initializationType = msg.initializationType ?? 'on-demand';
    extraEnv = msg.extraEnv ?? {};
    // The setup module (mocks, polyfills) runs before init, in this environment's module graph.
    if (msg.setup !== undefined) await import(pathToFileURL(msg.setup).href);
    if (msg.attributeImports) startImportTiming();
    let namespace: unknown;
    const env = createEnvironment(logStreamName);
    env.virtualStart = msg.virtualStart;
    environment = env;
    init = await initFunction({
      settings: s,
      loader: async () => {
        namespace = await loadUserModule(msg.file, s.profile.generation);
        return namespace;
      },
      logStreamName,
      initializationType,
      extraEnv,
      environment: env,
      ...(msg.clock?.mode === 'virtual' ? { clock: msg.clock } : {}),
      ...(msg.initTimeoutMs !== undefined ? { initTimeoutMs: msg.initTimeoutMs } : {}),
    });
    const slowestImports = msg.attributeImports
      ? await stopImportTiming(dirname(msg.file), msg.slowestImportsLimit)
      : [];
    await send({
      type: 'init-done',
      ok: init.ok,
      initDurationMs: init.initDurationMs,
      ...(init.ok ? {} : { error: init.error, status: init.status }),
      logs: init.logs.map(plainLogLine),
      pendingWork: init.pendingWork,
      slowestImports,
      handlerName,
      ...(!init.ok && init.error.errorType === 'Runtime.HandlerNotFound'
        ? { exports: exportNames(namespace) }
        : {}),
      frozen: frozenState(env),
    });
  }

  async function onInvoke(msg: ChildInvokeMessage): Promise<void> {
    if (!settings || !init?.ok || !environment) {
      throw new HarnessError('INTERNAL', 'execution environment: invoke before a successful init');
    }
    const first = invocations === 0;
    invocations += 1;
    const reportInit = first && (msg.reportInitDuration ?? true);
    const env = environment;
    if (msg.idleMs) env.passVirtualIdle(msg.idleMs);
    // Woken from a real freeze (a parked thread, a stopped process): real work that fell due or
    // completed meanwhile gets its loop turn while the environment still counts as frozen, so it
    // is held for the thaw, as in the runner, instead of running after the handler started.
    if (env.work.holdsAnything()) await loopTurn();
    // A streaming handler's prelude and chunks go to the parent as they reach the caller.
    const stopWatching = onResponseStream((e) => {
      if (e.type === 'prelude') void send({ type: 'stream', id: msg.id, prelude: e.prelude });
      else if (e.type === 'chunk') {
        const { data, atMs, deliveredAtMs } = e.chunk;
        void send({ type: 'stream', id: msg.id, chunk: { data, atMs, deliveredAtMs } });
      }
    });
    const outcome = await invokeFunction({
      settings,
      handler: init.handler,
      event: msg.event,
      logStreamName,
      initializationType,
      extraEnv,
      environment: env,
      coldStart: first,
      ...(first ? { initLogs: msg.initLogs ?? init.logs } : {}),
      ...(reportInit ? { initDurationMs: init.initDurationMs } : {}),
      ...(msg.requestId ? { requestId: msg.requestId } : {}),
      ...(msg.clock ? { clock: msg.clock } : {}),
      ...(msg.traceId !== undefined ? { traceId: msg.traceId } : {}),
      ...(msg.identity !== undefined ? { identity: msg.identity as CognitoIdentityInput } : {}),
      ...(msg.clientContext !== undefined ? { clientContext: msg.clientContext } : {}),
      ...(msg.tenantId !== undefined ? { tenantId: msg.tenantId } : {}),
    }).finally(stopWatching);
    await send({
      type: 'invoke-done',
      id: msg.id,
      result: plainResult(outcome.result),
      resetRequired: outcome.resetRequired,
      resetReason: outcome.resetReason,
      frozen: frozenState(env),
    });
  }

  return async (msg) => {
    try {
      if (msg.type === 'init') await onInit(msg);
      else if (msg.type === 'invoke') await onInvoke(msg);
    } catch (error) {
      await send({
        type: 'failure',
        code: error instanceof HarnessError ? error.code : 'INTERNAL',
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof HarnessError && error.hint ? { hint: error.hint } : {}),
      });
    }
  };
}
