/**
 * Service-to-Lambda requests: CloudFormation custom resources, Secrets Manager rotation steps and
 * S3 Batch Operations tasks.
 */
import type {
  CloudFormationCustomResourceEvent,
  S3BatchEvent,
  SecretsManagerRotationEvent,
} from 'aws-lambda';
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import {
  CloudFormationCustomResourceEventSchema,
  S3BatchEventSchema,
  SecretsManagerRotationEventSchema,
} from '../schemas/services.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * Options of {@link cloudFormationCustomResourceEvent}.
 *
 * @example
 * const options: CloudFormationCustomResourceEventOptions = { requestType: 'Update', properties: { Size: '2' }, oldProperties: { Size: '1' } };
 */
export interface CloudFormationCustomResourceEventOptions extends CommonEventOptions {
  /** Default `Create`. */
  requestType?: 'Create' | 'Update' | 'Delete';
  /** `ResourceProperties` besides `ServiceToken`. Default `{}`. */
  properties?: Record<string, unknown>;
  /** `OldResourceProperties` besides `ServiceToken` (Update only). Default `properties`. */
  oldProperties?: Record<string, unknown>;
  /** Default `Custom::<Generated>`. */
  resourceType?: string;
  /** Default `Custom<Generated>`. */
  logicalResourceId?: string;
  /** Update/Delete only. Default generated. */
  physicalResourceId?: string;
  /** The pre-signed S3 URL CloudFormation waits on. Default a generated `https://cloudformation-custom-resource-response-...` URL. */
  responseUrl?: string;
  /** The function that serves the resource. Default `<generated>-provider`. */
  functionName?: string;
  overrides?: DeepPartial<CloudFormationCustomResourceEvent>;
}

const cfnOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  requestType: z.enum(['Create', 'Update', 'Delete']).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  oldProperties: z.record(z.string(), z.unknown()).optional(),
  resourceType: z
    .string()
    .regex(/^Custom::[\w@-]{1,60}$/, 'expected "Custom::Name"')
    .optional(),
  logicalResourceId: z
    .string()
    .regex(/^[A-Za-z0-9]{1,255}$/, 'expected an alphanumeric logical id')
    .optional(),
  physicalResourceId: z.string().min(1).max(1024).optional(),
  responseUrl: z.url().optional(),
  functionName: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'expected a Lambda function name')
    .optional(),
});

/**
 * Generates a CloudFormation custom resource request: `ResponseURL` (pre-signed S3 URL the
 * function must PUT its result to), stack and request ids, `ResourceProperties` with
 * `ServiceToken`; Update adds `PhysicalResourceId` and `OldResourceProperties`, Delete the id.
 * Capture the response with `captureCustomResourceResponse()` from `lambda-harness`.
 *
 * @example
 * const event = cloudFormationCustomResourceEvent({ requestType: 'Delete', physicalResourceId: 'bucket-1' });
 * event.PhysicalResourceId; // 'bucket-1'
 */
export function cloudFormationCustomResourceEvent(
  options: CloudFormationCustomResourceEventOptions = {},
): CloudFormationCustomResourceEvent {
  const fn = 'cloudFormationCustomResourceEvent';
  const opts = parseOptions(cfnOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('stack');
  const noun = r.pick(WORDS.nouns);
  const Noun = noun[0]?.toUpperCase() + noun.slice(1);
  const stackName = `${noun}-stack`;
  const stackId = `arn:aws:cloudformation:${c.region}:${c.accountId}:stack/${stackName}/${r.uuid()}`;
  const logical = opts.logicalResourceId ?? `Custom${Noun}`;
  const requestId = r.uuid();
  const serviceToken = `arn:aws:lambda:${c.region}:${c.accountId}:function:${opts.functionName ?? `${noun}-provider`}`;
  const responseUrl =
    opts.responseUrl ??
    `https://cloudformation-custom-resource-response-${c.region.replaceAll('-', '')}.s3.amazonaws.com/${encodeURIComponent(
      `${stackId}|${logical}|${requestId}`,
    )}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240115T120000Z&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&X-Amz-Signature=${r.hex(64)}`;
  const requestType = opts.requestType ?? 'Create';
  const base = {
    RequestType: requestType,
    ServiceToken: serviceToken,
    ResponseURL: responseUrl,
    StackId: stackId,
    RequestId: requestId,
    LogicalResourceId: logical,
    ...(requestType === 'Create'
      ? {}
      : { PhysicalResourceId: opts.physicalResourceId ?? `${stackName}-${logical}-${r.upperAlnum(12)}` }),
    ResourceType: opts.resourceType ?? `Custom::${Noun}`,
    ResourceProperties: { ServiceToken: serviceToken, ...(opts.properties ?? {}) },
    ...(requestType === 'Update'
      ? {
          OldResourceProperties: {
            ServiceToken: serviceToken,
            ...(opts.oldProperties ?? opts.properties ?? {}),
          },
        }
      : {}),
  } as CloudFormationCustomResourceEvent;
  return applyEventOverrides(base, opts.overrides, CloudFormationCustomResourceEventSchema, fn);
}

/**
 * Options of {@link secretsManagerRotationEvent}.
 *
 * @example
 * const options: SecretsManagerRotationEventOptions = { step: 'testSecret', secretName: 'prod/db' };
 */
export interface SecretsManagerRotationEventOptions extends CommonEventOptions {
  /** Default `createSecret`. */
  step?: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  /** Default generated. */
  secretName?: string;
  /** `ClientRequestToken`: the version being rotated in (the same for all four steps of one seed). */
  clientRequestToken?: string;
  overrides?: DeepPartial<SecretsManagerRotationEvent>;
}

const smOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']).optional(),
  secretName: z
    .string()
    .regex(/^[\w/+=.@-]{1,512}$/, 'expected a secret name')
    .optional(),
  clientRequestToken: z.uuid().optional(),
});

