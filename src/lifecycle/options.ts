import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors/index.js';
import {
  describeValue,
  field,
  MAX_TIME_MS,
  optionError,
  parseWith,
  requireObject,
  z,
} from '../errors/options.js';
import {
  type ClockOption,
  FUNCTION_OPTION_KEYS,
  type FunctionOptions,
  type FunctionSettings,
  resolveFunctionSettings,
} from '../invoke/index.js';
import {
  clockSchema,
  functionOptionsShape,
  invocationOptionsShape,
  parseClockOption as parseInvokeClockOption,
} from '../invoke/settings.js';
import type { CognitoIdentityInput } from '../runtime/context.js';
import { esmFileLoader } from './esm-file.js';
import { type ModuleIsolation, validateModuleIsolation } from './isolation.js';
import { type ModuleImporter, taskRootLoader } from './task-root.js';

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
  /**
   * The function's code folder (absolute path), as Lambda's `/var/task`: `handler` is then the
   * handler string Lambda uses (`src/orders.handler`), resolved as the runtime resolves it
   * (`.js`/`.mjs`/`.cjs` and package.json `type`; a `.ts` source of the same name when no
   * JavaScript exists), with the runtime's errors for a missing module, export or malformed name.
   */
  readonly taskRoot?: string;
  /** With `taskRoot`: loads the resolved file; pass `(file) => import(file)` so the test runner (and its mocks) load it. */
  readonly importModule?: ModuleImporter;
  /** With `taskRoot`: layer folders (each with `nodejs/node_modules`) on the CommonJS module path after the function's own node_modules, as Lambda mounts them at /opt. */
  readonly layers?: readonly string[];
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

/** Node's timers hold at most 2^31-1 ms; a longer delay would fire after 1 ms. */
const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);
const WHERE = 'createFunction options';

const concurrency = (min: number) =>
  field(z.number().int().min(min).max(1_000_000), `an integer from ${min} to 1000000`).optional();

/** The zod shape of what `createFunction` adds to the function options. */
const ownShape = {
  handler: z.unknown(),
  taskRoot: z.unknown().optional(),
  importModule: z.unknown().optional(),
  layers: z.unknown().optional(),
  handlerName: field(z.string().min(1), "a handler string such as 'index.handler'").optional(),
  isolation: z.unknown().optional(),
  reservedConcurrency: concurrency(0),
  provisionedConcurrency: concurrency(0),
  accountConcurrency: concurrency(1),
  idleTimeout: field(
    z.number().finite().gt(0).max(MAX_TIMER_S),
    `seconds > 0 and <= ${MAX_TIMER_S}`,
    "Node's timers cannot wait longer than about 24.8 days.",
  ).optional(),
  initTimeout: field(
    z.number().finite().gt(0).max(900),
    'seconds > 0 and <= 900',
    'Lambda gives on-demand init 10 s (the default) and never more than the 900 s function limit; lower it to test init timeouts fast.',
  ).optional(),
  clock: clockSchema.optional(),
  environment: field(z.enum(['runner', 'worker', 'process']), "'runner', 'worker' or 'process'").optional(),
  setup: z.unknown().optional(),
};
const { handler: _fnHandler, ...fnShapeWithoutHandler } = functionOptionsShape;
const createFunctionSchema = z.strictObject({ ...fnShapeWithoutHandler, ...ownShape });
const invokeOptionsSchema = z.strictObject(invocationOptionsShape);

/**
 * Parse a clock option (`'real'`, `'virtual'` or `{ mode, startMs }`): the invoke room's one parser.
 *
 * @example
 * parseClockOption('virtual', 'fn.invoke options.clock'); // { mode: 'virtual' }
 */
export const parseClockOption: (value: unknown, where: string) => ClockOption = parseInvokeClockOption;

/**
 * Validate `createFunction` options (unknown keys rejected) and fill in defaults.
 *
 * @example
 * resolveFunctionConfig({ handler: () => import('./h.js'), reservedConcurrency: -1 });
 * // throws HarnessError INVALID_OPTIONS "createFunction options.reservedConcurrency: expected an integer from 0 to ..."
 */
