// The one skeleton of every response-contract matcher: the calling service (Firehose, API Gateway,
// Cognito, ...) reads the handler's response against what the test passes (the event, a
// methodArn). A new contract is a ResponseContract, not another copy of this flow.
import type { MatcherContext, MatcherResult } from './context.js';
import { buildResult, describeOutcome, indentRest, requireResult } from './message.js';

/** What a contract's check of a successful response found. */
export interface ContractJudgement {
  readonly pass: boolean;
  /** The `Received:` lines of the failure message. */
  readonly received: readonly string[];
  readonly hint: string;
}

/**
 * A response contract: how to read the matcher's argument and how the service judges a response.
 *
 * @example
 * const toBeOk = contractMatcher<string>({
 *   name: 'toBeOk',
 *   argumentLabel: 'id',
 *   argument: (value) => (typeof value === 'string' ? value : badArgument('toBeOk', 'id', 'a string', value)),
 *   expectation: (id) => [`a response for ${id}`, `no response for ${id}`],
 *   failedHint: 'The service retries a failed invocation.',
 *   judge: (ctx, response, id) => ({ pass: response === id, received: [`Received: ${String(response)}`], hint: '' }),
 * });
 */
export interface ResponseContract<A> {
  readonly name: string;
  /** The argument's label in the matcher hint (`event`, `methodArn`). */
  readonly argumentLabel: string;
  /** The argument as the check needs it; throws a HarnessError (badArgument) when it is unusable. */
  readonly argument: (value: unknown) => A;
  /** The expectation, and its wording under `.not`. */
  readonly expectation: (argument: A) => readonly [string, string];
  /** What the service does when the invocation failed (the hint of that failure). */
  readonly failedHint: string;
  /** Judges a successful invocation's response. */
  readonly judge: (ctx: MatcherContext, response: unknown, argument: A) => ContractJudgement;
}

/**
 * A matcher for one response contract: it requires an invocation result, checks the argument,
 * fails on a failed invocation (showing the outcome and the logs), and otherwise judges the response.
 *
 * @example
 * export const contractMatchers = { toBeOk: contractMatcher(okContract) };
 */
export function contractMatcher<A>(contract: ResponseContract<A>) {
  return function (this: MatcherContext, received: unknown, argument: unknown): MatcherResult {
    const result = requireResult(contract.name, received);
    const checked = contract.argument(argument);
    const parts = {
      name: contract.name,
      expectedLabel: contract.argumentLabel,
      expectation: contract.expectation(checked),
    };
    if (result.outcome !== 'success') {
      return buildResult(this, false, {
        ...parts,
        received: describeOutcome(this, result),
        logs: result.logs,
        hint: contract.failedHint,
      });
    }
    const judgement = contract.judge(this, result.response, checked);
    return buildResult(this, judgement.pass, {
      ...parts,
      received: judgement.received,
      hint: judgement.hint,
    });
  };
}

/**
 * The judgement of a contract checked as a list of problems: valid when there are none; the
 * message lists them and prints the part of the response they are about.
 *
 * @example
 * problemsJudgement(ctx, ['records[0].data is not base64'], { valid: 'a valid result', shown: response, hint: 'Return base64 data.' });
 */
export function problemsJudgement(
  ctx: MatcherContext,
  problems: readonly string[],
  how: { readonly valid: string; readonly shown: unknown; readonly hint: string },
): ContractJudgement {
  return {
    pass: problems.length === 0,
    received: [
      problems.length === 0
        ? `Received: ${how.valid}`
        : `Received: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      `  response: ${indentRest(ctx.utils.printReceived(how.shown))}`,
    ],
    hint: how.hint,
  };
}
