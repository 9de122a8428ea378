import { HarnessError } from '../errors/index.js';
import { field, parseWith, requireObject, z } from '../errors/options.js';
import type { CognitoIdentityInput } from '../runtime/context.js';
import { newLogStreamName } from '../runtime/ids.js';
import {
  bareInitIsSilentSuccess,
  type ClockOption,
  handlerLoader,
  type InvokeRequest,
  initFunctionNow,
  invokeFunction,
} from './engine.js';
import type { InvocationResult } from './result.js';
import {
  type FunctionOptions,
  type FunctionSettings,
  functionOptionsShape,
  invocationOptionsShape,
  parseClockOption,
  resolveFunctionSettings,
  settingsFrom,
} from './settings.js';

type InvokeInputs = Partial<z.output<typeof invokeHandlerSchema>>;

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

/** Every check of `invokeHandler`'s options, in one schema: function options plus per-invocation inputs. */
const invokeHandlerSchema = z.strictObject({
  ...functionOptionsShape,
  ...invocationOptionsShape,
  coldStart: field(z.boolean(), 'a boolean').optional(),
});
const WHERE = 'invokeHandler options';

const streamNames = new Map<string, string>();

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
  const resolved = resolveOptions(options);
  const settings = resolved.settings;
  const o = resolved.inputs;
  // A clock object may be mutated between calls on a cached options object: parse it each time.
  const rawClock = (options as { clock?: unknown } | undefined)?.clock;
  const clock =
    typeof rawClock === 'object' ? parseClockOption(rawClock, `${WHERE}.clock`) : (o.clock ?? REAL);
  let logStreamName = streamNames.get(settings.functionVersion);
  if (!logStreamName) {
    logStreamName = newLogStreamName(settings.functionVersion, Date.now());
    streamNames.set(settings.functionVersion, logStreamName);
  }
  const coldStart = o.coldStart === true;
  const request: {
    -readonly [K in keyof InvokeRequest]: InvokeRequest[K];
  } = { settings, handler, event, logStreamName, clock, coldStart };
  // The init step; synchronous for a bare handler, so the invocation starts within this call. A
  // warm invocation reports nothing from init, so when init would succeed silently it is skipped.
  if (coldStart || !bareInitIsSilentSuccess(settings, handler)) {
    const pendingInit = initFunctionNow({ settings, loader: handlerLoader(handler), logStreamName });
    const init = pendingInit instanceof Promise ? await pendingInit : pendingInit;
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
    request.handler = init.handler;
    if (coldStart) {
      request.initDurationMs = init.initDurationMs;
      request.initLogs = init.logs;
    }
  }
  {
    if (o.requestId !== undefined) request.requestId = o.requestId;
    if (o.traceId !== undefined) request.traceId = o.traceId;
    // The caller's own objects, as given (the parsed copies are only for validation).
    const raw = options as InvokeOptions;
    if (o.identity !== undefined) request.identity = raw.identity as CognitoIdentityInput;
    if (o.clientContext !== undefined) request.clientContext = raw.clientContext;
    if (o.tenantId !== undefined) request.tenantId = o.tenantId;
  }
  const { result } = await invokeFunction(request);
  return result;
}

/**
 * Validated settings of one options object, reused while the object is unchanged:
 * a hit compares every own key and value (and every `env` entry) with the snapshot taken when it
 * was validated, so a mutated options object is validated again.
 */
interface ResolvedOptions {
  readonly settings: FunctionSettings;
  readonly inputs: InvokeInputs;
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  readonly envKeys: readonly string[] | undefined;
  readonly envValues: readonly unknown[] | undefined;
  readonly echoEnv: boolean;
}

const resolvedCache = new WeakMap<object, ResolvedOptions>();
let resolvedDefault: ResolvedOptions | undefined;

function echoFromEnv(): boolean {
  return process.env.LAMBDA_HARNESS_LOGS === 'echo';
}

function resolveOptions(options: InvokeOptions | undefined): ResolvedOptions {
  if (options === undefined) {
    const settings = resolveFunctionSettings(undefined, 'invokeHandler options');
    if (resolvedDefault?.settings !== settings) {
      resolvedDefault = {
        settings,
        inputs: {},
        keys: [],
        values: [],
        envKeys: undefined,
        envValues: undefined,
        echoEnv: false,
      };
    }
    return resolvedDefault;
  }
  if (typeof options === 'object' && options !== null) {
    const hit = resolvedCache.get(options);
    if (hit && unchanged(hit, options)) return hit;
  }
  requireObject(options, 'INVALID_OPTIONS', WHERE);
  const inputs = parseWith(invokeHandlerSchema, options, 'INVALID_OPTIONS', WHERE);
  const settings = settingsFrom(inputs as FunctionOptions, WHERE);
  const rec = options as unknown as Record<string, unknown>;
  const keys = Object.keys(rec);
  const env = rec.env as Record<string, unknown> | undefined;
  const envKeys = env === undefined ? undefined : Object.keys(env);
  const entry: ResolvedOptions = {
    settings,
    inputs,
    keys,
    values: keys.map((k) => rec[k]),
    envKeys,
    envValues: envKeys?.map((k) => (env as Record<string, unknown>)[k]),
    echoEnv: rec.logs !== 'echo' && echoFromEnv(),
  };
  resolvedCache.set(options, entry);
  return entry;
}

function unchanged(hit: ResolvedOptions, options: object): boolean {
  const rec = options as Record<string, unknown>;
  const keys = Object.keys(rec);
  if (keys.length !== hit.keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (k !== hit.keys[i] || rec[k] !== hit.values[i]) return false;
  }
  const env = rec.env as Record<string, unknown> | undefined;
  if (env !== undefined) {
    const envKeys = Object.keys(env);
    const cachedKeys = hit.envKeys as readonly string[];
    const cachedValues = hit.envValues as readonly unknown[];
    if (envKeys.length !== cachedKeys.length) return false;
    for (let i = 0; i < envKeys.length; i++) {
      const k = envKeys[i] as string;
      if (k !== cachedKeys[i] || env[k] !== cachedValues[i]) return false;
    }
  }
  // `logs` unset: LAMBDA_HARNESS_LOGS=echo in the environment decides echo, read on each call.
  return rec.logs === 'echo' || echoFromEnv() === hit.echoEnv;
}
