/**
 * Snapshots of the process-wide state a handler can replace or mutate in the runner's realm: the
 * own properties of the global object and of the built-ins and Node objects that code commonly
 * patches (console methods, JSON, Promise, Date, the timers, fetch, process.* ...), the working
 * directory, `process.exitCode` and the process's event listeners. A snapshot is taken when the
 * first init phase or invocation begins; what changed is read as a {@link GlobalsDelta} (kept per
 * environment, so a warm invocation finds its globals again) and the snapshot is put back.
 */
import { Reflect } from './intrinsics.js';

type Table = Map<PropertyKey, PropertyDescriptor>;
type Listener = (...args: unknown[]) => void;

/**
 * The state captured at a boundary.
 *
 * @example
 * const snap = takeSnapshot(); // ...user code runs...
 * restoreSnapshot(snap, diffSnapshot(snap));
 */
export interface GlobalsSnapshot {
  readonly objects: readonly object[];
  /** Per object, the keys tracked (undefined: all own keys). */
  readonly keys: readonly (readonly PropertyKey[] | undefined)[];
  readonly tables: readonly Table[];
  /** Per object, its keys and descriptors in own-key order, for {@link matchesSnapshot}. */
  readonly rows: readonly Row[];
  readonly cwd: string | undefined;
  readonly exitCode: unknown;
  readonly listeners: ReadonlyMap<string | symbol, readonly Listener[]>;
}

/**
 * One tracked object as captured: its keys in `Reflect.ownKeys` order (harness-owned ones left
 * out) and their descriptors, and which of them can still change (a non-configurable,
 * non-writable data property never can: it is skipped by the check).
 */
interface Row {
  readonly target: object;
  readonly all: boolean;
  readonly keys: readonly PropertyKey[];
  readonly descs: readonly (PropertyDescriptor | undefined)[];
  readonly mutable: readonly boolean[];
}

/**
 * What user code changed since a snapshot: property changes (`now` undefined: deleted), the
 * working directory, `process.exitCode` and the listeners it added or removed.
 *
 * @example
 * const delta = diffSnapshot(snap);
 * delta.props.length; // properties replaced, added or deleted
 */
export interface GlobalsDelta {
  readonly props: readonly PropChange[];
  readonly cwd: string | undefined;
  readonly exitCode: { readonly was: unknown; readonly now: unknown } | undefined;
  readonly addedListeners: readonly (readonly [string | symbol, Listener])[];
  readonly removedListeners: readonly (readonly [string | symbol, Listener])[];
}

/**
 * One property that differs from its snapshot.
 *
 * @example
 * const change: PropChange = { target: globalThis, key: 'fetch', was: undefined, now: undefined };
 */
export interface PropChange {
  readonly target: object;
  readonly key: PropertyKey;
  readonly was: PropertyDescriptor | undefined;
  readonly now: PropertyDescriptor | undefined;
}

const realCwd: () => string = process.cwd.bind(process);
const realChdir: ((dir: string) => void) | undefined =
  typeof process.chdir === 'function' ? process.chdir.bind(process) : undefined;

/**
 * The objects whose own properties are tracked, read from the globals as they are now, with the
 * keys tracked (undefined: every own key). Kept to what code commonly replaces, since every
 * boundary reads these (prototypes are not tracked: docs/containment.md).
 */
function trackedObjects(): { objects: object[]; keys: (readonly PropertyKey[] | undefined)[] } {
  const g = globalThis as unknown as Record<string, Record<string, unknown> | undefined>;
  const proc = g.process as unknown as NodeJS.Process | undefined;
  const candidates: [unknown, readonly PropertyKey[] | undefined][] = [
    [g, undefined],
    [g.console, undefined],
    [g.JSON, undefined],
    [g.Math, undefined],
    [g.Promise, undefined],
    [g.Date, undefined],
    [g.performance, undefined],
    [proc, undefined],
    [g.Error, ERROR_KEYS],
    [proc?.stdout, WRITE_KEYS],
    [proc?.stderr, WRITE_KEYS],
  ];
  const objects: object[] = [];
  const keys: (readonly PropertyKey[] | undefined)[] = [];
  for (const [c, k] of candidates) {
    if ((typeof c === 'object' || typeof c === 'function') && c !== null && !objects.includes(c)) {
      objects.push(c);
      keys.push(k);
    }
  }
  return { objects, keys };
}

