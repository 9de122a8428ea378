/**
 * Errors the harness itself throws (bad options, bad overrides, misuse). Handler failures are
 * never thrown: they are values on an invocation result.
 */

/**
 * Stable codes so tests and tools can branch on a harness error without parsing text.
 *
 * @example
 * const code: HarnessErrorCode = 'INVALID_OPTIONS';
 * if (error instanceof HarnessError && error.code === code) console.log(error.path, error.hint);
 */
export type HarnessErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_OVERRIDE'
  | 'INVALID_EVENT'
  | 'INVALID_HANDLER'
  | 'INVALID_CONFIGURATION'
  | 'INVALID_TEMPLATE'
  | 'UNSUPPORTED'
  | 'INTERNAL';

/**
 * An error raised by lambda-harness (never by the handler under test). The message reads
 * `[lambda-harness] <what happened>` and, when given, the hint on the next line says what to do.
 *
 * @example
 * throw new HarnessError('INVALID_OPTIONS', 'invokeHandler options.timeout: expected 1-900 seconds, received 0', {
 *   hint: 'Lambda timeouts are configured in whole seconds between 1 and 900.',
 * });
 */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly code: HarnessErrorCode;
  /** The path of the offending option or field, for example `Records[0].body`. */
  readonly path: string | undefined;
  readonly hint: string | undefined;

  constructor(
    code: HarnessErrorCode,
    message: string,
    details: { path?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(`[lambda-harness] ${message}${details.hint ? `\nHint: ${details.hint}` : ''}`, {
      cause: details.cause,
    });
    this.code = code;
    this.path = details.path;
    this.hint = details.hint;
  }
}
