import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { ErrorPayload, RuntimeName } from '../contract/result.js';
import { RUNTIME_NAMES } from '../runtime/profiles.js';
import { numberOption, type OptionTable, type ParsedValues, stringList, stringOption } from './args.js';
import { CliError } from './errors.js';

/** Flags shared by `invoke` and `cold-start`: the function's configuration. */
export const FUNCTION_FLAGS: OptionTable = {
  runtime: { type: 'string', short: 'r' },
  memory: { type: 'string', short: 'm' },
  timeout: { type: 'string', short: 't' },
  env: { type: 'string', short: 'e', multiple: true },
  'env-file': { type: 'string' },
  'function-name': { type: 'string' },
};

export const FUNCTION_FLAGS_HELP = `  -r, --runtime <name>     nodejs20.x | nodejs22.x | nodejs24.x (default nodejs24.x)
  -m, --memory <mb>        memory size, 128-10240 (default 128)
  -t, --timeout <s>        timeout in seconds, up to 900; fractions allowed (default 3)
  -e, --env <K=V>          environment variable for the function; repeatable
      --env-file <file>    read environment variables from a dotenv file (--env wins)
      --function-name <n>  AWS_LAMBDA_FUNCTION_NAME (default test-function)`;

/**
 * A handler given as `<file>[:export]`.
 *
 * @example
 * parseTarget('invoke', 'dist/index.js:handlers.get'); // { file: '/abs/dist/index.js', exportName: 'handlers.get', display: 'index.js:handlers.get' }
 */
export function parseTarget(
  command: string,
  raw: string | undefined,
): { file: string; exportName: string; display: string } {
  if (raw === undefined) {
    throw new CliError(
      `${command}: missing <file>[:export]`,
      `For example: lambda-harness ${command} dist/index.js:handler`,
    );
  }
  let file = raw;
  let exportName = 'handler';
  const colon = raw.lastIndexOf(':');
  // `C:\x` (a Windows drive) has its colon at index 1; anything after the last colon that is not a path is the export.
  if (colon > 1 && !/[\\/]/.test(raw.slice(colon + 1))) {
    file = raw.slice(0, colon);
    exportName = raw.slice(colon + 1);
    if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(exportName)) {
      throw new CliError(
        `${command}: "${exportName}" is not an export name`,
        'Write <file>:<export>, for example handler.js:handler or handler.js:handlers.get.',
      );
    }
  }
  const abs = resolve(file);
  if (!existsSync(abs)) {
    throw new CliError(
      `${command}: cannot find handler file ${file}`,
      'Check the path (relative to the current directory); build TypeScript projects first or pass the .ts file.',
    );
  }
  if (!statSync(abs).isFile()) {
    throw new CliError(
      `${command}: ${file} is a directory, not a handler file`,
      'Pass the file, for example dist/index.js.',
    );
  }
  return { file: abs, exportName, display: `${basename(abs)}:${exportName}` };
}

/**
 * Function options from the shared flags, validated with the flag names in messages.
 *
 * @example
 * functionOptionsFromFlags('invoke', values); // { runtime: 'nodejs22.x', timeout: 3, env: { A: '1' } }
 */
export function functionOptionsFromFlags(command: string, values: ParsedValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const runtime = stringOption(values, 'runtime');
  if (runtime !== undefined) {
    if (!RUNTIME_NAMES.includes(runtime as RuntimeName)) {
      throw new CliError(
        `${command}: unknown runtime "${runtime}"`,
        `Use one of: ${RUNTIME_NAMES.join(', ')}.`,
      );
    }
    out.runtime = runtime;
  }
  const memory = numberOption(command, '--memory', stringOption(values, 'memory'), {
    min: 128,
    max: 10240,
    integer: true,
  });
  if (memory !== undefined) out.memorySize = memory;
  const timeout = numberOption(command, '--timeout', stringOption(values, 'timeout'), {
    min: 0.001,
    max: 900,
  });
  if (timeout !== undefined) out.timeout = timeout;
  const name = stringOption(values, 'function-name');
  if (name !== undefined) {
    if (!/^[a-zA-Z0-9-_]{1,64}$/.test(name)) {
      throw new CliError(
        `${command}: --function-name "${name}" is not a valid function name`,
        'Use 1-64 letters, digits, - or _.',
      );
    }
    out.functionName = name;
  }
  const env: Record<string, string> = {};
  const envFile = stringOption(values, 'env-file');
  if (envFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(envFile, 'utf8');
    } catch (error) {
      throw new CliError(
        `${command}: cannot read --env-file ${envFile} (${(error as { code?: string }).code ?? 'error'})`,
        'Check the path; the file uses dotenv syntax (KEY=value per line).',
      );
    }
    Object.assign(env, parseEnv(text));
  }
  for (const pair of stringList(values, 'env')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (eq === -1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new CliError(
        `${command}: bad --env "${pair}"`,
        'Write --env NAME=value, for example --env TABLE_NAME=orders.',
      );
    }
    env[key] = pair.slice(eq + 1);
  }
  if (Object.keys(env).length > 0) out.env = env;
  return out;
}

/**
 * One line and a hint for a failed init, naming what the user can do about it.
 *
 * @example
 * initFailureText('index.js:handler', { errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' }, ['main']);
 */
export function initFailureText(
  display: string,
  error: ErrorPayload,
  availableExports: readonly string[] | undefined,
): { line: string; hint: string } {
  const file = display.slice(0, display.lastIndexOf(':'));
  const message = error.errorMessage.split('\n')[0] ?? '';
  const line = `${display} failed to initialise: ${error.errorType}: ${message}`;
  let hint: string;
  switch (error.errorType) {
    case 'Runtime.HandlerNotFound':
      hint =
        availableExports && availableExports.length > 0
          ? `The module exports: ${availableExports.join(', ')}. Pick one with ${file}:<export>.`
          : `The module exports no functions; export the handler (export const handler = async (event) => ...).`;
      break;
    case 'Runtime.UserCodeSyntaxError':
      hint = `Fix the syntax error in ${file} (or a module it imports); \`node --check ${file}\` shows the line.`;
      break;
    case 'Runtime.ImportModuleError':
      hint = 'A module the handler requires is missing: install it, or bundle it into the build.';
      break;
    case 'Runtime.CallbackHandlerDeprecated':
      hint =
        'nodejs24.x rejects handlers with 3 parameters: make it `async (event, context)`, or use --runtime nodejs22.x.';
      break;
    case 'Sandbox.Timedout':
      hint = 'Init code ran past the 10 s init limit; move slow work out of module scope or make it lazy.';
      break;
    default:
      hint = /Cannot find (package|module)/.test(message)
        ? 'A package the handler imports is missing: install it, or bundle it into the build.'
        : `The module's top-level code threw; run with --verbose to see the init log lines.`;
  }
  return { line, hint };
}
