/**
 * The runner-neutral shape of a matcher: the `this` a runner's `expect.extend` provides, and the
 * result a matcher returns. Vitest's `MatcherState` and Jest's `MatcherContext` both satisfy
 * {@link MatcherContext}, so the same functions register in either runner.
 */

/**
 * The printing helpers both runners put on `this.utils` (jest-matcher-utils and its Vitest port).
 *
 * @example
 * const utils: MatcherUtils = plainMatcherUtils;
 * utils.printExpected('ok'); // '"ok"'
 */
export interface MatcherUtils {
  matcherHint(
    matcherName: string,
    received?: string,
    expected?: string,
    options?: { isNot?: boolean; promise?: string },
  ): string;
  printReceived(value: unknown): string;
  printExpected(value: unknown): string;
}

/**
 * What a matcher needs from its runner. `equals` is the runner's deep equality, which understands
 * asymmetric matchers such as `expect.any(String)` and `expect.objectContaining({...})`.
 *
 * @example
 * const ctx: MatcherContext = { isNot: false, promise: '', equals: Object.is, utils: plainMatcherUtils };
 * lambdaMatchers.toHaveSucceeded.call(ctx, result);
 */
export interface MatcherContext {
  /** True under `.not` (Jest types it as optional). */
  readonly isNot?: boolean | undefined;
  readonly promise?: string | undefined;
  equals(a: unknown, b: unknown): boolean;
  readonly utils: MatcherUtils;
}

/**
 * What a matcher returns. `pass` is the plain truth of the assertion: the runner inverts it for
 * `.not`. `actual`/`expected`, when set, let the runner draw a diff.
 *
 * @example
 * const r: MatcherResult = { pass: true, message: () => 'expected the invocation not to succeed' };
 */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

/**
 * Colourless printing helpers with the same signatures as the runners' `this.utils`, for calling a
 * matcher outside a runner (for example in a custom assertion library).
 *
 * @example
 * const ctx = { isNot: false, equals: (a, b) => a === b, utils: plainMatcherUtils };
 * const { pass } = lambdaMatchers.toBeColdStart.call(ctx, result);
 */
export const plainMatcherUtils: MatcherUtils = {
  matcherHint(matcherName, received = 'received', expected = 'expected', options = {}) {
    const not = options.isNot ? '.not' : '';
    const promise = options.promise ? `.${options.promise}` : '';
    return `expect(${received})${promise}${not}.${matcherName}(${expected})`;
  },
  printReceived: (value) => stringifyValue(value),
  printExpected: (value) => stringifyValue(value),
};

/** A compact, deterministic rendering used where no runner helper applies. */
export function stringifyValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (isAsymmetricMatcher(value)) return describeAsymmetric(value);
  try {
    return (
      JSON.stringify(value, (_k, v) => (isAsymmetricMatcher(v) ? describeAsymmetric(v) : v)) ?? String(value)
    );
  } catch {
    return String(value);
  }
}

interface AsymmetricLike {
  asymmetricMatch(other: unknown): boolean;
  toString?(): string;
  toAsymmetricMatcher?(): string;
}

/** True for `expect.any(...)`, `expect.objectContaining(...)` and their kin in either runner. */
export function isAsymmetricMatcher(value: unknown): value is AsymmetricLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
  );
}

function describeAsymmetric(value: AsymmetricLike): string {
  if (typeof value.toAsymmetricMatcher === 'function') return value.toAsymmetricMatcher();
  return typeof value.toString === 'function' ? value.toString() : 'AsymmetricMatcher';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Partial deep match with `toMatchObject` semantics: every key of `expected` must match in `actual`
 * (recursively for plain objects, element-wise for arrays of equal length); leaves and asymmetric
 * matchers are compared with the runner's `equals`.
 *
 * @example
 * matchesPartial(ctx.equals, { a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }); // true
 */
export function matchesPartial(
  equals: (a: unknown, b: unknown) => boolean,
  actual: unknown,
  expected: unknown,
): boolean {
  if (isAsymmetricMatcher(expected)) return equals(actual, expected);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    return expected.every((item, i) => matchesPartial(equals, actual[i], item));
  }
  if (isPlainObject(expected)) {
    if (typeof actual !== 'object' || actual === null) return false;
    const record = actual as Record<string, unknown>;
    return Object.keys(expected).every(
      (key) => Object.hasOwn(record, key) && matchesPartial(equals, record[key], expected[key]),
    );
  }
  return equals(actual, expected);
}

/**
 * A copy of `actual` reduced to the keys `expected` names (recursively), so a diff between the two
 * shows only what the expectation is about.
 */
export function pickExpectedShape(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.map((item, i) => (i < expected.length ? pickExpectedShape(item, expected[i]) : item));
  }
  if (isPlainObject(expected) && typeof actual === 'object' && actual !== null && !Array.isArray(actual)) {
    const record = actual as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) {
      if (Object.hasOwn(record, key)) out[key] = pickExpectedShape(record[key], expected[key]);
    }
    return out;
  }
  return actual;
}

/** Matches a string against an expectation given as string (substring or exact), RegExp or matcher. */
export function matchesText(
  equals: (a: unknown, b: unknown) => boolean,
  actual: string | undefined,
  expected: unknown,
  mode: 'exact' | 'contains',
): boolean {
  if (actual === undefined) return false;
  if (expected instanceof RegExp) {
    expected.lastIndex = 0;
    return expected.test(actual);
  }
  if (typeof expected === 'string') return mode === 'exact' ? actual === expected : actual.includes(expected);
  return equals(actual, expected);
}
