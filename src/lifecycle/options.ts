import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors/index.js';
import {
  type ClockOption,
  FUNCTION_OPTION_KEYS,
  type FunctionOptions,
  type FunctionSettings,
  resolveFunctionSettings,
} from '../invoke/index.js';
import type { CognitoIdentityInput } from '../runtime/context.js';
import { esmFileLoader } from './esm-file.js';
import { type ModuleIsolation, validateModuleIsolation } from './isolation.js';

/**
 * Configuration of a simulated Lambda function: everything `invokeHandler` accepts (runtime,
 * timeout, memorySize, env, log format ...) plus how to load the handler and how the function's
 * execution environments behave.
 *
 * @example
 * const options: CreateFunctionOptions = {
 *   handler: () => import('./handler.js'),
 *   handlerName: 'index.handler',
 *   runtime: 'nodejs22.x',
 *   timeout: 3,
 *   reservedConcurrency: 2,
 *   idleTimeout: 300,
 * };
 */
export interface CreateFunctionOptions extends Omit<FunctionOptions, 'handler'> {
  /**
   * Loads the handler's module through the test runner (`() => import('./handler.js')`,
   * `() => require('./handler.cjs')`), or returns the handler function itself. Called once per
   * cold start, inside the module isolation, so the module's top-level code runs again.
   * In plain Node an ES module can instead be given as a file (absolute path or `file:` URL,
   * e.g. `new URL('./handler.mjs', import.meta.url)`): each cold start imports it and its relative
   * imports afresh with Node's own loader (no TypeScript, no runner mocks).
   */
  readonly handler: (() => unknown) | string | URL;
  /** `_HANDLER`, e.g. `index.handler` or `app.handlers.get`: the export path after the first dot is used. Default `index.handler`. */
  readonly handlerName?: string;
  /** How cold starts get a fresh module graph; default the registered isolation (see setModuleIsolation). */
  readonly isolation?: ModuleIsolation;
  /** Reserved concurrency: at most this many invocations at once; the excess is throttled (429). 0 throttles everything. */
  readonly reservedConcurrency?: number;
  /** Provisioned concurrency: this many instances are initialised ahead of time (type provisioned-concurrency). */
  readonly provisionedConcurrency?: number;
  /** Account concurrency quota (ConcurrentInvocationLimitExceeded beyond it); default 1000. */
  readonly accountConcurrency?: number;
  /** Seconds an instance may stay idle before it is recycled (its /tmp removed); default never. */
  readonly idleTimeout?: number;
  /** Init phase limit for on-demand instances, in seconds; default 10 (Lambda's limit). Lower it to test init timeouts fast. */
  readonly initTimeout?: number;
  /** Default clock of every invocation: `real` (default) or `virtual`. */
  readonly clock?: 'real' | 'virtual' | ClockOption;
  /**
   * Where each execution environment runs (see docs/environments.md):
   * - `runner` (default): in the test runner's module system, so runner mocks and transforms apply;
   * - `worker`: each environment is its own worker thread (own globals, module graph, heap limit,
   *   real freezing between invocations); `handler` must be a file;
   * - `process`: each environment is its own child process (everything a worker isolates, plus
   *   signals, native state and each runtime generation's Node flags); `handler` must be a file.
   */
  readonly environment?: EnvironmentKind;
  /**
   * `worker` and `process` only: a module (path or `file:` URL; TypeScript allowed) imported inside
   * each environment before init, to install mocks (aws-sdk-client-mock, nock, msw) where the
   * handler's modules live.
   */
  readonly setup?: string | URL;
}

/**
 * The kinds of execution environment a function can run in.
 *
 * @example
 * const kind: EnvironmentKind = 'worker';
 */
export type EnvironmentKind = 'runner' | 'worker' | 'process';

/** Where a `worker` or `process` environment finds the handler. */
export interface RemoteHandlerConfig {
  readonly kind: 'worker' | 'process';
  /** Absolute path of the handler file. */
  readonly file: string;
  /** Export path inside the module (`handler`, `handlers.get`). */
  readonly exportPath: string;
  /** Absolute path of the setup module, if any. */
  readonly setup: string | undefined;
  /** The function options as the environment's engine resolves them (handler excluded). */
  readonly functionOptions: Record<string, unknown>;
}

