/**
 * How the harness describes values, paths and typos in its messages. Free of zod on purpose: the
 * isolated child process imports it, and loading zod there would hide the import cost of a handler
 * that uses zod itself from cold-start measurements.
 */

/**
 * Describes a received value for a message without ever throwing: BigInt, symbols, functions,
 * circular and huge objects included (JSON.stringify is never applied to non-strings).
 *
 * @example
 * describeValue(1n); // 'bigint 1n'
 * describeValue('x'); // '"x"'
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'bigint') return `bigint ${v}n`;
  if (typeof v === 'symbol') return 'a symbol';
  if (typeof v === 'function') return 'a function';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'an invalid Date' : 'a Date';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * Formats a path as `Records[0].body` (identifiers dotted, indexes bracketed, other keys quoted).
 *
 * @example
 * formatPath(['Records', 0, 'body']); // 'Records[0].body'
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** `where` joined with a relative path: `opts.a`, `opts[0]`, or `opts` for the root. */
export function joinPath(where: string, rel: string): string {
  if (!rel) return where;
  return rel.startsWith('[') ? `${where}${rel}` : `${where}.${rel}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min(cur + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}

/**
 * The valid key most likely meant by a mistyped one (case-insensitive match first, then the
 * closest edit distance within 40% of the length), or undefined.
 *
 * @example
 * suggestKey('timout', ['timeout', 'memorySize']); // 'timeout'
 */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const caseOnly = known.find((k) => k.toLowerCase() === lower);
  if (caseOnly) return caseOnly;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(key.length * 0.4)) + 1;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The hint of an unknown-key error: the likely typo, then the valid keys.
 *
 * @example
 * unknownKeyHint('timout', ['timeout', 'memorySize']);
 * // 'Did you mean "timeout"? Valid options: timeout, memorySize.'
 */
export function unknownKeyHint(key: string, known: readonly string[], noun = 'options'): string {
  const guess = suggestKey(key, known);
  return `${guess ? `Did you mean "${guess}"? ` : ''}Valid ${noun}: ${known.join(', ')}.`;
}
