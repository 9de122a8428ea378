/**
 * S3 Object Lambda: the GetObject request an Object Lambda access point sends to its function.
 */
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import { S3ObjectLambdaEventSchema } from '../schemas/s3-object-lambda.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  resolveCommon,
  sha256Hex,
} from './core.js';

/**
 * An S3 Object Lambda GetObject event (`@types/aws-lambda` has no type for it).
 *
 * @example
 * const event: S3ObjectLambdaEvent = s3ObjectLambdaEvent({ key: 'docs/report.txt' });
 */
export type S3ObjectLambdaEvent = z.infer<typeof S3ObjectLambdaEventSchema>;

/**
 * Options of {@link s3ObjectLambdaEvent}.
 *
 * @example
 * const options: S3ObjectLambdaEventOptions = { key: 'docs/report.txt', range: 'bytes=0-99', payload: '{"redact":true}' };
 */
export interface S3ObjectLambdaEventOptions extends CommonEventOptions {
  /** The object key the caller asked for. Default generated. */
  key?: string;
  /** The supporting S3 access point's name. Default generated. */
  accessPointName?: string;
  /** The Object Lambda access point's name. Default generated. */
  objectLambdaAccessPointName?: string;
  /** The access point configuration's payload (text passed to every invocation). */
  payload?: string;
  /** A `Range` header the caller sent (`bytes=0-99`); the function must honour or reject it. */
  range?: string;
  /** Who called GetObject. Default `AssumedRole`. */
  caller?: 'IAMUser' | 'AssumedRole';
  overrides?: DeepPartial<S3ObjectLambdaEvent>;
}

const apName = z.string().regex(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/, 'expected an access point name');
const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  key: z.string().min(1).max(1024).optional(),
  accessPointName: apName.optional(),
  objectLambdaAccessPointName: apName.optional(),
  payload: z.string().optional(),
  range: z
    .string()
    .regex(/^bytes=\d*-\d*(,\s*\d*-\d*)*$/, 'expected a byte range such as "bytes=0-99"')
    .optional(),
  caller: z.enum(['IAMUser', 'AssumedRole']).optional(),
});

const REGION_CODES: Record<string, string> = { east: 'e', west: 'w', north: 'n', south: 's', central: 'c' };

/** The short region code S3 uses in output routes (`us-east-1` -> `use1`). */
function regionCode(region: string): string {
  const [geo = '', dir = '', n = ''] = region.split('-');
  return `${geo}${REGION_CODES[dir] ?? dir.slice(0, 2)}${n}`;
}

function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/**
 * Generates an S3 Object Lambda GetObject event: `getObjectContext` with the pre-signed
 * `inputS3Url` of the supporting access point (same key and region), the `outputRoute` and
 * `outputToken` that `WriteGetObjectResponse` must echo (as `RequestRoute` / `RequestToken`), the
 * access point `configuration`, the caller's original `userRequest` (URL on the Object Lambda
 * endpoint, its headers, a `Range` when given) and `userIdentity`. Capture what the handler sends
 * back with `captureObjectLambdaResponse(event)` from `lambda-harness` (no network).
 *
 * @example
 * const event = s3ObjectLambdaEvent({ key: 'docs/report.txt' });
 * new URL(event.getObjectContext.inputS3Url).pathname; // '/docs/report.txt'
 */
export function s3ObjectLambdaEvent(options: S3ObjectLambdaEventOptions = {}): S3ObjectLambdaEvent {
  const fn = 's3ObjectLambdaEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('request');
  const noun = r.pick(WORDS.nouns);
  const ap = opts.accessPointName ?? `${noun}-ap`;
  const olap = opts.objectLambdaAccessPointName ?? `${noun}-olap`;
  const key = opts.key ?? `${noun}s/${r.int(1, 9999)}.json`;
  const path = `/${encodeKeyPath(key)}`;
  const date = new Date(c.time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const accessKeyId = `ASIA${r.upperAlnum(16)}`;
  const inputS3Url =
    `https://${ap}-${c.accountId}.s3-accesspoint.${c.region}.amazonaws.com${path}` +
    `?X-Amz-Security-Token=${encodeURIComponent(r.base64Chars(180))}` +
    `&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-SignedHeaders=host&X-Amz-Expires=61` +
    `&X-Amz-Credential=${accessKeyId}%2F${date.slice(0, 8)}%2F${c.region}%2Fs3%2Faws4_request` +
    `&X-Amz-Signature=${r.hex(64)}`;
  const host = `${olap}-${c.accountId}.s3-object-lambda.${c.region}.amazonaws.com`;
  const principalId = `AROA${r.upperAlnum(17)}`;
  const session = r.pick(WORDS.firstNames).toLowerCase();
  const role = `${noun}-reader`;
  const userIdentity: S3ObjectLambdaEvent['userIdentity'] =
    opts.caller === 'IAMUser'
      ? {
          type: 'IAMUser',
          principalId: `AIDA${r.upperAlnum(17)}`,
          arn: `arn:aws:iam::${c.accountId}:user/${session}`,
          accountId: c.accountId,
          accessKeyId: `AKIA${r.upperAlnum(16)}`,
          userName: session,
        }
      : {
          type: 'AssumedRole',
          principalId: `${principalId}:${session}`,
          arn: `arn:aws:sts::${c.accountId}:assumed-role/${role}/${session}`,
          accountId: c.accountId,
          accessKeyId,
          sessionContext: {
            attributes: {
              creationDate: new Date(Math.round(c.time) - r.int(60_000, 3_600_000)).toUTCString(),
              mfaAuthenticated: 'false',
            },
            sessionIssuer: {
              type: 'Role',
              principalId,
              arn: `arn:aws:iam::${c.accountId}:role/${role}`,
              accountId: c.accountId,
              userName: role,
            },
          },
        };
  const event: S3ObjectLambdaEvent = {
    xAmzRequestId: r.uuid(),
    getObjectContext: {
      inputS3Url,
      outputRoute: `io-${regionCode(c.region)}-c${String(r.int(1, 99)).padStart(3, '0')}`,
      outputToken: r.base64Chars(344),
    },
    configuration: {
      accessPointArn: `arn:aws:s3-object-lambda:${c.region}:${c.accountId}:accesspoint/${olap}`,
      supportingAccessPointArn: `arn:aws:s3:${c.region}:${c.accountId}:accesspoint/${ap}`,
      payload: opts.payload ?? '',
    },
    userRequest: {
      url: `https://${host}${path}`,
      headers: {
        Host: host,
        'Accept-Encoding': 'identity',
        'X-Amz-Content-SHA256': sha256Hex(''),
        ...(opts.range ? { Range: opts.range } : {}),
      },
    },
    userIdentity,
    protocolVersion: '1.00',
  };
  return applyEventOverrides(event, opts.overrides, S3ObjectLambdaEventSchema, fn);
}
