/**
 * AWS Config custom rule events: a configuration item change (or its oversized summary) or a
 * periodic (scheduled) evaluation. `invokingEvent` and `ruleParameters` are JSON text, as Config
 * sends them.
 */
import { z } from 'zod';
import { ConfigRuleEventSchema } from '../schemas/config.js';
import {
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  deepMerge,
  isoWithMs,
  isPlainObject,
  md5Hex,
  parseOptions,
  resolveCommon,
  validateEvent,
} from './core.js';

/**
 * An AWS Config custom rule event (`@types/aws-lambda` has no type for it).
 *
 * @example
 * const event: ConfigRuleEvent = configRuleEvent();
 * const invoking = JSON.parse(event.invokingEvent) as ConfigInvokingEvent;
 */
export interface ConfigRuleEvent {
  version: '1.0';
  /** JSON text of a {@link ConfigInvokingEvent}. */
  invokingEvent: string;
  /** JSON text of the rule's parameters; absent when the rule has none. */
  ruleParameters?: string;
  /** Pass to PutEvaluations as `ResultToken`. */
  resultToken: string;
  /** True when the resource left the rule's scope: the function should answer NOT_APPLICABLE. */
  eventLeftScope: boolean;
  executionRoleArn: string;
  configRuleArn: string;
  configRuleName: string;
  configRuleId: string;
  accountId: string;
  evaluationMode?: 'DETECTIVE' | 'PROACTIVE';
}

/**
 * A configuration item as recorded by AWS Config (version 1.3), the part rules usually read.
 *
 * @example
 * const item: ConfigurationItem = (JSON.parse(configRuleEvent().invokingEvent) as ConfigurationItemChangeNotification).configurationItem;
 */
export interface ConfigurationItem {
  relatedEvents: string[];
  relationships: { resourceId: string; resourceName?: string | null; resourceType: string; name: string }[];
  configuration: unknown;
  supplementaryConfiguration: Record<string, unknown>;
  tags: Record<string, string>;
  configurationItemVersion: string;
  configurationItemCaptureTime: string;
  configurationStateId: number;
  awsAccountId: string;
  configurationItemStatus:
    | 'OK'
    | 'ResourceDiscovered'
    | 'ResourceNotRecorded'
    | 'ResourceDeleted'
    | 'ResourceDeletedNotRecorded';
  resourceType: string;
  resourceId: string;
  resourceName: string | null;
  ARN: string;
  awsRegion: string;
  availabilityZone: string;
  configurationStateMd5Hash: string;
  resourceCreationTime: string | null;
}

/**
 * The `invokingEvent` of a configuration change rule.
 *
 * @example
 * const change = JSON.parse(configRuleEvent().invokingEvent) as ConfigurationItemChangeNotification;
 */
export interface ConfigurationItemChangeNotification {
  configurationItemDiff: {
    changedProperties: Record<string, unknown>;
    changeType: 'CREATE' | 'UPDATE' | 'DELETE';
  } | null;
  configurationItem: ConfigurationItem;
  notificationCreationTime: string;
  messageType: 'ConfigurationItemChangeNotification';
  recordVersion: string;
}

/**
 * The `invokingEvent` when the item is too large to inline: a summary and where Config put it.
 *
 * @example
 * const summary = JSON.parse(configRuleEvent({ messageType: 'OversizedConfigurationItemChangeNotification' }).invokingEvent) as OversizedConfigurationItemChangeNotification;
 */
export interface OversizedConfigurationItemChangeNotification {
  configurationItemSummary: Omit<
    ConfigurationItem,
    'relatedEvents' | 'relationships' | 'configuration' | 'supplementaryConfiguration' | 'tags'
  > & {
    changeType: 'CREATE' | 'UPDATE' | 'DELETE';
  };
  s3DeliverySummary: { s3BucketLocation: string; errorCode: string | null; errorMessage: string | null };
  notificationCreationTime: string;
  messageType: 'OversizedConfigurationItemChangeNotification';
  recordVersion: string;
}

