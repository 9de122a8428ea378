import type { RuntimeName } from '../contract/result.js';

/**
 * What distinguishes one managed Node.js runtime from another, as far as a handler can tell.
 * `v3` is the runtime interface client behind nodejs18.x/20.x/22.x, `v4` the rewrite shipped with
 * nodejs24.x (see the observations digest in shared/runtime-client-observations.md).
 *
 * @example
 * import { getRuntimeProfile } from 'lambda-harness';
 * getRuntimeProfile('nodejs22.x').syncReturnIsResponse; // false: a sync return value is ignored
 */
export interface RuntimeProfile {
  readonly name: RuntimeName;
  /** Runtime interface client generation. */
  readonly generation: 'v3' | 'v4';
  readonly nodeMajor: 20 | 22 | 24;
  /** Value of AWS_EXECUTION_ENV. */
  readonly executionEnv: string;
  /** `Runtime Version` printed on INIT_START. */
  readonly runtimeVersion: string;
  /** The handler is called with `(event, context, callback)` and context has succeed/fail/done. */
  readonly callbacks: boolean;
  /** A handler declaring 3+ parameters fails init with Runtime.CallbackHandlerDeprecated. */
  readonly rejectsCallbackArity: boolean;
  /** A non-promise return value is the response (v4); on v3 it is ignored and null is posted. */
  readonly syncReturnIsResponse: boolean;
  /** Handler lookup retries on `module.default` when the path is not found (v4). */
  readonly defaultExportFallback: boolean;
  /** context.xRayTraceId exists (v4). */
  readonly contextXRayTraceId: boolean;
  /** `awslambda.InvokeStore` is installed (v4). */
  readonly invokeStoreGlobal: boolean;
  /** Request id printed in text logs outside an invoke: `undefined` (v3) or `-` (v4). */
  readonly initRequestIdText: 'undefined' | '-';
  /** The runtime catches uncaught exceptions / unhandled rejections, posts them and exits 129/128 (v3). */
  readonly catchesProcessErrors: boolean;
  /** errorType used when the response cannot be JSON-serialised. */
  readonly stringifyErrorType: 'Error' | 'Runtime.JSONStringifyError';
  /** Prefix of the runtime's init failure log line. */
  readonly initErrorLogPrefix: 'Uncaught Exception' | 'Init Error';
  /** Node.js release line of the managed runtime (informational: crash prints end with `process.version`, the Node that ran the code). */
  readonly nodeVersion: string;
}

const v3 = {
  generation: 'v3',
  callbacks: true,
  rejectsCallbackArity: false,
  syncReturnIsResponse: false,
  defaultExportFallback: false,
  contextXRayTraceId: false,
  invokeStoreGlobal: false,
  initRequestIdText: 'undefined',
  catchesProcessErrors: true,
  stringifyErrorType: 'Error',
  initErrorLogPrefix: 'Uncaught Exception',
} as const;

/**
 * Every runtime profile the harness reproduces, keyed by Lambda runtime identifier.
 *
 * @example
 * RUNTIME_PROFILES['nodejs22.x'].executionEnv; // 'AWS_Lambda_nodejs22.x'
 */
export const RUNTIME_PROFILES: Readonly<Record<RuntimeName, RuntimeProfile>> = Object.freeze({
  'nodejs20.x': Object.freeze({
    ...v3,
    name: 'nodejs20.x',
    nodeMajor: 20,
    executionEnv: 'AWS_Lambda_nodejs20.x',
    runtimeVersion: 'nodejs:20.v70',
    nodeVersion: 'v20.19.5',
  }),
  'nodejs22.x': Object.freeze({
    ...v3,
    name: 'nodejs22.x',
    nodeMajor: 22,
    executionEnv: 'AWS_Lambda_nodejs22.x',
    runtimeVersion: 'nodejs:22.v60',
    nodeVersion: 'v22.21.1',
  }),
  'nodejs24.x': Object.freeze({
    name: 'nodejs24.x',
    generation: 'v4',
    nodeMajor: 24,
    executionEnv: 'AWS_Lambda_nodejs24.x',
    runtimeVersion: 'nodejs:24.v12',
    callbacks: false,
    rejectsCallbackArity: true,
    syncReturnIsResponse: true,
    defaultExportFallback: true,
    contextXRayTraceId: true,
    invokeStoreGlobal: true,
    initRequestIdText: '-',
    catchesProcessErrors: false,
    stringifyErrorType: 'Runtime.JSONStringifyError',
    initErrorLogPrefix: 'Init Error',
    nodeVersion: 'v24.11.1',
  }),
});

/**
 * The runtime used when none is given: the newest.
 *
 * @example
 * DEFAULT_RUNTIME; // 'nodejs24.x'
 */
export const DEFAULT_RUNTIME: RuntimeName = 'nodejs24.x';

/**
 * Every supported runtime identifier, oldest first.
 *
 * @example
 * for (const runtime of RUNTIME_NAMES) await invokeHandler(handler, event, { runtime });
 */
export const RUNTIME_NAMES: readonly RuntimeName[] = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'];

/**
 * The profile of a runtime identifier, or undefined for an unknown name (callers report it with
 * their own option path).
 *
 * @example
 * getRuntimeProfile('nodejs24.x')?.generation; // 'v4'
 */
export function getRuntimeProfile(name: string): RuntimeProfile | undefined {
  return Object.hasOwn(RUNTIME_PROFILES, name) ? RUNTIME_PROFILES[name as RuntimeName] : undefined;
}

/**
 * Message of Runtime.CallbackHandlerDeprecated (nodejs24.x), verbatim.
 *
 * @example
 * expect(result.error.errorMessage).toBe(CALLBACK_DEPRECATED_MESSAGE);
 */
export const CALLBACK_DEPRECATED_MESSAGE =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/**
 * Request and response limit of synchronous invocations: 6 MiB + 100 bytes.
 *
 * @example
 * Buffer.byteLength(json) > MAX_SYNC_PAYLOAD_BYTES; // Function.ResponseSizeTooLarge
 */
export const MAX_SYNC_PAYLOAD_BYTES = 6_291_556;

/**
 * On-demand init phase limit.
 *
 * @example
 * initFunction({ ...req, initTimeoutMs: INIT_TIMEOUT_MS });
 */
export const INIT_TIMEOUT_MS = 10_000;