/**
 * Per-invocation inputs of `fn.invoke(event, options)`.
 *
 * @example
 * await fn.invoke({ id: 1 }, { requestId: 'c793869b-ee49-415b-a5b6-4fd21e8dedac', clock: 'virtual' });
 */
export interface FunctionInvokeOptions {
  /** Overrides the function's clock for this invocation. */
  readonly clock?: 'real' | 'virtual' | ClockOption;
  /** Default a new UUID. */
  readonly requestId?: string;
  /** X-Ray trace header; default a fresh one; `null` for none. */
  readonly traceId?: string | null;
  readonly identity?: CognitoIdentityInput;
  readonly clientContext?: unknown;
  readonly tenantId?: string;
}

/** The validated configuration. */
export interface ResolvedFunctionConfig {
  readonly settings: FunctionSettings;
  readonly loader: () => unknown;
  readonly isolation: ModuleIsolation | undefined;
  readonly reservedConcurrency: number | undefined;
  readonly provisionedConcurrency: number;
  readonly accountConcurrency: number;
  readonly idleTimeoutMs: number | undefined;
  readonly initTimeoutMs: number;
  readonly clock: ClockOption;
  /** Set for the `worker` and `process` kinds; undefined in the runner. */
  readonly remote: RemoteHandlerConfig | undefined;
}

const OWN_KEYS = [
  'environment',
  'setup',
  'handler',
  'handlerName',
  'isolation',
  'reservedConcurrency',
  'provisionedConcurrency',
  'accountConcurrency',
  'idleTimeout',
  'initTimeout',
  'clock',
];
const INVOKE_KEYS = ['clock', 'requestId', 'traceId', 'identity', 'clientContext', 'tenantId'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WHERE = 'createFunction options';

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function bad(where: string, key: string, message: string, hint?: string): HarnessError {
  return new HarnessError('INVALID_OPTIONS', `${where}.${key}: ${message}`, {
    path: key,
    ...(hint ? { hint } : {}),
  });
}

function optionalInt(o: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw bad(WHERE, key, `expected an integer from ${min} to ${max}, received ${describe(v)}`);
  }
  return v;
}

function optionalSeconds(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw bad(WHERE, key, `expected seconds > 0, received ${describe(v)}`);
  }
  return Math.round(v * 1000);
}

/**
 * Parse a clock option (`'real'`, `'virtual'` or `{ mode, startMs }`).
 *
 * @example
 * parseClockOption('virtual', 'fn.invoke options.clock'); // { mode: 'virtual' }
 */
