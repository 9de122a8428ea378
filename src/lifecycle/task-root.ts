/**
 * Handler strings from a task root, resolved as the Node.js runtime client resolves `_HANDLER`:
 * `src/orders.handler` in `/var/task` loads `/var/task/src/orders` trying, in order, the file
 * without extension, `.js` (CommonJS unless the nearest package.json says `"type": "module"`),
 * `.mjs`, `.cjs`, then Node's own resolution (a package or folder). What cannot be found fails as
 * the runtime fails: an Error with code MODULE_NOT_FOUND, which the init step reports as
 * `Runtime.ImportModuleError: Error: Cannot find module '<name>'`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HarnessError } from '../errors/index.js';
import { parseHandlerName } from '../runtime/handler-name.js';
import { esmFileLoader } from './esm-file.js';

/**
 * Loads one module file (absolute path). Pass `(file) => import(file)` from a test file so the
 * test runner's module system loads the handler (its transforms, TypeScript and `vi.mock`/`jest.mock`
 * apply); the default is this library's own dynamic `import()`.
 *
 * @example
 * const importModule: ModuleImporter = (file) => import(file);
 */
export type ModuleImporter = (file: string) => unknown;

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();

function packageTypeIsModule(file: string): boolean {
  let dir = path.dirname(file);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        return (JSON.parse(readFileSync(pj, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}

/**
 * The folders layers put on the module path, in Lambda's NODE_PATH order
 * (`/opt/nodejs/node<major>/node_modules`, then `/opt/nodejs/node_modules`). Layers are extracted
 * into `/opt` in order, a later layer's files replacing an earlier one's, so later layers come first.
 *
 * @example
 * layerModulePaths(['/repo/layers/shared'], 22); // ['/repo/layers/shared/nodejs/node_modules'] when only that exists
 */
export function layerModulePaths(layers: readonly string[], nodeMajor: number): string[] {
  const out: string[] = [];
  for (const sub of [`nodejs/node${nodeMajor}/node_modules`, 'nodejs/node_modules']) {
    for (const layer of [...layers].reverse()) {
      const dir = path.join(layer, sub);
      if (existsSync(dir) && !out.includes(dir)) out.push(dir);
    }
  }
  return out;
}

/**
 * Appends folders to CommonJS's global module path, as NODE_PATH does: `require` looks there after
 * the `node_modules` folders above the requiring file (so the function's own packages win). ES
 * module `import` ignores NODE_PATH, on Lambda as here.
 */
function mountOnModulePath(dirs: readonly string[]): void {
  const M = Module as unknown as { _initPaths?: () => void };
  const g = globalThis as unknown as Record<symbol, string[] | undefined>;
  g[MOUNTED_KEY] ??= [];
  const mounted = g[MOUNTED_KEY];
  const missing = dirs.filter((d) => !mounted.includes(d));
  if (missing.length === 0 || typeof M._initPaths !== 'function') return;
  mounted.push(...missing);
  // Node reads NODE_PATH only when it builds its global paths: set it, rebuild, restore the variable.
  const saved = process.env.NODE_PATH;
  process.env.NODE_PATH = [...(saved ? saved.split(path.delimiter) : []), ...mounted].join(path.delimiter);
  try {
    M._initPaths();
  } finally {
    if (saved === undefined) delete process.env.NODE_PATH;
    else process.env.NODE_PATH = saved;
  }
}

const MOUNTED_KEY = Symbol.for('lambda-harness.layerModulePaths');

/** TypeScript sources stand in for built output when a build step would produce it. */
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];

/**
 * The file a handler string names under a task root, in the runtime client's order, or
 * undefined. With `typescript: true`, a `.ts`/`.mts`/`.cts` file of the same name is accepted when
 * no JavaScript file exists (a template whose build step bundles TypeScript, see docs/templates.md).
 *
 * @example
 * resolveHandlerFile('/repo', 'src/orders.handler'); // '/repo/src/orders.js'
 */
export function resolveHandlerFile(
  taskRoot: string,
  handler: string,
  typescript = false,
): string | undefined {
  const parsed = parseHandlerName(handler);
  if (!parsed.ok) return undefined;
  const base = path.resolve(taskRoot, parsed.moduleDir, parsed.moduleName);
  for (const ext of ['', '.js', '.mjs', '.cjs', ...(typescript ? TS_EXTENSIONS : [])]) {
    if (isFile(base + ext)) return base + ext;
  }
  try {
    return createRequire(path.join(taskRoot, 'noop.js')).resolve(parsed.moduleName, {
      paths: [taskRoot, path.resolve(taskRoot, parsed.moduleDir)],
    });
  } catch {
    return undefined;
  }
}

/**
 * A loader for `createFunction` that loads the module a handler string names under a task root.
 * A malformed name loads nothing (the init step reports `Runtime.MalformedHandlerName`); a missing
 * module rejects with the runtime's MODULE_NOT_FOUND error; a missing export is reported by the
 * init step as `Runtime.HandlerNotFound`.
 *
 * @example
 * const loader = taskRootLoader('/repo', 'src/orders.handler', { importModule: (f) => import(f) });
 * createFunction({ handler: loader, handlerName: 'src/orders.handler' });
 */
export function taskRootLoader(
  taskRoot: string,
  handler: string,
  options: {
    readonly importModule?: ModuleImporter | undefined;
    readonly typescript?: boolean;
    /** The source file to load instead (a bundler's entry point standing for the built module). */
    readonly entry?: string | undefined;
    /** Layer folders (each holding `nodejs/node_modules`), in the function's order. */
    readonly layers?: readonly string[] | undefined;
    /** The runtime's Node.js major version (for `nodejs/node<major>/node_modules`); default 24. */
    readonly nodeMajor?: number | undefined;
  } = {},
): () => unknown {
  if (!path.isAbsolute(taskRoot)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `createFunction options.taskRoot: expected an absolute path, received ${JSON.stringify(taskRoot)}`,
      {
        path: 'taskRoot',
        hint: "Resolve it against your test file: fileURLToPath(new URL('../', import.meta.url)).",
      },
    );
  }
  if (!existsSync(taskRoot) || !statSync(taskRoot).isDirectory()) {
    throw new HarnessError('INVALID_OPTIONS', `createFunction options.taskRoot: no such folder ${taskRoot}`, {
      path: 'taskRoot',
    });
  }
  // Without a runner importer, ES modules load through Node with a fresh URL per cold start
  // (esmFileLoader); TypeScript needs a runner, so it goes to the runner's import().
  const esmLoaders = new Map<string, () => unknown>();
  const importModule =
    options.importModule ??
    ((file: string) => {
      if (TS_EXTENSIONS.some((ext) => file.endsWith(ext))) return import(pathToFileURL(file).href);
      let load = esmLoaders.get(file);
      if (!load) {
        load = esmFileLoader(file);
        esmLoaders.set(file, load);
      }
      return load();
    });
  // Mounted now, not at load: Node reads NODE_PATH from the real environment, and during init
  // process.env is the function's own view.
  const layerPaths = layerModulePaths(options.layers ?? [], options.nodeMajor ?? 24);
  if (layerPaths.length > 0) mountOnModulePath(layerPaths);
  return () => {
    const parsed = parseHandlerName(handler);
    // The init step turns the malformed name into the runtime's error; nothing to load.
    if (!parsed.ok) return {};
    const file = options.entry ?? resolveHandlerFile(taskRoot, handler, options.typescript ?? false);
    if (file === undefined) {
      const error = new Error(
        `Cannot find module '${parsed.moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`,
      );
      (error as { code?: string }).code = 'MODULE_NOT_FOUND';
      throw error;
    }
    // CommonJS is required by the runtime; a runner-provided importer handles both.
    if (
      !options.importModule &&
      (file.endsWith('.cjs') || (file.endsWith('.js') && !packageTypeIsModule(file)))
    ) {
      return createRequire(file)(file);
    }
    return importModule(file);
  };
}
