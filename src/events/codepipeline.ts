/**
 * CodePipeline jobs for a Lambda invoke action.
 */
import type { CodePipelineEvent } from 'aws-lambda';
import { z } from 'zod';
import { jsonPayloadSchema } from '../errors/options.js';
import { WORDS } from '../random/index.js';
import { CodePipelineEventSchema } from '../schemas/codepipeline.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  encodeBody,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * An input artifact: its name, or its name and revision (a commit id or S3 version id).
 *
 * @example
 * const input: CodePipelineArtifactInput = { name: 'SourceOutput', revision: '4f1c3a7...' };
 */
export type CodePipelineArtifactInput = string | { name: string; revision?: string | null };

/**
 * Options of {@link codePipelineEvent}.
 *
 * @example
 * const options: CodePipelineEventOptions = { pipelineName: 'deploy', userParameters: { stage: 'prod' }, inputArtifacts: ['BuildOutput'] };
 */
export interface CodePipelineEventOptions extends CommonEventOptions {
  /** Names the artifact store keys. Default generated. */
  pipelineName?: string;
  /** The invoked function's name (`configuration.FunctionName`). Default generated. */
  functionName?: string;
  /** `configuration.UserParameters`: strings pass through, other values are JSON-encoded. Absent by default. */
  userParameters?: unknown;
  /** Default one artifact, `SourceOutput`, with a commit id as revision. */
  inputArtifacts?: CodePipelineArtifactInput[];
  /** Names of output artifacts (their revision is null). Default none. */
  outputArtifacts?: string[];
  /** The token the function passed to PutJobSuccessResult on its previous run of this job. */
  continuationToken?: string;
  /** The artifact store's KMS key: `true` for a generated key ARN, or the key id/ARN. */
  encryptionKey?: boolean | string;
  overrides?: DeepPartial<CodePipelineEvent>;
}

const artifactName = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'expected an artifact name');
const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  pipelineName: z
    .string()
    .regex(/^[A-Za-z0-9.@_-]{1,100}$/, 'expected a pipeline name')
    .optional(),
  functionName: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'expected a Lambda function name')
    .optional(),
  userParameters: jsonPayloadSchema.optional(),
  inputArtifacts: z
    .array(
      z.union([
        artifactName,
        z.strictObject({ name: artifactName, revision: z.string().min(1).nullable().optional() }),
      ]),
    )
    .optional(),
  outputArtifacts: z.array(artifactName).optional(),
  continuationToken: z.string().min(1).optional(),
  encryptionKey: z.union([z.boolean(), z.string().min(1)]).optional(),
});

/**
 * Generates a CodePipeline job for a Lambda invoke action: the job id the function must answer
 * with `PutJobSuccessResult` or `PutJobFailureResult`, the action's `UserParameters`, input and
 * output artifacts in the pipeline's S3 artifact store, temporary artifact credentials, and, when
 * given, the continuation token and KMS key. Capture the answer without network with
 * `captureCodePipelineJobResult()`.
 *
 * @example
 * const event = codePipelineEvent({ userParameters: { stage: 'prod' }, outputArtifacts: ['Report'] });
 * JSON.parse(event['CodePipeline.job'].data.actionConfiguration.configuration.UserParameters); // { stage: 'prod' }
 */
export function codePipelineEvent(options: CodePipelineEventOptions = {}): CodePipelineEvent {
  const fn = 'codePipelineEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('job');
  const pipeline = opts.pipelineName ?? `${r.pick(WORDS.nouns)}-pipeline`;
  const functionName = opts.functionName ?? `${r.pick(WORDS.adjectives)}-${r.pick(WORDS.nouns)}-action`;
  const bucketName = `codepipeline-${c.region}-${r.digits(12, true)}`;
  const artifact = (name: string, revision: string | null, k: number) => ({
    name,
    revision,
    location: {
      type: 'S3' as const,
      s3Location: {
        bucketName,
        objectKey: `${pipeline.slice(0, 20)}/${name.slice(0, 10)}/${r.fork(`artifact-${k}`).alnum(7)}`,
      },
    },
  });
  const inputs = (opts.inputArtifacts ?? ['SourceOutput']).map((input, k) => {
    const name = typeof input === 'string' ? input : input.name;
    const given = typeof input === 'string' ? undefined : input.revision;
    return artifact(name, given === undefined ? r.fork(`revision-${k}`).hex(40) : given, k);
  });
  const outputs = (opts.outputArtifacts ?? []).map((name, k) => artifact(name, null, inputs.length + k));
  const configuration: { FunctionName: string; UserParameters?: string } = { FunctionName: functionName };
  if (opts.userParameters !== undefined) configuration.UserParameters = encodeBody(opts.userParameters);
  const keyId =
    opts.encryptionKey === true
      ? `arn:aws:kms:${c.region}:${c.accountId}:key/${r.fork('kms').uuid()}`
      : typeof opts.encryptionKey === 'string'
        ? opts.encryptionKey
        : undefined;
  const event = {
    'CodePipeline.job': {
      id: r.uuid(),
      accountId: c.accountId,
      data: {
        actionConfiguration: { configuration },
        inputArtifacts: inputs,
        outputArtifacts: outputs,
        artifactCredentials: {
          accessKeyId: `ASIA${r.upperAlnum(16)}`,
          secretAccessKey: r.base64Chars(40),
          sessionToken: r.base64Chars(356),
        },
        ...(keyId ? { encryptionKey: { id: keyId, type: 'KMS' as const } } : {}),
        ...(opts.continuationToken ? { continuationToken: opts.continuationToken } : {}),
      },
    },
  } as CodePipelineEvent;
  return applyEventOverrides(event, opts.overrides, CodePipelineEventSchema, fn);
}
