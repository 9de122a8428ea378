/**
 * The function a command runs: either `<file>[:export]` with flags, or `--template <file>
 * <LogicalId>` read from a SAM / CloudFormation / CDK template or serverless.yml. Also the flags
 * every function command shares beyond the basic ones: SAM's `--env-vars` JSON, `--log-format`,
 * `--log-level`, `--parameter` and `--lambda-env-only`.
 */
import { readFileSync } from 'node:fs';
import { HarnessError } from '../errors/index.js';
import { resolveHandlerFile } from '../lifecycle/index.js';
import { parseHandlerName } from '../runtime/handler-name.js';
import { loadTemplate, type TemplateFunction } from '../template/index.js';
import { flag, type OptionTable, type ParsedValues, stringList, stringOption } from './args.js';
import { CliError } from './errors.js';
import { functionOptionsFromFlags, parseTarget } from './target.js';

/** Flags for functions from templates and the environment, shared by `invoke` and `cold-start`. */
export const TEMPLATE_FLAGS: OptionTable = {
  template: { type: 'string' },
  parameter: { type: 'string', multiple: true },
  'env-vars': { type: 'string' },
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
  'lambda-env-only': { type: 'boolean' },
};

export const TEMPLATE_FLAGS_HELP = `      --template <file>    take the function from a SAM/CloudFormation template, CDK synth output
                           (cdk.out/*.template.json) or serverless.yml; the argument is then
                           the function's logical id (its key under functions: in serverless.yml)
      --parameter <K=V>    template parameter value; repeatable
      --env-vars <file>    environment variables in SAM's format:
                           { "Parameters": { "K": "v" }, "<LogicalId or name>": { "K": "v" } }
      --log-format <f>     Text | JSON (AWS_LAMBDA_LOG_FORMAT)
      --log-level <l>      TRACE | DEBUG | INFO | WARN | ERROR | FATAL (JSON format only)
      --lambda-env-only    the handler sees only the variables Lambda sets plus those configured
                           (by default it also sees this shell's environment)`;

/** Lambda's PATH in the managed Node.js runtimes. */
const LAMBDA_PATH = '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin';

/** A resolved target of a function command. */
export interface FunctionTarget {
  readonly file: string;
  readonly exportName: string;
  readonly display: string;
  readonly functionOptions: Record<string, unknown>;
  readonly cwd: string | undefined;
  /** The template's model of the function, when it came from one. */
  readonly model: TemplateFunction | undefined;
}

function readEnvVars(command: string, file: string, ids: readonly string[]): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(
      `${command}: cannot read --env-vars ${file} (${(error as { code?: string }).code ?? (error as Error).message.split('\n')[0]})`,
      'It is a JSON file: { "Parameters": { "KEY": "value" }, "MyFunction": { "KEY": "value" } }, as for sam local invoke.',
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new CliError(
      `${command}: --env-vars ${file}: expected a JSON object`,
      'See sam local invoke --env-vars.',
    );
  }
  const out: Record<string, string> = {};
  for (const key of ['Parameters', ...ids]) {
    const vars = (doc as Record<string, unknown>)[key];
    if (vars === undefined) continue;
    if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) {
      throw new CliError(
        `${command}: --env-vars ${file}: ${key}: expected an object of variables`,
        'Values are strings.',
      );
    }
    for (const [k, v] of Object.entries(vars)) out[k] = String(v);
  }
  return out;
}

