import { readFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { InvocationResult } from '../contract/result.js';
import { createIsolatedFunction, type IsolatedStreamEvent } from '../lifecycle/isolated/index.js';
import {
  flag,
  numberOption,
  type OptionTable,
  type ParsedValues,
  parseCommandArgs,
  stringList,
  stringOption,
} from './args.js';
import { CliError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO } from './output.js';
import {
  FUNCTION_FLAGS,
  FUNCTION_FLAGS_HELP,
  functionOptionsFromFlags,
  initFailureText,
  parseTarget,
} from './target.js';

/** Options of `lambda-harness invoke`. */
export const INVOKE_OPTIONS: OptionTable = {
  ...FUNCTION_FLAGS,
  event: { type: 'string' },
  generate: { type: 'string', short: 'g' },
  seed: { type: 'string', short: 's' },
  records: { type: 'string', short: 'n' },
  set: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const INVOKE_HELP = `Usage: lambda-harness invoke <file>[:export] [options]

Run a handler once, in a fresh Node.js process set up like a Lambda execution environment,
and print the runtime's log lines (stderr) and the response or error payload (stdout).
TypeScript handlers (.ts, .mts, .cts) are loaded through tsx. The export defaults to "handler".
A streaming handler (awslambda.streamifyResponse) has its body printed on stdout as it arrives,
and its HttpResponseStream prelude (status, headers, cookies) on stderr.

Event (default {}):
      --event <file>       read the event from a JSON file; "--event -" reads stdin
  -g, --generate <src>     generate the event: <source>[:variant], e.g. sqs:fifo (see generate --list)
  -s, --seed <n>           seed for --generate
  -n, --records <n>        record count for --generate
      --set <path=value>   override a field of the generated event; repeatable (see generate --help)

Function:
${FUNCTION_FLAGS_HELP}

Output:
      --json               print the whole invocation result (log lines included) as JSON on stdout
  -q, --quiet              do not print log lines
      --verbose            also print the init log lines when init fails, and anything the
                           process wrote outside an invocation
  -h, --help               show this help

Exit codes: 0 success, 1 handler error, 2 bad usage, 3 init error, 4 timeout.

Examples:
  lambda-harness invoke dist/index.js --event event.json
  lambda-harness generate sqs --records 2 | lambda-harness invoke src/handler.ts:main --event -
  lambda-harness invoke handler.mjs --generate sqs:fifo --timeout 10 --env TABLE=orders
`;

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function parseEventJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(
      `invoke: ${where} is not valid JSON (${why})`,
      text.trim() === ''
        ? 'It is empty; an event is any JSON value, e.g. {}.'
        : 'An event is any JSON value; check quotes and commas.',
    );
  }
}

