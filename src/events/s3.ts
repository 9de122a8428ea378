/**
 * S3 event notifications (object created / object removed) delivered to Lambda.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { z } from 'zod';
import { type Random, WORDS } from '../random/index.js';
import { S3EventSchema, S3RecordSchema } from '../schemas/s3.js';
import { batchFamily } from './batch.js';
import {
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  type EventOverrides,
  isoWithMs,
  md5Hex,
  parseOptions,
  recordsCountSchema,
  resolveCommon,
} from './core.js';

/**
 * One object as a user thinks of it: a plain key (encoded for you) and optionally its content.
 *
 * @example
 * const object: S3ObjectInput = { key: 'uploads/my photo.jpg', content: 'bytes here' };
 */
export interface S3ObjectInput {
  /** The object key as stored (the event carries it URL-encoded, spaces as `+`). */
  key?: string;
  /** Content: sets `size` and `eTag` (its MD5). */
  content?: string | Uint8Array;
  /** Size in bytes when no content is given. */
  size?: number;
  /** Version id (versioned buckets). */
  versionId?: string;
}

/**
 * Options of {@link s3Event}.
 *
 * @example
 * const options: S3EventOptions = { bucket: 'photos', eventName: 'ObjectRemoved:Delete', objects: [{ key: 'a.jpg' }] };
 */
export interface S3EventOptions extends CommonEventOptions {
  records?: number;
  bucket?: string;
  /** For example `ObjectCreated:Put` (default), `ObjectCreated:CompleteMultipartUpload`, `ObjectRemoved:Delete`. */
  eventName?: string;
  /** A versioned bucket: every object gets a `versionId`. */
  versioned?: boolean;
  /** Notification configuration id. Default generated. */
  configurationId?: string;
  objects?: S3ObjectInput[];
  overrides?: EventOverrides<S3Event>;
}

/**
 * Options of {@link s3Record}.
 *
 * @example
 * const options: S3RecordOptions = { key: 'report.csv', content: 'a,b\n1,2\n' };
 */
export interface S3RecordOptions extends CommonEventOptions, S3ObjectInput {
  bucket?: string;
  eventName?: string;
  versioned?: boolean;
  configurationId?: string;
  index?: number;
  overrides?: DeepPartial<S3EventRecord>;
}

const objectShape = {
  key: z.string().min(1).max(1024).optional(),
  content: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
  size: z.number().int().nonnegative().optional(),
  versionId: z.string().min(1).optional(),
};
const bucketShape = {
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'expected an S3 bucket name (3-63 lowercase letters, digits, . -)',
    )
    .optional(),
  eventName: z
    .string()
    .regex(
      /^Object(Created|Removed|Restore|Tagging|Acl):\w+$/,
      'expected e.g. "ObjectCreated:Put" or "ObjectRemoved:Delete"',
    )
    .optional(),
  versioned: z.boolean().optional(),
  configurationId: z.string().min(1).optional(),
};
const eventOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...bucketShape,
  records: recordsCountSchema,
  objects: z.array(z.strictObject(objectShape)).optional(),
});
const recordOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...bucketShape,
  ...objectShape,
  index: z.number().int().min(0).optional(),
});

/**
 * Encodes an object key the way S3 notifications carry it: form-URL-encoded (spaces as `+`),
 * `/` kept.
 *
 * @example
 * encodeS3Key('my photos/cat (1).jpg'); // 'my+photos/cat+%281%29.jpg'
 */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');
}

interface BucketContext {
  region: string;
  bucket: string;
  eventName: string;
  versioned: boolean;
  configurationId: string;
  ownerId: string;
  principalId: string;
  time: number;
  seqBase: bigint;
  rng: Random;
}

function bucketContext(options: {
  seed?: number | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  time?: string | number | Date | undefined;
  bucket?: string | undefined;
  eventName?: string | undefined;
  versioned?: boolean | undefined;
  configurationId?: string | undefined;
}): BucketContext {
  const c = resolveCommon(options);
  const ev = c.rng.fork('bucket');
  return {
    region: c.region,
    bucket: options.bucket ?? `${ev.pick(WORDS.adjectives)}-${ev.pick(WORDS.nouns)}-${ev.lowerAlnum(6)}`,
    eventName: options.eventName ?? 'ObjectCreated:Put',
    versioned: options.versioned ?? false,
    configurationId: options.configurationId ?? ev.uuid(),
    ownerId: `A${ev.upperAlnum(13)}`,
    principalId: `AWS:AIDA${ev.upperAlnum(17)}`,
    time: c.time,
    seqBase: BigInt(`0x${ev.hex(10)}`) << 24n,
    rng: c.rng,
  };
}

