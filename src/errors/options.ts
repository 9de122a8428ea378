/**
 * The one way the harness checks an options object: a strict zod schema, and one formatter that
 * turns the first issues into a HarnessError naming the option path, what was expected, what was
 * received, and (for an unknown key) the valid keys with a suggestion for the likely typo.
 * Every room (events, invoke, lifecycle, sources, cli) validates through this module, so a message
 * reads the same wherever it comes from. Internal: not re-exported from the package entry.
 */
import { z } from 'zod';
import { describeValue, formatPath, joinPath, unknownKeyHint } from './describe.js';
import { HarnessError, type HarnessErrorCode } from './index.js';

export { describeValue, formatPath, joinPath, suggestKey, unknownKeyHint } from './describe.js';

/** What a field's failure should say: `expected <expected>` and, optionally, a hint. */
export interface FieldText {
  readonly expected: string;
  readonly hint?: string;
}

const fieldTexts = new WeakMap<z.ZodType, FieldText>();

/**
 * Attaches the text the formatter prints when `schema` rejects a value
 * (`<where>.<path>: expected <expected>, received <value>`).
 *
 * @example
 * const memorySize = field(z.number().int().min(128).max(10240), 'an integer from 128 to 10240 (MB)');
 */
export function field<T extends z.ZodType>(schema: T, expected: string, hint?: string): T {
  fieldTexts.set(schema, hint === undefined ? { expected } : { expected, hint });
  return schema;
}

/**
 * The error for an unknown key of an options object (`<where>.<key>: unknown option`).
 *
 * @example
 * throw unknownKeyError('INVALID_OPTIONS', 'invokeHandler options', 'timout', ['timeout']);
 */
export function unknownKeyError(
  code: HarnessErrorCode,
  where: string,
  key: string,
  known: readonly string[],
  pathPrefix = '',
): HarnessError {
  const path = pathPrefix ? `${pathPrefix}.${key}` : key;
  return new HarnessError(code, `${joinPath(where, safeKey(key))}: unknown option`, {
    path,
    hint: unknownKeyHint(key, known),
  });
}

function safeKey(key: string): string {
  return formatPath([key]);
}

/**
 * The error for one bad option value: `<where>.<path>: expected <what>, received <value>`.
 *
 * @example
 * throw optionError('INVALID_OPTIONS', 'invokeHandler options', 'timeout', 'seconds > 0 and <= 900', 0);
 */
export function optionError(
  code: HarnessErrorCode,
  where: string,
  path: string,
  expected: string,
  received: unknown,
  hint?: string,
): HarnessError {
  return new HarnessError(
    code,
    `${joinPath(where, path)}: expected ${expected}, received ${describeValue(received)}`,
    {
      path,
      ...(hint ? { hint } : {}),
    },
  );
}

/** The keys of every object schema at `path` (several under a union), for the valid-keys hint. */
function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = defOf(root);
  const type = def.type as string;
  if (type === 'optional' || type === 'nullable' || type === 'default' || type === 'readonly') {
    return keysAt(def.innerType as z.ZodType, path);
  }
  if (type === 'pipe') return keysAt(def.in as z.ZodType, path);
  if (type === 'union') {
    return [...new Set((def.options as z.ZodType[]).flatMap((o) => keysAt(o, path)))];
  }
  if (path.length === 0) return type === 'object' ? Object.keys(def.shape as object) : [];
  const [key, ...rest] = path;
  if (type === 'object') {
    const child = (def.shape as Record<string, z.ZodType>)[String(key)];
    return child ? keysAt(child, rest) : [];
  }
  if (type === 'record') return keysAt(def.valueType as z.ZodType, rest);
  if (type === 'array') return keysAt(def.element as z.ZodType, rest);
  return [];
}

function defOf(schema: z.ZodType): Record<string, unknown> {
  return (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
}

/** Finds the schema of the field at `path`, unwrapping optional/default/nullable/pipe wrappers. */
function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let cur: z.ZodType | undefined = root;
  let i = 0;
  for (;;) {
    if (!cur) return undefined;
    if (i === path.length && fieldTexts.has(cur)) return cur;
    const def: Record<string, unknown> = (cur as unknown as { _zod: { def: Record<string, unknown> } })._zod
      .def;
    const type = def.type as string;
    if (type === 'optional' || type === 'nullable' || type === 'default' || type === 'readonly') {
      cur = def.innerType as z.ZodType;
      continue;
    }
    if (type === 'pipe') {
      cur = def.in as z.ZodType;
      continue;
    }
    if (i === path.length) return cur;
    const key = path[i++];
    if (type === 'union') {
      for (const option of def.options as z.ZodType[]) {
        const found = schemaAt(option, path.slice(i - 1));
        if (found) return found;
      }
      return undefined;
    }
    if (type === 'object') cur = (def.shape as Record<string, z.ZodType>)[String(key)];
    else if (type === 'record') cur = def.valueType as z.ZodType;
    else if (type === 'array') cur = def.element as z.ZodType;
    else return undefined;
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key as string];
  }
  return cur;
}

interface FormattedIssue {
  readonly path: string;
  readonly line: string;
  readonly hint: string | undefined;
}

