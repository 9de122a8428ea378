import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../errors/index.js';
import { describeValue, field, optionError, parseWith, requireObject, z } from '../errors/options.js';
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
}

/** Node's timers hold at most 2^31-1 ms; a longer delay would fire after 1 ms. */
const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);
const WHERE = 'createFunction options';

const concurrency = (min: number) =>
  field(z.number().int().min(min).max(1_000_000), `an integer from ${min} to 1000000`).optional();

/** The zod shape of what `createFunction` adds to the function options. */
const ownShape = {
  handler: z.unknown(),
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
  const loader = isFile ? esmFileLoader(o.handler as string | URL) : (o.handler as () => unknown);
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
    isolation,
    reservedConcurrency,
    provisionedConcurrency,
    accountConcurrency,
    idleTimeoutMs: seconds(parsed.idleTimeout),
    initTimeoutMs: seconds(parsed.initTimeout) ?? 10_000,
    clock: parsed.clock ?? { mode: 'real' },
  };
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
  requireObject(options, 'INVALID_OPTIONS', where);
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
