import { writeFileSync } from 'node:fs';
import { CliError } from './errors.js';

/**
 * Where a command writes: stdout and stderr streams, injectable for tests of the command
 * functions (the subprocess tests use the real ones).
 *
 * @example
 * const io: CliIO = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), stdin: process.stdin, isTTY: false, env: process.env };
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether stderr is a terminal (progress indicators are drawn only then). */
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Writes text to a file given by `-o`, with a one-line error when the path is not writable.
 *
 * @example
 * writeOutputFile('generate', 'event.json', '{}\n');
 */
export function writeOutputFile(command: string, file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    throw new CliError(
      `${command}: cannot write ${file} (${code})`,
      'Check that the directory exists and is writable, or leave out -o to print to stdout.',
    );
  }
}
