/**
 * Module isolation: how a cold start gets a fresh module graph for the handler's own modules.
 *
 * The engine never imports a test runner. A runner entry (`lambda-harness/vitest`,
 * `lambda-harness/jest`) registers an isolation through {@link setModuleIsolation}; a test can also
 * pass one to `createFunction({ isolation })`. Without either, the plain-Node isolation is used.
 */
import Module from 'node:module';
import { HarnessError } from '../errors/index.js';

/**
 * How to load the handler's module graph afresh. `load` receives the user's loader (for example
 * `() => import('./handler.js')`) and must run it so that the handler's entry and every module it
 * imports are evaluated again (their top-level code re-runs), while the runner's module mocks stay
 * in force. It returns whatever the loader returned (a module namespace or the handler function).
 * Loads are serialised by the harness: `load` is never called twice at the same time.
 *
 * @example
 * // Vitest (what `lambda-harness/vitest` registers):
 * const vitestIsolation: ModuleIsolation = {
 *   name: 'vitest',
 *   load: async (loader) => { vi.resetModules(); return loader(); },
 * };
 * // Jest (CommonJS and ESM):
 * const jestIsolation: ModuleIsolation = {
 *   name: 'jest',
 *   load: async (loader) => {
 *     let loaded: unknown;
 *     await jest.isolateModulesAsync(async () => { loaded = await loader(); });
 *     return loaded;
 *   },
 * };
 */
export interface ModuleIsolation {
  /** Shown in error messages and on `fn.isolation`, for example `vitest`, `jest`, `node`. */
  readonly name: string;
  load(loader: () => unknown): unknown;
}

const REGISTRY_KEY = Symbol.for('lambda-harness.moduleIsolation');
type Registry = { isolation: ModuleIsolation | undefined };

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[REGISTRY_KEY];
  if (!r) {
    r = { isolation: undefined };
    g[REGISTRY_KEY] = r;
  }
  return r;
}

/**
 * Check a value is a {@link ModuleIsolation}; throws a HarnessError naming `where` otherwise.
 *
 * @example
 * validateModuleIsolation({ name: 'vitest', load: (l) => l() }, 'createFunction options.isolation');
 */
export function validateModuleIsolation(value: unknown, where: string): ModuleIsolation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `${where}: expected { name, load(loader) }, received ${value === null ? 'null' : typeof value}`,
      { path: where },
    );
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'name' && key !== 'load') {
      throw new HarnessError('INVALID_OPTIONS', `${where}.${key}: unknown option`, {
        path: `${where}.${key}`,
        hint: 'A module isolation has exactly two members: name (string) and load(loader).',
      });
    }
  }
  if (typeof v.name !== 'string' || v.name.length === 0) {
    throw new HarnessError('INVALID_OPTIONS', `${where}.name: expected a non-empty string`, {
      path: `${where}.name`,
    });
  }
  if (typeof v.load !== 'function') {
    throw new HarnessError('INVALID_OPTIONS', `${where}.load: expected a function (loader) => module`, {
      path: `${where}.load`,
    });
  }
  return v as unknown as ModuleIsolation;
}

/**
 * Register the module isolation every `createFunction` uses unless it is given its own
 * `isolation` option. Runner entries call this; `undefined` restores the plain-Node default.
 * The registration lives on `globalThis`, so the ESM and CommonJS builds share it.
 *
 * @example
 * import { vi } from 'vitest';
 * import { setModuleIsolation } from 'lambda-harness';
 * setModuleIsolation({ name: 'vitest', load: async (loader) => { vi.resetModules(); return loader(); } });
 */
export function setModuleIsolation(isolation: ModuleIsolation | undefined): void {
  registry().isolation =
    isolation === undefined ? undefined : validateModuleIsolation(isolation, 'setModuleIsolation(isolation)');
}

/**
 * The isolation `createFunction` uses by default: the registered one, or {@link nodeModuleIsolation}.
 *
 * @example
 * getModuleIsolation().name; // 'vitest' after `import 'lambda-harness/vitest'`, else 'node'
 */
export function getModuleIsolation(): ModuleIsolation {
  return registry().isolation ?? nodeModuleIsolation;
}

// ---------------------------------------------------------------------------------------------
// Plain Node
// ---------------------------------------------------------------------------------------------

interface CachedModule {
  exports?: unknown;
  parent?: { children?: unknown[] } | null;
  children?: CachedModule[];
  filename?: string;
}
type RequireCache = Record<string, CachedModule | undefined>;
const moduleCache = (Module as unknown as { _cache: RequireCache })._cache;
/** CommonJS files the handler graphs loaded (outside node_modules), dropped before each load. */
const ownCjsFiles = new Set<string>();

function isOwnFile(file: string): boolean {
  return !/[\\/]node_modules[\\/]/.test(file);
}

function drop(file: string): void {
  const old = moduleCache[file];
  // Unlink the old module from its parent too, or every reload would stay reachable from it.
  const siblings = old?.parent?.children;
  const at = siblings ? siblings.indexOf(old) : -1;
  if (siblings && at >= 0) siblings.splice(at, 1);
  delete moduleCache[file];
}

/** Drop a cached module and every own module it required, recursively. */
function dropTree(file: string, seen = new Set<string>()): void {
  if (seen.has(file) || !isOwnFile(file)) return;
  seen.add(file);
  const mod = moduleCache[file];
  for (const child of mod?.children ?? []) {
    if (child.filename && moduleCache[child.filename] === child) dropTree(child.filename, seen);
  }
  drop(file);
}

/** The cache entry (present before the load) whose exports the loader returned, if any. */
function cachedEntryOf(value: unknown, before: ReadonlySet<string>): string | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  for (const file of before) {
    if (moduleCache[file]?.exports === value && isOwnFile(file)) return file;
  }
  return undefined;
}

/**
 * The default isolation outside a test runner. CommonJS: every file a previous load added to
 * `require.cache` (outside node_modules) is dropped first, so `require` re-evaluates the whole
 * graph; if the loader still returns a cached module (someone else required it first), that
 * module and the own modules it required are dropped and the loader runs once more. ES modules cannot be unloaded from Node's module map: a loader like
 * `() => import('./handler.mjs')` returns the same module again, which `createFunction` detects and
 * reports (use a runner isolation, or isolated mode under src/lifecycle/isolated for real cold starts).
 *
 * @example
 * const fn = createFunction({ handler: () => require('./handler.cjs'), isolation: nodeModuleIsolation });
 */
export const nodeModuleIsolation: ModuleIsolation = Object.freeze({
  name: 'node',
  async load(loader: () => unknown): Promise<unknown> {
    for (const file of ownCjsFiles) drop(file);
    ownCjsFiles.clear();
    const before = new Set(Object.keys(moduleCache));
    try {
      const value = await loader();
      // Loaded before by someone else (the test file, say): drop that graph and load it again.
      const entry = cachedEntryOf(value, before);
      if (entry === undefined) return value;
      dropTree(entry);
      for (const file of [...before]) if (!(file in moduleCache)) before.delete(file);
      return await loader();
    } finally {
      for (const file of Object.keys(moduleCache)) {
        if (!before.has(file) && isOwnFile(file)) ownCjsFiles.add(file);
      }
    }
  },
});