/**
 * The `invokingEvent` of a periodic rule.
 *
 * @example
 * const tick = JSON.parse(configRuleEvent({ messageType: 'ScheduledNotification' }).invokingEvent) as ScheduledNotification;
 */
export interface ScheduledNotification {
  awsAccountId: string;
  notificationCreationTime: string;
  messageType: 'ScheduledNotification';
  recordVersion: string;
}

/**
 * Any decoded `invokingEvent`.
 *
 * @example
 * const invoking = JSON.parse(configRuleEvent().invokingEvent) as ConfigInvokingEvent;
 * if (invoking.messageType === 'ScheduledNotification') console.log(invoking.awsAccountId);
 */
export type ConfigInvokingEvent =
  | ConfigurationItemChangeNotification
  | OversizedConfigurationItemChangeNotification
  | ScheduledNotification;

/**
 * Overrides of {@link configRuleEvent}: `invokingEvent` and `ruleParameters` may be given as
 * objects, which merge over the decoded values before they are encoded again (or as JSON text,
 * which replaces them).
 *
 * @example
 * const o: ConfigRuleEventOverrides = { invokingEvent: { configurationItem: { tags: { team: 'a' } } }, eventLeftScope: true };
 */
export type ConfigRuleEventOverrides = DeepPartial<
  Omit<ConfigRuleEvent, 'invokingEvent' | 'ruleParameters'>
> & {
  invokingEvent?:
    | string
    | DeepPartial<ConfigurationItemChangeNotification>
    | DeepPartial<ScheduledNotification>
    | DeepPartial<OversizedConfigurationItemChangeNotification>;
  ruleParameters?: string | Record<string, unknown>;
};

/**
 * Options of {@link configRuleEvent}.
 *
 * @example
 * const options: ConfigRuleEventOptions = { resourceType: 'AWS::S3::Bucket', resourceId: 'logs', ruleParameters: { maxAgeDays: 90 } };
 */
export interface ConfigRuleEventOptions extends CommonEventOptions {
  /** Default `ConfigurationItemChangeNotification`. */
  messageType?: ConfigInvokingEvent['messageType'];
  /** Default `AWS::EC2::Instance`. */
  resourceType?: string;
  /** Default generated in the type's id format. */
  resourceId?: string;
  /** The resource's `configuration` as Config records it. Default a small generated object. */
  configuration?: Record<string, unknown>;
  /** Default `OK` (`ResourceDeleted` sets `eventLeftScope`-style deletion data: configuration null). */
  configurationItemStatus?: ConfigurationItem['configurationItemStatus'];
  /** The rule's parameters, encoded as JSON text. Absent by default. */
  ruleParameters?: Record<string, unknown>;
  /** Default generated. */
  ruleName?: string;
  /** Default false. */
  eventLeftScope?: boolean;
  overrides?: ConfigRuleEventOverrides;
}

const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  messageType: z
    .enum([
      'ConfigurationItemChangeNotification',
      'OversizedConfigurationItemChangeNotification',
      'ScheduledNotification',
    ])
    .optional(),
  resourceType: z
    .string()
    .regex(/^AWS::\w+::\w+$/, 'expected a resource type such as "AWS::EC2::Instance"')
    .optional(),
  resourceId: z.string().min(1).max(768).optional(),
  configuration: z.record(z.string(), z.unknown()).optional(),
  configurationItemStatus: z
    .enum([
      'OK',
      'ResourceDiscovered',
      'ResourceNotRecorded',
      'ResourceDeleted',
      'ResourceDeletedNotRecorded',
    ])
    .optional(),
  ruleParameters: z.record(z.string(), z.unknown()).optional(),
  ruleName: z
    .string()
    .regex(/^[\w-]{1,128}$/, 'expected a Config rule name')
    .optional(),
  eventLeftScope: z.boolean().optional(),
});

interface ResourceShape {
  id(r: import('../random/index.js').Random): string;
  arn(region: string, account: string, id: string): string;
  configuration(id: string, r: import('../random/index.js').Random): Record<string, unknown>;
  global?: boolean;
}

