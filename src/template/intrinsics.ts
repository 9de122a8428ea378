/**
 * CloudFormation intrinsic functions, resolved from the template's parameters (defaults or values
 * the test supplies), pseudo-parameters, conditions, mappings and the resources' own names. What
 * cannot be resolved is an error naming the template path, never a placeholder.
 */
import { HarnessError } from '../errors/index.js';

/** A template resource as written. */
export interface RawResource {
  readonly Type?: unknown;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: unknown;
}

/** What intrinsic functions resolve against. */
export interface IntrinsicScope {
  readonly file: string;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly resources: Readonly<Record<string, RawResource>>;
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly mappings: Readonly<Record<string, unknown>>;
  /** `Fn::ImportValue` names and `Ref`/`GetAtt` targets the test supplies (`'Queue.Arn'`, `'ExternalTable'`). */
  readonly values: Readonly<Record<string, unknown>>;
}

const NO_VALUE = Symbol('AWS::NoValue');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The HarnessError for a value that cannot be resolved, naming the file and template path.
 *
 * @example
 * throw templateError(scope, 'Resources.Fn.Properties.Timeout', 'expected a number');
 */
export function templateError(
  scope: { readonly file: string },
  path: string,
  message: string,
  hint?: string,
  code: 'INVALID_TEMPLATE' | 'UNSUPPORTED' = 'INVALID_TEMPLATE',
): HarnessError {
  return new HarnessError(code, `${scope.file}: ${path}: ${message}`, { path, ...(hint ? { hint } : {}) });
}

/** The physical name a resource of this type gets (its name property, else its logical id). */
export function physicalName(scope: IntrinsicScope, logicalId: string): string {
  const r = scope.resources[logicalId];
  const p = r?.Properties ?? {};
  const nameKey: Record<string, string> = {
    'AWS::SQS::Queue': 'QueueName',
    'AWS::Kinesis::Stream': 'Name',
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::Serverless::Function': 'FunctionName',
    'AWS::SNS::Topic': 'TopicName',
    'AWS::S3::Bucket': 'BucketName',
  };
  const key = nameKey[String(r?.Type)];
  const named = key ? p[key] : undefined;
  if (named !== undefined) {
    const v = resolveValue(scope, named, `Resources.${logicalId}.Properties.${key}`);
    if (typeof v === 'string') return v;
  }
  const fifo = r?.Type === 'AWS::SQS::Queue' && p.FifoQueue === true;
  return fifo ? `${logicalId}.fifo` : logicalId;
}

function arnOf(scope: IntrinsicScope, logicalId: string): string {
  const r = scope.resources[logicalId];
  const name = physicalName(scope, logicalId);
  const { region: rg, accountId: ac } = scope;
  switch (r?.Type) {
    case 'AWS::SQS::Queue':
      return `arn:aws:sqs:${rg}:${ac}:${name}`;
    case 'AWS::Kinesis::Stream':
      return `arn:aws:kinesis:${rg}:${ac}:stream/${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${rg}:${ac}:table/${name}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${rg}:${ac}:${name}`;
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    default:
      return `arn:aws:lambda:${rg}:${ac}:function:${name}`;
  }
}

function refOf(scope: IntrinsicScope, name: string, path: string): unknown {
  const pseudo: Record<string, unknown> = {
    'AWS::Region': scope.region,
    'AWS::AccountId': scope.accountId,
    'AWS::StackName': scope.stackName,
    'AWS::StackId': `arn:aws:cloudformation:${scope.region}:${scope.accountId}:stack/${scope.stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::NoValue': NO_VALUE,
  };
  if (name in pseudo) return pseudo[name];
  if (Object.hasOwn(scope.values, name)) return scope.values[name];
  if (Object.hasOwn(scope.parameters, name)) return scope.parameters[name];
  const r = scope.resources[name];
  if (r) {
    if (r.Type === 'AWS::SQS::Queue') {
      return `https://sqs.${scope.region}.amazonaws.com/${scope.accountId}/${physicalName(scope, name)}`;
    }
    return physicalName(scope, name);
  }
  throw templateError(
    scope,
    path,
    `!Ref ${name}: no parameter or resource of that name, and no value supplied`,
    `Pass it: loadTemplate(file, { parameters: { ${name}: '...' } }), or { values: { ${name}: '...' } } for a resource outside the template.`,
  );
}

