import type { LogLevel } from '../contract/logs.js';
import type { RuntimeProfile } from './profiles.js';
import { type EnvLayer, invocationScope } from './scope.js';

/**
 * Fake credentials the handler sees (the real ones of the test machine are never exposed).
 *
 * @example
 * FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID; // 'ASIAHARNESSFAKEKEY00'
 */
export const FAKE_CREDENTIALS: Readonly<Record<string, string>> = Object.freeze({
  AWS_ACCESS_KEY_ID: 'ASIAHARNESSFAKEKEY00',
  AWS_ACCESS_KEY: 'ASIAHARNESSFAKEKEY00',
  AWS_SECRET_ACCESS_KEY: 'lambdaHarnessFakeSecretAccessKey000000000',
  AWS_SESSION_TOKEN: 'lambda-harness-fake-session-token',
});

/**
 * The configuration from which the runtime's environment variables are derived.
 *
 * @example
 * const vars = buildRuntimeEnv({ functionName: 'orders', functionVersion: '$LATEST', memorySizeMB: 128,
 *   region: 'eu-west-1', handler: 'index.handler', profile, logGroupName: '/aws/lambda/orders',
 *   logStreamName: '2024/01/01/[$LATEST]abc', initializationType: 'on-demand' });
 */
export interface RuntimeEnvConfig {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memorySizeMB: number;
  readonly region: string;
  readonly handler: string;
  readonly profile: RuntimeProfile;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly initializationType: 'on-demand' | 'provisioned-concurrency';
  readonly logFormat?: 'Text' | 'JSON' | undefined;
  readonly logLevel?: LogLevel | undefined;
  readonly traceId?: string | undefined;
  /** Task root shown in LAMBDA_TASK_ROOT; default /var/task. */
  readonly taskRoot?: string | undefined;
}

/**
 * The reserved and unreserved variables a managed Node.js runtime sets, as a plain object.
 * `_X_AMZN_TRACE_ID` is present only when a trace id is given (the runtime deletes it otherwise).
 *
 * @example
 * buildRuntimeEnv(config).AWS_EXECUTION_ENV; // 'AWS_Lambda_nodejs24.x'
 */
export function buildRuntimeEnv(config: RuntimeEnvConfig): Record<string, string> {
  const taskRoot = config.taskRoot ?? '/var/task';
  const env: Record<string, string> = {
    AWS_LAMBDA_FUNCTION_NAME: config.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: config.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMB),
    AWS_LAMBDA_LOG_GROUP_NAME: config.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: config.logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: config.initializationType,
    AWS_REGION: config.region,
    AWS_DEFAULT_REGION: config.region,
    AWS_EXECUTION_ENV: config.profile.executionEnv,
    AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001',
    _HANDLER: config.handler,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH: `/opt/nodejs/node${config.profile.nodeMajor}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:${taskRoot}`,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    ...FAKE_CREDENTIALS,
  };
  if (config.logFormat !== undefined) env.AWS_LAMBDA_LOG_FORMAT = config.logFormat;
  if (config.logLevel !== undefined) env.AWS_LAMBDA_LOG_LEVEL = config.logLevel;
  if (config.traceId !== undefined) env._X_AMZN_TRACE_ID = config.traceId;
  return env;
}

/**
 * Build an env layer: runtime variables, then user variables (`undefined` deletes a variable).
 *
 * @example
 * const layer = createEnvLayer(buildRuntimeEnv(config), { TABLE: 'orders', HOME: undefined });
 */
export function createEnvLayer(
  runtimeVars: Record<string, string>,
  userEnv: Readonly<Record<string, string | undefined>> | undefined,
): EnvLayer {
  const values: Record<string, string> = Object.assign(
    Object.create(null) as Record<string, string>,
    runtimeVars,
  );
  const deleted = new Set<string>();
  if (userEnv) {
    for (const key of Object.keys(userEnv)) {
      const v = userEnv[key];
      if (v === undefined) {
        delete values[key];
        deleted.add(key);
      } else values[key] = String(v);
    }
  }
  return { values, deleted };
}

let realEnv: NodeJS.ProcessEnv | undefined;
let depth = 0;

function layer(): EnvLayer | undefined {
  return invocationScope.getStore()?.env;
}

function base(): NodeJS.ProcessEnv {
  return realEnv ?? process.env;
}

const routerHandler: ProxyHandler<Record<string, string>> = {
  get(_t, key) {
    if (typeof key !== 'string') return undefined;
    const l = layer();
    if (l) {
      if (l.deleted.size > 0 && l.deleted.has(key)) return undefined;
      if (key in l.values) return l.values[key];
    }
    return base()[key];
  },
  set(_t, key, value) {
    if (typeof key !== 'string') return true;
    const l = layer();
    if (l) {
      l.values[key] = String(value);
      l.deleted.delete(key);
    } else base()[key] = String(value);
    return true;
  },
  has(_t, key) {
    if (typeof key !== 'string') return false;
    const l = layer();
    if (l) {
      if (l.deleted.has(key)) return false;
      if (key in l.values) return true;
    }
    return key in base();
  },
  deleteProperty(_t, key) {
    if (typeof key !== 'string') return true;
    const l = layer();
    if (l) {
      delete l.values[key];
      l.deleted.add(key);
    } else delete base()[key];
    return true;
  },
  ownKeys() {
    const l = layer();
    const keys = new Set(Object.keys(base()));
    if (l) {
      for (const k in l.values) keys.add(k);
      for (const k of l.deleted) keys.delete(k);
    }
    return [...keys];
  },
  getOwnPropertyDescriptor(t, key) {
    if (!routerHandler.has?.(t, key)) return undefined;
    return {
      value: routerHandler.get?.(t, key, undefined),
      writable: true,
      enumerable: true,
      configurable: true,
    };
  },
  defineProperty(t, key, desc) {
    return routerHandler.set?.(t, key, desc.value, undefined) ?? true;
  },
};

const router = new Proxy<Record<string, string>>({}, routerHandler) as NodeJS.ProcessEnv;

/**
 * Make `process.env` per-invocation: while at least one scope is open, `process.env` is a view
 * that shows the current invocation's layer over the real environment; writes and deletes by the
 * handler land in its layer only. Code outside any invocation sees and writes the real env.
 * Returns a function closing the scope; the real `process.env` object is restored when the last
 * scope closes.
 *
 * @example
 * const close = openEnvScope();
 * try { await run(); } finally { close(); }
 */
export function openEnvScope(): () => void {
  enterEnvScope();
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    exitEnvScope();
  };
}

/**
 * Closure-free form of {@link openEnvScope}: every `enterEnvScope()` must be matched by one
 * `exitEnvScope()`.
 *
 * @example
 * enterEnvScope();
 * try { await run(); } finally { exitEnvScope(); }
 */
export function enterEnvScope(): void {
  if (depth++ === 0) {
    realEnv = process.env;
    process.env = router;
  }
}

/**
 * Leave a scope opened with {@link enterEnvScope}.
 *
 * @example
 * exitEnvScope();
 */
export function exitEnvScope(): void {
  if (depth === 0) return;
  if (--depth === 0) {
    if (process.env === router && realEnv) process.env = realEnv;
    realEnv = undefined;
  }
}
