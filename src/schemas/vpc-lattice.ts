import { z } from 'zod';

const method = z.string().regex(/^[A-Z]+$/, 'expected an uppercase HTTP method');
const latticeArn = (kind: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[\\w-]*:vpc-lattice:[\\w-]+:\\d{12}:${kind}/[\\w-]+$`),
      `expected a VPC Lattice ${kind} ARN`,
    );

/**
 * A VPC Lattice request to a Lambda target group, event structure V1 (snake_case keys; repeated
 * headers comma-joined, repeated query parameters last value wins).
 *
 * @example
 * VpcLatticeEventV1Schema.parse(vpcLatticeEvent({ version: '1.0' }));
 */
export const VpcLatticeEventV1Schema = z.strictObject({
  raw_path: z.string().startsWith('/'),
  method,
  headers: z.record(z.string(), z.string()),
  query_string_parameters: z.record(z.string(), z.string()),
  body: z.string(),
  is_base64_encoded: z.boolean(),
});

/**
 * A VPC Lattice request to a Lambda target group, event structure V2 (headers and query parameters
 * as lists, `requestContext` with the service network, service, target group and caller identity).
 *
 * @example
 * VpcLatticeEventV2Schema.parse(vpcLatticeEvent());
 */
export const VpcLatticeEventV2Schema = z.strictObject({
  version: z.literal('2.0'),
  path: z.string().startsWith('/'),
  method,
  headers: z.record(z.string(), z.array(z.string())),
  queryStringParameters: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  requestContext: z.strictObject({
    serviceNetworkArn: latticeArn('servicenetwork'),
    serviceArn: latticeArn('service'),
    targetGroupArn: latticeArn('targetgroup'),
    identity: z.strictObject({
      sourceVpcArn: z
        .string()
        .regex(/^arn:aws[\w-]*:ec2:[\w-]+:\d{12}:vpc\/vpc-[0-9a-f]+$/, 'expected a VPC ARN')
        .optional(),
      type: z.string().optional(),
      principal: z.string().optional(),
      principalOrgID: z.string().optional(),
      sessionName: z.string().optional(),
      x509IssuerOu: z.string().optional(),
      x509SanDns: z.string().optional(),
      x509SanNameCn: z.string().optional(),
      x509SanUri: z.string().optional(),
      x509SubjectCn: z.string().optional(),
    }),
    region: z.string(),
    timeEpoch: z.string().regex(/^\d+$/, 'expected epoch microseconds as a digit string'),
  }),
});