function getAtt(scope: IntrinsicScope, target: unknown, path: string): unknown {
  const [id, attr] = Array.isArray(target) ? target : [];
  if (typeof id !== 'string' || typeof attr !== 'string') {
    throw templateError(scope, path, 'Fn::GetAtt: expected [LogicalId, Attribute] or LogicalId.Attribute');
  }
  const key = `${id}.${attr}`;
  if (Object.hasOwn(scope.values, key)) return scope.values[key];
  const r = scope.resources[id];
  if (!r) {
    throw templateError(
      scope,
      path,
      `!GetAtt ${key}: no resource ${id} in the template`,
      `Pass it: loadTemplate(file, { values: { '${key}': '...' } }).`,
    );
  }
  const name = physicalName(scope, id);
  switch (attr) {
    case 'Arn':
      return arnOf(scope, id);
    case 'QueueName':
    case 'TopicName':
      return name;
    case 'QueueUrl':
      return `https://sqs.${scope.region}.amazonaws.com/${scope.accountId}/${name}`;
    case 'StreamArn':
      return `${arnOf(scope, id)}/stream/1970-01-01T00:00:00.000`;
  }
  throw templateError(
    scope,
    path,
    `!GetAtt ${key}: attribute ${attr} of ${String(r.Type)} is not simulated`,
    `Pass it: loadTemplate(file, { values: { '${key}': '...' } }).`,
    'UNSUPPORTED',
  );
}

/**
 * Whether a named condition of the template holds.
 *
 * @example
 * conditionHolds(scope, 'IsProd', 'Resources.Fn.Properties.MemorySize');
 */
export function conditionHolds(scope: IntrinsicScope, name: string, path: string): boolean {
  if (!Object.hasOwn(scope.conditions, name)) {
    throw templateError(scope, path, `condition ${name} is not defined in Conditions`);
  }
  const v = resolveValue(scope, scope.conditions[name], `Conditions.${name}`);
  if (typeof v !== 'boolean')
    throw templateError(scope, `Conditions.${name}`, 'expected a condition function');
  return v;
}

function sub(scope: IntrinsicScope, arg: unknown, path: string): string {
  const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
  if (typeof text !== 'string' || !isObject(vars)) {
    throw templateError(scope, path, 'Fn::Sub: expected a string or [string, { variables }]');
  }
  return text.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, name: string) => {
    if (bang) return `\${${name}}`;
    if (Object.hasOwn(vars, name)) return String(resolveValue(scope, vars[name], `${path}[1].${name}`));
    const dot = name.indexOf('.');
    const v =
      dot > 0 && !name.startsWith('AWS::')
        ? getAtt(scope, [name.slice(0, dot), name.slice(dot + 1)], path)
        : refOf(scope, name, path);
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw templateError(scope, path, `Fn::Sub: \${${name}} is not a string`);
    }
    return whole === '' ? '' : String(v);
  });
}

/**
 * Resolves every intrinsic function in a value (deeply). `path` is where the value sits in the
 * template, for error messages.
 *
 * @example
 * resolveValue(scope, { 'Fn::Sub': '${AWS::StackName}-orders' }, 'Resources.Q.Properties.QueueName'); // 'test-stack-orders'
 */
export function resolveValue(scope: IntrinsicScope, value: unknown, path: string): unknown {
  const v = resolveInner(scope, value, path);
  return v === NO_VALUE ? undefined : v;
}