// Globals the harness itself installs and removes around invocations (src/invoke/awslambda-global.ts).
const HARNESS_OWNED = new Set<PropertyKey>(['awslambda']);
const ERROR_KEYS: readonly PropertyKey[] = ['prepareStackTrace', 'stackTraceLimit', 'captureStackTrace'];
const WRITE_KEYS: readonly PropertyKey[] = ['write'];

function tableOf(target: object, only: readonly PropertyKey[] | undefined): Table {
  const table: Table = new Map();
  for (const key of only ?? Reflect.ownKeys(target)) {
    if (target === globalThis && HARNESS_OWNED.has(key)) continue;
    const d = Reflect.getOwnPropertyDescriptor(target, key);
    if (d) table.set(key, d);
  }
  return table;
}

function listenerTable(): Map<string | symbol, Listener[]> {
  const m = new Map<string | symbol, Listener[]>();
  // EventEmitter's own store (a function or an array per event) is read without rawListeners'
  // per-event copies; the public API is the fallback.
  const events = (process as unknown as { _events?: Record<string | symbol, unknown> })._events;
  if (events && typeof events === 'object') {
    for (const e of Reflect.ownKeys(events)) {
      const v = events[e];
      if (typeof v === 'function') m.set(e, [v as Listener]);
      else if (Array.isArray(v)) m.set(e, v.slice() as Listener[]);
    }
    return m;
  }
  for (const e of process.eventNames()) m.set(e, process.rawListeners(e) as Listener[]);
  return m;
}

function cwdNow(): string | undefined {
  try {
    return realCwd();
  } catch {
    return undefined; // the directory was removed
  }
}

/**
 * Capture the tracked state as it is now.
 *
 * @example
 * const snap = takeSnapshot();
 */
export function takeSnapshot(): GlobalsSnapshot {
  const { objects, keys } = trackedObjects();
  const tables = objects.map((o, i) => tableOf(o, keys[i]));
  return {
    objects,
    keys,
    tables,
    rows: objects.map((o, i) => rowOf(o, keys[i], tables[i] as Table)),
    cwd: cwdNow(),
    exitCode: process.exitCode,
    listeners: listenerTable(),
  };
}

function rowOf(target: object, only: readonly PropertyKey[] | undefined, table: Table): Row {
  const rowKeys = only ?? [...table.keys()];
  const descs = rowKeys.map((k) => table.get(k));
  return {
    target,
    all: only === undefined,
    keys: rowKeys,
    descs,
    mutable: descs.map(
      (d) => d === undefined || d.configurable === true || d.writable !== false || 'get' in d,
    ),
  };
}

/**
 * Whether the tracked state is still exactly what `snap` captured: the same own keys in the same
 * order, every descriptor the same (value by identity, accessors, attributes), the same working
 * directory, exit code and process listeners. This is the check every boundary runs; it reads
 * the tracked objects once and allocates only what `Reflect.ownKeys` and
 * `getOwnPropertyDescriptor` return. A full {@link diffSnapshot} follows only when it fails.
 *
 * @example
 * if (!matchesSnapshot(snap)) snap = takeSnapshot();
 */
