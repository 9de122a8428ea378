/**
 * Functions from the user's own infrastructure files: SAM and CloudFormation templates, CDK synth
 * output (cdk.out/*.template.json) and serverless.yml, turned into `createFunction` options and the
 * options of each event source's simulator.
 */
import path from 'node:path';
import { HarnessError } from '../errors/index.js';
import {
  type CreateFunctionOptions,
  createFunction,
  type LambdaFunction,
  type ModuleImporter,
  taskRootLoader,
} from '../lifecycle/index.js';
import {
  type AsyncInvocationOptions,
  type AsyncInvocationSimulator,
  createAsyncInvoker,
  createDynamoDBEventSource,
  createKinesisEventSource,
  createSqsEventSource,
  type DynamoDBEventSourceOptions,
  type DynamoDBEventSourceSimulator,
  type KinesisEventSourceOptions,
  type KinesisEventSourceSimulator,
  type SqsEventSourceOptions,
  type SqsEventSourceSimulator,
  type TargetInput,
} from '../sources/index.js';
import { type IntrinsicScope, type RawResource, resolveValue, templateError } from './intrinsics.js';
import {
  cloudFormationFunction,
  isFunctionResource,
  mappingSource,
  type TemplateEventSource,
  type TemplateFunction,
} from './model.js';
import { readTemplateFile } from './parse.js';
import { resolveServerlessVariables, serverlessFunction } from './serverless.js';

export type { TemplateEventSource, TemplateEventType, TemplateFunction } from './model.js';
export { parseTemplateText } from './parse.js';

/**
 * Options of {@link loadTemplate}.
 *
 * @example
 * const options: LoadTemplateOptions = { parameters: { Stage: 'test' }, values: { 'Fn::ImportValue:SharedTopic': 'arn:...' } };
 */
export interface LoadTemplateOptions {
  /** Template parameters (override their defaults); a parameter without default or value is an error when used. */
  readonly parameters?: Readonly<Record<string, string | number | readonly string[]>>;
  /** Values for what lies outside the file: `Fn::ImportValue` names, `Ref`/`GetAtt` targets (`'ExternalQueue.Arn'`). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Default us-east-1. */
  readonly region?: string;
  /** Default 123456789012. */
  readonly accountId?: string;
  /** AWS::StackName; default the template's folder name. */
  readonly stackName?: string;
  /** serverless.yml `${opt:stage}` / `${sls:stage}`; default the file's provider.stage, else dev. */
  readonly stage?: string;
  /** serverless.yml `${env:...}` values; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Loads the handler module (absolute path); pass `(file) => import(file)` so the runner's mocks apply. */
  readonly importModule?: ModuleImporter;
  /** Per function: the TypeScript source to load for the built handler module (CDK NodejsFunction's `entry`). */
  readonly entries?: Readonly<Record<string, string>>;
}

/**
 * A loaded infrastructure file.
 *
 * @example
 * const app = loadTemplate('template.yaml');
 * const fn = app.function('OrdersFunction');
 * const queue = app.sqsEventSource('OrdersFunction', { target: fn });
 */
export interface LoadedTemplate {
  readonly file: string;
  readonly format: 'sam' | 'cloudformation' | 'cdk' | 'serverless';
  /** Logical ids (function keys in serverless.yml) of every function in the file. */
  readonly functionIds: readonly string[];
  /** The harness's model of a function: options as data, async settings, event sources. */
  describe(logicalId: string): TemplateFunction;
  /** `createFunction` options for the function; `overrides` win (e.g. `{ clock: 'virtual' }`). */
  functionOptions(logicalId: string, overrides?: Partial<CreateFunctionOptions>): CreateFunctionOptions;
  /** A simulated function configured from the file. */
  function(logicalId: string, overrides?: Partial<CreateFunctionOptions>): LambdaFunction;
  /** The function's SQS mapping (the first, or the named event) as a simulator; default target: a new function from the file. */
  sqsEventSource(
    logicalId: string,
    options?: SourceOverrides<SqsEventSourceOptions>,
  ): SqsEventSourceSimulator;
  /** The function's Kinesis mapping as a simulator. */
  kinesisEventSource(
    logicalId: string,
    options?: SourceOverrides<KinesisEventSourceOptions>,
  ): KinesisEventSourceSimulator;
  /** The function's DynamoDB Streams mapping as a simulator. */
  dynamoDBEventSource(
    logicalId: string,
    options?: SourceOverrides<DynamoDBEventSourceOptions>,
  ): DynamoDBEventSourceSimulator;
  /** Asynchronous invocation with the function's EventInvokeConfig and dead-letter queue. */
  asyncInvoker(
    logicalId: string,
    options?: SourceOverrides<AsyncInvocationOptions>,
  ): AsyncInvocationSimulator;
}

