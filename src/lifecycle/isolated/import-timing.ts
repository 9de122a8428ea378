/**
 * Child-side attribution of init time to imported modules (only in the isolated child process).
 *
 * - Load: the same hooks time each module's resolve and load steps (reading the file, and
 *   transpiling it when tsx is in the chain) and post the times back over a MessagePort.
 * - ES modules: an ESM loader hook (module.register, running in Node's hooks thread) wraps each
 *   module's source with two marks: one before its first statement and one after its last. ES
 *   modules evaluate after their dependencies, so the time between the marks is the module's own
 *   top-level code (its "self time"), top-level await included.
 * - CommonJS: a wrapper around Module._load times each first load of a file; nested loads are
 *   subtracted so each file gets its self time.
 *
 * Self times are then summed per package (`node_modules/<name>`), or per file for the function's
 * own code, to name the slowest imports.
 */
import Module from 'node:module';
import { performance } from 'node:perf_hooks';
import { setImmediate as realSetImmediate } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * One entry of the slowest-imports list.
 *
 * @example
 * const entry: ImportTiming = { name: '@aws-sdk/client-dynamodb', selfMs: 84.2, modules: 212 };
 */
export interface ImportTiming {
  /** A package name (`zod`, `@aws-sdk/client-s3`) or a file relative to the handler's directory. */
  readonly name: string;
  /** `loadMs + evalMs`, in ms (two decimals); the list is sorted by it. */
  readonly selfMs: number;
  /** Time in resolve and load (reading, and transpiling for TypeScript) of its ES modules; CommonJS is counted in evalMs. */
  readonly loadMs: number;
  /** Top-level code time of its modules (for CommonJS: load, compile and run). */
  readonly evalMs: number;
  /** How many of its modules were loaded. */
  readonly modules: number;
}

const MARK = '__lambdaHarnessImportMark';

// Runs in Node's loader-hooks thread: plain JavaScript, no imports of ours.
const HOOKS_SOURCE = `
import { performance } from 'node:perf_hooks';
const MARK = ${JSON.stringify(MARK)};
let port;
export function initialize(data) { port = data && data.port; }
export async function resolve(specifier, context, nextResolve) {
  const t0 = performance.now();
  const r = await nextResolve(specifier, context);
  if (port && r && typeof r.url === 'string') port.postMessage([r.url, t0, performance.now()]);
  return r;
}
export async function load(url, context, nextLoad) {
  const t0 = performance.now();
  const r = await nextLoad(url, context);
  if (port) port.postMessage([url, t0, performance.now()]);
  if (r.format !== 'module' || r.source == null || !url.startsWith('file:')) return r;
  let src = typeof r.source === 'string' ? r.source : new TextDecoder().decode(r.source);
  let head = '';
  if (src.startsWith('#!')) {
    const nl = src.indexOf('\\n');
    head = nl === -1 ? src + '\\n' : src.slice(0, nl + 1);
    src = nl === -1 ? '' : src.slice(nl + 1);
  }
  const u = JSON.stringify(url);
  return { ...r, source: head + 'globalThis[' + JSON.stringify(MARK) + ']?.(' + u + ',0);' + src + '\\n;globalThis[' + JSON.stringify(MARK) + ']?.(' + u + ',1);\\n' };
}
`;

interface Recorder {
  readonly esm: Map<string, { start: number; end: number | undefined }>;
  readonly cjs: Map<string, number>;
  /** Resolve/load intervals per URL, on the hooks thread's clock. */
  readonly load: Map<string, [number, number][]>;
  readonly port: MessagePort | undefined;
}

let recorder: Recorder | undefined;

/**
 * Starts recording module evaluation times in this process. Call before loading the handler.
 *
 * @example
 * startImportTiming();
 * await import(handlerUrl);
 * const slowest = stopImportTiming(handlerDir, 10);
 */