async function loadEvent(values: ParsedValues, io: CliIO): Promise<unknown> {
  const eventArg = stringOption(values, 'event');
  const gen = stringOption(values, 'generate');
  if (eventArg !== undefined && gen !== undefined) {
    throw new CliError('invoke: use either --event or --generate, not both', 'Pick one source of the event.');
  }
  const seed = numberOption('invoke', '--seed', stringOption(values, 'seed'), { integer: true });
  const records = numberOption('invoke', '--records', stringOption(values, 'records'), {
    min: 1,
    max: 10_000,
    integer: true,
  });
  const sets = stringList(values, 'set');
  if (gen === undefined && (seed !== undefined || records !== undefined || sets.length > 0)) {
    throw new CliError(
      'invoke: --seed, --records and --set only apply with --generate',
      'Add --generate <source>[:variant].',
    );
  }
  if (eventArg === '-') return parseEventJson(await readStdin(io.stdin), 'the event on stdin');
  if (eventArg !== undefined) {
    let text: string;
    try {
      text = readFileSync(eventArg, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      throw new CliError(
        `invoke: cannot read event file ${eventArg} (${code})`,
        'Check the path, pipe the event with --event -, or generate one with --generate <source>.',
      );
    }
    return parseEventJson(text, `event file ${eventArg}`);
  }
  if (gen !== undefined) {
    const [source = '', variant] = gen.split(':');
    const options: Record<string, unknown> = {};
    if (seed !== undefined) options.seed = seed;
    if (records !== undefined) options.records = records;
    const { generateWithSets } = await import('./generate.js');
    return generateWithSets('invoke', source, variant, options, sets);
  }
  return {};
}

/** The result for --json: a stream's chunks as text rather than Buffer byte arrays. */
function jsonView(result: InvocationResult): unknown {
  const s = result.stream;
  if (!s) return result;
  return {
    ...result,
    stream: {
      ...s,
      body: undefined,
      chunks: s.chunks.map((c) => ({ text: c.text, atMs: c.atMs, deliveredAtMs: c.deliveredAtMs })),
    },
  };
}

function printLogs(io: CliIO, result: InvocationResult): void {
  let out = '';
  for (const line of result.logs) out += `${line.text}\n`;
  io.stderr(out);
}

/**
 * `lambda-harness invoke`: runs a handler once in an isolated process.
 *
 * Why isolated rather than in the CLI's own process: the child is a clean Lambda-like process
 * (only the handler's modules are loaded, so the reported Init Duration is the handler's), a
 * handler that blocks the event loop can still be stopped at its timeout (the process is killed),
 * and process.exit or a crash cannot take the CLI down with it.
 *
 * @example
 * await runInvoke(['handler.mjs', '--event', 'event.json'], io); // 0 on success
 */
export async function runInvoke(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('invoke', args, INVOKE_OPTIONS);
  if (flag(values, 'help')) {
    io.stdout(INVOKE_HELP);
    return EXIT.OK;
  }
  if (positionals.length > 1) {
    throw new CliError(
      `invoke: unexpected argument "${positionals[1]}"`,
      'Usage: lambda-harness invoke <file>[:export] [options]',
    );
  }
  const target = parseTarget('invoke', positionals[0]);
  const functionOptions = functionOptionsFromFlags('invoke', values);
  const event = await loadEvent(values, io);
  const fn = createIsolatedFunction({ file: target.file, exportName: target.exportName, ...functionOptions });
  // --json prints the whole result (logs included) on stdout, so no log lines on stderr.
  const json = flag(values, 'json');
  const quiet = flag(values, 'quiet') || json;
  // A streaming handler's body goes to stdout as it arrives (the prelude to stderr).
  const decoder = new StringDecoder('utf8');
  let streamedText = '';
  const onStream = (e: IsolatedStreamEvent) => {
    if (e.type === 'prelude') {
      if (!quiet) io.stderr(`lambda-harness: response prelude ${JSON.stringify(e.prelude)}\n`);
      return;
    }
    const text = decoder.write(e.chunk.data);
    streamedText += text;
    io.stdout(text);
  };
  let result: InvocationResult;
  try {
    result = await fn.invoke(event, json ? {} : { onStream });
  } finally {
    await fn.dispose();
  }
  if (result.stream && !json) {
    const rest = decoder.end();
    streamedText += rest;
    // A newline so the shell prompt does not follow the body on the same line.
    io.stdout(`${rest}${streamedText.length > 0 && !streamedText.endsWith('\n') ? '\n' : ''}`);
  }
  const payload = json
    ? JSON.stringify(jsonView(result), null, 2)
    : result.outcome === 'success'
      ? result.stream
        ? undefined
        : result.responseJson
      : JSON.stringify(result.error);
  if (result.outcome === 'error' && result.phase === 'init') {
    if (flag(values, 'verbose') && !json) printLogs(io, result);
    if (payload !== undefined) io.stdout(`${payload}\n`);
    const { line, hint } = initFailureText(target.display, result.error, fn.lastInit?.availableExports);
    throw new CliError(line, hint, EXIT.INIT_ERROR);
  }
  if (!quiet) printLogs(io, result);
  // What the process wrote outside any invocation (for example a crash print before it died).
  if (flag(values, 'verbose') && fn.strayOutput) io.stderr(fn.strayOutput);
  if (payload !== undefined) io.stdout(`${payload}\n`);
  if (result.outcome === 'success') return EXIT.OK;
  if (result.outcome === 'timeout') {
    io.stderr(
      `lambda-harness: ${target.display} timed out after ${(result.durationMs / 1000).toFixed(2)} s\n`,
    );
    io.stderr(
      'hint: raise --timeout, or check for work that never finishes (an unresolved promise, a busy loop).\n',
    );
    return EXIT.TIMEOUT;
  }
  io.stderr(
    `lambda-harness: ${target.display} failed: ${result.error.errorType}: ${result.error.errorMessage.split('\n')[0]}\n`,
  );
  return EXIT.HANDLER_ERROR;
}
