// What the parity tests share: how many runs, the seed, the check that an event parses with a
// schema (naming the schema and showing the event when it does not), and the common options.
import fc from 'fast-check';
import type { z } from 'zod';

export const NUM_RUNS = 1000;
export const PARITY_SEED = 424242;

/** Throws, with the first issues and the event, when `schema` rejects `event`. */
export function parses(schema: z.ZodType, event: unknown, label: string): void {
  const result = schema.safeParse(event);
  if (!result.success) {
    throw new Error(
      `${label} rejected: ${JSON.stringify(result.error.issues.slice(0, 3))}\n${JSON.stringify(event)}`,
    );
  }
}

/** Over NUM_RUNS inputs: the generated event parses with every labelled schema. */
export function checkParity<T>(
  arb: fc.Arbitrary<T>,
  generate: (input: T) => unknown,
  ...schemas: [z.ZodType, string][]
): void {
  fc.assert(
    fc.property(arb, (input) => {
      const event = generate(input);
      for (const [schema, label] of schemas) parses(schema, event, label);
    }),
    { numRuns: NUM_RUNS, seed: PARITY_SEED },
  );
}

/** The options every generator takes: seed, region, account, time. */
export const commonOptions = fc.record(
  {
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1', 'us-gov-west-1'),
    accountId: fc.stringMatching(/^\d{12}$/),
    time: fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2035, 0, 1) }),
  },
  { requiredKeys: ['seed'] },
);
