/**
 * serverless.yml (Serverless Framework v3/v4): provider defaults, functions and their events, with
 * `${self:...}`, `${env:...}`, `${opt:...}`, `${sls:...}` and `${aws:...}` variables, and
 * CloudFormation intrinsics in `resources.Resources`.
 */
import path from 'node:path';
import { type IntrinsicScope, templateError } from './intrinsics.js';
import {
  cloudFormationFunction,
  mappingSource,
  type TemplateEventSource,
  type TemplateEventType,
  type TemplateFunction,
} from './model.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Values for `${opt:...}` / `${env:...}` / `${sls:...}` / `${aws:...}`. */
export interface ServerlessVariableSources {
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly options: Readonly<Record<string, string>>;
}

const VARIABLE = /\$\{([^${}]+)\}/;

/**
 * Resolves serverless.yml variables everywhere in the document (deeply, innermost first). A
 * variable that resolves to nothing and has no fallback is an error naming its path.
 *
 * @example
 * resolveServerlessVariables(doc, file, { stage: 'dev', region: 'us-east-1', accountId: '123456789012', env: {}, options: {} });
 */
export function resolveServerlessVariables(
  doc: Record<string, unknown>,
  file: string,
  src: ServerlessVariableSources,
): Record<string, unknown> {
  const lookup = (ref: string, at: string, depth: number): unknown => {
    const [source, ...rest] = ref.split(':');
    const key = rest.join(':').trim();
    switch (source?.trim()) {
      case 'self': {
        let cur: unknown = doc;
        for (const part of key.split('.')) cur = isObject(cur) ? cur[part] : undefined;
        return typeof cur === 'string' ? resolveString(cur, at, depth + 1) : cur;
      }
      case 'env':
        return src.env[key];
      case 'opt':
        return key === 'stage' ? src.stage : key === 'region' ? src.region : src.options[key];
      case 'sls':
        return key === 'stage' ? src.stage : key === 'instanceId' ? 'test-instance' : undefined;
      case 'aws':
        return key === 'region' ? src.region : key === 'accountId' ? src.accountId : undefined;
      default:
        throw templateError(
          { file },
          at,
          `\${${ref}}: variable source ${JSON.stringify(source)} is not supported`,
          'Supported: self, env, opt, sls, aws. Pass other values through env.',
          'UNSUPPORTED',
        );
    }
  };
  const resolveOne = (inner: string, at: string, depth: number): unknown => {
    // `${env:X, 'fallback'}`: the first alternative that resolves wins.
    const alternatives = inner.split(/,(?=(?:[^'"]*['"][^'"]*['"])*[^'"]*$)/).map((s) => s.trim());
    for (const alt of alternatives) {
      const quoted = /^(['"])(.*)\1$/.exec(alt);
      if (quoted) return quoted[2];
      if (/^-?\d+(\.\d+)?$/.test(alt)) return Number(alt);
      const v = lookup(alt, at, depth);
      if (v !== undefined && v !== null) return v;
    }
    throw templateError(
      { file },
      at,
      `\${${inner}} resolves to nothing`,
      'Give it a value (env, stage, custom) or a fallback: $' + "{env:X, 'default'}.",
    );
  };
  const resolveString = (s: string, at: string, depth: number): unknown => {
    if (depth > 20) throw templateError({ file }, at, 'variables refer to each other in a cycle');
    let cur: unknown = s;
    for (;;) {
      if (typeof cur !== 'string') return cur;
      const m = VARIABLE.exec(cur);
      if (!m) return cur;
      const v = resolveOne(m[1] as string, at, depth);
      cur = m[0] === cur ? v : cur.replace(m[0], String(v));
    }
  };
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string') return resolveString(v, at, 0);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}[${i}]`));
    if (isObject(v))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, at ? `${at}.${k}` : k)]));
    return v;
  };
  return walk(doc, '') as Record<string, unknown>;
}

const PUSH_EVENTS: Readonly<Record<string, TemplateEventType>> = {
  http: 'apigateway',
  httpApi: 'http-api',
  schedule: 'scheduled',
  sns: 'sns',
  s3: 's3',
  eventBridge: 'eventbridge',
};

function camelMapping(e: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  set('BatchSize', e.batchSize);
  set('MaximumBatchingWindowInSeconds', e.maximumBatchingWindow);
  set(
    'StartingPosition',
    e.startingPosition === undefined ? undefined : String(e.startingPosition).toUpperCase(),
  );
  set('ParallelizationFactor', e.parallelizationFactor);
  set('BisectBatchOnFunctionError', e.bisectBatchOnFunctionError);
  set('MaximumRetryAttempts', e.maximumRetryAttempts);
  set('MaximumRecordAgeInSeconds', e.maximumRecordAgeInSeconds);
  set('TumblingWindowInSeconds', e.tumblingWindowInSeconds);
  if (e.functionResponseType !== undefined) out.FunctionResponseTypes = [e.functionResponseType];
  if (e.maximumConcurrency !== undefined) out.ScalingConfig = { MaximumConcurrency: e.maximumConcurrency };
  if (Array.isArray(e.filterPatterns)) {
    out.FilterCriteria = { Filters: e.filterPatterns.map((p) => ({ Pattern: JSON.stringify(p) })) };
  }
  const dest = isObject(e.destinations) ? e.destinations.onFailure : undefined;
  if (dest !== undefined)
    out.DestinationConfig = { OnFailure: { Destination: isObject(dest) ? dest.arn : dest } };
  return out;
}

/**
 * Reads one function of a (variable-resolved) serverless.yml into the harness's model.
 *
 * @example
 * serverlessFunction(scope, doc, 'processOrders', '/repo');
 */
export function serverlessFunction(
  scope: IntrinsicScope,
  doc: Record<string, unknown>,
  key: string,
  baseDir: string,
  stage: string,
): TemplateFunction {
  const provider = isObject(doc.provider) ? doc.provider : {};
  const fn = (doc.functions as Record<string, Record<string, unknown>>)[key] ?? {};
  const at = `functions.${key}`;
  const events: TemplateEventSource[] = [];
  const rawEvents = Array.isArray(fn.events) ? fn.events : [];
  rawEvents.forEach((ev, i) => {
    const [kind, value] = Object.entries(isObject(ev) ? ev : {})[0] ?? [];
    const where = `${at}.events[${i}].${kind}`;
    const e = isObject(value) ? value : kind === 'sqs' || kind === 'stream' ? { arn: value } : { value };
    if (kind === 'sqs') {
      events.push(mappingSource(scope, `sqs#${i}`, 'sqs', e.arn, camelMapping(e), where));
    } else if (kind === 'stream') {
      const type = e.type === 'dynamodb' || String(e.arn).includes(':dynamodb:') ? 'dynamodb' : 'kinesis';
      const props = { StartingPosition: 'TRIM_HORIZON', ...camelMapping(e) };
      events.push(mappingSource(scope, `stream#${i}`, type, e.arn, props, where));
    } else if (kind !== undefined && PUSH_EVENTS[kind]) {
      events.push({ name: `${kind}#${i}`, type: PUSH_EVENTS[kind] as TemplateEventType, properties: e });
    } else {
      throw templateError(
        scope,
        where,
        `event ${JSON.stringify(kind)} is not simulated`,
        `Simulated: sqs, stream, ${Object.keys(PUSH_EVENTS).join(', ')}.`,
        'UNSUPPORTED',
      );
    }
  });
  const merged = (k: string) => fn[k] ?? provider[k];
  const env = {
    ...(isObject(provider.environment) ? provider.environment : {}),
    ...(isObject(fn.environment) ? fn.environment : {}),
  };
  const destinations = isObject(fn.destinations) ? fn.destinations : {};
  const asyncDest: Record<string, unknown> = {};
  if (typeof destinations.onSuccess === 'string')
    asyncDest.OnSuccess = { Destination: destinations.onSuccess };
  if (typeof destinations.onFailure === 'string')
    asyncDest.OnFailure = { Destination: destinations.onFailure };
  // Reuse the CloudFormation reader for the function itself: same validation and messages.
  const synthetic: IntrinsicScope = {
    ...scope,
    resources: {
      ...scope.resources,
      [key]: {
        Type: 'AWS::Serverless::Function',
        Properties: {
          Handler: fn.handler,
          Runtime: merged('runtime') ?? 'nodejs20.x',
          CodeUri: '.',
          FunctionName: fn.name ?? `${String(doc.service)}-${stage}-${key}`,
          Timeout: merged('timeout') ?? 6,
          MemorySize: merged('memorySize') ?? 1024,
          ...(Object.keys(env).length > 0 ? { Environment: { Variables: env } } : {}),
          ...(fn.reservedConcurrency !== undefined
            ? { ReservedConcurrentExecutions: fn.reservedConcurrency }
            : {}),
          ...(fn.provisionedConcurrency !== undefined
            ? { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: fn.provisionedConcurrency } }
            : {}),
          EventInvokeConfig: {
            ...(fn.maximumRetryAttempts !== undefined
              ? { MaximumRetryAttempts: fn.maximumRetryAttempts }
              : {}),
            ...(fn.maximumEventAge !== undefined ? { MaximumEventAgeInSeconds: fn.maximumEventAge } : {}),
            ...(Object.keys(asyncDest).length > 0 ? { DestinationConfig: asyncDest } : {}),
          },
        },
      },
    },
  };
  const model = cloudFormationFunction(
    { ...synthetic, file: scope.file },
    key,
    undefined,
    baseDir,
    events,
    undefined,
  );
  return {
    ...model,
    options: { ...model.options },
    layers: model.layers.length > 0 ? model.layers : layerFolders(fn, baseDir),
  };
}

function layerFolders(fn: Record<string, unknown>, baseDir: string): string[] {
  return (Array.isArray(fn.layers) ? fn.layers : [])
    .filter((l): l is string => typeof l === 'string' && !l.startsWith('arn:'))
    .map((l) => path.resolve(baseDir, l));
}