export function matchesSnapshot(snap: GlobalsSnapshot): boolean {
  const rows = snap.rows;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Row;
    const target = row.target;
    const keys = row.keys;
    const descs = row.descs;
    const mutable = row.mutable;
    if (row.all) {
      const now = Reflect.ownKeys(target);
      let j = 0;
      for (let i = 0; i < keys.length; i++, j++) {
        if (now[j] === keys[i]) continue;
        // The one key the harness itself adds (awslambda) may sit anywhere: step over it.
        const key = now[j];
        if (target !== globalThis || key === undefined || !HARNESS_OWNED.has(key) || now[++j] !== keys[i])
          return false;
      }
      if (j < now.length) {
        const rest = now[j];
        if (j + 1 < now.length || target !== globalThis || rest === undefined || !HARNESS_OWNED.has(rest))
          return false;
      }
    }
    for (let i = 0; i < keys.length; i++) {
      if (!mutable[i]) continue;
      const was = descs[i];
      const now = Reflect.getOwnPropertyDescriptor(target, keys[i] as PropertyKey);
      if (now === undefined ? was !== undefined : was === undefined || !sameDescriptor(was, now))
        return false;
    }
  }
  if (!Object.is(process.exitCode, snap.exitCode)) return false;
  if (cwdNow() !== snap.cwd) return false;
  return listenersMatch(snap.listeners);
}

/** The process's listeners are exactly `was` (read from EventEmitter's store without copies). */
function listenersMatch(was: ReadonlyMap<string | symbol, readonly Listener[]>): boolean {
  const events = (process as unknown as { _events?: Record<string | symbol, unknown> })._events;
  if (!events || typeof events !== 'object') {
    const now = listenerTable();
    if (now.size !== was.size) return false;
    for (const [e, list] of now) if (!sameList(list, was.get(e))) return false;
    return true;
  }
  const names = Reflect.ownKeys(events);
  let count = 0;
  for (let i = 0; i < names.length; i++) {
    const e = names[i] as string | symbol;
    const v = events[e];
    const before = was.get(e);
    if (typeof v === 'function') {
      if (before?.length !== 1 || before[0] !== v) return false;
    } else if (Array.isArray(v)) {
      if (!sameList(v as Listener[], before)) return false;
    } else continue;
    count++;
  }
  return count === was.size;
}

function sameList(a: readonly Listener[], b: readonly Listener[] | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return (
    Object.is(a.value, b.value) &&
    a.get === b.get &&
    a.set === b.set &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable &&
    a.configurable === b.configurable
  );
}

/**
 * What changed since `snap`.
 *
 * @example
 * const delta = diffSnapshot(snap);
 */
export function diffSnapshot(snap: GlobalsSnapshot): GlobalsDelta {
  if (matchesSnapshot(snap)) return NO_CHANGE;
  const props: PropChange[] = [];
  for (let i = 0; i < snap.objects.length; i++) {
    const target = snap.objects[i] as object;
    const table = snap.tables[i] as Table;
    const only = snap.keys[i];
    if (only) {
      for (const key of only) {
        const now = Reflect.getOwnPropertyDescriptor(target, key);
        const was = table.get(key);
        if (now === undefined ? was !== undefined : was === undefined || !sameDescriptor(was, now))
          props.push({ target, key, was, now });
      }
      continue;
    }
    const keys = Reflect.ownKeys(target);
    let added = 0;
    let skipped = 0;
    for (const key of keys) {
      if (target === globalThis && HARNESS_OWNED.has(key)) {
        skipped++;
        continue;
      }
      const now = Reflect.getOwnPropertyDescriptor(target, key);
      const was = table.get(key);
      if (!was) added++;
      if (!was || (now && !sameDescriptor(was, now))) props.push({ target, key, was, now });
    }
    // Without additions, as many keys as before means none was deleted.
    if (keys.length - added - skipped !== table.size) {
      for (const [key, was] of table) {
        if (!Reflect.getOwnPropertyDescriptor(target, key)) props.push({ target, key, was, now: undefined });
      }
    }
  }
  const cwd = cwdNow();
  const exitCode = process.exitCode;
  const added: [string | symbol, Listener][] = [];
  const removed: [string | symbol, Listener][] = [];
  const current = listenerTable();
  for (const [event, list] of current) {
    const before = snap.listeners.get(event);
    for (const l of list) if (!before?.includes(l)) added.push([event, l]);
  }
  for (const [event, list] of snap.listeners) {
    const after = current.get(event);
    for (const l of list) if (!after?.includes(l)) removed.push([event, l]);
  }
  return {
    props,
    cwd: cwd !== snap.cwd ? cwd : undefined,
    exitCode: Object.is(exitCode, snap.exitCode) ? undefined : { was: snap.exitCode, now: exitCode },
    addedListeners: added,
    removedListeners: removed,
  };
}

