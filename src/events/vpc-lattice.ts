/**
 * VPC Lattice requests to a Lambda target group, in both event structures (V1 and V2).
 */
import { z } from 'zod';
import { WORDS } from '../random/index.js';
import { VpcLatticeEventV1Schema, VpcLatticeEventV2Schema } from '../schemas/vpc-lattice.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  parseOptions,
  resolveCommon,
} from './core.js';
import {
  type HttpRequestInput,
  httpRequestShape,
  lastValueMap,
  multiValueMap,
  type NormalisedRequest,
  normaliseRequest,
  withDefaultHeaders,
} from './http.js';

/**
 * A VPC Lattice event, structure V1 (`@types/aws-lambda` has no type for it).
 *
 * @example
 * const event: VpcLatticeEventV1 = vpcLatticeEvent({ version: '1.0' });
 */
export type VpcLatticeEventV1 = z.infer<typeof VpcLatticeEventV1Schema>;
/**
 * A VPC Lattice event, structure V2 (`@types/aws-lambda` has no type for it).
 *
 * @example
 * const event: VpcLatticeEventV2 = vpcLatticeEvent();
 */
export type VpcLatticeEventV2 = z.infer<typeof VpcLatticeEventV2Schema>;

/**
 * Options of {@link vpcLatticeEvent}.
 *
 * @example
 * const options: VpcLatticeEventOptions = { method: 'POST', path: '/orders', body: { qty: 2 }, auth: 'AWS_IAM' };
 */
export interface VpcLatticeEventOptions extends CommonEventOptions, Omit<HttpRequestInput, 'pathParameters'> {
  /** The target group's event structure. Default `2.0`. */
  version?: '1.0' | '2.0';
  /** The service's auth type: with `AWS_IAM` (V2) the identity carries the signed-in principal. Default `NONE`. */
  auth?: 'NONE' | 'AWS_IAM';
  /** The service's name (host name and ARN). Default generated. */
  serviceName?: string;
  overrides?: DeepPartial<VpcLatticeEventV2> | DeepPartial<VpcLatticeEventV1>;
}

const { pathParameters: _unused, ...latticeRequestShape } = httpRequestShape;
const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...latticeRequestShape,
  version: z.enum(['1.0', '2.0']).optional(),
  auth: z.enum(['NONE', 'AWS_IAM']).optional(),
  serviceName: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/,
      'expected a VPC Lattice service name (3-40 lowercase, digits, -)',
    )
    .optional(),
});

function headerPairs(req: NormalisedRequest, host: string): [string, string][] {
  const pairs = withDefaultHeaders(req, [
    ['host', host],
    ['user-agent', req.userAgent],
    ['accept', '*/*'],
  ]).map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
  if (req.cookies.length > 0) pairs.push(['cookie', req.cookies.join('; ')]);
  // The service adds X-Forwarded-For to every request.
  pairs.push(['x-forwarded-for', req.sourceIp]);
  return pairs;
}

/**
 * Generates a VPC Lattice request event. V2 (the default): `headers` and `queryStringParameters`
 * map each name to a list of values, `requestContext` carries the service network, service and
 * target group ARNs, the region, `timeEpoch` in microseconds and the caller `identity` (the source
 * VPC; with `auth: 'AWS_IAM'` the principal, its organization and session). V1: snake_case keys,
 * repeated headers joined with ", ", repeated query parameters last value wins. Header names are
 * lowercase; bytes bodies are base64 with the base64 flag set.
 *
 * @example
 * const v2 = vpcLatticeEvent({ method: 'GET', path: '/orders', query: 'tag=a&tag=b' });
 * v2.queryStringParameters; // { tag: ['a', 'b'] }
 * const v1 = vpcLatticeEvent({ version: '1.0', query: 'tag=a&tag=b' });
 * v1.query_string_parameters; // { tag: 'b' }
 */
export function vpcLatticeEvent(options: VpcLatticeEventOptions & { version: '1.0' }): VpcLatticeEventV1;
export function vpcLatticeEvent(options?: VpcLatticeEventOptions & { version?: '2.0' }): VpcLatticeEventV2;
export function vpcLatticeEvent(options?: VpcLatticeEventOptions): VpcLatticeEventV1 | VpcLatticeEventV2;
export function vpcLatticeEvent(options: VpcLatticeEventOptions = {}): VpcLatticeEventV1 | VpcLatticeEventV2 {
  const fn = 'vpcLatticeEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('request');
  const req = normaliseRequest(fn, opts, r);
  const service = opts.serviceName ?? `${r.pick(WORDS.nouns)}-service`;
  const serviceId = `svc-${r.hex(17)}`;
  const host = `${service}-${serviceId.slice(4)}.${r.hex(7)}.vpc-lattice-svcs.${c.region}.on.aws`;
  const pairs = headerPairs(req, host);
  const query = req.query.map((q) => [q.key, q.value] as const);
  if (opts.version === '1.0') {
    const headers: Record<string, string> = {};
    for (const [k, v] of pairs) headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    const v1: VpcLatticeEventV1 = {
      raw_path: req.path,
      method: req.method,
      headers,
      query_string_parameters: lastValueMap(query),
      body: req.body ?? '',
      is_base64_encoded: req.isBase64Encoded,
    };
    return applyEventOverrides(
      v1,
      opts.overrides as DeepPartial<VpcLatticeEventV1>,
      VpcLatticeEventV1Schema,
      fn,
    );
  }
  const iam = opts.auth === 'AWS_IAM';
  const session = r.lowerAlnum(32);
  const event: VpcLatticeEventV2 = {
    version: '2.0',
    path: req.path,
    method: req.method,
    headers: multiValueMap(pairs),
    ...(query.length > 0 ? { queryStringParameters: multiValueMap(query) } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
    isBase64Encoded: req.isBase64Encoded,
    requestContext: {
      serviceNetworkArn: `arn:aws:vpc-lattice:${c.region}:${c.accountId}:servicenetwork/sn-${r.hex(17)}`,
      serviceArn: `arn:aws:vpc-lattice:${c.region}:${c.accountId}:service/${serviceId}`,
      targetGroupArn: `arn:aws:vpc-lattice:${c.region}:${c.accountId}:targetgroup/tg-${r.hex(17)}`,
      identity: {
        sourceVpcArn: `arn:aws:ec2:${c.region}:${c.accountId}:vpc/vpc-${r.hex(17)}`,
        ...(iam
          ? {
              type: 'AWS_IAM',
              principal: `arn:aws:sts::${c.accountId}:assumed-role/${r.pick(WORDS.nouns)}-caller-role/${session}`,
              principalOrgID: `o-${r.lowerAlnum(10)}`,
              sessionName: session,
            }
          : {}),
      },
      region: c.region,
      timeEpoch: `${Math.round(c.time)}${String(r.int(0, 999)).padStart(3, '0')}`,
    },
  };
  return applyEventOverrides(
    event,
    opts.overrides as DeepPartial<VpcLatticeEventV2>,
    VpcLatticeEventV2Schema,
    fn,
  );
}
