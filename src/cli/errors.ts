import { HarnessError } from '../errors/index.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * A failure the CLI reports as one line plus a hint, with a chosen exit code.
 *
 * @example
 * throw new CliError('unknown flag --sed', 'Run `lambda-harness generate --help` for the flags.');
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, hint?: string, exitCode: ExitCode = EXIT.USAGE) {
    super(message);
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** Splits a HarnessError message into its line and hint (the class appends `\nHint: ...`). */
function splitHarnessError(error: HarnessError): { line: string; hint: string | undefined } {
  const first = error.message.split('\n')[0] ?? error.message;
  const line = first.replace(/^\[lambda-harness\]\s*/, '');
  return { line, hint: error.hint };
}

/**
 * Turns anything thrown while running a command into the text the CLI prints (one line and an
 * optional hint) and an exit code. Never prints a stack trace unless LAMBDA_HARNESS_DEBUG is set.
 *
 * @example
 * const { text, exitCode } = describeFailure(new CliError('bad', 'try this'));
 */
export function describeFailure(error: unknown): { text: string; exitCode: ExitCode } {
  let line: string;
  let hint: string | undefined;
  let exitCode: ExitCode;
  if (error instanceof CliError) {
    line = error.message;
    hint = error.hint;
    exitCode = error.exitCode;
  } else if (error instanceof HarnessError) {
    ({ line, hint } = splitHarnessError(error));
    exitCode = error.code === 'INTERNAL' ? EXIT.INTERNAL : EXIT.USAGE;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    line = `internal error: ${message.split('\n')[0]}`;
    hint =
      'This is a bug in lambda-harness; rerun with LAMBDA_HARNESS_DEBUG=1 for the stack trace and report it.';
    exitCode = EXIT.INTERNAL;
  }
  const oneLine = line.replace(/\s*\n\s*/g, '; ');
  let text = `lambda-harness: ${oneLine}\n`;
  if (hint) text += `hint: ${hint.replace(/\s*\n\s*/g, ' ')}\n`;
  if (process.env.LAMBDA_HARNESS_DEBUG && error instanceof Error && error.stack) text += `${error.stack}\n`;
  return { text, exitCode };
}
