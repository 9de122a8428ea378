/**
 * Plain-Node cold starts for ES modules given as a file: Node never unloads an ES module, so each
 * cold start imports the entry under a new URL (`?lambda-harness-instance=N`), and a resolve hook
 * gives every relative (non-node_modules) import of that graph the same query, so the entry and
 * all of its own modules are evaluated again.
 */
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { HarnessError } from '../errors/index.js';

const QUERY_KEY = 'lambda-harness-instance';

// Runs in Node's loader-hooks thread: stateless, it only copies the query from parent to child.
const RESOLVE_HOOK = `
const KEY = ${JSON.stringify(QUERY_KEY)};
export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const parent = context.parentURL;
  if (!parent || !result.url.startsWith('file:') || result.url.includes('/node_modules/')) return result;
  const generation = new URL(parent).searchParams.get(KEY);
  if (generation === null) return result;
  const url = new URL(result.url);
  if (url.searchParams.has(KEY)) return result;
  url.searchParams.set(KEY, generation);
  return { ...result, url: url.href };
}
`;

const HOOK_KEY = Symbol.for('lambda-harness.esmResolveHook');
let generation = 0;

function ensureHook(): void {
  const g = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (g[HOOK_KEY]) return;
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
  g[HOOK_KEY] = true;
}

type Importer = (specifier: string) => Promise<unknown>;
let importer: Importer | undefined;

/**
 * A native dynamic import, out of reach of bundlers and test-runner transforms, so the file is
 * loaded by Node itself (the query-string scheme is Node's module map, not the runner's). Code a
 * runner evaluated in a vm script has no import callback: then a script compiled with Node's
 * default loader is used instead.
 */
async function nativeImport(specifier: string): Promise<unknown> {
  if (importer) return importer(specifier);
  const viaFunction = new Function('specifier', 'return import(specifier)') as Importer;
  try {
    const loaded = await viaFunction(specifier);
    importer = viaFunction;
    return loaded;
  } catch (err) {
    const defaultLoader = (
      vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } | undefined
    )?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    if ((err as { code?: unknown })?.code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING' || !defaultLoader)
      throw err;
    importer = new vm.Script('(specifier) => import(specifier)', {
      importModuleDynamically: defaultLoader as never,
    }).runInThisContext() as Importer;
    return importer(specifier);
  }
}

/**
 * A loader for an ES module file that evaluates the file and its own imports afresh on every call.
 * Each call leaves one more copy of the graph in Node's module map (ES modules cannot be
 * unloaded): fine for a test's handful of cold starts, not for thousands.
 *
 * @example
 * const load = esmFileLoader(new URL('./handler.mjs', import.meta.url));
 * const first = await load();  // evaluates handler.mjs and its relative imports
 * const second = await load(); // evaluates them again: new module objects
 */
export function esmFileLoader(
  file: string | URL,
  where = 'createFunction options.handler',
): () => Promise<unknown> {
  let url: URL;
  if (file instanceof URL) url = file;
  else if (file.startsWith('file:')) url = new URL(file);
  else if (path.isAbsolute(file)) url = pathToFileURL(file);
  else {
    throw new HarnessError(
      'INVALID_HANDLER',
      `${where}: expected an absolute path or a file: URL, received ${JSON.stringify(file)}`,
      {
        path: 'handler',
        hint: "Resolve it against your test file: new URL('./handler.mjs', import.meta.url).",
      },
    );
  }
  if (url.protocol !== 'file:') {
    throw new HarnessError('INVALID_HANDLER', `${where}: expected a file: URL, received ${url.href}`, {
      path: 'handler',
    });
  }
  if (!existsSync(fileURLToPath(url))) {
    throw new HarnessError('INVALID_HANDLER', `${where}: no such file ${fileURLToPath(url)}`, {
      path: 'handler',
    });
  }
  const base = url;
  return () => {
    ensureHook();
    const next = new URL(base.href);
    next.searchParams.set(QUERY_KEY, String(++generation));
    return nativeImport(next.href);
  };
}