export function parseClockOption(value: unknown, where: string): ClockOption {
  if (value === undefined || value === 'real') return { mode: 'real' };
  if (value === 'virtual') return { mode: 'virtual' };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v)) {
      if (k !== 'mode' && k !== 'startMs') {
        throw new HarnessError('INVALID_OPTIONS', `${where}.${k}: unknown option`, { path: `clock.${k}` });
      }
    }
    if (v.mode === 'real' && v.startMs === undefined) return { mode: 'real' };
    if (v.mode === 'virtual') {
      if (v.startMs === undefined) return { mode: 'virtual' };
      if (typeof v.startMs === 'number' && Number.isFinite(v.startMs))
        return { mode: 'virtual', startMs: v.startMs };
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${where}.startMs: expected epoch milliseconds, received ${describe(v.startMs)}`,
        { path: 'clock.startMs' },
      );
    }
  }
  throw new HarnessError(
    'INVALID_OPTIONS',
    `${where}: expected 'real', 'virtual' or { mode: 'virtual', startMs }, received ${describe(value)}`,
    { path: 'clock' },
  );
}

/**
 * Validate `createFunction` options (unknown keys rejected) and fill in defaults.
 *
 * @example
 * resolveFunctionConfig({ handler: () => import('./h.js'), reservedConcurrency: -1 });
 * // throws HarnessError INVALID_OPTIONS "createFunction options.reservedConcurrency: expected an integer from 0 to ..."
 */
export function resolveFunctionConfig(options: CreateFunctionOptions): ResolvedFunctionConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HarnessError('INVALID_OPTIONS', `${WHERE}: expected an object, received ${describe(options)}`, {
      hint: "Call createFunction({ handler: () => import('./handler.js') }).",
    });
  }
  const o = options as unknown as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OWN_KEYS.includes(key) && !FUNCTION_OPTION_KEYS.includes(key)) {
      throw bad(
        WHERE,
        key,
        'unknown option',
        `Known options: ${[...OWN_KEYS, ...FUNCTION_OPTION_KEYS.filter((k) => k !== 'handler')].join(', ')}.`,
      );
    }
  }
  const isFile = typeof o.handler === 'string' || o.handler instanceof URL;
  if (typeof o.handler !== 'function' && !isFile) {
    throw new HarnessError(
      'INVALID_HANDLER',
      `${WHERE}.handler: expected a loader function such as () => import('./handler.js'), received ${describe(o.handler)}`,
      {
        path: 'handler',
        hint: 'Pass a function that imports the module (so cold starts can load it afresh) or returns the handler function; the export name goes in handlerName.',
      },
    );
  }
  // A worker or process environment loads the file itself; the runner's loader is never called.
  const runnerFile = isFile && (o.environment === undefined || o.environment === 'runner');
  const loader = runnerFile
    ? esmFileLoader(o.handler as string | URL)
    : isFile
      ? () => undefined
      : (o.handler as () => unknown);
  if (o.handlerName !== undefined && (typeof o.handlerName !== 'string' || o.handlerName.length === 0)) {
    throw bad(
      WHERE,
      'handlerName',
      `expected a handler string such as 'index.handler', received ${describe(o.handlerName)}`,
    );
  }
  const fnOptions: Record<string, unknown> = {};
  for (const key of FUNCTION_OPTION_KEYS) {
    if (key !== 'handler' && o[key] !== undefined) fnOptions[key] = o[key];
  }
  if (o.handlerName !== undefined) fnOptions.handler = o.handlerName;
  else if (isFile) {
    const file = o.handler instanceof URL ? fileURLToPath(o.handler) : String(o.handler);
    const base = path.basename(file.startsWith('file:') ? fileURLToPath(file) : file);
    fnOptions.handler = `${base.slice(0, base.indexOf('.') > 0 ? base.indexOf('.') : base.length)}.handler`;
  }
  const settings = resolveFunctionSettings(fnOptions as FunctionOptions, WHERE);
  const isolation =
    o.isolation === undefined ? undefined : validateModuleIsolation(o.isolation, `${WHERE}.isolation`);
  const accountConcurrency = optionalInt(o, 'accountConcurrency', 1, 1_000_000) ?? 1000;
  const reservedConcurrency = optionalInt(o, 'reservedConcurrency', 0, accountConcurrency);
  const provisionedConcurrency = optionalInt(o, 'provisionedConcurrency', 0, accountConcurrency) ?? 0;
  if (reservedConcurrency !== undefined && provisionedConcurrency > reservedConcurrency) {
    throw bad(
      WHERE,
      'provisionedConcurrency',
      `${provisionedConcurrency} exceeds reservedConcurrency ${reservedConcurrency}`,
      'Lambda does not allow more provisioned concurrency than the function reserves.',
    );
  }
  return {
    settings,
    loader,
    remote: resolveRemote(o, isFile, fnOptions),
    isolation,
    reservedConcurrency,
    provisionedConcurrency,
    accountConcurrency,
    idleTimeoutMs: optionalSeconds(o, 'idleTimeout'),
    initTimeoutMs: optionalSeconds(o, 'initTimeout') ?? 10_000,
    clock: parseClockOption(o.clock, `${WHERE}.clock`),
  };
}

function filePath(value: string | URL): string {
  if (value instanceof URL) return fileURLToPath(value);
  return path.resolve(value.startsWith('file:') ? fileURLToPath(value) : value);
}

/** The `environment` and `setup` options; everything else is validated by the runner path. */
function resolveRemote(
  o: Record<string, unknown>,
  isFile: boolean,
  fnOptions: Record<string, unknown>,
): RemoteHandlerConfig | undefined {
  const kind = o.environment ?? 'runner';
  if (kind !== 'runner' && kind !== 'worker' && kind !== 'process') {
    throw bad(WHERE, 'environment', `expected 'runner', 'worker' or 'process', received ${describe(kind)}`);
  }
  if (kind === 'runner') {
    if (o.setup !== undefined)
      throw bad(
        WHERE,
        'setup',
        "only the 'worker' and 'process' environments run a setup module",
        'In the runner, install mocks in the test file (or its setup files) as usual.',
      );
    return undefined;
  }
  if (!isFile) {
    throw new HarnessError(
      'INVALID_HANDLER',
      `${WHERE}.handler: the '${kind}' environment loads the handler from a file, received ${describe(o.handler)}`,
      {
        path: 'handler',
        hint: "Pass the handler's file, e.g. handler: new URL('./handler.ts', import.meta.url), and the export in handlerName ('index.handler').",
      },
    );
  }
  if (o.isolation !== undefined) {
    throw bad(
      WHERE,
      'isolation',
      `the '${kind}' environment loads every cold start in a new ${kind}; isolation applies to the runner only`,
    );
  }
  const file = filePath(o.handler as string | URL);
  if (!existsSync(file)) {
    throw new HarnessError('INVALID_HANDLER', `${WHERE}.handler: no such file ${file}`, { path: 'handler' });
  }
  let setup: string | undefined;
  if (o.setup !== undefined) {
    if (typeof o.setup !== 'string' && !(o.setup instanceof URL))
      throw bad(WHERE, 'setup', `expected a module path or file: URL, received ${describe(o.setup)}`);
    setup = filePath(o.setup);
    if (!existsSync(setup)) throw bad(WHERE, 'setup', `no such file ${setup}`);
  }
  const handlerName = String(fnOptions.handler ?? 'index.handler');
  const dot = handlerName.indexOf('.');
  const exportPath = dot > 0 ? handlerName.slice(dot + 1) : 'handler';
  const functionOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fnOptions)) if (key !== 'handler') functionOptions[key] = value;
  return { kind, file, exportPath, setup, functionOptions };
}

/** Validated per-invocation options. */
export interface ResolvedInvokeOptions {
  readonly clock: ClockOption | undefined;
  readonly requestId: string | undefined;
  readonly traceId: string | null | undefined;
  readonly identity: CognitoIdentityInput | undefined;
  readonly clientContext: unknown;
  readonly tenantId: string | undefined;
}

/**
 * Validate `fn.invoke` options (unknown keys rejected).
 *
 * @example
 * resolveInvokeOptions({ requestId: 'nope' }, 'orders'); // throws INVALID_OPTIONS (expected a lowercase UUID)
 */
export function resolveInvokeOptions(options: unknown, functionName: string): ResolvedInvokeOptions {
  const where = `${functionName}.invoke options`;
  if (options === undefined) {
    return {
      clock: undefined,
      requestId: undefined,
      traceId: undefined,
      identity: undefined,
      clientContext: undefined,
      tenantId: undefined,
    };
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HarnessError('INVALID_OPTIONS', `${where}: expected an object, received ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!INVOKE_KEYS.includes(key)) {
      throw bad(where, key, 'unknown option', `Known options: ${INVOKE_KEYS.join(', ')}.`);
    }
  }
  if (o.requestId !== undefined && (typeof o.requestId !== 'string' || !UUID.test(o.requestId))) {
    throw bad(where, 'requestId', `expected a lowercase UUID, received ${describe(o.requestId)}`);
  }
  if (o.traceId !== undefined && o.traceId !== null && typeof o.traceId !== 'string') {
    throw bad(where, 'traceId', `expected a trace header string or null, received ${describe(o.traceId)}`);
  }
  if (o.tenantId !== undefined && typeof o.tenantId !== 'string') {
    throw bad(where, 'tenantId', `expected a string, received ${describe(o.tenantId)}`);
  }
  return {
    clock: o.clock === undefined ? undefined : parseClockOption(o.clock, `${where}.clock`),
    requestId: o.requestId as string | undefined,
    traceId: o.traceId as string | null | undefined,
    identity: o.identity as CognitoIdentityInput | undefined,
    clientContext: o.clientContext,
    tenantId: o.tenantId as string | undefined,
  };
}
