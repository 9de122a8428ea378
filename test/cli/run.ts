import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';

/** What one run of the CLI produced. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment a CLI run sees: this process's, without a GitHub step summary or NODE_OPTIONS,
 * with the test's additions (undefined removes a variable).
 */
function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    ...process.env,
    GITHUB_STEP_SUMMARY: undefined,
    ...extra,
  };
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env as NodeJS.ProcessEnv;
}

/**
 * Runs the built CLI as a subprocess, as a user's shell would.
 *
 * @example
 * const { code, stdout } = await runCli(cli, ['generate', 'sqs']);
 */
export function runCli(
  cli: string,
  args: readonly string[],
  options: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = cliEnv(options.env);
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A CLI that exits before reading stdin closes the pipe: EPIPE on this write is expected and
    // must not become an unhandled error that fails the whole test run.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Asserts the shape every bad-input failure must have: one line, one hint line, no stack trace. */
export function oneLineFailure(stderr: string): { line: string; hint: string } {
  const lines = stderr.trimEnd().split('\n');
  if (lines.length !== 2)
    throw new Error(`expected 2 stderr lines (error + hint), got ${lines.length}:\n${stderr}`);
  const [line = '', hint = ''] = lines;
  if (!line.startsWith('lambda-harness: ')) throw new Error(`first line lacks the prefix: ${line}`);
  if (!hint.startsWith('hint: ')) throw new Error(`second line is not a hint: ${hint}`);
  if (/^\s+at /m.test(stderr)) throw new Error(`stack trace in stderr:\n${stderr}`);
  return { line, hint };
}

/**
 * Runs the CLI's `main` in this process with captured output: the same arguments, stdin and
 * environment as `runCli`, without starting Node and loading the bundle (about 0.5 s a run, more
 * under load). For tests of the CLI's own logic (parsing, messages, exit codes, output); the
 * end-to-end behaviour of the built binary stays covered by the `runCli` tests.
 *
 * @example
 * const { code, stderr } = await runMain(['generate', 'sqz']);
 */
export async function runMain(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  const { main } = await import('../../src/cli/main.js');
  const env = cliEnv(options.env);
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: Readable.from(options.input ? [Buffer.from(options.input)] : []),
    isTTY: false,
    env,
  });
  return { code, stdout, stderr };
}

/**
 * A per-test timeout for the tests of a file that start the CLI (and its isolated children): 40
 * times the wall time of one `invoke` of a trivial handler measured now, at collection, on this
 * machine under its present load; never under `floorMs`. On a quiet machine that is the floor; at
 * load 20 a process start takes several seconds, and the timeout grows with it instead of failing
 * tests that pass alone.
 *
 * @example
 * const timeout = await cliTimeout(cli, fx('echo.mjs'));
 */
export async function cliTimeout(cli: string, handlerFile: string, floorMs = 60_000): Promise<number> {
  const started = performance.now();
  const probe = await runCli(cli, ['invoke', handlerFile, '-q']);
  if (probe.code !== 0) throw new Error(`the baseline CLI run failed (${probe.code}):\n${probe.stderr}`);
  return Math.max(floorMs, Math.ceil((performance.now() - started) * 40));
}