const RESOURCES: Record<string, ResourceShape> = {
  'AWS::EC2::Instance': {
    id: (r) => `i-${r.hex(17)}`,
    arn: (region, account, id) => `arn:aws:ec2:${region}:${account}:instance/${id}`,
    configuration: (id, r) => ({
      instanceId: id,
      instanceType: r.pick(['t3.micro', 't3.small', 'm5.large']),
      state: { name: 'running' },
    }),
  },
  'AWS::EC2::SecurityGroup': {
    id: (r) => `sg-${r.hex(17)}`,
    arn: (region, account, id) => `arn:aws:ec2:${region}:${account}:security-group/${id}`,
    configuration: (id) => ({ groupId: id, ipPermissions: [], ipPermissionsEgress: [] }),
  },
  'AWS::S3::Bucket': {
    id: (r) => `${r.pick(['logs', 'assets', 'backups', 'uploads'])}-${r.lowerAlnum(10)}`,
    arn: (_region, _account, id) => `arn:aws:s3:::${id}`,
    configuration: (id) => ({ name: id, owner: { displayName: null } }),
  },
  'AWS::IAM::Role': {
    id: (r) => `AROA${r.upperAlnum(17)}`,
    arn: (_region, account, id) => `arn:aws:iam::${account}:role/${id}`,
    configuration: (_id, r) => ({ roleName: `${r.pick(['deploy', 'reader', 'ops'])}-role`, path: '/' }),
    global: true,
  },
};

function genericResource(type: string): ResourceShape {
  const [, service = 'service', kind = 'resource'] = type.split('::');
  return {
    id: (r) => `${kind.toLowerCase()}-${r.lowerAlnum(12)}`,
    arn: (region, account, id) =>
      `arn:aws:${service.toLowerCase()}:${region}:${account}:${kind.toLowerCase()}/${id}`,
    configuration: (id) => ({ id }),
  };
}

/**
 * Generates an AWS Config custom rule event. A configuration change carries the configuration
 * item (type, id, ARN, status, `configuration`, tags) in `invokingEvent`; an oversized change a
 * summary and the S3 location of the full item; a periodic rule a `ScheduledNotification`.
 * `ruleParameters` is the JSON text of the given object. The function answers through
 * PutEvaluations with `resultToken` (capture it with `captureConfigEvaluations()`).
 *
 * @example
 * const event = configRuleEvent({ resourceType: 'AWS::S3::Bucket', ruleParameters: { maxAgeDays: 90 } });
 * JSON.parse(event.invokingEvent).configurationItem.resourceType; // 'AWS::S3::Bucket'
 * JSON.parse(event.ruleParameters!); // { maxAgeDays: 90 }
 */