/**
 * Generates a Secrets Manager rotation step: `Step`, the secret ARN (name plus the 6-character
 * suffix) and the `ClientRequestToken` of the pending version, the same across the four steps.
 *
 * @example
 * const steps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
 * const events = steps.map((step) => secretsManagerRotationEvent({ step }));
 */
export function secretsManagerRotationEvent(
  options: SecretsManagerRotationEventOptions = {},
): SecretsManagerRotationEvent {
  const fn = 'secretsManagerRotationEvent';
  const opts = parseOptions(smOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('secret');
  const name = opts.secretName ?? `${r.pick(WORDS.adjectives)}/${r.pick(WORDS.nouns)}-db`;
  const event: SecretsManagerRotationEvent & { RotationToken?: string } = {
    Step: opts.step ?? 'createSecret',
    SecretId: `arn:aws:secretsmanager:${c.region}:${c.accountId}:secret:${name}-${r.alnum(6)}`,
    ClientRequestToken: opts.clientRequestToken ?? r.uuid(),
  };
  return applyEventOverrides(event, opts.overrides, SecretsManagerRotationEventSchema, fn);
}

/**
 * Options of {@link s3BatchEvent}.
 *
 * @example
 * const options: S3BatchEventOptions = { bucket: 'photos', key: 'raw/cat.jpg', schemaVersion: '2.0', userArguments: { size: 'small' } };
 */
export interface S3BatchEventOptions extends CommonEventOptions {
  /** `invocationSchemaVersion`. Default `1.0` (`2.0` adds `s3Bucket` and `userArguments`). */
  schemaVersion?: '1.0' | '2.0';
  bucket?: string;
  /** Object key (URL-encoded in the event, as S3 sends it). */
  key?: string;
  versionId?: string;
  /** Schema 2.0 only. */
  userArguments?: Record<string, string>;
  overrides?: DeepPartial<S3BatchEvent> & Record<string, unknown>;
}

const s3bOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  schemaVersion: z.enum(['1.0', '2.0']).optional(),
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')
    .optional(),
  key: z.string().min(1).max(1024).optional(),
  versionId: z.string().min(1).optional(),
  userArguments: z.record(z.string(), z.string()).optional(),
});

/**
 * Generates an S3 Batch Operations invocation: one task, its `taskId`, the job id, and the
 * `invocationId` to echo in the result; schema 2.0 adds `s3Bucket` and `userArguments`.
 *
 * @example
 * const event = s3BatchEvent({ key: 'raw/cat 1.jpg' });
 * event.tasks[0]!.s3Key; // 'raw/cat+1.jpg'
 */
export function s3BatchEvent(options: S3BatchEventOptions = {}): S3BatchEvent {
  const fn = 's3BatchEvent';
  const opts = parseOptions(s3bOptionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('job');
  const bucket = opts.bucket ?? `${r.pick(WORDS.adjectives)}-${r.pick(WORDS.nouns)}-${r.lowerAlnum(6)}`;
  const v2 = opts.schemaVersion === '2.0';
  const key = encodeURIComponent(opts.key ?? `${r.pick(WORDS.nouns)}s/${r.int(1, 999)}.json`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
  const task = v2
    ? { taskId: r.base64Chars(40), s3Key: key, s3VersionId: opts.versionId ?? null, s3Bucket: bucket }
    : {
        taskId: r.base64Chars(40),
        s3Key: key,
        s3VersionId: opts.versionId ?? null,
        s3BucketArn: `arn:aws:s3:::${bucket}`,
      };
  const event = {
    invocationSchemaVersion: v2 ? '2.0' : '1.0',
    invocationId: `${r.base64Chars(60)}`,
    job: v2 ? { id: r.uuid(), userArguments: opts.userArguments ?? {} } : { id: r.uuid() },
    tasks: [task],
  } as unknown as S3BatchEvent;
  return applyEventOverrides(event, opts.overrides, S3BatchEventSchema, fn);
}
