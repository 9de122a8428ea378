import { CliError, describeFailure } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO } from './output.js';
import { packageVersion } from './version.js';

export const MAIN_HELP = `Usage: lambda-harness <command> [options]

Test AWS Lambda handlers locally as if they ran on Lambda (no Docker, no AWS account).

Commands:
  generate <source> [variant]   print a generated event as JSON (see generate --list)
  invoke <file>[:export]        run a handler once and print its logs and response
  cold-start <file>[:export]    measure init duration in fresh isolated processes

Options:
  -h, --help      show help (also: lambda-harness <command> --help)
  -v, --version   print the version

Exit codes:
  0  success
  1  invoke: the handler returned an error
  2  bad usage or bad input (unknown flag, source, --set path, unreadable file)
  3  the handler failed to initialise (syntax error, missing export, import error, init throw)
  4  invoke: the handler timed out
  5  cold-start: p90 init duration over --budget
  70 internal error in lambda-harness
`;

type Command = (args: readonly string[], io: CliIO) => Promise<ExitCode>;

// Loaded on demand, so `invoke` does not pay for the event generators and `generate` does not
// pay for isolated mode.
const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: async () => (await import('./generate.js')).runGenerate,
  invoke: async () => (await import('./invoke.js')).runInvoke,
  'cold-start': async () => (await import('./cold-start.js')).runColdStart,
};

/**
 * Runs the CLI with the arguments after `lambda-harness` and returns the exit code. Every
 * failure becomes one line plus a hint on stderr.
 *
 * @example
 * const code = await main(['generate', 'sqs'], io);
 */
export async function main(argv: readonly string[], io: CliIO, binFile?: string): Promise<ExitCode> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      if (command === 'help' && rest[0] && rest[0] in COMMANDS) {
        const load = COMMANDS[rest[0]] as (typeof COMMANDS)[string];
        return await (await load())(['--help'], io);
      }
      io.stdout(MAIN_HELP);
      return command === undefined ? EXIT.USAGE : EXIT.OK;
    }
    if (command === '-v' || command === '--version' || command === 'version') {
      io.stdout(`${packageVersion(binFile)}\n`);
      return EXIT.OK;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) {
      const hint = command.startsWith('-')
        ? 'Options go after the command, e.g. `lambda-harness generate sqs --seed 3`; run `lambda-harness --help`.'
        : `Commands: ${Object.keys(COMMANDS).join(', ')}; run \`lambda-harness --help\`.`;
      throw new CliError(`unknown command "${command}"`, hint);
    }
    const run = await load();
    return await run(rest, io);
  } catch (error) {
    const { text, exitCode } = describeFailure(error);
    io.stderr(text);
    return exitCode;
  }
}