function parameters(command: string, values: ParsedValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of stringList(values, 'parameter')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`${command}: bad --parameter "${pair}"`, 'Write --parameter Name=value.');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function fromTemplate(
  command: string,
  values: ParsedValues,
  templateFile: string,
  id: string | undefined,
): FunctionTarget {
  const params = parameters(command, values);
  let model: TemplateFunction;
  try {
    const app = loadTemplate(templateFile, Object.keys(params).length > 0 ? { parameters: params } : {});
    if (id === undefined) {
      throw new CliError(
        `${command}: missing the function's logical id after --template ${templateFile}`,
        `The file has: ${app.functionIds.join(', ') || '(no functions)'}.`,
      );
    }
    model = app.describe(id);
  } catch (error) {
    if (error instanceof HarnessError)
      throw new CliError(`${command}: ${error.message.replace('[lambda-harness] ', '')}`, error.hint ?? '');
    throw error;
  }
  const { taskRoot, handler, ...rest } = model.options as Record<string, unknown> & {
    taskRoot: string;
    handler: string;
  };
  const parsed = parseHandlerName(handler);
  const file = model.entry ?? resolveHandlerFile(taskRoot, handler, true);
  if (!parsed.ok || file === undefined) {
    throw new CliError(
      `${command}: ${templateFile}: ${id}: handler "${handler}" names no module under ${taskRoot}`,
      parsed.ok
        ? `Lambda would fail with Runtime.ImportModuleError: Cannot find module '${parsed.moduleName}'. Build first, or fix Handler/CodeUri.`
        : `Lambda would fail with ${parsed.error.errorType}: ${parsed.error.errorMessage}.`,
    );
  }
  // The isolated process takes the runtime's settings; concurrency settings do not apply to one run.
  const functionOptions: Record<string, unknown> = {};
  for (const key of [
    'runtime',
    'functionName',
    'timeout',
    'memorySize',
    'env',
    'logFormat',
    'logLevel',
    'logGroupName',
  ]) {
    if (rest[key] !== undefined) functionOptions[key] = rest[key];
  }
  return {
    file,
    exportName: parsed.propertyPath.join('.'),
    display: `${id} (${handler})`,
    functionOptions,
    cwd: taskRoot,
    model,
  };
}

/**
 * Resolves the function of `invoke` / `cold-start`: the template's function (with flags
 * overriding it) or the file target, then the environment flags.
 *
 * @example
 * resolveFunctionTarget('invoke', values, 'OrdersFunction'); // with --template template.yaml
 */
export function resolveFunctionTarget(
  command: string,
  values: ParsedValues,
  positional: string | undefined,
  hostEnv: NodeJS.ProcessEnv,
): FunctionTarget {
  const templateFile = stringOption(values, 'template');
  let target: FunctionTarget;
  if (templateFile !== undefined) {
    target = fromTemplate(command, values, templateFile, positional);
  } else {
    if (stringList(values, 'parameter').length > 0) {
      throw new CliError(`${command}: --parameter only applies with --template`, 'Add --template <file>.');
    }
    const t = parseTarget(command, positional);
    target = { ...t, functionOptions: {}, cwd: undefined, model: undefined };
  }
  const flags = functionOptionsFromFlags(command, values);
  const options: Record<string, unknown> = { ...target.functionOptions, ...flags };
  const env: Record<string, string | undefined> = {
    ...((target.functionOptions.env as Record<string, string> | undefined) ?? {}),
  };
  const envVarsFile = stringOption(values, 'env-vars');
  if (envVarsFile !== undefined) {
    const ids = [target.model?.logicalId, options.functionName as string | undefined].filter(
      (x): x is string => x !== undefined,
    );
    Object.assign(env, readEnvVars(command, envVarsFile, ids));
  }
  Object.assign(env, (flags.env as Record<string, string> | undefined) ?? {});
  if (flag(values, 'lambda-env-only')) {
    // The env layer deletes variables given as undefined: the host's, except those configured.
    for (const key of Object.keys(hostEnv)) if (!(key in env)) env[key] = undefined;
    env.PATH ??= LAMBDA_PATH;
  }
  if (Object.keys(env).length > 0) options.env = env;
  const logFormat = stringOption(values, 'log-format');
  if (logFormat !== undefined) {
    const normal =
      logFormat.toLowerCase() === 'json' ? 'JSON' : logFormat.toLowerCase() === 'text' ? 'Text' : undefined;
    if (!normal)
      throw new CliError(`${command}: --log-format "${logFormat}" is not a log format`, 'Use Text or JSON.');
    options.logFormat = normal;
  }
  const logLevel = stringOption(values, 'log-level');
  if (logLevel !== undefined) options.logLevel = logLevel.toUpperCase();
  return { ...target, functionOptions: options };
}
