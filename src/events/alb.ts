/**
 * Application Load Balancer target-group events (single-value or multi-value headers mode).
 */
import type { ALBEvent } from 'aws-lambda';
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import { AlbMultiValueEventSchema, AlbSingleValueEventSchema } from '../schemas/http.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  hasOverride,
  parseOptions,
  resolveCommon,
} from './core.js';
import {
  bodyByteLength,
  type HttpRequestInput,
  httpRequestShape,
  lastValueMap,
  multiValueMap,
  normaliseRequest,
  traceId,
  withDefaultHeaders,
} from './http.js';

/**
 * Options of {@link albEvent}.
 *
 * @example
 * const options: AlbEventOptions = { multiValueHeaders: true, path: '/health', query: { a: ['1', '2'] } };
 */
export interface AlbEventOptions extends CommonEventOptions, Omit<HttpRequestInput, 'pathParameters'> {
  /** Multi-value headers enabled on the target group: the event carries only the multi-value maps. */
  multiValueHeaders?: boolean;
  /** Target group name used in the ARN. Default generated. */
  targetGroupName?: string;
  overrides?: DeepPartial<ALBEvent>;
}

const { pathParameters: _unused, ...albRequestShape } = httpRequestShape;
const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...albRequestShape,
  multiValueHeaders: z.boolean().optional(),
  targetGroupName: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,32}$/, 'expected 1-32 letters, digits or -')
    .optional(),
});

function rederive(event: ALBEvent, o: DeepPartial<ALBEvent>): void {
  if (o.body === undefined || hasOverride(o, ['headers', 'content-length'])) return;
  const length = String(bodyByteLength(event.body ?? '', event.isBase64Encoded));
  if (event.headers?.['content-length'] !== undefined) event.headers['content-length'] = length;
  if (event.multiValueHeaders?.['content-length'] !== undefined && !hasOverride(o, ['multiValueHeaders'])) {
    event.multiValueHeaders['content-length'] = [length];
  }
}

/**
 * Generates an ALB event. Single-value mode carries `headers` + `queryStringParameters` (last value
 * wins); multi-value mode carries `multiValueHeaders` + `multiValueQueryStringParameters` instead,
 * never both. Header names are lowercase, query strings are passed as sent (not URL-decoded), and an
 * empty body is `""`.
 *
 * @example
 * const event = albEvent({ method: 'POST', path: '/submit', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
 * const multi = albEvent({ multiValueHeaders: true, query: 'id=1&id=2' });
 * multi.multiValueQueryStringParameters; // { id: ['1', '2'] }
 */
export function albEvent(options: AlbEventOptions = {}): ALBEvent {
  const fn = 'albEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('request');
  const req = normaliseRequest(fn, opts, r);
  const lbName = `${r.pick(WORDS.adjectives)}-alb`;
  const tgName = opts.targetGroupName ?? `${r.pick(WORDS.nouns)}-tg`;
  const headerPairs = withDefaultHeaders(req, [
    ['accept', '*/*'],
    ['host', `${lbName}-${r.digits(9, true)}.${c.region}.elb.amazonaws.com`],
    ['user-agent', req.userAgent],
    ['x-amzn-trace-id', traceId(r, c.time)],
    ['x-forwarded-for', req.sourceIp],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ]).map(([k, v]) => [k.toLowerCase(), v] as const);
  if (req.cookies.length > 0) headerPairs.push(['cookie', req.cookies.join('; ')]);
  const queryPairs = req.query.map((q) => [q.rawKey, q.rawValue] as const);
  const event = {
    requestContext: {
      elb: {
        targetGroupArn: `arn:aws:elasticloadbalancing:${c.region}:${c.accountId}:targetgroup/${tgName}/${r.hex(16)}`,
      },
    },
    httpMethod: req.method,
    path: req.path,
  } as ALBEvent;
  if (opts.multiValueHeaders) {
    event.multiValueQueryStringParameters = multiValueMap(queryPairs);
    event.multiValueHeaders = multiValueMap(headerPairs);
  } else {
    event.queryStringParameters = lastValueMap(queryPairs);
    event.headers = lastValueMap(headerPairs);
  }
  event.body = req.body ?? '';
  event.isBase64Encoded = req.isBase64Encoded;
  return applyEventOverrides(
    event,
    opts.overrides,
    opts.multiValueHeaders ? AlbMultiValueEventSchema : AlbSingleValueEventSchema,
    fn,
    (merged, overrides) => {
      rederive(merged, overrides);
    },
  );
}
