/**
 * Per-environment /tmp: one real temporary directory per function instance, exposed to the
 * handler through `TMPDIR` (the engine's env layer) and `os.tmpdir()` (patched here, because
 * Node's `os.tmpdir()` reads the process environment natively, not `process.env`).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { invocationScope } from '../runtime/scope.js';

const realTmpdir: () => string = os.tmpdir.bind(os);

/** Resolvers from every copy of the harness in this process (ESM and CommonJS builds). */
const RESOLVERS_KEY = Symbol.for('lambda-harness.tmpdirResolvers');
const PATCHED_KEY = Symbol.for('lambda-harness.tmpdirPatched');

type Resolver = () => string | undefined;

function resolvers(): Set<Resolver> {
  const g = globalThis as unknown as Record<symbol, Set<Resolver> | undefined>;
  let set = g[RESOLVERS_KEY];
  if (!set) {
    set = new Set();
    g[RESOLVERS_KEY] = set;
  }
  return set;
}

/** TMPDIR of the invocation (or init) running now, if it runs inside a harness scope. */
const scopeTmpdir: Resolver = () => {
  const env = invocationScope.getStore()?.env;
  if (!env || env.deleted.has('TMPDIR')) return undefined;
  const v = env.values.TMPDIR;
  return v === undefined || v === '' ? undefined : v;
};

/**
 * Make `os.tmpdir()` return the current instance's directory while a handler runs. Outside a
 * harness scope it is the real `os.tmpdir()`. Installed once per process, on first use.
 *
 * @example
 * installTmpdirPatch();
 * os.tmpdir(); // the real temp dir here; the instance's dir inside a handler
 */
export function installTmpdirPatch(): void {
  resolvers().add(scopeTmpdir);
  const target = os as unknown as Record<symbol, unknown> & { tmpdir: () => string };
  if (target[PATCHED_KEY]) return;
  const original = target.tmpdir;
  const all = resolvers();
  const patched = function tmpdir(): string {
    for (const r of all) {
      const dir = r();
      if (dir !== undefined) return dir.length > 1 && dir.endsWith(path.sep) ? dir.slice(0, -1) : dir;
    }
    return original.call(os);
  };
  target.tmpdir = patched;
  target[PATCHED_KEY] = true;
  // Propagate to `import { tmpdir } from 'node:os'` in ES modules.
  syncBuiltinESMExports();
}

const liveDirs = new Set<string>();
let exitHookInstalled = false;
let privateRoot: string | undefined;
let swept = false;

/** `lambda-harness-<pid>-<6 random characters>`: a root names the process that made it. */
const ROOT_PREFIX = 'lambda-harness-';
const ROOT_NAME = /^lambda-harness-(\d+)-[A-Za-z0-9]{6}$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the roots of harness processes that died without cleaning up (killed by a signal, a
 * terminated test worker): nothing runs at such an exit, so the next harness process does it.
 * Only roots named after a process that no longer exists are touched.
 */
function sweepDeadRoots(base: string): void {
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(ROOT_NAME.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    try {
      rmSync(path.join(base, name), { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // Not ours to remove (another user's), or in use: leave it.
    }
  }
}

/**
 * The process's root of environment directories: traversable but not listable (mode 0711), so a
 * process without root privileges cannot find the environments' unguessable names in it. It
 * exists only while an instance directory does: the last removal removes it.
 */
function root(): string {
  if (privateRoot === undefined || !existsSync(privateRoot)) {
    const base = realTmpdir();
    if (!swept) {
      swept = true;
      sweepDeadRoots(base);
    }
    privateRoot = mkdtempSync(path.join(base, `${ROOT_PREFIX}${process.pid}-`));
    chmodSync(privateRoot, 0o711);
  }
  return privateRoot;
}

function removeRoot(): void {
  if (privateRoot === undefined) return;
  try {
    rmSync(privateRoot, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // A handler may have left a read-only file behind; the next harness process sweeps it.
  }
  privateRoot = undefined;
}

/**
 * Create an instance's temporary directory: `<root>/<functionName>-<128 random bits>/tmp`. The
 * parent folder of an environment's /tmp (`dirname(os.tmpdir())`) holds that /tmp only, and the
 * sibling environments sit under unguessable names in a folder only root can list. Removed by
 * removeInstanceTmpDir (the function's dispose or recycling) or, at the latest, when the process
 * exits; a process killed by a signal leaves its root to the next harness process's sweep.
 *
 * @example
 * const dir = createInstanceTmpDir('orders'); // /tmp/lambda-harness-4242-AbC123/orders-5f0c…/tmp
 */
export function createInstanceTmpDir(functionName: string): string {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const dir of liveDirs) removeInstanceTmpDir(dir);
      removeRoot();
    });
  }
  const name = functionName.slice(0, 40).replace(/[^\w.-]/g, '_');
  const wrapper = path.join(root(), `${name}-${randomBytes(16).toString('hex')}`);
  mkdirSync(wrapper, { mode: 0o700 });
  const dir = path.join(wrapper, 'tmp');
  mkdirSync(dir, { mode: 0o700 });
  liveDirs.add(dir);
  return dir;
}

/**
 * Remove an instance's temporary directory and everything in it (best effort).
 *
 * @example
 * removeInstanceTmpDir(dir);
 */
export function removeInstanceTmpDir(dir: string): void {
  liveDirs.delete(dir);
  // The private wrapper goes with it; a directory made elsewhere is removed alone.
  const target =
    privateRoot !== undefined && path.dirname(path.dirname(dir)) === privateRoot ? path.dirname(dir) : dir;
  try {
    rmSync(target, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // A handler may have left a read-only file behind; the root's removal or the next sweep gets it.
  }
  // Nothing of this process is left in the user's temp dir once its last instance is gone.
  if (liveDirs.size === 0) removeRoot();
}