/** The delta of a boundary where nothing changed (shared: never mutated). */
const NO_CHANGE: GlobalsDelta = Object.freeze({
  props: Object.freeze([]) as readonly PropChange[],
  cwd: undefined,
  exitCode: undefined,
  addedListeners: Object.freeze([]) as readonly (readonly [string | symbol, Listener])[],
  removedListeners: Object.freeze([]) as readonly (readonly [string | symbol, Listener])[],
});

/** Whether the delta holds any change. */
export function isEmptyDelta(d: GlobalsDelta): boolean {
  return (
    d.props.length === 0 &&
    d.cwd === undefined &&
    d.exitCode === undefined &&
    d.addedListeners.length === 0 &&
    d.removedListeners.length === 0
  );
}

function put(target: object, key: PropertyKey, desc: PropertyDescriptor | undefined): void {
  // A property made non-configurable (or an object frozen) by user code cannot be put back; the
  // harness leaves it (docs/containment.md lists it).
  try {
    if (desc) Reflect.defineProperty(target, key, desc);
    else Reflect.deleteProperty(target, key);
  } catch {
    // leave it
  }
}

function chdir(dir: string | undefined): void {
  if (dir === undefined || !realChdir) return;
  try {
    realChdir(dir);
  } catch {
    // the directory is gone: stay where we are
  }
}

function setExitCode(value: unknown): void {
  try {
    process.exitCode = value as number | undefined;
  } catch {
    // Node rejects what it would not have accepted either
  }
}

/**
 * Fake timers installed by user code (@sinonjs/fake-timers, which vi.useFakeTimers and Jest's
 * modern timers use) are uninstalled through their own clock first: a clock left "installed"
 * would, on its later uninstall (the next vi.useFakeTimers or useRealTimers), delete the globals
 * the harness put back. Uninstalling empties the clock's method list, so that later call does
 * nothing.
 */
function uninstallFakeClocks(delta: GlobalsDelta): void {
  const clocks = new Set<{ uninstall: () => unknown }>();
  for (const c of delta.props) {
    const clock = (c.now?.value as { clock?: { uninstall?: unknown; methods?: unknown[] } } | undefined)
      ?.clock;
    if (clock && typeof clock.uninstall === 'function' && (clock.methods?.length ?? 0) > 0)
      clocks.add(clock as { uninstall: () => unknown });
  }
  for (const clock of clocks) {
    try {
      clock.uninstall();
    } catch {
      // the descriptors below put the globals back all the same
    }
  }
}

/**
 * Put back what `delta` changed since `snap` (deleted properties re-added, added ones removed,
 * replaced ones restored; the working directory, exit code and listeners likewise).
 *
 * @example
 * restoreSnapshot(snap, diffSnapshot(snap));
 */
export function restoreSnapshot(snap: GlobalsSnapshot, delta: GlobalsDelta): void {
  if (delta === NO_CHANGE) return;
  uninstallFakeClocks(delta);
  for (const c of delta.props) put(c.target, c.key, c.was);
  if (delta.cwd !== undefined) chdir(snap.cwd);
  if (delta.exitCode !== undefined) setExitCode(delta.exitCode.was);
  for (const [event, l] of delta.addedListeners) process.removeListener(event, l);
  for (const [event, l] of delta.removedListeners) process.on(event, l);
}

/**
 * Apply an environment's recorded changes again (its next warm invocation finds the globals it
 * left). Removals of the test process's own listeners are not replayed: the runner needs them.
 *
 * @example
 * applyDelta(environmentDelta);
 */
export function applyDelta(delta: GlobalsDelta): void {
  for (const c of delta.props) put(c.target, c.key, c.now);
  if (delta.cwd !== undefined) chdir(delta.cwd);
  if (delta.exitCode !== undefined) setExitCode(delta.exitCode.now);
  for (const [event, l] of delta.addedListeners) process.on(event, l);
}
