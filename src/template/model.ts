/**
 * The harness's view of a function described in an infrastructure file: `createFunction` options
 * (as data: task root + handler string), the asynchronous invocation settings, and each event
 * source with the options of its simulator. Built from SAM / CloudFormation / CDK output here,
 * and from serverless.yml in serverless.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SQS_MAPPING_KEYS, SQS_QUEUE_KEYS, STREAM_MAPPING_KEYS } from '../sources/index.js';
import {
  type IntrinsicScope,
  physicalName,
  type RawResource,
  resolveValue,
  templateError,
} from './intrinsics.js';

/**
 * Event types the harness can generate, by the event registry's names (see `lambda-harness generate`).
 *
 * @example
 * const types: TemplateEventType[] = loadTemplate('template.yaml').describe('OrdersFunction').events.map((e) => e.type);
 */
export type TemplateEventType =
  | 'sqs'
  | 'kinesis'
  | 'dynamodb'
  | 'apigateway'
  | 'http-api'
  | 'scheduled'
  | 'eventbridge'
  | 's3'
  | 'sns';

/**
 * One event source of a function. `options` are the simulator's options (without `target`) for
 * the mapped sources (SQS, Kinesis, DynamoDB); the push sources carry their properties only.
 *
 * @example
 * const source: TemplateEventSource = { name: 'Orders', type: 'sqs', options: { BatchSize: 5 }, properties: {} };
 */