export function configRuleEvent(options: ConfigRuleEventOptions = {}): ConfigRuleEvent {
  const fn = 'configRuleEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('rule');
  const type = opts.resourceType ?? 'AWS::EC2::Instance';
  const shape = RESOURCES[type] ?? genericResource(type);
  const res = c.rng.fork('resource');
  const resourceId = opts.resourceId ?? shape.id(res);
  const status = opts.configurationItemStatus ?? 'OK';
  const deleted = status.startsWith('ResourceDeleted');
  const captured = isoWithMs(c.time - r.int(1_000, 120_000));
  const created = isoWithMs(c.time - r.int(86_400_000, 90 * 86_400_000));
  const configuration = deleted ? null : (opts.configuration ?? shape.configuration(resourceId, res));
  const base = {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: captured,
    configurationStateId: Number(`${Math.floor(c.time / 1000)}${r.digits(3)}`),
    awsAccountId: c.accountId,
    configurationItemStatus: status,
    resourceType: type,
    resourceId,
    resourceName: type === 'AWS::S3::Bucket' ? resourceId : null,
    ARN: shape.arn(c.region, c.accountId, resourceId),
    awsRegion: shape.global ? 'global' : c.region,
    availabilityZone: shape.global
      ? 'Not Applicable'
      : type === 'AWS::EC2::Instance'
        ? `${c.region}a`
        : 'Regional',
    configurationStateMd5Hash: '',
    resourceCreationTime: created,
  };
  base.configurationStateMd5Hash = md5Hex(JSON.stringify(configuration));
  const messageType = opts.messageType ?? 'ConfigurationItemChangeNotification';
  const notificationCreationTime = isoWithMs(c.time);
  const changeType = deleted ? 'DELETE' : status === 'ResourceDiscovered' ? 'CREATE' : 'UPDATE';
  const invoking: ConfigInvokingEvent =
    messageType === 'ScheduledNotification'
      ? { awsAccountId: c.accountId, notificationCreationTime, messageType, recordVersion: '1.0' }
      : messageType === 'OversizedConfigurationItemChangeNotification'
        ? {
            configurationItemSummary: {
              changeType,
              ...base,
            } as OversizedConfigurationItemChangeNotification['configurationItemSummary'],
            s3DeliverySummary: {
              s3BucketLocation: `config-bucket-${c.accountId}/AWSLogs/${c.accountId}/Config/${c.region}/${notificationCreationTime.slice(0, 10).replaceAll('-', '/')}/OversizedChangeNotification/${type}/${resourceId}/${c.accountId}_Config_${c.region}_ChangeNotification_${type}_${resourceId}_${notificationCreationTime.replace(/[-:.]/g, '')}_${r.digits(10)}.json.gz`,
              errorCode: null,
              errorMessage: null,
            },
            notificationCreationTime,
            messageType,
            recordVersion: '1.0',
          }
        : {
            configurationItemDiff: { changedProperties: {}, changeType },
            configurationItem: {
              relatedEvents: [],
              relationships: [],
              configuration,
              supplementaryConfiguration: {},
              tags: {},
              ...base,
            } as ConfigurationItem,
            notificationCreationTime,
            messageType,
            recordVersion: '1.3',
          };
  const ruleId = `config-rule-${r.lowerAlnum(6)}`;
  const ruleName =
    opts.ruleName ??
    `${type.split('::')[2]?.toLowerCase() ?? 'resource'}-${r.pick(['compliance', 'tagging', 'encryption'])}-check`;
  const event: ConfigRuleEvent = {
    version: '1.0',
    invokingEvent: JSON.stringify(invoking),
    ...(opts.ruleParameters ? { ruleParameters: JSON.stringify(opts.ruleParameters) } : {}),
    resultToken: r.base64Chars(344),
    eventLeftScope: opts.eventLeftScope ?? false,
    executionRoleArn: `arn:aws:iam::${c.accountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${c.region}:${c.accountId}:config-rule/${ruleId}`,
    configRuleName: ruleName,
    configRuleId: ruleId,
    accountId: c.accountId,
    evaluationMode: 'DETECTIVE',
  };
  if (!opts.overrides) return event;
  return mergeConfigOverrides(event, invoking, opts.overrides as ConfigRuleEventOverrides, fn);
}

/** Object overrides of `invokingEvent` / `ruleParameters` merge over the decoded values, then encode. */
function mergeConfigOverrides(
  event: ConfigRuleEvent,
  invoking: ConfigInvokingEvent,
  overrides: ConfigRuleEventOverrides,
  fn: string,
): ConfigRuleEvent {
  const { invokingEvent, ruleParameters, ...rest } = overrides;
  const merged = deepMerge(event, rest) as ConfigRuleEvent;
  if (isPlainObject(invokingEvent)) merged.invokingEvent = JSON.stringify(deepMerge(invoking, invokingEvent));
  else if (invokingEvent !== undefined) merged.invokingEvent = invokingEvent as string;
  if (isPlainObject(ruleParameters)) {
    const current = event.ruleParameters ? (JSON.parse(event.ruleParameters) as unknown) : {};
    merged.ruleParameters = JSON.stringify(deepMerge(current, ruleParameters));
  } else if (ruleParameters !== undefined) merged.ruleParameters = ruleParameters as string;
  validateEvent(ConfigRuleEventSchema, merged, fn);
  return merged;
}
