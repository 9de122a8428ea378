/**
 * The isolated child process: one Lambda execution environment. It loads the handler with plain
 * Node (no test runner), runs the engine's init step, then serves invocations sent over IPC.
 * Started by `spawnIsolatedChild` in instance.ts; not meant to be run by hand.
 */
import { basename, dirname, extname } from 'node:path';
import { HarnessError } from '../../errors/index.js';
import { type InitOutcome, initFunction, invokeFunction } from '../../invoke/engine.js';
import { type FunctionOptions, type FunctionSettings, settingsFrom } from '../../invoke/settings-core.js';
import { onResponseStream } from '../../invoke/streaming.js';
import { newLogStreamName } from '../../runtime/ids.js';
import { startImportTiming, stopImportTiming } from './import-timing.js';
import { loadUserModule } from './load-module.js';
import {
  type ChildInitMessage,
  type ChildInvokeMessage,
  type ChildToParent,
  type ParentToChild,
  plainLogLine,
  plainResult,
} from './protocol.js';

let settings: FunctionSettings | undefined;
let init: InitOutcome | undefined;
let logStreamName = '';
let invocations = 0;
let queue: Promise<void> = Promise.resolve();

function send(message: ChildToParent): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

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

async function onInit(msg: ChildInitMessage): Promise<void> {
  const handlerName = handlerNameFor(msg.file, msg.exportPath);
  // Validated by the parent; the zod-free path keeps zod out of the measured process.
  settings = settingsFrom(
    { ...msg.functionOptions, handler: handlerName } as FunctionOptions,
    'isolated function options',
  );
  const s = settings;
  logStreamName = newLogStreamName(s.functionVersion, Date.now());
  if (msg.attributeImports) startImportTiming();
  let namespace: unknown;
  init = await initFunction({
    settings: s,
    loader: async () => {
      namespace = await loadUserModule(msg.file, s.profile.generation);
      return namespace;
    },
    logStreamName,
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
  });
}

async function onInvoke(msg: ChildInvokeMessage): Promise<void> {
  if (!settings || !init?.ok) {
    throw new HarnessError('INTERNAL', 'isolated child: invoke before a successful init');
  }
  const first = invocations === 0;
  invocations += 1;
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
    coldStart: first,
    ...(first ? { initDurationMs: init.initDurationMs, initLogs: msg.initLogs ?? init.logs } : {}),
    ...(msg.requestId ? { requestId: msg.requestId } : {}),
    ...(msg.clock ? { clock: msg.clock } : {}),
  }).finally(stopWatching);
  await send({
    type: 'invoke-done',
    id: msg.id,
    result: plainResult(outcome.result),
    resetRequired: outcome.resetRequired,
    resetReason: outcome.resetReason,
  });
}

async function handle(msg: ParentToChild): Promise<void> {
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
}

process.on('message', (msg: ParentToChild) => {
  queue = queue.then(() => handle(msg));
});
const realExit = process.exit.bind(process);
process.on('disconnect', () => realExit(0));
