import { HarnessError } from '../errors/index.js';
import type { CognitoIdentityInput } from '../runtime/context.js';
import { newLogStreamName } from '../runtime/ids.js';
import { type ClockOption, handlerLoader, initFunctionNow, invokeFunction } from './engine.js';
import type { InvocationResult } from './result.js';
import { type FunctionOptions, resolveFunctionSettings } from './settings.js';

/**
 * Options of {@link invokeHandler}: the function configuration plus per-invocation inputs.
 *
 * @example
 * const options: InvokeOptions = { runtime: 'nodejs22.x', timeout: 5, clock: 'virtual', env: { TABLE: 't' } };
 */
export interface InvokeOptions extends FunctionOptions {
  /** `real` (default) or `virtual` (simulated timers and Date; `{ mode: 'virtual', startMs }` pins the start). */
  readonly clock?: 'real' | 'virtual' | ClockOption;
  /** Request id; default a new UUID. */
  readonly requestId?: string;
  /** X-Ray trace header; default a fresh one; `null` for none. */
  readonly traceId?: string | null;
  readonly identity?: CognitoIdentityInput;
  readonly clientContext?: unknown;
  readonly tenantId?: string;
  /** Report this invocation as a cold start (REPORT carries Init Duration, billed includes it). Default false. */
  readonly coldStart?: boolean;
}

const INVOKE_KEYS = ['clock', 'requestId', 'traceId', 'identity', 'clientContext', 'tenantId', 'coldStart'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const streamNames = new Map<string, string>();

function parseClock(value: unknown): ClockOption {
  if (value === undefined || value === 'real') return REAL;
  if (value === 'virtual') return { mode: 'virtual' };
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v)) {
      if (k !== 'mode' && k !== 'startMs') {
        throw new HarnessError('INVALID_OPTIONS', `invokeHandler options.clock.${k}: unknown option`, {
          path: `clock.${k}`,
        });
      }
    }
    if (v.mode === 'real') return REAL;
    if (v.mode === 'virtual') {
      if (v.startMs !== undefined && (typeof v.startMs !== 'number' || !Number.isFinite(v.startMs))) {
        throw new HarnessError(
          'INVALID_OPTIONS',
          `invokeHandler options.clock.startMs: expected epoch milliseconds, received ${String(v.startMs)}`,
          { path: 'clock.startMs' },
        );
      }
      return v.startMs === undefined
        ? { mode: 'virtual' }
        : { mode: 'virtual', startMs: v.startMs as number };
    }
  }
  throw new HarnessError(
    'INVALID_OPTIONS',
    `invokeHandler options.clock: expected 'real', 'virtual' or { mode, startMs }, received ${JSON.stringify(value)}`,
    {
      path: 'clock',
    },
  );
}
const REAL: ClockOption = { mode: 'real' };

/**
 * Invoke a handler once, as the Lambda Node.js runtime would, and get the outcome as a value
 * (it never throws for a handler failure; it throws a HarnessError only for bad options/events).
 * Built from the engine's two steps: `initFunction` (with the handler as the loaded module) then
 * `invokeFunction`.
 *
 * @example
 * import { invokeHandler } from 'lambda-harness';
 * const result = await invokeHandler(async (event) => ({ statusCode: 200, body: event.name }), { name: 'x' });
 * result.outcome; // 'success'
 * result.response; // { statusCode: 200, body: 'x' }
 */
export async function invokeHandler(
  handler: unknown,
  event?: unknown,
  options?: InvokeOptions,
): Promise<InvocationResult> {
  if (typeof handler !== 'function') {
    throw new HarnessError(
      'INVALID_HANDLER',
      `invokeHandler: expected the handler function as the first argument, received ${handler === null ? 'null' : typeof handler}`,
      {
        hint: 'Pass the exported function itself, for example invokeHandler(handler, event) after importing { handler } from your module.',
      },
    );
  }
  const settings =
    options === undefined
      ? resolveFunctionSettings(undefined, 'invokeHandler options')
      : resolveFunctionSettings(options, 'invokeHandler options', INVOKE_KEYS);
  const o = (options ?? {}) as InvokeOptions;
  const clock = parseClock(o.clock);
  if (o.requestId !== undefined && (typeof o.requestId !== 'string' || !UUID.test(o.requestId))) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `invokeHandler options.requestId: expected a lowercase UUID, received ${JSON.stringify(o.requestId)}`,
      { path: 'requestId' },
    );
  }
  if (o.coldStart !== undefined && typeof o.coldStart !== 'boolean') {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `invokeHandler options.coldStart: expected a boolean, received ${typeof o.coldStart}`,
      { path: 'coldStart' },
    );
  }
  let logStreamName = streamNames.get(settings.functionVersion);
  if (!logStreamName) {
    logStreamName = newLogStreamName(settings.functionVersion, Date.now());
    streamNames.set(settings.functionVersion, logStreamName);
  }
  // The init step; synchronous for a bare handler, so the invocation starts within this call.
  const pendingInit = initFunctionNow({ settings, loader: handlerLoader(handler), logStreamName });
  const init = pendingInit instanceof Promise ? await pendingInit : pendingInit;
  const coldStart = o.coldStart === true;
  if (!init.ok) {
    const requestId = o.requestId ?? crypto.randomUUID();
    return {
      outcome: 'error',
      phase: 'init',
      error: init.error,
      requestId,
      functionName: settings.functionName,
      runtime: settings.profile.name,
      coldStart: true,
      durationMs: 0,
      billedDurationMs: Math.max(1, Math.ceil(init.initDurationMs)),
      initDurationMs: init.initDurationMs,
      logs: init.logs,
      report: {
        requestId,
        durationMs: 0,
        billedDurationMs: Math.max(1, Math.ceil(init.initDurationMs)),
        memorySizeMB: settings.memorySizeMB,
        maxMemoryUsedMB: Math.min(settings.memorySizeMB, 64),
        initDurationMs: init.initDurationMs,
        status: init.status,
      },
      pendingWork: init.pendingWork,
    };
  }
  const { result } = await invokeFunction({
    settings,
    handler: init.handler,
    event,
    logStreamName,
    clock,
    coldStart,
    ...(coldStart ? { initDurationMs: init.initDurationMs, initLogs: init.logs } : {}),
    ...(o.requestId !== undefined ? { requestId: o.requestId } : {}),
    ...(o.traceId !== undefined ? { traceId: o.traceId } : {}),
    ...(o.identity !== undefined ? { identity: o.identity } : {}),
    ...(o.clientContext !== undefined ? { clientContext: o.clientContext } : {}),
    ...(o.tenantId !== undefined ? { tenantId: o.tenantId } : {}),
  });
  return result;
}