export interface TemplateEventSource {
  /** The event's name (SAM `Events` key, mapping logical id, or `sqs#0` in serverless.yml). */
  readonly name: string;
  readonly type: TemplateEventType;
  /** For sqs / kinesis / dynamodb: `createSqsEventSource` etc. options without `target`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** The event's properties as resolved from the file. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * A function as the file describes it.
 *
 * @example
 * const fn: TemplateFunction = app.describe('OrdersFunction');
 * fn.options; // { taskRoot: '/repo/src', handler: 'orders.handler', runtime: 'nodejs22.x', timeout: 10, ... }
 */
export interface TemplateFunction {
  readonly logicalId: string;
  /** `createFunction` options as data: `taskRoot` + the handler string, runtime, timeout, memory, env ... */
  readonly options: Readonly<Record<string, unknown>>;
  /** A TypeScript entry the build would bundle into the handler module, when the file names one. */
  readonly entry: string | undefined;
  /** `createAsyncInvoker` options without `target` (EventInvokeConfig, DeadLetterQueue). */
  readonly asyncInvoke: Readonly<Record<string, unknown>>;
  /** Local layer folders (ContentUri) in order. */
  readonly layers: readonly string[];
  readonly events: readonly TemplateEventSource[];
}

const FUNCTION_TYPES = ['AWS::Serverless::Function', 'AWS::Lambda::Function'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** SAM Globals: maps merge (the function's values win), lists are appended. */
function mergeGlobals(globals: unknown, own: Record<string, unknown>): Record<string, unknown> {
  if (!isObject(globals)) return own;
  const out: Record<string, unknown> = { ...globals };
  for (const [k, v] of Object.entries(own)) {
    const g = out[k];
    if (isObject(g) && isObject(v)) out[k] = mergeGlobals(g, v);
    else if (Array.isArray(g) && Array.isArray(v)) out[k] = [...g, ...v];
    else out[k] = v;
  }
  return out;
}

/** Reads resolved properties, dropping undefined, only for the keys listed. */
function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** The logical id a value refers to (`!Ref X`, `!GetAtt X.Arn`, `${X.Arn}`), or undefined. */
function referencedId(raw: unknown): string | undefined {
  if (!isObject(raw)) return undefined;
  if (typeof raw.Ref === 'string') return raw.Ref;
  const ga = raw['Fn::GetAtt'];
  if (Array.isArray(ga) && typeof ga[0] === 'string') return ga[0];
  if (typeof ga === 'string') return ga.split('.')[0];
  const s = raw['Fn::Sub'];
  if (typeof s === 'string') return /^\$\{([A-Za-z0-9]+)\.(Arn|StreamArn)\}$/.exec(s)?.[1];
  return undefined;
}

/** A resource id given by reference or by its resolved ARN/name. */
function findResource(
  scope: IntrinsicScope,
  raw: unknown,
  at: string,
  types: readonly string[],
): string | undefined {
  const byRef = referencedId(raw);
  if (byRef !== undefined && scope.resources[byRef]) return byRef;
  const v = resolveValue(scope, raw, at);
  if (typeof v !== 'string') return undefined;
  for (const [id, r] of Object.entries(scope.resources)) {
    if (!types.includes(String(r.Type))) continue;
    const name = physicalName(scope, id);
    if (v === name || v.endsWith(`:${name}`) || v.endsWith(`/${name}`) || v.includes(`/${name}/stream/`))
      return id;
  }
  return undefined;
}

// The simulator's own queue keys, less RedrivePolicy, rebuilt below (it may be JSON text).
const QUEUE_KEYS = SQS_QUEUE_KEYS.filter((key) => key !== 'RedrivePolicy');

function queueOptions(scope: IntrinsicScope, queueId: string | undefined): Record<string, unknown> {
  if (queueId === undefined) return {};
  const at = `Resources.${queueId}.Properties`;
  const p = resolveValue(scope, scope.resources[queueId]?.Properties ?? {}, at) as Record<string, unknown>;
  const q = pick(p, QUEUE_KEYS);
  q.QueueName = physicalName(scope, queueId);
  let redrive = p.RedrivePolicy;
  if (typeof redrive === 'string') {
    // CloudFormation accepts the policy as a JSON string too; a bad one must name its path.
    try {
      redrive = JSON.parse(redrive);
    } catch {
      throw templateError(scope, `${at}.RedrivePolicy`, 'expected a JSON object (or its JSON text)');
    }
  }
  if (isObject(redrive)) {
    q.RedrivePolicy = pick(
      {
        ...redrive,
        maxReceiveCount: redrive.maxReceiveCount === undefined ? undefined : Number(redrive.maxReceiveCount),
      },
      ['maxReceiveCount', 'deadLetterTargetArn'],
    );
  }
  return q;
}

// The simulators' stream mapping keys, less DestinationConfig (rebuilt below: OnFailure only),
// plus TumblingWindowInSeconds, passed on so the simulator rejects it by name (tumbling windows are
// not simulated) instead of the template dropping it silently.
const STREAM_KEYS = [
  ...STREAM_MAPPING_KEYS.filter((key) => key !== 'DestinationConfig'),
  'TumblingWindowInSeconds',
];

/**
 * Simulator options of an SQS / Kinesis / DynamoDB mapping from its properties (SAM event
 * properties or an AWS::Lambda::EventSourceMapping's), with the queue/stream/table resource's
 * settings when the template defines it.
 */
export function mappingSource(
  scope: IntrinsicScope,
  name: string,
  type: 'sqs' | 'kinesis' | 'dynamodb',
  arnRaw: unknown,
  props: Record<string, unknown>,
  at: string,
): TemplateEventSource {
  if (type === 'sqs') {
    const queueId = findResource(scope, arnRaw, `${at}.Queue`, ['AWS::SQS::Queue']);
    const options: Record<string, unknown> = { ...pick(props, SQS_MAPPING_KEYS) };
    const queue = queueOptions(scope, queueId);
    if (Object.keys(queue).length > 0) options.Queue = queue;
    return { name, type, options, properties: props };
  }
  const options: Record<string, unknown> = pick(props, STREAM_KEYS);
  const dc = props.DestinationConfig;
  if (isObject(dc) && isObject(dc.OnFailure) && dc.OnFailure.Destination !== undefined) {
    options.DestinationConfig = { OnFailure: { Destination: dc.OnFailure.Destination } };
  }
  // The stream's or table's own resource, when the template defines it: its resolved properties.
  const sourceResource = (resourceType: string) => {
    const id = findResource(scope, arnRaw, at, [resourceType]);
    if (id === undefined) return undefined;
    const properties = scope.resources[id]?.Properties ?? {};
    return {
      id,
      p: resolveValue(scope, properties, `Resources.${id}.Properties`) as Record<string, unknown>,
    };
  };
  if (type === 'kinesis') {
    const stream = sourceResource('AWS::Kinesis::Stream');
    if (stream !== undefined) {
      options.Stream = {
        StreamName: physicalName(scope, stream.id),
        ...pick(stream.p, ['ShardCount', 'RetentionPeriodHours']),
      };
    }
  } else {
    const resource = sourceResource('AWS::DynamoDB::Table');
    if (resource !== undefined) {
      const { id, p } = resource;
      const table: Record<string, unknown> = { TableName: physicalName(scope, id) };
      if (Array.isArray(p.KeySchema)) {
        const key = (t: string) =>
          (p.KeySchema as { AttributeName: string; KeyType: string }[]).find((k) => k.KeyType === t)
            ?.AttributeName;
        table.KeySchema = pick({ partitionKey: key('HASH'), sortKey: key('RANGE') }, [
          'partitionKey',
          'sortKey',
        ]);
      }
      const view = isObject(p.StreamSpecification) ? p.StreamSpecification.StreamViewType : undefined;
      if (view !== undefined) table.StreamViewType = view;
      options.Table = table;
    }
  }
  return { name, type, options, properties: props };
}

const SAM_EVENT_TYPES: Readonly<Record<string, TemplateEventType>> = {
  SQS: 'sqs',
  Kinesis: 'kinesis',
  DynamoDB: 'dynamodb',
  Api: 'apigateway',
  HttpApi: 'http-api',
  Schedule: 'scheduled',
  ScheduleV2: 'scheduled',
  EventBridgeRule: 'eventbridge',
  CloudWatchEvent: 'eventbridge',
  S3: 's3',
  SNS: 'sns',
};

function samEvents(scope: IntrinsicScope, id: string, events: unknown): TemplateEventSource[] {
  if (events === undefined) return [];
  const out: TemplateEventSource[] = [];
  for (const [name, ev] of Object.entries(isObject(events) ? events : {})) {
    const at = `Resources.${id}.Properties.Events.${name}`;
    const e = isObject(ev) ? ev : {};
    const type = SAM_EVENT_TYPES[String(e.Type)];
    if (type === undefined) {
      throw templateError(
        scope,
        `${at}.Type`,
        `event type ${JSON.stringify(e.Type)} is not simulated`,
        `Simulated: ${Object.keys(SAM_EVENT_TYPES).join(', ')}.`,
        'UNSUPPORTED',
      );
    }
    const rawProps = isObject(e.Properties) ? e.Properties : {};
    const props = resolveValue(scope, rawProps, `${at}.Properties`) as Record<string, unknown>;
    if (props.Enabled === false) continue;
    if (type === 'sqs') out.push(mappingSource(scope, name, type, rawProps.Queue, props, `${at}.Properties`));
    else if (type === 'kinesis' || type === 'dynamodb')
      out.push(mappingSource(scope, name, type, rawProps.Stream, props, `${at}.Properties.Stream`));
    else out.push({ name, type, properties: props });
  }
  return out;
}

function layerDirs(scope: IntrinsicScope, rawLayers: unknown, at: string, baseDir: string): string[] {
  if (!Array.isArray(rawLayers)) return [];
  const dirs: string[] = [];
  rawLayers.forEach((raw, i) => {
    const id = referencedId(raw);
    const layer = id === undefined ? undefined : scope.resources[id];
    const uri = layer?.Properties?.ContentUri ?? (layer?.Properties?.Content as unknown);
    if (typeof uri === 'string') dirs.push(path.resolve(baseDir, uri));
    else if (layer === undefined) {
      // A published layer's ARN: its content is not on this machine.
      resolveValue(scope, raw, `${at}[${i}]`);
    }
  });
  return dirs;
}

/**
 * Reads a function resource (SAM or plain CloudFormation, including CDK synth output) into the
 * harness's model. `baseDir` is the template's folder (CodeUri and asset paths are relative to it).
 */
export function cloudFormationFunction(
  scope: IntrinsicScope,
  id: string,
  globals: unknown,
  baseDir: string,
  mappings: readonly TemplateEventSource[],
  invokeConfig: Record<string, unknown> | undefined,
): TemplateFunction {
  const r = scope.resources[id] as RawResource;
  const at = `Resources.${id}.Properties`;
  const sam = r.Type === 'AWS::Serverless::Function';
  const rawProps = sam ? mergeGlobals(globals, r.Properties ?? {}) : (r.Properties ?? {});
  const get = (key: string) => resolveValue(scope, rawProps[key], `${at}.${key}`);
  if (get('PackageType') === 'Image') {
    throw templateError(
      scope,
      `${at}.PackageType`,
      'container-image functions are not simulated',
      'Test the handler module with createFunction({ taskRoot, handler }).',
      'UNSUPPORTED',
    );
  }
  const runtime = get('Runtime');
  if (typeof runtime !== 'string' || !runtime.startsWith('nodejs')) {
    throw templateError(
      scope,
      `${at}.Runtime`,
      `${JSON.stringify(runtime)} is not a Node.js runtime`,
      'lambda-harness runs nodejs20.x, nodejs22.x and nodejs24.x functions.',
      'UNSUPPORTED',
    );
  }
  const handler = get('Handler');
  if (typeof handler !== 'string')
    throw templateError(scope, `${at}.Handler`, 'required: the handler string, e.g. src/orders.handler');

  // Where the code is: SAM CodeUri, a local Code path (before `cloudformation package`), or a CDK asset.
  const code = sam ? get('CodeUri') : get('Code');
  const asset = r.Metadata?.['aws:asset:path'];
  let codeDir: string;
  if (typeof code === 'string') codeDir = path.resolve(baseDir, code);
  else if (typeof asset === 'string') codeDir = path.resolve(baseDir, asset);
  else if (isObject(code) && code.ZipFile !== undefined) {
    throw templateError(
      scope,
      `${at}.Code.ZipFile`,
      'inline code is not simulated',
      'Move the code to a file and point CodeUri at its folder.',
      'UNSUPPORTED',
    );
  } else codeDir = baseDir;
  if (!existsSync(codeDir)) {
    throw templateError(
      scope,
      sam ? `${at}.CodeUri` : `${at}.Code`,
      `no such folder ${codeDir}`,
      'Build first (sam build / cdk synth), or fix the path.',
    );
  }

  // SAM's esbuild build: the handler module is bundled from an entry point (TypeScript source).
  let entry: string | undefined;
  const props = r.Metadata?.BuildProperties;
  if (r.Metadata?.BuildMethod === 'esbuild' && isObject(props) && Array.isArray(props.EntryPoints)) {
    const moduleName = path.basename(handler.slice(0, handler.lastIndexOf('.')));
    const match = props.EntryPoints.find(
      (e) => typeof e === 'string' && path.basename(e).replace(/\.[cm]?[jt]s$/, '') === moduleName,
    );
    if (typeof match === 'string') entry = path.resolve(codeDir, match);
  }

  const options: Record<string, unknown> = { taskRoot: codeDir, handler, runtime };
  const fnName = get('FunctionName');
  options.functionName = typeof fnName === 'string' ? fnName : id.slice(0, 64);
  const timeout = get('Timeout');
  if (timeout !== undefined) options.timeout = Number(timeout);
  const memory = get('MemorySize');
  if (memory !== undefined) options.memorySize = Number(memory);
  const env = get('Environment');
  if (isObject(env) && isObject(env.Variables)) {
    options.env = Object.fromEntries(Object.entries(env.Variables).map(([k, v]) => [k, String(v)]));
  }
  const logging = get('LoggingConfig');
  if (isObject(logging)) {
    if (logging.LogFormat !== undefined) options.logFormat = logging.LogFormat;
    if (logging.ApplicationLogLevel !== undefined) options.logLevel = logging.ApplicationLogLevel;
    if (typeof logging.LogGroup === 'string') options.logGroupName = logging.LogGroup;
  }
  const reserved = get('ReservedConcurrentExecutions');
  if (reserved !== undefined) options.reservedConcurrency = Number(reserved);
  const provisioned = get('ProvisionedConcurrencyConfig');
  if (isObject(provisioned) && provisioned.ProvisionedConcurrentExecutions !== undefined) {
    options.provisionedConcurrency = Number(provisioned.ProvisionedConcurrentExecutions);
  }

  const asyncInvoke: Record<string, unknown> = {};
  const eic = sam ? get('EventInvokeConfig') : invokeConfig;
  if (isObject(eic)) {
    Object.assign(asyncInvoke, pick(eic, ['MaximumRetryAttempts', 'MaximumEventAgeInSeconds']));
    const dc = eic.DestinationConfig;
    if (isObject(dc)) {
      const dest: Record<string, unknown> = {};
      for (const k of ['OnSuccess', 'OnFailure']) {
        const d = dc[k];
        if (isObject(d) && typeof d.Destination === 'string') dest[k] = { Destination: d.Destination };
      }
      if (Object.keys(dest).length > 0) asyncInvoke.DestinationConfig = dest;
    }
  }
  const dlq = sam ? get('DeadLetterQueue') : get('DeadLetterConfig');
  if (isObject(dlq) && typeof dlq.TargetArn === 'string')
    asyncInvoke.DeadLetterConfig = { TargetArn: dlq.TargetArn };

  const events = [...(sam ? samEvents(scope, id, rawProps.Events) : []), ...mappings];
  return {
    logicalId: id,
    options,
    entry,
    asyncInvoke,
    layers: layerDirs(scope, rawProps.Layers, `${at}.Layers`, baseDir),
    events,
  };
}

/** Function resource types the harness reads. */
export function isFunctionResource(r: RawResource | undefined): boolean {
  return r !== undefined && FUNCTION_TYPES.includes(String(r.Type));
}
