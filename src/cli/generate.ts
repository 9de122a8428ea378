import { HarnessError } from '../errors/index.js';
import { eventSources, generateEvent } from '../events/index.js';
import { DEFAULT_SEED } from '../random/index.js';
import { flag, numberOption, type OptionTable, parseCommandArgs, stringList, stringOption } from './args.js';
import { CliError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIO } from './output.js';
import { writeOutputFile } from './output.js';
import { buildOverrides, parseAssignment } from './set-path.js';

/** Options of `lambda-harness generate`. */
export const GENERATE_OPTIONS: OptionTable = {
  records: { type: 'string', short: 'n' },
  seed: { type: 'string', short: 's' },
  region: { type: 'string' },
  account: { type: 'string' },
  set: { type: 'string', multiple: true },
  list: { type: 'boolean', short: 'l' },
  output: { type: 'string', short: 'o' },
  compact: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const GENERATE_HELP = `Usage: lambda-harness generate <source> [variant] [options]

Print a Lambda event as JSON (the shape AWS delivers), generated from a seed.

Options:
  -n, --records <n>      number of records (batch sources)
  -s, --seed <n>         seed of the generator (default ${DEFAULT_SEED}); the same seed gives the same event
      --region <region>  AWS region in ARNs and region fields (default us-east-1)
      --account <id>     12-digit account id in ARNs (default 123456789012)
      --set <path=value> override a field; value is JSON if it parses, else a string; repeatable
                         e.g. --set 'Records[0].body={"a":1}' --set 'Records[1].messageId=m-2'
  -l, --list             list the sources and their variants
  -o, --output <file>    write the event to a file instead of stdout
      --compact          one-line JSON instead of indented
  -h, --help             show this help

Examples:
  lambda-harness generate sqs fifo --records 3 --seed 7
  lambda-harness generate sqs --set 'Records[0].body={"orderId":"o-1"}' -o event.json
  lambda-harness generate --list
`;

const FLAG_OF: Record<string, string> = {
  records: '--records',
  seed: '--seed',
  region: '--region',
  accountId: '--account',
  source: '<source>',
  variant: '[variant]',
};

/** Calls the events registry, restating its errors in CLI terms (flags instead of option names). */
function generate(
  command: string,
  source: string,
  variant: string | undefined,
  options: Record<string, unknown>,
): unknown {
  try {
    return generateEvent(source, variant, options);
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    const line = (error.message.split('\n')[0] ?? '').replace(/^\[lambda-harness\]\s*/, '');
    if (error.code === 'INVALID_OVERRIDE') {
      const where = line.replace(/^\S+\(\) /, '').replace(/^overrides\.?/, '');
      throw new CliError(
        `${command}: bad --set: ${where}`,
        'The merged event must keep the real AWS shape; run `lambda-harness generate ' +
          `${source}${variant ? ` ${variant}` : ''}\` to see the fields and paths.`,
      );
    }
    const flagName = error.path ? (FLAG_OF[error.path.split(/[.[]/)[0] ?? ''] ?? undefined) : undefined;
    const text = line.replace(/^\S+\(\) options\.(\w+)/, (_m, key: string) => FLAG_OF[key] ?? key);
    throw new CliError(`${command}: ${text}`, error.hint ?? (flagName ? `Check ${flagName}.` : undefined));
  }
}

/**
 * Generates an event from the registry and applies `--set` assignments as overrides (so derived
 * fields are recomputed); errors name the command and the flag. Shared by `generate` and
 * `invoke --generate`.
 *
 * @example
 * generateWithSets('invoke', 'sqs', 'fifo', { seed: 3 }, ['Records[0].body=hi']);
 */
export function generateWithSets(
  command: string,
  source: string,
  variant: string | undefined,
  base: Record<string, unknown>,
  sets: readonly string[],
): unknown {
  const assignments = sets.map((raw) => parseAssignment(raw, command));
  if (assignments.length === 0) return generate(command, source, variant, base);
  const plain = generate(command, source, variant, base);
  return generate(command, source, variant, {
    ...base,
    overrides: buildOverrides(assignments, plain, command),
  });
}

type SourceMap = Record<string, { description: string; variants: readonly string[] }>;

function sourceListing(): string {
  const sources = eventSources as unknown as SourceMap;
  const names = Object.keys(sources);
  const width = Math.max(...names.map((n) => n.length), 6);
  let out = 'Sources and variants (the first variant is the default):\n';
  for (const name of names) {
    const s = sources[name] as SourceMap[string];
    out += `  ${name.padEnd(width)}  ${s.variants.join(', ')}\n  ${' '.repeat(width)}  ${s.description}\n`;
  }
  return out;
}

/**
 * `lambda-harness generate`: prints a generated event.
 *
 * @example
 * await runGenerate(['sqs', 'fifo', '--records', '2'], io); // 0, JSON on stdout
 */
export async function runGenerate(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('generate', args, GENERATE_OPTIONS);
  if (flag(values, 'help')) {
    io.stdout(GENERATE_HELP);
    return EXIT.OK;
  }
  if (flag(values, 'list')) {
    io.stdout(sourceListing());
    return EXIT.OK;
  }
  const sources = Object.keys(eventSources);
  // `sqs:fifo` is accepted too, as in `invoke --generate sqs:fifo`.
  const [first, second, ...extra] = positionals;
  const [source, colonVariant] = first?.includes(':')
    ? (first.split(':', 2) as [string, string])
    : [first, undefined];
  if (colonVariant !== undefined && second !== undefined) extra.unshift(second);
  const variant = colonVariant ?? second;
  if (source === undefined) {
    throw new CliError('generate: missing <source>', `Pick one of: ${sources.join(', ')} (see --list).`);
  }
  if (extra.length > 0) {
    throw new CliError(
      `generate: unexpected argument "${extra[0]}"`,
      'Usage: lambda-harness generate <source> [variant] [options]; quote --set values that contain spaces.',
    );
  }
  const records = numberOption('generate', '--records', stringOption(values, 'records'), {
    min: 1,
    max: 10_000,
    integer: true,
  });
  const seed = numberOption('generate', '--seed', stringOption(values, 'seed'), { integer: true });
  const region = stringOption(values, 'region');
  const accountId = stringOption(values, 'account');
  const base: Record<string, unknown> = {};
  if (records !== undefined) base.records = records;
  if (seed !== undefined) base.seed = seed;
  if (region !== undefined) base.region = region;
  if (accountId !== undefined) base.accountId = accountId;

  const event = generateWithSets('generate', source, variant, base, stringList(values, 'set'));
  const text = `${flag(values, 'compact') ? JSON.stringify(event) : JSON.stringify(event, null, 2)}\n`;
  const file = stringOption(values, 'output');
  if (file !== undefined) {
    writeOutputFile('generate', file, text);
    io.stderr(
      `wrote ${source}${variant ? ` ${variant}` : ''} event to ${file} (seed: ${seed ?? DEFAULT_SEED})\n`,
    );
  } else {
    io.stdout(text);
  }
  return EXIT.OK;
}
