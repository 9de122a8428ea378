/**
 * CodeCommit repository trigger events.
 */
import type { CodeCommitTriggerEvent } from 'aws-lambda';
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import { CodeCommitEventSchema } from '../schemas/codecommit.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type EventOverrides,
  isoWithMs,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * One reference a push changed.
 *
 * @example
 * const ref: CodeCommitReferenceInput = { ref: 'refs/heads/feature-x', created: true };
 */
export interface CodeCommitReferenceInput {
  /** `refs/heads/<branch>` or `refs/tags/<tag>`; a bare name means a branch. Default `refs/heads/main`. */
  ref?: string;
  /** The commit the reference now points at (for a deletion, the last one). Default generated. */
  commit?: string;
  created?: boolean;
  deleted?: boolean;
}

/**
 * Options of {@link codeCommitEvent}.
 *
 * @example
 * const options: CodeCommitEventOptions = { repositoryName: 'shop', references: [{ ref: 'main' }], customData: 'deploy' };
 */
export interface CodeCommitEventOptions extends CommonEventOptions {
  /** Default generated. */
  repositoryName?: string;
  /** The references the push changed. Default one push to `refs/heads/main`. */
  references?: CodeCommitReferenceInput[];
  /** `ReferenceChanges` (a push, the default) or `TriggerEventTest` (the console's test button). */
  eventName?: 'ReferenceChanges' | 'TriggerEventTest';
  /** The trigger's custom data. Absent by default. */
  customData?: string;
  /** Default generated. */
  triggerName?: string;
  /** Who pushed. Default a generated IAM user ARN. */
  userArn?: string;
  overrides?: EventOverrides<CodeCommitTriggerEvent>;
}

const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  repositoryName: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'expected a repository name')
    .optional(),
  references: z
    .array(
      z.strictObject({
        ref: z.string().min(1).optional(),
        commit: z
          .string()
          .regex(/^[0-9a-f]{40}$/, 'expected a 40-digit commit id')
          .optional(),
        created: z.boolean().optional(),
        deleted: z.boolean().optional(),
      }),
    )
    .min(1)
    .optional(),
  eventName: z.enum(['ReferenceChanges', 'TriggerEventTest']).optional(),
  customData: z.string().max(1000).optional(),
  triggerName: z.string().min(1).max(100).optional(),
  userArn: z
    .string()
    .regex(/^arn:aws[\w-]*:(iam|sts)::\d{12}:.+$/, 'expected an IAM or STS ARN')
    .optional(),
});

/** CodeCommit's event time: milliseconds and a `+0000` offset (`2024-01-15T12:00:00.000+0000`). */
function codeCommitTime(ms: number): string {
  return isoWithMs(ms).replace('Z', '+0000');
}

/**
 * Generates a CodeCommit trigger event: one record naming the repository ARN, the trigger, who
 * pushed and the references the push changed (`created` / `deleted` for new and removed branches).
 *
 * @example
 * const event = codeCommitEvent({ repositoryName: 'shop', references: [{ ref: 'release-1', created: true }] });
 * event.Records[0]?.codecommit.references[0]?.ref; // 'refs/heads/release-1'
 */
export function codeCommitEvent(options: CodeCommitEventOptions = {}): CodeCommitTriggerEvent {
  const fn = 'codeCommitEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('push');
  const repo = opts.repositoryName ?? `${r.pick(WORDS.nouns)}-service`;
  const user = r.faker.internet.username().replace(/[^\w+=,.@-]/g, '') || 'developer';
  const references = (opts.references ?? [{}]).map((ref, k) => {
    const name = ref.ref ?? 'refs/heads/main';
    return {
      commit: ref.commit ?? r.fork(`commit-${k}`).hex(40),
      ref: name.startsWith('refs/') ? name : `refs/heads/${name}`,
      ...(ref.created ? { created: true } : {}),
      ...(ref.deleted ? { deleted: true } : {}),
    };
  });
  const event: CodeCommitTriggerEvent = {
    Records: [
      {
        awsRegion: c.region,
        codecommit: { references },
        ...(opts.customData !== undefined ? { customData: opts.customData } : {}),
        eventId: r.uuid(),
        eventName: opts.eventName ?? 'ReferenceChanges',
        eventPartNumber: 1,
        eventSource: 'aws:codecommit',
        eventSourceARN: `arn:aws:codecommit:${c.region}:${c.accountId}:${repo}`,
        eventTime: codeCommitTime(c.time),
        eventTotalParts: 1,
        eventTriggerConfigId: r.uuid(),
        eventTriggerName: opts.triggerName ?? `${repo}-trigger`,
        eventVersion: '1.0',
        userIdentityARN: opts.userArn ?? `arn:aws:iam::${c.accountId}:user/${user}`,
      },
    ],
  };
  return applyEventOverrides(event, opts.overrides, CodeCommitEventSchema, fn);
}
