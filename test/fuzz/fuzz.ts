/**
 * The fuzz lane's one rule, applied to every public entry point: whatever the options, the only
 * exception that may escape is the library's own HarnessError (or the CLI's CliError), naming the
 * option path. Run by scripts/ci-lanes.d/10-fuzz.sh; FUZZ_SEED replays a run, FUZZ_RUNS sizes it.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import { HarnessError } from '../../src/errors/index.js';

/** The run's seed: FUZZ_SEED, else a fresh one (printed, so any run can be replayed). */
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
/** Runs per property: FUZZ_RUNS, else a quick default for a local run. */
export const RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 60;

/** Values that broke the harness before, and every other kind of value. */
export function nasty(): fc.Arbitrary<unknown> {
  const circular = fc.constant(null).map(() => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return o;
  });
  return fc.oneof(
    fc.constantFrom(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1e308,
      -1e308,
      8.64e15 + 1,
      -0,
      -1,
      1.5,
      2 ** 31,
      3e6,
      2 ** 53 + 2,
      1n,
      '',
      ' ',
      'undefined',
      null,
      undefined,
      true,
      [],
      {},
      new Date(Number.NaN),
      Symbol('s'),
      () => 1,
    ),
    circular,
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.anything({
      maxDepth: 2,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
  );
}

/**
 * An options object over known keys: any subset with plausible values (so runs get deep into the
 * code), and in most runs ONE key, known or a typo (or `__proto__`), set to a nasty value.
 */
export function optionsOf(good: Record<string, readonly unknown[]>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(good);
  const entries = Object.fromEntries(
    keys.map((k) => {
      const values = good[k] as readonly unknown[];
      return [k, values.length > 0 ? fc.constantFrom(...values) : nasty()];
    }),
  );
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...keys) },
    { weight: 1, arbitrary: fc.constantFrom(...keys).map((k) => `${k.slice(0, -1)}x`) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString') },
  );
  return fc
    .tuple(fc.record(entries, { requiredKeys: [] }), fc.option(fc.tuple(key, nasty()), { freq: 3 }))
    .map(([o, bad]) => {
      if (bad)
        Object.defineProperty(o, bad[0], {
          value: bad[1],
          enumerable: true,
          configurable: true,
          writable: true,
        });
      return o;
    });
}

/** Checks that a thrown value is the library's own error and that it names what was wrong. */
export function expectOwnError(error: unknown): void {
  if (error instanceof CliError) {
    expect(error.message).not.toMatch(/undefined undefined/);
    return;
  }
  if (!(error instanceof HarnessError)) {
    throw new Error(
      `a ${error instanceof Error ? error.constructor.name : typeof error} escaped: ${
        error instanceof Error ? error.stack : String(error)
      }`,
    );
  }
  expect(error.message).not.toMatch(/undefined undefined/);
  expect(error.message).toMatch(/^\[lambda-harness\] \S/);
  if (['INVALID_OPTIONS', 'INVALID_CONFIGURATION', 'INVALID_OVERRIDE'].includes(error.code)) {
    // Either a path, or the options object itself was not an object.
    expect(error.path !== undefined || /: expected an object/.test(error.message), error.message).toBe(true);
  }
}

/** Runs `act` and accepts a result or the library's own error, nothing else. */
export async function only(act: () => unknown): Promise<void> {
  try {
    await act();
  } catch (error) {
    expectOwnError(error);
  }
  expect(Object.keys(Object.prototype)).toEqual([]);
}

/** fc.assert with the lane's seed and size; a failure prints the replay command. */
export async function fuzz<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  check: (value: T) => Promise<void>,
): Promise<void> {
  try {
    await fc.assert(
      fc.asyncProperty(arb, (v) => check(v)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  } catch (error) {
    const replay = `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx vitest run --config vitest.fuzz.config.ts -t '${name}'`;
    (error as Error).message = `${(error as Error).message}\n\nReplay: ${replay}`;
    throw error;
  }
}