function buildRecord(ctx: BucketContext, i: number, obj: S3ObjectInput | undefined): S3EventRecord {
  const r = ctx.rng.fork(i);
  const key =
    obj?.key ??
    `${r.pick(WORDS.nouns)}s/${r.int(2020, 2024)}/${r.pick(WORDS.adjectives)} ${r.pick(WORDS.nouns)}-${r.int(1, 999)}.json`;
  const removed = ctx.eventName.startsWith('ObjectRemoved:');
  const object: Partial<S3EventRecord['s3']['object']> = { key: encodeS3Key(key) };
  if (!removed) {
    if (obj?.content !== undefined) {
      object.size =
        typeof obj.content === 'string' ? Buffer.byteLength(obj.content, 'utf8') : obj.content.byteLength;
      object.eTag = md5Hex(obj.content);
    } else {
      object.size = obj?.size ?? r.int(1, 5_000_000);
      object.eTag = r.hex(32);
    }
  }
  const versionId = obj?.versionId ?? (ctx.versioned ? r.base64Chars(32).replace(/[+/]/g, '_') : undefined);
  if (versionId !== undefined) object.versionId = versionId;
  object.sequencer = (ctx.seqBase + BigInt(i) * 0x1000000n + BigInt(r.int(0, 0xffffff)))
    .toString(16)
    .toUpperCase()
    .padStart(18, '0');
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: ctx.region,
    eventTime: isoWithMs(ctx.time + i * 10 + r.int(0, 9)),
    eventName: ctx.eventName,
    userIdentity: { principalId: ctx.principalId },
    requestParameters: { sourceIPAddress: r.ipv4() },
    responseElements: { 'x-amz-request-id': r.hex(16).toUpperCase(), 'x-amz-id-2': r.base64Chars(76) },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: ctx.configurationId,
      bucket: {
        name: ctx.bucket,
        ownerIdentity: { principalId: ctx.ownerId },
        arn: `arn:aws:s3:::${ctx.bucket}`,
      },
      object: object as S3EventRecord['s3']['object'],
    },
  };
}

const s3Family = batchFamily({
  eventSchema: S3EventSchema,
  recordSchema: S3RecordSchema,
  inputsOption: 'objects',
  build: (ctx: BucketContext, i: number, obj: S3ObjectInput | undefined) => buildRecord(ctx, i, obj),
});

/**
 * Generates an S3 event notification: keys URL-encoded as S3 sends them, `size`/`eTag` only on
 * created objects (from the content when given), increasing sequencers, ISO times with ms.
 *
 * @example
 * const event = s3Event({ bucket: 'uploads', objects: [{ key: 'in/my file.csv', content: 'a,b\n' }] });
 * event.Records[0]!.s3.object.key; // 'in/my+file.csv'
 * const removed = s3Event({ eventName: 'ObjectRemoved:Delete' });
 */
export function s3Event(options: S3EventOptions = {}): S3Event {
  const fn = 's3Event';
  const opts = parseOptions(eventOptionsSchema, options, fn);
  const ctx = bucketContext(opts);
  const objects = opts.objects ?? [];
  return s3Family.event<S3Event>(fn, ctx, {
    records: opts.records,
    inputs: objects,
    overrides: opts.overrides,
  });
}

/**
 * Generates one S3 notification record (the record factory behind {@link s3Event}).
 *
 * @example
 * const record = s3Record({ key: 'a b.txt', content: 'hello' });
 * record.s3.object.size; // 5
 */
export function s3Record(options: S3RecordOptions = {}): S3EventRecord {
  const fn = 's3Record';
  const opts = parseOptions(recordOptionsSchema, options, fn);
  const ctx = bucketContext(opts);
  const obj: S3ObjectInput = {};
  for (const k of ['key', 'content', 'size', 'versionId'] as const) {
    if (opts[k] !== undefined) (obj as Record<string, unknown>)[k] = opts[k];
  }
  return s3Family.record(fn, ctx, { index: opts.index, input: obj, overrides: opts.overrides });
}
