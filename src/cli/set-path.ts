import { CliError } from './errors.js';

/** One step of a `--set` path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * One parsed `--set path=value` assignment.
 *
 * @example
 * parseAssignment('Records[0].body={"a":1}'); // { path: ['Records', 0, 'body'], value: { a: 1 }, text: 'Records[0].body' }
 */
export interface Assignment {
  readonly path: readonly PathSegment[];
  readonly value: unknown;
  /** The path as the user wrote it, for messages. */
  readonly text: string;
  /** The value exactly as written after `=`. */
  readonly rawValue: string;
}

const EXAMPLE = `--set 'Records[0].body={"a":1}'`;

function bad(raw: string, why: string, command = 'generate'): CliError {
  return new CliError(
    `${command}: bad --set "${raw}": ${why}`,
    `Write path=value with dots for keys and [n] for array items, for example ${EXAMPLE}; quote keys with odd characters as ["my key"].`,
  );
}

/**
 * Parses a path such as `Records[0].messageAttributes["x-id"].stringValue`.
 *
 * @example
 * parsePath('a.b[2]', 'a.b[2]=1'); // ['a', 'b', 2]
 */
export function parsePath(text: string, raw: string, command = 'generate'): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) throw bad(raw, 'the path is empty', command);
  let expectKey = true;
  while (i < n) {
    const ch = text[i];
    if (ch === '[') {
      const close = text[i + 1] === '"' ? findQuoteEnd(text, i + 1) : text.indexOf(']', i);
      if (close === -1) throw bad(raw, `unclosed "[" at character ${i + 1} of the path`, command);
      if (text[i + 1] === '"') {
        if (text[close + 1] !== ']')
          throw bad(raw, `expected "]" after the quoted key at character ${close + 2}`, command);
        try {
          out.push(JSON.parse(text.slice(i + 1, close + 1)) as string);
        } catch {
          throw bad(raw, `the quoted key at character ${i + 2} is not a valid JSON string`, command);
        }
        i = close + 2;
      } else {
        const inner = text.slice(i + 1, close);
        if (!/^\d+$/.test(inner))
          throw bad(raw, `"[${inner}]" is not an array index (use [0], [1], ... or ["key"])`, command);
        const index = Number(inner);
        if (index > 9999) throw bad(raw, `array index ${index} is too large`, command);
        out.push(index);
        i = close + 1;
      }
      expectKey = false;
      continue;
    }
    if (ch === '.') {
      if (expectKey || i === n - 1) throw bad(raw, `empty key at character ${i + 1} of the path`, command);
      i += 1;
      expectKey = true;
      continue;
    }
    if (!expectKey) throw bad(raw, `expected "." or "[" at character ${i + 1} of the path`, command);
    let j = i;
    while (j < n && text[j] !== '.' && text[j] !== '[') {
      if (text[j] === ']') throw bad(raw, `unexpected "]" at character ${j + 1} of the path`, command);
      j += 1;
    }
    out.push(text.slice(i, j));
    i = j;
    expectKey = false;
  }
  if (expectKey) throw bad(raw, 'the path ends with "."', command);
  return out;
}

function findQuoteEnd(text: string, open: number): number {
  for (let k = open + 1; k < text.length; k += 1) {
    if (text[k] === '\\') k += 1;
    else if (text[k] === '"') return k;
  }
  return -1;
}

/** Splits at the first `=` outside brackets and quotes. */
function splitAssignment(raw: string): [string, string] | undefined {
  let depth = 0;
  let quoted = false;
  for (let k = 0; k < raw.length; k += 1) {
    const ch = raw[k];
    if (quoted) {
      if (ch === '\\') k += 1;
      else if (ch === '"') quoted = false;
    } else if (ch === '"' && depth > 0) quoted = true;
    else if (ch === '[') depth += 1;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '=' && depth === 0) return [raw.slice(0, k), raw.slice(k + 1)];
  }
  return undefined;
}

/**
 * Parses one `--set` argument. The value is parsed as JSON when it is valid JSON (`{"a":1}`,
 * `3`, `true`, `"quoted"`), and is taken as a plain string otherwise. ({@link buildOverrides}
 * keeps the text as written when the generated field is a string.)
 *
 * @example
 * parseAssignment('Records[1].body=hello').value; // 'hello'
 */
