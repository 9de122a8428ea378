import type { ErrorPayload } from '../contract/result.js';
import { runtimeError, toErrorPayload } from './errors.js';
import type { RuntimeProfile } from './profiles.js';

/**
 * A `_HANDLER` string split as the runtime splits it.
 *
 * @example
 * parseHandlerName('src/api/index.handlers.get');
 * // { ok: true, moduleDir: 'src/api', moduleName: 'index', propertyPath: ['handlers', 'get'] }
 */
export type ParsedHandlerName =
  | {
      readonly ok: true;
      readonly moduleDir: string;
      readonly moduleName: string;
      readonly propertyPath: readonly string[];
    }
  | { readonly ok: false; readonly error: ErrorPayload };

/**
 * Parse a handler string (`index.handler`, `file.obj.fn`, `src/app.handler`). A string containing
 * `..` or without a dot gives the runtime's `Runtime.MalformedHandlerName` payload.
 *
 * @example
 * parseHandlerName('index'); // { ok: false, error: { errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler', ... } }
 */
export function parseHandlerName(handler: string): ParsedHandlerName {
  let parsed = parsedCache.get(handler);
  if (!parsed) {
    parsed = parse(handler);
    if (parsedCache.size > 500) parsedCache.clear();
    parsedCache.set(handler, parsed);
  }
  return parsed;
}

const parsedCache = new Map<string, ParsedHandlerName>();

function parse(handler: string): ParsedHandlerName {
  if (handler.includes('..')) {
    return {
      ok: false,
      error: runtimeFailure(
        'Runtime.MalformedHandlerName',
        `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
      ),
    };
  }
  const slash = handler.lastIndexOf('/');
  const moduleDir = slash === -1 ? '' : handler.slice(0, slash);
  const base = slash === -1 ? handler : handler.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot === -1) {
    return {
      ok: false,
      error: runtimeFailure('Runtime.MalformedHandlerName', 'Bad handler'),
    };
  }
  return {
    ok: true,
    moduleDir,
    moduleName: base.slice(0, dot),
    propertyPath: base.slice(dot + 1).split('.'),
  };
}

// The runtime client raises these as its own Error subclasses, so the posted trace is a stack.
function runtimeFailure(errorType: string, message: string): ErrorPayload {
  return toErrorPayload(runtimeError(errorType, message), 'v3');
}

function walk(root: unknown, path: readonly string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Find the handler function on a loaded module namespace by property path, with the v4 fallback
 * to `module.default`. Errors are the runtime's `Runtime.HandlerNotFound` payloads.
 *
 * @example
 * resolveHandlerExport({ handler: fn }, 'index.handler', ['handler'], profile); // { ok: true, handler: fn }
 */
export function resolveHandlerExport(
  moduleNamespace: unknown,
  handlerName: string,
  propertyPath: readonly string[],
  profile: RuntimeProfile,
): { ok: true; handler: Function } | { ok: false; error: ErrorPayload } {
  let found = walk(moduleNamespace, propertyPath);
  if (found === undefined && profile.defaultExportFallback && moduleNamespace != null) {
    found = walk((moduleNamespace as Record<string, unknown>).default, propertyPath);
  }
  if (found === undefined) {
    return {
      ok: false,
      error: runtimeFailure('Runtime.HandlerNotFound', `${handlerName} is undefined or not exported`),
    };
  }
  if (typeof found !== 'function') {
    return {
      ok: false,
      error: runtimeFailure('Runtime.HandlerNotFound', `${handlerName} is not a function`),
    };
  }
  return { ok: true, handler: found };
}