function formatIssue(
  issue: z.core.$ZodIssue,
  root: z.ZodType,
  input: unknown,
  where: string,
  noun: 'option' | 'field',
): FormattedIssue[] {
  const rel = formatPath(issue.path);
  if (issue.code === 'invalid_union') {
    // One branch got past its own type check (its issues are all deeper): report those instead
    // of "expected one of ...".
    const close = issue.errors.filter(
      (branch) => branch.length > 0 && branch.every((i) => i.path.length > 0),
    );
    if (close.length === 1) {
      return (close[0] as z.core.$ZodIssue[]).flatMap((inner) =>
        formatIssue({ ...inner, path: [...issue.path, ...inner.path] }, root, input, where, noun),
      );
    }
  }
  if (issue.code === 'unrecognized_keys') {
    const parent = schemaAt(root, issue.path);
    const known = keysAt(root, issue.path);
    const parentHint = parent ? fieldTexts.get(parent)?.hint : undefined;
    return issue.keys.map((key) => {
      const path = formatPath([...issue.path, key]);
      return {
        path,
        line: `${joinPath(where, path)}: unknown ${noun}`,
        // A key valid only in another variant (a union) gets the field's own hint, not "did you mean".
        hint: known.length > 0 && !known.includes(key) ? unknownKeyHint(key, known, `${noun}s`) : parentHint,
      };
    });
  }
  const text = fieldTexts.get(schemaAt(root, issue.path) as z.ZodType);
  if (text) {
    return [
      {
        path: rel,
        line: `${joinPath(where, rel)}: expected ${text.expected}, received ${describeValue(valueAt(input, issue.path))}`,
        hint: text.hint,
      },
    ];
  }
  // zod's own text; where it names no received value (a failed range check), the value is
  // described safely.
  let message = issue.message.replace(/^Invalid input: /, '').replace(/^Invalid input$/, 'invalid value');
  if (!/, received \w+$/.test(message) || / received undefined$/.test(message)) {
    message = `${message.replace(/, received undefined$/, '')}, received ${describeValue(valueAt(input, issue.path))}`;
  }
  return [{ path: rel, line: `${joinPath(where, rel)}: ${message}`, hint: undefined }];
}

/**
 * Formats zod issues as one HarnessError: the first five issues, each `<where>.<path>: ...`, the
 * first issue's path in `error.path`, and a hint (the field's own, or `hint`). `noun` names what an
 * unknown key is (`option`, or `field` for event overrides).
 *
 * @example
 * const r = schema.safeParse(value);
 * if (!r.success) throw issuesError(r.error.issues, schema, value, 'INVALID_OPTIONS', 'sqsEvent() options');
 */
export function issuesError(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  input: unknown,
  code: HarnessErrorCode,
  where: string,
  hint?: string,
  noun: 'option' | 'field' = 'option',
): HarnessError {
  const formatted = issues.flatMap((issue) => formatIssue(issue, schema, input, where, noun));
  const first = formatted[0];
  const lines = formatted.slice(0, 5).map((f) => f.line);
  const more = formatted.length > 5 ? `\n  (${formatted.length - 5} more)` : '';
  const firstHint = first?.hint ?? hint;
  return new HarnessError(code, lines.join('\n  ') + more, {
    path: first?.path ?? '',
    ...(firstHint ? { hint: firstHint } : {}),
  });
}

/**
 * Validates `value` against a strict zod schema and returns the parsed value, or throws the
 * formatted HarnessError. `undefined` is validated as `{}`; anything that is not a plain object
 * (null, arrays, strings) is rejected with the same formatter.
 *
 * @example
 * const opts = parseWith(z.strictObject({ timeout: z.number().optional() }), input, 'INVALID_OPTIONS', 'myFn options');
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: HarnessErrorCode,
  where: string,
  hint?: string,
): z.output<S> {
  const input = value === undefined ? {} : value;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw issuesError(result.error.issues, schema, input, code, where, hint);
}

/**
 * A plain-object check usable in a schema: rejects null, arrays, class instances.
 *
 * @example
 * isPlainObject({}); // true
 * isPlainObject([]); // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Rejects a value that is not an options object (null, an array, a string ...) with the one message
 * `<where>: expected an object, received <value>`.
 *
 * @example
 * requireObject(null, 'INVALID_OPTIONS', 'sqsEvent() options'); // throws
 */
export function requireObject(
  value: unknown,
  code: HarnessErrorCode,
  where: string,
  hint?: string,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HarnessError(code, `${where}: expected an object, received ${describeValue(value)}`, {
      ...(hint ? { hint } : {}),
    });
  }
  return value as Record<string, unknown>;
}

/**
 * The latest time the harness accepts: 9999-01-01T00:00:00.000Z. A Date holds up to ±8.64e15 ms,
 * but timestamps derived from a time (deadlines, window ends, ISO strings with 4-digit years)
 * must stay valid too, so the bound leaves a year of headroom.
 *
 * @example
 * new Date(MAX_TIME_MS).toISOString(); // '9999-01-01T00:00:00.000Z'
 */
export const MAX_TIME_MS = 253370764800000;

/**
 * A zod schema of epoch milliseconds from 1970 to year 9999, the one range of every time option.
 *
 * @example
 * epochMsSchema.safeParse(8.64e15 + 1).success; // false
 */
export const epochMsSchema = field(
  z.number().finite().min(0).max(MAX_TIME_MS),
  'epoch milliseconds from 0 to 253370764800000 (1970 to year 9999)',
);

/**
 * The seed option of everything seeded: a safe non-negative integer.
 *
 * @example
 * seedSchema.safeParse(1.5).success; // false
 */
export const seedSchema = field(
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  'a non-negative integer seed',
  'Seeds are integers so that every seed gives a different, replayable value (1.5 and 1.9 would collide).',
);

export { z };
