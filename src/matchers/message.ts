import type { LogLine } from '../contract/logs.js';
import type { FunctionInvocationResult, InvocationResult } from '../contract/result.js';
import { describeValue } from '../errors/describe.js';
import { HarnessError } from '../errors/index.js';
import type { MatcherContext, MatcherResult } from './context.js';

/** How many log lines a failure message prints before it summarises the rest. */
const MAX_LOG_LINES = 40;

/** The parts of a failure message, assembled in a fixed order by {@link buildResult}. */
export interface MessageParts {
  /** The matcher's name, e.g. `toHaveSucceeded`. */
  readonly name: string;
  /** What `expect(...)` was called with, in the hint line; default `result`. */
  readonly receivedLabel?: string;
  /** The label printed between the call's parentheses (`''` for no argument). */
  readonly expectedLabel?: string;
  /** What was expected, phrased for `.not` and for the positive form. */
  readonly expectation: readonly [positive: string, negative: string];
  /** Lines describing what was received. */
  readonly received: readonly string[];
  /** Captured log lines, printed after the received block. */
  readonly logs?: readonly LogLine[] | undefined;
  /** What to try next. */
  readonly hint?: string | undefined;
  readonly actual?: unknown;
  readonly expected?: unknown;
}

/** Builds the matcher result; `pass` is never flipped for `.not` (the runner does that). */
export function buildResult(ctx: MatcherContext, pass: boolean, parts: MessageParts): MatcherResult {
  const result: MatcherResult = {
    pass,
    message: () => {
      const out: string[] = [
        ctx.utils.matcherHint(parts.name, parts.receivedLabel ?? 'result', parts.expectedLabel ?? '', {
          isNot: ctx.isNot === true,
          ...(ctx.promise ? { promise: ctx.promise } : {}),
        }),
        '',
        `Expected: ${ctx.isNot ? parts.expectation[1] : parts.expectation[0]}`,
        ...parts.received,
      ];
      if (parts.logs) out.push('', ...renderLogs(parts.logs));
      if (parts.hint) out.push('', `Hint: ${parts.hint}`);
      return out.join('\n');
    },
  };
  if ('actual' in parts) result.actual = parts.actual;
  if ('expected' in parts) result.expected = parts.expected;
  return result;
}

/** The captured lines as an indented block, tabs shown as `→`-free double spaces. */
export function renderLogs(logs: readonly LogLine[]): string[] {
  if (logs.length === 0) return ['Logs: (none captured)'];
  const shown = logs.slice(0, MAX_LOG_LINES);
  const out = [`Logs (${logs.length} line${logs.length === 1 ? '' : 's'}):`];
  for (const line of shown) out.push(`  ${line.text.replace(/\t+$/, '').replace(/\t/g, '  ')}`);
  if (logs.length > shown.length) out.push(`  … and ${logs.length - shown.length} more`);
  return out;
}

/** Indents every line after the first, so multi-line printed values stay inside their block. */
export function indentRest(text: string, spaces = 4): string {
  return text.replace(/\n/g, `\n${' '.repeat(spaces)}`);
}

/** One-paragraph description of an invocation outcome: response, error or timeout. */
export function describeOutcome(ctx: MatcherContext, result: FunctionInvocationResult): string[] {
  switch (result.outcome) {
    case 'success':
      return ['Received: success', `  response: ${indentRest(ctx.utils.printReceived(result.response))}`];
    case 'error': {
      const lines = [
        `Received: error in the ${result.phase} phase`,
        `  errorType:    ${ctx.utils.printReceived(result.error.errorType)}`,
        `  errorMessage: ${ctx.utils.printReceived(result.error.errorMessage)}`,
      ];
      const trace = result.error.trace ?? [];
      // The frame already reads "at fn (file:line)": print it once, not "at: at ...".
      if (trace.length > 1) lines.push(`  at:           ${trace[1]?.trim().replace(/^at /, '')}`);
      return lines;
    }
    case 'timeout':
      return ['Received: timeout', `  errorMessage: ${ctx.utils.printReceived(result.error.errorMessage)}`];
    case 'throttled':
      return [
        'Received: throttled (HTTP 429, the handler never ran)',
        `  Reason: ${ctx.utils.printReceived(result.error.Reason)}`,
      ];
  }
}

/** The short name of an outcome, for sentences. */
export function outcomeWord(result: FunctionInvocationResult): string {
  if (result.outcome === 'error') return result.phase === 'init' ? 'failed during init' : 'failed';
  if (result.outcome === 'timeout') return 'timed out';
  if (result.outcome === 'throttled') return 'was throttled';
  return 'succeeded';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** True for anything shaped like an {@link InvocationResult}. */
export function isInvocationResult(value: unknown): value is InvocationResult {
  return (
    isRecord(value) &&
    (value.outcome === 'success' || value.outcome === 'error' || value.outcome === 'timeout') &&
    typeof value.requestId === 'string' &&
    Array.isArray(value.logs)
  );
}

/** True for an invocation result or a throttled invocation. */
export function isFunctionInvocationResult(value: unknown): value is FunctionInvocationResult {
  return isInvocationResult(value) || (isRecord(value) && value.outcome === 'throttled');
}

/** Throws a clear error when a matcher receives something that is not an invocation result. */
export function requireResult(name: string, received: unknown): InvocationResult {
  if (isInvocationResult(received)) return received;
  if (isRecord(received) && received.outcome === 'throttled') {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `expect(received).${name}(): received a throttled invocation (HTTP 429): the handler never ran, so it has no response, error, logs or REPORT`,
      {
        path: 'received',
        hint: 'Assert it with toBeThrottled(), or raise reservedConcurrency / accountConcurrency.',
      },
    );
  }
  throw new HarnessError(
    'INVALID_OPTIONS',
    `expect(received).${name}(): received must be an invocation result, received ${describeType(received)}`,
    {
      path: 'received',
      hint: 'Pass the value that invokeHandler() or fn.invoke() resolved to, e.g. `const result = await invokeHandler(handler, event); expect(result).toHaveSucceeded()`. Did you forget an await?',
    },
  );
}

/** Same as {@link requireResult} but also accepts a throttled result. */
export function requireFunctionResult(name: string, received: unknown): FunctionInvocationResult {
  if (isFunctionInvocationResult(received)) return received;
  return requireResult(name, received);
}

/** A short description of an unexpected value's type for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Promise) return 'a Promise';
  if (typeof value === 'object') {
    const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
    return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object without an `outcome` field';
  }
  return typeof value === 'string' ? `string ${describeValue(value)}` : describeValue(value);
}

/** Throws a HarnessError for a bad matcher argument, naming the matcher and the argument. */
export function badArgument(name: string, argument: string, expected: string, value: unknown): never {
  throw new HarnessError(
    'INVALID_OPTIONS',
    `expect(result).${name}(): ${argument}: expected ${expected}, received ${describeType(value)}`,
    { path: argument },
  );
}

/** Rejects unknown keys of a matcher's options object. */
export function checkOptions(
  name: string,
  options: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    badArgument(name, 'options', `an object with ${allowed.join(', ')}`, options);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `expect(result).${name}(): options.${key} is not a known option (known: ${allowed.join(', ')})`,
        { path: `options.${key}` },
      );
    }
  }
  return options as Record<string, unknown>;
}
