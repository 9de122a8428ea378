/**
 * Event filtering of SQS, Kinesis and DynamoDB Streams mappings (`FilterCriteria`): Lambda's
 * filter rule syntax (the EventBridge pattern subset Lambda documents) compiled once, then applied
 * to each message or record as it is polled into a batch. A record that matches none of the
 * filters is discarded without an invocation (SQS deletes it, a stream skips it).
 */
import { HarnessError } from '../errors/index.js';
import { configError } from './config.js';

/**
 * The `FilterCriteria` of an event source mapping, as in the Lambda API and CloudFormation:
 * up to 5 filters, each a JSON pattern string; a record passes when any filter matches.
 *
 * @example
 * const criteria: FilterCriteria = {
 *   Filters: [{ Pattern: JSON.stringify({ body: { type: ['order'], total: [{ numeric: ['>', 100] }] } }) }],
 * };
 */
export interface FilterCriteria {
  readonly Filters?: readonly { readonly Pattern?: string }[];
}

/**
 * A compiled filter: `matches(view)` says whether a record, seen as Lambda's filter sees it
 * (see {@link sqsFilterView} and {@link streamFilterView}), passes any of the filters.
 *
 * @example
 * const filter = compileFilterCriteria({ Filters: [{ Pattern: '{"body":{"a":[1]}}' }] }, 'options');
 * filter?.matches(sqsFilterView({ body: '{"a":1}' })); // true
 */
export interface CompiledFilter {
  readonly patterns: readonly unknown[];
  matches(view: unknown): boolean;
}

const MAX_FILTERS = 5;
const MAX_PATTERN_LENGTH = 4096;
const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'anything-but',
  'numeric',
  'exists',
  'wildcard',
] as const;
const NUMERIC_OPS = ['=', '<', '<=', '>', '>='];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates and compiles `FilterCriteria` (undefined when there is none). Throws HarnessError
 * INVALID_CONFIGURATION naming the filter for what Lambda's API rejects: more than 5 filters,
 * a pattern that is not JSON, a leaf that is not an array, an unknown operator.
 *
 * @example
 * compileFilterCriteria({ Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] }, 'createDynamoDBEventSource options');
 */
export function compileFilterCriteria(criteria: unknown, where: string): CompiledFilter | undefined {
  if (criteria === undefined) return undefined;
  if (!isObject(criteria)) throw configError(where, 'FilterCriteria', 'expected { Filters: [{ Pattern }] }');
  for (const key of Object.keys(criteria)) {
    if (key !== 'Filters') throw configError(where, `FilterCriteria.${key}`, 'unknown option');
  }
  const filters = criteria.Filters;
  if (filters === undefined) return undefined;
  if (!Array.isArray(filters)) throw configError(where, 'FilterCriteria.Filters', 'expected an array');
  if (filters.length > MAX_FILTERS) {
    throw configError(
      where,
      'FilterCriteria.Filters',
      `${filters.length} filters; Lambda allows at most ${MAX_FILTERS} per event source mapping`,
      'Combine patterns with $or, or request a quota increase (up to 10) and raise it here when you have it.',
    );
  }
  const patterns = filters.map((f: unknown, i) => {
    const path = `FilterCriteria.Filters[${i}].Pattern`;
    if (!isObject(f) || typeof f.Pattern !== 'string')
      throw configError(where, path, 'expected a JSON string');
    if (f.Pattern.length > MAX_PATTERN_LENGTH) {
      throw configError(where, path, `longer than ${MAX_PATTERN_LENGTH} characters`);
    }
    let pattern: unknown;
    try {
      pattern = JSON.parse(f.Pattern);
    } catch (error) {
      throw configError(where, path, `not valid JSON (${(error as Error).message})`);
    }
    if (!isObject(pattern)) throw configError(where, path, 'expected a JSON object pattern');
    checkPattern(pattern, where, path, '');
    return pattern;
  });
  return {
    patterns,
    matches: (view) => patterns.some((p) => matchPattern(p as Record<string, unknown>, view)),
  };
}

function checkPattern(pattern: Record<string, unknown>, where: string, path: string, at: string): void {
  for (const [key, value] of Object.entries(pattern)) {
    const here = at ? `${at}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        throw configError(where, path, `${here}: expected an array of at least 2 patterns`);
      }
      for (const sub of value) checkPattern(sub as Record<string, unknown>, where, path, here);
    } else if (Array.isArray(value)) {
      for (const rule of value) checkRule(rule, where, path, here);
    } else if (isObject(value)) {
      checkPattern(value, where, path, here);
    } else {
      throw configError(
        where,
        path,
        `${here}: expected an array of values or a nested object, received ${JSON.stringify(value)}`,
        'Every leaf of a filter pattern is an array, e.g. { "body": { "type": ["order"] } }.',
      );
    }
  }
}

function checkRule(rule: unknown, where: string, path: string, at: string): void {
  if (!isObject(rule)) return; // exact values: strings, numbers, booleans, null
  const keys = Object.keys(rule);
  const op = keys[0];
  if (keys.length !== 1 || !OPERATORS.includes(op as (typeof OPERATORS)[number])) {
    throw new HarnessError(
      'UNSUPPORTED',
      `${where}.${path}: ${at}: unknown filter operator ${JSON.stringify(keys.join(','))}`,
      { path, hint: `Lambda's filter operators: ${OPERATORS.join(', ')} (and $or).` },
    );
  }
  const arg = rule[op as string];
  if (op === 'numeric') {
    const ok =
      Array.isArray(arg) &&
      arg.length > 0 &&
      arg.length % 2 === 0 &&
      arg.every((x, i) => (i % 2 === 0 ? NUMERIC_OPS.includes(x as string) : typeof x === 'number'));
    if (!ok)
      throw configError(
        where,
        path,
        `${at}: numeric expects [op, number, ...] with ops ${NUMERIC_OPS.join(' ')}`,
      );
  } else if (op === 'exists') {
    if (typeof arg !== 'boolean') throw configError(where, path, `${at}: exists expects true or false`);
  } else if (op === 'anything-but') {
    if (isObject(arg)) checkRule(arg, where, path, at);
  } else if (op === 'prefix' || op === 'suffix') {
    if (typeof arg !== 'string' && !(isObject(arg) && typeof arg['equals-ignore-case'] === 'string')) {
      throw configError(where, path, `${at}: ${op} expects a string`);
    }
  } else if (typeof arg !== 'string') {
    throw configError(where, path, `${at}: ${op} expects a string`);
  }
}

function matchPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(expected as Record<string, unknown>[]).some((p) => matchPattern(p, event))) return false;
      continue;
    }
    const present = isObject(event) && Object.hasOwn(event, key);
    const value = present ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) {
      if (!matchRules(expected, value, present)) return false;
    } else {
      // A nested pattern needs an object there (or an array with an object that matches).
      const candidates = Array.isArray(value) ? value : [value];
      if (!candidates.some((c) => isObject(c) && matchPattern(expected as Record<string, unknown>, c))) {
        return false;
      }
    }
  }
  return true;
}

function matchRules(rules: readonly unknown[], value: unknown, present: boolean): boolean {
  // An array in the record matches when any of its elements matches.
  const values = present ? (Array.isArray(value) ? value : [value]) : [];
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) {
      const exists = present && !isObject(value);
      return rule.exists === true ? exists : !exists;
    }
    return values.some((v) => matchRule(rule, v));
  });
}

function matchRule(rule: unknown, v: unknown): boolean {
  if (!isObject(rule)) {
    if (typeof rule === 'number') return typeof v === 'number' && v === rule;
    return v === rule;
  }
  const [op, arg] = Object.entries(rule)[0] as [string, unknown];
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && affix(v, arg, (s, a) => s.startsWith(a));
    case 'suffix':
      return typeof v === 'string' && affix(v, arg, (s, a) => s.endsWith(a));
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === (arg as string).toLowerCase();
    case 'wildcard':
      return typeof v === 'string' && wildcard(arg as string).test(v);
    case 'numeric':
      return typeof v === 'number' && numeric(arg as unknown[], v);
    case 'anything-but': {
      if (isObject(arg)) return !matchRule(arg, v);
      const list = Array.isArray(arg) ? arg : [arg];
      return !list.some((x) => x === v);
    }
    default:
      return false;
  }
}

function affix(s: string, arg: unknown, test: (s: string, a: string) => boolean): boolean {
  if (typeof arg === 'string') return test(s, arg);
  const a = (arg as Record<string, string>)['equals-ignore-case'] as string;
  return test(s.toLowerCase(), a.toLowerCase());
}

const wildcards = new Map<string, RegExp>();
function wildcard(glob: string): RegExp {
  let re = wildcards.get(glob);
  if (!re) {
    re = new RegExp(
      `^${glob
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      's',
    );
    wildcards.set(glob, re);
  }
  return re;
}

function numeric(ops: readonly unknown[], v: number): boolean {
  for (let i = 0; i < ops.length; i += 2) {
    const n = ops[i + 1] as number;
    const ok =
      ops[i] === '='
        ? v === n
        : ops[i] === '<'
          ? v < n
          : ops[i] === '<='
            ? v <= n
            : ops[i] === '>'
              ? v > n
              : v >= n;
    if (!ok) return false;
  }
  return true;
}

/** A body or data payload as the filter sees it: a JSON object or array when it parses as one, else the string. */
function parsedPayload(text: string): unknown {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * An SQS record as Lambda's filter sees it: metadata as in the record, `body` parsed when it is
 * JSON (so `{ "body": { "type": [...] } }` matches JSON bodies, and `{ "body": ["text"] }` plain
 * ones; a JSON pattern never matches a plain-string body).
 *
 * @example
 * sqsFilterView({ messageId: '1', body: '{"type":"order"}' }); // { messageId: '1', body: { type: 'order' } }
 */
export function sqsFilterView(record: { readonly body: string }): unknown {
  return { ...record, body: parsedPayload(record.body) };
}

/**
 * A Kinesis or DynamoDB Streams record as Lambda's filter sees it: DynamoDB records as they are
 * (`eventName`, `dynamodb.NewImage` in DynamoDB JSON ...); Kinesis records with the base64
 * `data` decoded (and parsed when JSON) at the top level (`{ "data": {...} }`) and inside
 * `kinesis`, next to `partitionKey` and the other metadata.
 *
 * @example
 * streamFilterView({ kinesis: { partitionKey: 'p', data: Buffer.from('{"a":1}').toString('base64') } });
 * // { kinesis: { partitionKey: 'p', data: { a: 1 } }, data: { a: 1 }, partitionKey: 'p' }
 */
export function streamFilterView(record: unknown): unknown {
  if (!isObject(record) || !isObject(record.kinesis)) return record;
  const k = record.kinesis;
  const data =
    typeof k.data === 'string' ? parsedPayload(Buffer.from(k.data, 'base64').toString('utf8')) : k.data;
  return { ...record, ...k, kinesis: { ...k, data }, data };
}