export function parseAssignment(raw: string, command = 'generate'): Assignment {
  const parts = splitAssignment(raw);
  if (!parts) {
    // An "=" inside an unclosed bracket: report the bracket, not a missing "=".
    const eq = raw.indexOf('=');
    if (eq > 0) parsePath(raw.slice(0, eq).trim(), raw, command);
    throw bad(raw, 'missing "="', command);
  }
  const [pathText, valueText] = parts;
  const path = parsePath(pathText.trim(), raw, command);
  let value: unknown = valueText;
  try {
    value = JSON.parse(valueText);
  } catch {
    value = valueText;
  }
  return { path, value, text: pathText.trim(), rawValue: valueText };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function at(root: unknown, path: readonly PathSegment[]): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** Own-property write: a key named `__proto__` becomes a field, never the object's prototype. */
function setOwn(
  target: Record<string | number, unknown> | unknown[],
  key: PathSegment,
  value: unknown,
): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Own-property read: inherited members (`__proto__`, `constructor`) are never walked into. */
function getOwn(target: Record<string | number, unknown> | unknown[], key: PathSegment): unknown {
  return Object.hasOwn(target, key) ? (target as Record<string | number, unknown>)[key] : undefined;
}

/**
 * Builds an `overrides` object from assignments, for the generators to merge over their default
 * event (so derived fields such as md5OfBody are recomputed). The top-level `Records` array is
 * sparse (untouched records keep their generated values); any other array touched by an index is
 * first copied from `base`, the event generated without overrides, so its other items survive.
 *
 * @example
 * buildOverrides([parseAssignment('Records[0].body=hi')], baseEvent); // { Records: [{ body: 'hi' }] }
 */
export function buildOverrides(
  assignments: readonly Assignment[],
  base: unknown,
  command = 'generate',
): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, value: parsed, text, rawValue } of assignments) {
    // A field that is a string in the generated event (an SQS body, an SNS message) takes the
    // text as written: `body={"a":1}` sets the JSON text, as the real payload carries it.
    const value = typeof at(base, path) === 'string' && typeof parsed !== 'string' ? rawValue : parsed;
    let cur: Record<string | number, unknown> | unknown[] = root;
    for (let k = 0; k < path.length; k += 1) {
      const key = path[k] as PathSegment;
      const last = k === path.length - 1;
      if (typeof key === 'number' && !Array.isArray(cur)) {
        throw new CliError(
          `${command}: bad --set path "${text}": ${formatPrefix(path, k)} is not an array, so [${key}] cannot be set`,
          'Check the path against `lambda-harness generate <source>` output.',
        );
      }
      if (typeof key === 'string' && Array.isArray(cur)) {
        throw new CliError(
          `${command}: bad --set path "${text}": ${formatPrefix(path, k)} is an array; use an index such as [0]`,
          'Check the path against `lambda-harness generate <source>` output.',
        );
      }
      const container = cur as Record<string | number, unknown>;
      if (typeof key === 'number') {
        // An index past the end would leave holes that silently become extra generated items.
        const existing = Array.isArray(cur) ? cur.length : 0;
        const inBase = at(base, path.slice(0, k));
        const limit = Math.max(existing, Array.isArray(inBase) ? inBase.length : 0);
        if (key > limit || (key === limit && k === 1 && path[0] === 'Records')) {
          const isRecords = k === 1 && path[0] === 'Records';
          throw new CliError(
            `${command}: bad --set path "${text}": ${formatPrefix(path, k)} has ${limit} item${limit === 1 ? '' : 's'}, so [${key}] does not exist`,
            isRecords
              ? `Generate more records first (--records ${key + 1}), then set Records[${key}].`
              : `Set an existing index (0-${Math.max(0, limit - 1)}) or the next one ([${limit}]) to append.`,
          );
        }
      }
      if (last) {
        setOwn(container, key, clone(value));
        break;
      }
      const nextKey = path[k + 1] as PathSegment;
      const inBase = at(base, path.slice(0, k + 1));
      if (typeof nextKey === 'string' && Array.isArray(inBase)) {
        throw new CliError(
          `${command}: bad --set path "${text}": ${formatPrefix(path, k + 1)} is an array; use an index such as [0]`,
          'Check the path against `lambda-harness generate <source>` output.',
        );
      }
      if (typeof nextKey === 'number' && inBase !== undefined && !Array.isArray(inBase)) {
        throw new CliError(
          `${command}: bad --set path "${text}": ${formatPrefix(path, k + 1)} is not an array, so [${nextKey}] cannot be set`,
          'Check the path against `lambda-harness generate <source>` output.',
        );
      }
      let next = getOwn(container, key);
      if (typeof nextKey === 'number') {
        if (!Array.isArray(next)) {
          const isTopRecords = k === 0 && key === 'Records';
          const fromBase = at(base, path.slice(0, k + 1));
          next = isTopRecords ? [] : Array.isArray(fromBase) ? clone(fromBase) : [];
          setOwn(container, key, next);
        }
      } else if (!isRecord(next)) {
        next = {};
        setOwn(container, key, next);
      }
      cur = next as Record<string | number, unknown> | unknown[];
    }
  }
  return fillHoles(root) as Record<string, unknown>;
}

function formatPrefix(path: readonly PathSegment[], k: number): string {
  if (k === 0) return 'the event';
  let out = '';
  for (const seg of path.slice(0, k)) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/** Sparse array holes become `{}` items (an empty override keeps the generated record). */
function fillHoles(v: unknown): unknown {
  if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => (i in v ? fillHoles(v[i]) : {}));
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(out, k, fillHoles(x));
    return out;
  }
  return v;
}