export function startImportTiming(): void {
  if (recorder) return;
  const register = (Module as unknown as { register?: (url: string, options?: unknown) => void }).register;
  const channel = typeof register === 'function' ? new MessageChannel() : undefined;
  const rec: Recorder = { esm: new Map(), cjs: new Map(), load: new Map(), port: channel?.port1 };
  recorder = rec;
  if (channel) {
    channel.port1.on('message', ([url, start, end]: [string, number, number]) => {
      const list = rec.load.get(url);
      if (list) list.push([start, end]);
      else rec.load.set(url, [[start, end]]);
    });
    channel.port1.unref();
  }
  const now = performance.now.bind(performance);
  (globalThis as Record<string, unknown>)[MARK] = (url: string, kind: 0 | 1) => {
    if (kind === 0) rec.esm.set(url, { start: now(), end: undefined });
    else {
      const entry = rec.esm.get(url);
      if (entry) entry.end = now();
    }
  };
  if (typeof register === 'function' && channel) {
    register(`data:text/javascript,${encodeURIComponent(HOOKS_SOURCE)}`, {
      data: { port: channel.port2 },
      transferList: [channel.port2],
    });
  }
  const mod = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
    _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string;
    _cache: Record<string, unknown>;
  };
  const originalLoad = mod._load;
  const stack: number[] = [];
  mod._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    if (recorder !== rec || Module.isBuiltin(request))
      return originalLoad.call(this, request, parent, isMain);
    let filename: string | undefined;
    try {
      filename = mod._resolveFilename(request, parent, isMain);
    } catch {
      filename = undefined;
    }
    if (filename === undefined || mod._cache[filename] !== undefined || rec.cjs.has(filename)) {
      return originalLoad.call(this, request, parent, isMain);
    }
    const start = now();
    stack.push(0);
    try {
      return originalLoad.call(this, request, parent, isMain);
    } finally {
      const children = stack.pop() ?? 0;
      const total = now() - start;
      rec.cjs.set(filename, Math.max(0, total - children));
      if (stack.length > 0) stack[stack.length - 1] = (stack[stack.length - 1] ?? 0) + total;
    }
  };
}

function unionLength(spans: [number, number][]): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = Number.NEGATIVE_INFINITY;
  let curEnd = Number.NEGATIVE_INFINITY;
  for (const [start, end] of sorted) {
    if (start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = start;
      curEnd = end;
    } else if (end > curEnd) curEnd = end;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

function groupName(file: string, rootDir: string): string {
  const norm = file.replace(/\\/g, '/');
  const idx = norm.lastIndexOf('/node_modules/');
  if (idx !== -1) {
    const rest = norm.slice(idx + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? norm);
  }
  const root = rootDir.replace(/\\/g, '/').replace(/\/?$/, '/');
  return norm.startsWith(root) ? norm.slice(root.length) : norm;
}

/**
 * Stops recording and returns the slowest imports, grouped by package (own files by path
 * relative to `rootDir`), slowest first.
 *
 * @example
 * stopImportTiming('/app/src', 5); // [{ name: 'zod', selfMs: 12.3, modules: 40 }, ...]
 */
export async function stopImportTiming(rootDir: string, limit: number): Promise<ImportTiming[]> {
  const rec = recorder;
  recorder = undefined;
  if (!rec) return [];
  // Let the hooks thread's last messages arrive.
  for (let i = 0; i < 3; i += 1) await new Promise((r) => realSetImmediate(r));
  rec.port?.close();
  const groups = new Map<
    string,
    { loadMs: number; evalMs: number; modules: number; spans: [number, number][] }
  >();
  const toFile = (url: string) => {
    try {
      return url.startsWith('file:') ? fileURLToPath(url) : url;
    } catch {
      return url;
    }
  };
  const group = (file: string) => {
    const name = groupName(file, rootDir);
    let g = groups.get(name);
    if (!g) {
      g = { loadMs: 0, evalMs: 0, modules: 0, spans: [] };
      groups.set(name, g);
    }
    return g;
  };
  for (const [url, { start, end }] of rec.esm) {
    const g = group(toFile(url));
    g.modules += 1;
    if (end !== undefined) g.evalMs += end - start;
  }
  for (const [url, spans] of rec.load) {
    if (!url.startsWith('file:')) continue;
    const file = toFile(url);
    if (!rec.esm.has(url) && rec.cjs.has(file)) continue; // CommonJS: already in its Module._load time
    group(file).spans.push(...spans);
  }
  // Node loads modules concurrently: a package's load time is the union of its modules' intervals.
  for (const g of groups.values()) g.loadMs = unionLength(g.spans);
  for (const [file, ms] of rec.cjs) {
    const g = group(file);
    g.modules += 1;
    g.evalMs += ms;
  }
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return [...groups.entries()]
    .map(([name, g]) => ({
      name,
      selfMs: r2(g.loadMs + g.evalMs),
      loadMs: r2(g.loadMs),
      evalMs: r2(g.evalMs),
      modules: g.modules,
    }))
    .filter((g) => g.modules > 0)
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, limit);
}