export function resolveFunctionConfig(options: CreateFunctionOptions): ResolvedFunctionConfig {
  const o = requireObject(
    options,
    'INVALID_OPTIONS',
    WHERE,
    "Call createFunction({ handler: () => import('./handler.js') }).",
  );
  if (o.taskRoot !== undefined) return resolveTaskRootConfig(o);
  if (o.layers !== undefined)
    throw taskRootError('layers', 'only with taskRoot (layers are resolved from the handler string)');
  const isFile = typeof o.handler === 'string' || o.handler instanceof URL;
  if (typeof o.handler !== 'function' && !isFile) {
    throw new HarnessError(
      'INVALID_HANDLER',
      `${WHERE}.handler: expected a loader function such as () => import('./handler.js'), received ${describeValue(o.handler)}`,
      {
        path: 'handler',
        hint: 'Pass a function that imports the module (so cold starts can load it afresh) or returns the handler function; the export name goes in handlerName.',
      },
    );
  }
  const parsed = parseWith(createFunctionSchema, o, 'INVALID_OPTIONS', WHERE);
  // A worker or process environment loads the file itself; the runner's loader is never called.
  const runnerFile = isFile && (parsed.environment ?? 'runner') === 'runner';
  const loader = runnerFile
    ? esmFileLoader(o.handler as string | URL)
    : isFile
      ? () => undefined
      : (o.handler as () => unknown);
  const fnOptions: Record<string, unknown> = {};
  for (const key of FUNCTION_OPTION_KEYS) {
    if (key !== 'handler' && o[key] !== undefined) fnOptions[key] = o[key];
  }
  if (parsed.handlerName !== undefined) fnOptions.handler = parsed.handlerName;
  else if (isFile) {
    const file = o.handler instanceof URL ? fileURLToPath(o.handler) : String(o.handler);
    const base = path.basename(file.startsWith('file:') ? fileURLToPath(file) : file);
    fnOptions.handler = `${base.slice(0, base.indexOf('.') > 0 ? base.indexOf('.') : base.length)}.handler`;
  }
  const settings = resolveFunctionSettings(fnOptions as FunctionOptions, WHERE);
  const isolation =
    o.isolation === undefined ? undefined : validateModuleIsolation(o.isolation, `${WHERE}.isolation`);
  const accountConcurrency = parsed.accountConcurrency ?? 1000;
  const reservedConcurrency = parsed.reservedConcurrency;
  const provisionedConcurrency = parsed.provisionedConcurrency ?? 0;
  for (const [key, value] of [
    ['reservedConcurrency', reservedConcurrency],
    ['provisionedConcurrency', provisionedConcurrency],
  ] as const) {
    if (value !== undefined && value > accountConcurrency) {
      throw optionError(
        'INVALID_OPTIONS',
        WHERE,
        key,
        `an integer from 0 to ${accountConcurrency}`,
        value,
        'It cannot exceed accountConcurrency.',
      );
    }
  }
  if (reservedConcurrency !== undefined && provisionedConcurrency > reservedConcurrency) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${WHERE}.provisionedConcurrency: ${provisionedConcurrency} exceeds reservedConcurrency ${reservedConcurrency}`,
      {
        path: 'provisionedConcurrency',
        hint: 'Lambda does not allow more provisioned concurrency than the function reserves.',
      },
    );
  }
  const seconds = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 1000));
  return {
    settings,
    loader,
    remote: resolveRemote(o, parsed.environment ?? 'runner', isFile, fnOptions),
    isolation,
    reservedConcurrency,
    provisionedConcurrency,
    accountConcurrency,
    idleTimeoutMs: seconds(parsed.idleTimeout),
    initTimeoutMs: seconds(parsed.initTimeout) ?? 10_000,
    clock: parsed.clock ?? { mode: 'real' },
  };
}

function filePath(value: string | URL): string {
  if (value instanceof URL) return fileURLToPath(value);
  return path.resolve(value.startsWith('file:') ? fileURLToPath(value) : value);
}

function bad(key: string, message: string, hint?: string): HarnessError {
  return new HarnessError('INVALID_OPTIONS', `${WHERE}.${key}: ${message}`, {
    path: key,
    ...(hint ? { hint } : {}),
  });
}

/** The file a `worker` or `process` environment loads, and its setup module. */
function resolveRemote(
  o: Record<string, unknown>,
  kind: EnvironmentKind,
  isFile: boolean,
  fnOptions: Record<string, unknown>,
): RemoteHandlerConfig | undefined {
  if (kind === 'runner') {
    if (o.setup !== undefined)
      throw bad(
        'setup',
        "only the 'worker' and 'process' environments run a setup module",
        'In the runner, install mocks in the test file (or its setup files) as usual.',
      );
    return undefined;
  }
  if (!isFile) {
    throw new HarnessError(
      'INVALID_HANDLER',
      `${WHERE}.handler: the '${kind}' environment loads the handler from a file, received ${describeValue(o.handler)}`,
      {
        path: 'handler',
        hint: "Pass the handler's file, e.g. handler: new URL('./handler.ts', import.meta.url), and the export in handlerName ('index.handler').",
      },
    );
  }
  if (o.isolation !== undefined) {
    throw bad(
      'isolation',
      `the '${kind}' environment loads every cold start in a new ${kind === 'worker' ? 'worker thread' : 'process'}`,
      'Module isolation applies to the runner environment only; remove it.',
    );
  }
  const file = filePath(o.handler as string | URL);
  if (!existsSync(file)) {
    throw new HarnessError('INVALID_HANDLER', `${WHERE}.handler: no such file ${file}`, {
      path: 'handler',
      hint: 'Relative paths are resolved against the current directory; new URL(..., import.meta.url) avoids that.',
    });
  }
  let setup: string | undefined;
  if (o.setup !== undefined) {
    if (typeof o.setup !== 'string' && !(o.setup instanceof URL))
      throw bad('setup', `expected a module path or file: URL, received ${describeValue(o.setup)}`);
    setup = filePath(o.setup);
    if (!existsSync(setup)) throw bad('setup', `no such file ${setup}`);
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

const NO_INVOKE_OPTIONS: ResolvedInvokeOptions = Object.freeze({
  clock: undefined,
  requestId: undefined,
  traceId: undefined,
  identity: undefined,
  clientContext: undefined,
  tenantId: undefined,
});

/**
 * The options every simulator invocation passes, `{ clock: { mode: 'virtual', startMs } }` with a
 * valid start, read without the schema (a third of a simulated invocation's option handling);
 * anything else, or anything out of range, goes through the schema and its messages.
 */
function pinnedVirtualClock(options: object): ClockOption | undefined {
  const keys = Object.keys(options);
  if (keys.length !== 1 || keys[0] !== 'clock') return undefined;
  const clock = (options as { clock?: unknown }).clock;
  if (typeof clock !== 'object' || clock === null || Object.getPrototypeOf(clock) !== Object.prototype)
    return undefined;
  const ck = Object.keys(clock);
  const { mode, startMs } = clock as { mode?: unknown; startMs?: unknown };
  if (ck.length !== 2 || mode !== 'virtual' || typeof startMs !== 'number') return undefined;
  if (!(startMs >= 0 && startMs <= MAX_TIME_MS)) return undefined;
  return { mode: 'virtual', startMs };
}

/**
 * Validate `fn.invoke` options (unknown keys rejected).
 *
 * @example
 * resolveInvokeOptions({ requestId: 'nope' }, 'orders'); // throws INVALID_OPTIONS (expected a lowercase UUID)
 */
export function resolveInvokeOptions(options: unknown, functionName: string): ResolvedInvokeOptions {
  const where = `${functionName}.invoke options`;
  if (options === undefined) return NO_INVOKE_OPTIONS;
  requireObject(options, 'INVALID_OPTIONS', where);
  const pinned = pinnedVirtualClock(options as object);
  if (pinned) return { ...NO_INVOKE_OPTIONS, clock: pinned };
  const parsed = parseWith(invokeOptionsSchema, options, 'INVALID_OPTIONS', where);
  const o = options as Record<string, unknown>;
  return {
    clock: parsed.clock,
    requestId: o.requestId as string | undefined,
    traceId: o.traceId as string | null | undefined,
    identity: o.identity as CognitoIdentityInput | undefined,
    clientContext: o.clientContext,
    tenantId: o.tenantId as string | undefined,
  };
}

function taskRootError(key: string, message: string): HarnessError {
  return new HarnessError('INVALID_OPTIONS', `${WHERE}.${key}: ${message}`, { path: key });
}

function resolveTaskRootConfig(o: Record<string, unknown>): ResolvedFunctionConfig {
  if (typeof o.taskRoot !== 'string') {
    throw taskRootError(
      'taskRoot',
      `expected an absolute folder path, received ${describeValue(o.taskRoot)}`,
    );
  }
  if (typeof o.handler !== 'string' || o.handler.length === 0) {
    throw taskRootError(
      'handler',
      `with taskRoot, expected a handler string such as 'src/orders.handler', received ${describeValue(o.handler)}`,
    );
  }
  if (o.handlerName !== undefined) {
    throw taskRootError('handlerName', 'not used with taskRoot: the handler string is in handler');
  }
  if (o.importModule !== undefined && typeof o.importModule !== 'function') {
    throw taskRootError(
      'importModule',
      `expected (file) => import(file), received ${describeValue(o.importModule)}`,
    );
  }
  const layers = o.layers ?? [];
  if (!Array.isArray(layers) || !layers.every((l) => typeof l === 'string' && path.isAbsolute(l))) {
    throw taskRootError('layers', `expected absolute folder paths, received ${describeValue(o.layers)}`);
  }
  const loader = taskRootLoader(o.taskRoot, o.handler, {
    importModule: o.importModule as ModuleImporter | undefined,
    typescript: true,
    layers,
    nodeMajor: Number(/\d+/.exec(String(o.runtime ?? 'nodejs24.x'))?.[0] ?? 24),
  });
  const { taskRoot: _root, importModule: _import, layers: _layers, handler, ...rest } = o;
  return resolveFunctionConfig({
    ...rest,
    handler: loader,
    handlerName: handler,
  } as unknown as CreateFunctionOptions);
}