/**
 * Overrides for a simulator built from the file: `event` picks an event by name, `target`
 * replaces the default function; other keys override the file's settings.
 *
 * @example
 * const overrides: SourceOverrides<SqsEventSourceOptions> = { event: 'OrdersQueue', target: fn, seed: 7 };
 */
export type SourceOverrides<T> = Partial<Omit<T, 'target'>> & {
  readonly target?: TargetInput;
  readonly event?: string;
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function detectFormat(doc: Record<string, unknown>, file: string): LoadedTemplate['format'] {
  if ('service' in doc && ('functions' in doc || 'provider' in doc)) return 'serverless';
  const transform = doc.Transform;
  const transforms = Array.isArray(transform) ? transform : [transform];
  if (transforms.some((t) => typeof t === 'string' && t.startsWith('AWS::Serverless'))) return 'sam';
  const resources = isObject(doc.Resources) ? Object.values(doc.Resources) : [];
  if (
    file.endsWith('.template.json') ||
    resources.some((r) => isObject(r) && isObject(r.Metadata) && 'aws:cdk:path' in r.Metadata)
  ) {
    return 'cdk';
  }
  return 'cloudformation';
}

const SOURCE_TYPES = {
  sqs: 'AWS::SQS::Queue',
  kinesis: 'AWS::Kinesis::Stream',
  dynamodb: 'AWS::DynamoDB::Table',
} as const;

/**
 * Loads a SAM / CloudFormation template, CDK synth output or serverless.yml. Parsing is done now
 * (a file that does not parse throws here); each function is read when asked for, so an
 * unresolvable value elsewhere in the file does not stop you testing this one. Every error is a
 * HarnessError naming the file and the template path.
 *
 * @example
 * import { loadTemplate } from 'lambda-harness';
 * const app = loadTemplate('template.yaml', { parameters: { Stage: 'test' }, importModule: (f) => import(f) });
 * const fn = app.function('OrdersFunction');
 * const queue = app.sqsEventSource('OrdersFunction', { target: fn });
 * queue.send({ id: 1 });
 * await queue.run();
 */
export function loadTemplate(file: string, options: LoadTemplateOptions = {}): LoadedTemplate {
  const KNOWN = [
    'parameters',
    'values',
    'region',
    'accountId',
    'stackName',
    'stage',
    'env',
    'importModule',
    'entries',
  ];
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      throw new HarnessError('INVALID_OPTIONS', `loadTemplate options.${key}: unknown option`, {
        path: key,
        hint: `Known options: ${KNOWN.join(', ')}.`,
      });
    }
  }
  const abs = path.resolve(file);
  const parsed = readTemplateFile(abs);
  if (!isObject(parsed)) throw templateError({ file: abs }, '(root)', 'expected a mapping at the top level');
  const format = detectFormat(parsed, abs);
  const baseDir = path.dirname(abs);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  let doc = parsed;
  let stage = options.stage ?? 'dev';
  if (format === 'serverless') {
    const provider = isObject(doc.provider) ? doc.provider : {};
    stage =
      options.stage ??
      (typeof provider.stage === 'string' && !provider.stage.includes('${') ? provider.stage : 'dev');
    doc = resolveServerlessVariables(doc, abs, {
      stage,
      region: options.region ?? (typeof provider.region === 'string' ? provider.region : region),
      accountId,
      env: options.env ?? process.env,
      options: {},
    });
  }
  const cfn = format === 'serverless' ? (isObject(doc.resources) ? doc.resources : {}) : doc;
  const resources = (isObject(cfn.Resources) ? cfn.Resources : {}) as Record<string, RawResource>;
  const parameters: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(isObject(cfn.Parameters) ? cfn.Parameters : {})) {
    if (isObject(p) && p.Default !== undefined) parameters[name] = p.Default;
  }
  for (const [name, v] of Object.entries(options.parameters ?? {})) {
    if (!(isObject(cfn.Parameters) && name in cfn.Parameters)) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `loadTemplate options.parameters.${name}: ${abs} declares no parameter ${name}`,
        {
          path: `parameters.${name}`,
          hint: `Its parameters: ${Object.keys(isObject(cfn.Parameters) ? cfn.Parameters : {}).join(', ') || '(none)'}.`,
        },
      );
    }
    parameters[name] = v;
  }
  const scope: IntrinsicScope = {
    file: abs,
    region:
      format === 'serverless'
        ? String((doc.provider as Record<string, unknown> | undefined)?.region ?? region)
        : region,
    accountId,
    stackName:
      options.stackName ??
      (format === 'serverless' ? `${String(doc.service)}-${stage}` : path.basename(baseDir)),
    parameters,
    resources,
    conditions: isObject(cfn.Conditions) ? cfn.Conditions : {},
    mappings: isObject(cfn.Mappings) ? cfn.Mappings : {},
    values: options.values ?? {},
  };
  const functionIds =
    format === 'serverless'
      ? Object.keys(isObject(doc.functions) ? doc.functions : {})
      : Object.keys(resources).filter((id) => isFunctionResource(resources[id]));

  const functionIdOf = (raw: unknown, at: string): string | undefined => {
    const v =
      isObject(raw) && typeof raw.Ref === 'string'
        ? raw.Ref
        : isObject(raw) && Array.isArray(raw['Fn::GetAtt'])
          ? raw['Fn::GetAtt'][0]
          : resolveValue(scope, raw, at);
    if (typeof v !== 'string') return undefined;
    if (functionIds.includes(v)) return v;
    return functionIds.find((id) => {
      const name = resolveValue(
        scope,
        resources[id]?.Properties?.FunctionName,
        `Resources.${id}.Properties.FunctionName`,
      );
      return name === v || v.endsWith(`:function:${String(name)}`);
    });
  };

  const cache = new Map<string, TemplateFunction>();
  const describe = (logicalId: string): TemplateFunction => {
    const hit = cache.get(logicalId);
    if (hit) return hit;
    if (!functionIds.includes(logicalId)) {
      const r = resources[logicalId];
      throw new HarnessError(
        r ? 'UNSUPPORTED' : 'INVALID_TEMPLATE',
        r
          ? `${abs}: Resources.${logicalId}: ${String(r.Type)} is not a function resource the harness simulates`
          : `${abs}: no function ${JSON.stringify(logicalId)}; the file has: ${functionIds.join(', ') || '(no functions)'}`,
        {
          path: logicalId,
          hint: 'Functions are AWS::Serverless::Function and AWS::Lambda::Function resources (functions: in serverless.yml).',
        },
      );
    }
    let model: TemplateFunction;
    if (format === 'serverless') model = serverlessFunction(scope, doc, logicalId, baseDir, stage);
    else {
      // Separate resources of plain CloudFormation: event source mappings and EventInvokeConfig.
      const mappings: TemplateEventSource[] = [];
      let invokeConfig: Record<string, unknown> | undefined;
      for (const [id, r] of Object.entries(resources)) {
        const at = `Resources.${id}.Properties`;
        const p = r.Properties ?? {};
        if (
          r.Type === 'AWS::Lambda::EventSourceMapping' &&
          functionIdOf(p.FunctionName, `${at}.FunctionName`) === logicalId
        ) {
          const props = resolveValue(scope, p, at) as Record<string, unknown>;
          if (props.Enabled === false) continue;
          const arn = String(props.EventSourceArn ?? '');
          const refId = isObject(p.EventSourceArn)
            ? (p.EventSourceArn.Ref ?? (p.EventSourceArn['Fn::GetAtt'] as unknown[] | undefined)?.[0])
            : undefined;
          const refType = typeof refId === 'string' ? resources[refId]?.Type : undefined;
          const type = (Object.keys(SOURCE_TYPES) as (keyof typeof SOURCE_TYPES)[]).find(
            (t) => refType === SOURCE_TYPES[t] || arn.startsWith(`arn:aws:${t}:`),
          );
          if (type === undefined) {
            throw templateError(
              scope,
              `${at}.EventSourceArn`,
              `${arn}: only SQS, Kinesis and DynamoDB Streams mappings are simulated`,
              undefined,
              'UNSUPPORTED',
            );
          }
          mappings.push(mappingSource(scope, id, type, p.EventSourceArn, props, at));
        } else if (
          r.Type === 'AWS::Lambda::EventInvokeConfig' &&
          functionIdOf(p.FunctionName, `${at}.FunctionName`) === logicalId
        ) {
          invokeConfig = resolveValue(scope, p, at) as Record<string, unknown>;
        }
      }
      model = cloudFormationFunction(
        scope,
        logicalId,
        isObject(cfn.Globals) ? cfn.Globals.Function : undefined,
        baseDir,
        mappings,
        invokeConfig,
      );
    }
    const entry = options.entries?.[logicalId];
    if (entry !== undefined) model = { ...model, entry: path.resolve(baseDir, entry) };
    cache.set(logicalId, model);
    return model;
  };

  const functionOptions = (
    logicalId: string,
    overrides: Partial<CreateFunctionOptions> = {},
  ): CreateFunctionOptions => {
    const model = describe(logicalId);
    const base = { ...model.options } as Record<string, unknown>;
    if (model.entry !== undefined || options.importModule !== undefined) {
      // The loader form: a bundler's entry point, or the runner's importer.
      const { taskRoot, handler, ...rest } = base;
      return {
        ...rest,
        handler: taskRootLoader(String(taskRoot), String(handler), {
          importModule: options.importModule,
          typescript: true,
          entry: model.entry,
          layers: model.layers,
          nodeMajor: Number(/\d+/.exec(String(base.runtime))?.[0] ?? 24),
        }),
        handlerName: String(handler),
        ...overrides,
      } as CreateFunctionOptions;
    }
    if (model.layers.length > 0) base.layers = model.layers;
    return { ...base, ...overrides } as unknown as CreateFunctionOptions;
  };

  const source = <T>(
    logicalId: string,
    type: 'sqs' | 'kinesis' | 'dynamodb',
    overrides: SourceOverrides<T>,
    create: (o: T) => unknown,
  ) => {
    const model = describe(logicalId);
    const { event, target, ...rest } = overrides as SourceOverrides<Record<string, unknown>>;
    const found = model.events.filter((e) => e.type === type && (event === undefined || e.name === event));
    const chosen = found[0];
    if (!chosen?.options) {
      throw new HarnessError(
        'INVALID_TEMPLATE',
        `${abs}: ${logicalId} has no ${type} event source${event ? ` named ${event}` : ''}; its events: ${model.events.map((e) => `${e.name} (${e.type})`).join(', ') || '(none)'}`,
        { path: logicalId },
      );
    }
    return create({
      ...chosen.options,
      ...rest,
      target: target ?? createFunction(functionOptions(logicalId)),
    } as T);
  };

  return {
    file: abs,
    format,
    functionIds,
    describe,
    functionOptions,
    function: (logicalId, overrides) => createFunction(functionOptions(logicalId, overrides)),
    sqsEventSource: (id, o = {}) => source(id, 'sqs', o, createSqsEventSource) as SqsEventSourceSimulator,
    kinesisEventSource: (id, o = {}) =>
      source(id, 'kinesis', o, createKinesisEventSource) as KinesisEventSourceSimulator,
    dynamoDBEventSource: (id, o = {}) =>
      source(id, 'dynamodb', o, createDynamoDBEventSource) as DynamoDBEventSourceSimulator,
    asyncInvoker: (id, o = {}) => {
      const model = describe(id);
      const { target, event: _event, ...rest } = o;
      return createAsyncInvoker({
        ...model.asyncInvoke,
        ...rest,
        target: target ?? createFunction(functionOptions(id)),
      } as AsyncInvocationOptions);
    },
  };
}