function resolveInner(scope: IntrinsicScope, value: unknown, path: string): unknown {
  if (Array.isArray(value)) {
    return value.map((x, i) => resolveInner(scope, x, `${path}[${i}]`)).filter((x) => x !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0] as string;
    const arg = value[key];
    if (key === 'Ref') return refOf(scope, String(arg), path);
    if (key === 'Condition' && typeof arg === 'string') return conditionHolds(scope, arg, path);
    if (key.startsWith('Fn::')) return intrinsic(scope, key, arg, path);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const r = resolveInner(scope, value[k], `${path}.${k}`);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

function intrinsic(scope: IntrinsicScope, key: string, arg: unknown, path: string): unknown {
  const at = `${path}.${key}`;
  const list = (n: number): unknown[] => {
    if (!Array.isArray(arg) || arg.length !== n) throw templateError(scope, at, `expected a list of ${n}`);
    return arg;
  };
  switch (key) {
    case 'Fn::Sub':
      return sub(scope, arg, at);
    case 'Fn::GetAtt':
      return getAtt(scope, typeof arg === 'string' ? arg.split(/\.(.*)/s).slice(0, 2) : arg, at);
    case 'Fn::Join': {
      const [sep, items] = list(2);
      const parts = resolveInner(scope, items, at);
      if (typeof sep !== 'string' || !Array.isArray(parts))
        throw templateError(scope, at, 'expected [separator, [values]]');
      return parts.join(sep);
    }
    case 'Fn::Select': {
      const [index, items] = list(2);
      const parts = resolveInner(scope, items, at);
      const i = Number(resolveInner(scope, index, at));
      if (!Array.isArray(parts) || !(i >= 0 && i < parts.length))
        throw templateError(scope, at, 'index out of range');
      return parts[i];
    }
    case 'Fn::Split': {
      const [sep, text] = list(2);
      const s = resolveInner(scope, text, at);
      if (typeof sep !== 'string' || typeof s !== 'string')
        throw templateError(scope, at, 'expected [separator, string]');
      return s.split(sep);
    }
    case 'Fn::If': {
      const [cond, yes, no] = list(3);
      return conditionHolds(scope, String(cond), at)
        ? resolveInner(scope, yes, at)
        : resolveInner(scope, no, at);
    }
    case 'Fn::Equals': {
      const [a, b] = list(2);
      return JSON.stringify(resolveInner(scope, a, at)) === JSON.stringify(resolveInner(scope, b, at));
    }
    case 'Fn::Not':
      return !resolveInner(scope, list(1)[0], at);
    case 'Fn::And':
      return (arg as unknown[]).every((c) => resolveInner(scope, c, at) === true);
    case 'Fn::Or':
      return (arg as unknown[]).some((c) => resolveInner(scope, c, at) === true);
    case 'Fn::FindInMap': {
      const [map, top, second] = list(3).map((x) => resolveInner(scope, x, at));
      const found = (scope.mappings[String(map)] as Record<string, Record<string, unknown>> | undefined)?.[
        String(top)
      ]?.[String(second)];
      if (found === undefined)
        throw templateError(scope, at, `no Mappings.${String(map)}.${String(top)}.${String(second)}`);
      return found;
    }
    case 'Fn::Base64':
      return Buffer.from(String(resolveInner(scope, arg, at))).toString('base64');
    case 'Fn::ImportValue': {
      const name = String(resolveInner(scope, arg, at));
      if (Object.hasOwn(scope.values, name)) return scope.values[name];
      throw templateError(
        scope,
        at,
        `Fn::ImportValue ${name}: another stack's export, not in this template`,
        `Pass it: loadTemplate(file, { values: { '${name}': '...' } }).`,
      );
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(resolveInner(scope, arg, at));
    default:
      throw templateError(
        scope,
        at,
        `${key} is not supported`,
        'Supported: Ref, Fn::Sub, Fn::GetAtt, Fn::If, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Base64, Fn::ImportValue (with values), Fn::ToJsonString.',
        'UNSUPPORTED',
      );
  }
}
