import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './errors.js';

/** The option table of one command, in node:util parseArgs form. */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** Parsed values: strings, booleans, or arrays of strings for repeatable options. */
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * Parses a command's arguments with node:util parseArgs (strict), turning its errors into a
 * one-line {@link CliError} that names the flag and points at `--help`.
 *
 * @example
 * const { values, positionals } = parseCommandArgs('generate', ['sqs', '--seed', '3'], { seed: { type: 'string' } });
 */
export function parseCommandArgs(
  command: string,
  args: readonly string[],
  options: OptionTable,
): { values: ParsedValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: attachNegativeValues(args, options),
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedValues, positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const help = `Run \`lambda-harness ${command} --help\` for the options.`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new CliError(`${command}: unknown option ${flag}`, help);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // "Option '--seed <value>' argument missing" or "Option '--list' does not take an argument"
      const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
      const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(' ')[0] ?? '';
      if (/argument missing/.test(message))
        throw new CliError(`${command}: option ${flag} needs a value`, help);
      if (/does not take an argument/.test(message))
        throw new CliError(`${command}: option ${flag} takes no value`, help);
      if (/ambiguous/.test(message)) {
        throw new CliError(
          `${command}: option ${flag} needs a value`,
          `A value starting with "-" must be attached: ${flag}=-1. ${help}`,
        );
      }
      throw new CliError(`${command}: ${message.split('\n')[0]}`, help);
    }
    throw new CliError(`${command}: ${message.split('\n')[0]}`, help);
  }
}

/**
 * `-t -5` and `--timeout -5`: parseArgs reads "-5" as a flag and reports the value missing.
 * A negative number after a string option is its value, attached as `--timeout=-5`, so the
 * option's own range check names the problem.
 */
function attachNegativeValues(args: readonly string[], options: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const name = arg.startsWith('--')
      ? arg.slice(2)
      : /^-\w$/.test(arg)
        ? Object.keys(options).find((k) => options[k]?.short === arg.slice(1))
        : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** The last value of a string option (`--seed 1 --seed 2` gives `2`). */
export function stringOption(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable string option, in order. */
export function stringList(values: ParsedValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** A boolean flag. */
export function flag(values: ParsedValues, name: string): boolean {
  return values[name] === true;
}

/**
 * Parses a numeric option, naming the flag and the accepted range when it is wrong.
 *
 * @example
 * numberOption('invoke', '--timeout', '3', { min: 0.001, max: 900 }); // 3
 */
export function numberOption(
  command: string,
  flagName: string,
  raw: string | undefined,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const kind = range.integer ? 'an integer' : 'a number';
  const bounds =
    range.min !== undefined && range.max !== undefined
      ? ` from ${range.min} to ${range.max}`
      : range.min !== undefined
        ? ` >= ${range.min}`
        : '';
  if (
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    (range.integer && !Number.isInteger(n)) ||
    (range.min !== undefined && n < range.min) ||
    (range.max !== undefined && n > range.max)
  ) {
    throw new CliError(
      `${command}: ${flagName} expects ${kind}${bounds}, got "${raw}"`,
      `For example ${flagName} ${range.min !== undefined ? Math.max(range.min, 1) : 1}.`,
    );
  }
  return n;
}
