// Independent check for SES, Amazon MQ, AppSync, IoT, VPC Lattice and S3 Object Lambda: every
// generator's output, over >= 1,000 seeds and random option/override shapes, parses with its own
// schema and with the matching @aws-lambda-powertools/parser schema (written by AWS) where one
// exists. Where AWS documents a shape Powertools rejects, the documented difference is named, the
// rest of the event is still checked against Powertools, and a test below shows the difference.
import {
  AppSyncBatchResolverSchema,
  AppSyncResolverSchema,
} from '@aws-lambda-powertools/parser/schemas/appsync';
import { S3ObjectLambdaEventSchema as PowertoolsS3ObjectLambdaSchema } from '@aws-lambda-powertools/parser/schemas/s3';
import { SesSchema } from '@aws-lambda-powertools/parser/schemas/ses';
import { VpcLatticeSchema } from '@aws-lambda-powertools/parser/schemas/vpc-lattice';
import { VpcLatticeV2Schema } from '@aws-lambda-powertools/parser/schemas/vpc-latticev2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ActiveMqEventSchema,
  AppSyncBatchResolverEventSchema,
  AppSyncResolverEventSchema,
  activeMqEvent,
  appSyncBatchResolverEvent,
  appSyncResolverEvent,
  IotRuleEventSchema,
  iotRuleEvent,
  RabbitMqEventSchema,
  rabbitMqEvent,
  S3ObjectLambdaEventSchema,
  SesEventSchema,
  s3ObjectLambdaEvent,
  sesEvent,
  VpcLatticeEventV1Schema,
  VpcLatticeEventV2Schema,
  vpcLatticeEvent,
} from '../../src/events/index.js';
import { commonOptions, NUM_RUNS, PARITY_SEED, parses } from './parity.js';

function property<T>(arb: fc.Arbitrary<T>, check: (input: T) => void): void {
  fc.assert(fc.property(arb, check), { numRuns: NUM_RUNS, seed: PARITY_SEED });
}

const common = commonOptions;
const text = fc.string({ maxLength: 40 });
const payload = fc.oneof(text, fc.jsonValue({ maxDepth: 2 }));
const binary = fc.uint8Array({ maxLength: 32 });
const name = fc.stringMatching(/^[A-Za-z][\w.-]{0,15}$/);
const address = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,10}$/), fc.stringMatching(/^[a-z]{1,10}\.(com|org)$/))
  .map(([local, domain]) => `${local}@${domain}`);
const mailbox = fc.oneof(
  address,
  fc.tuple(fc.stringMatching(/^[A-Z][a-z]{0,8}$/), address).map(([n, a]) => `${n} <${a}>`),
);
const verdict = fc.constantFrom('PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED' as const);

/** The two documented SES differences Powertools does not model, filled in so the rest is checked. */
function sesForPowertools(event: ReturnType<typeof sesEvent>): unknown {
  const copy = structuredClone(event);
  const receipt = copy.Records[0]!.ses.receipt;
  // SES sends dmarcPolicy only when DMARC fails; Powertools requires it always.
  receipt.dmarcPolicy ??= 'none';
  // The Lambda action may be RequestResponse; Powertools accepts only Event.
  (receipt.action as { invocationType: string }).invocationType = 'Event';
  return copy;
}

/** VPC Lattice V2 sends header and query values as lists; Powertools models single strings. */
function latticeV2ForPowertools(event: ReturnType<typeof vpcLatticeEvent>): unknown {
  const join = (m: Record<string, string[]> | undefined) =>
    m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.join(', ')]));
  const e = event as { headers: Record<string, string[]>; queryStringParameters?: Record<string, string[]> };
  return {
    ...event,
    headers: join(e.headers),
    ...(e.queryStringParameters ? { queryStringParameters: join(e.queryStringParameters) } : {}),
  };
}

/** AppSync sends identity null for API-key requests; Powertools accepts it absent, not null. */
function appSyncForPowertools<T extends { identity?: unknown }>(event: T): T {
  if (event.identity !== null) return event;
  const { identity: _null, ...rest } = event;
  return rest as T;
}

describe('SES, Amazon MQ, AppSync, IoT, VPC Lattice and S3 Object Lambda parse (>= 1,000 runs per source)', () => {
  it('SES (senders, recipients, verdicts, invocation types, header overrides)', () => {
    const arb = fc.record({
      common,
      from: mailbox,
      to: fc.array(mailbox, { minLength: 1, maxLength: 3 }),
      cc: fc.array(mailbox, { maxLength: 2 }),
      subject: text,
      invocationType: fc.constantFrom('Event', 'RequestResponse' as const),
      verdicts: fc.record({ spam: verdict, virus: verdict, spf: verdict, dkim: verdict, dmarc: verdict }),
      policy: fc.constantFrom('none', 'quarantine', 'reject' as const),
      headers: fc.dictionary(fc.stringMatching(/^X-[A-Za-z]{1,8}$/), text, { maxKeys: 2 }),
      subjectOverride: fc.option(text, { nil: undefined }),
    });
    property(arb, (i) => {
      const event = sesEvent({
        ...i.common,
        from: i.from,
        to: i.to,
        cc: i.cc,
        subject: i.subject,
        invocationType: i.invocationType,
        verdicts: i.verdicts,
        ...(i.verdicts.dmarc === 'FAIL' ? { dmarcPolicy: i.policy } : {}),
        headers: i.headers,
        ...(i.subjectOverride !== undefined
          ? { overrides: { Records: [{ ses: { mail: { commonHeaders: { subject: i.subjectOverride } } } }] } }
          : {}),
      });
      parses(SesEventSchema, event, 'own schema');
      parses(SesSchema, sesForPowertools(event), 'Powertools schema');
    });
  });

  it('Amazon MQ: ActiveMQ and RabbitMQ (own schemas: Powertools for TypeScript has no Amazon MQ schema)', () => {
    const arb = fc.record({
      common,
      queue: fc.stringMatching(/^[\w.-]{1,20}$/),
      vhost: fc.stringMatching(/^[\w/-]{1,10}$/),
      bodies: fc.array(fc.oneof(payload, binary), { maxLength: 4 }),
      properties: fc.dictionary(name, text, { maxKeys: 2 }),
      headers: fc.dictionary(name, fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 2 }),
      priority: fc.integer({ min: 0, max: 9 }),
    });
    property(arb, (i) => {
      const active = activeMqEvent({
        ...i.common,
        queue: i.queue,
        messages: i.bodies.map((body) => ({ body, properties: i.properties, priority: i.priority })),
      });
      parses(ActiveMqEventSchema, active, 'own ActiveMQ schema');
      const rabbit = rabbitMqEvent({
        ...i.common,
        queue: i.queue,
        virtualHost: i.vhost,
        messages: i.bodies.map((body) => ({ body, headers: i.headers })),
      });
      parses(RabbitMqEventSchema, rabbit, 'own RabbitMQ schema');
      for (const [key, list] of Object.entries(rabbit.rmqMessagesByQueue)) {
        expect(key).toBe(`${i.queue}::${i.vhost}`);
        for (const m of list) expect(Buffer.from(m.data, 'base64').length).toBe(m.basicProperties.bodySize);
      }
    });
  });

  const authorization = fc.oneof(
    fc.record({ type: fc.constant('API_KEY' as const) }),
    fc.record(
      {
        type: fc.constant('AMAZON_COGNITO_USER_POOLS' as const),
        groups: fc.option(fc.array(name, { maxLength: 2 }), { nil: null }),
        claims: fc.dictionary(name, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('AWS_IAM' as const) }),
    fc.record({ type: fc.constant('OPENID_CONNECT' as const) }),
    fc.record({
      type: fc.constant('AWS_LAMBDA' as const),
      resolverContext: fc.dictionary(name, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
    }),
  );
  const gqlName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
  const resolver = fc.record({
    common,
    authorization,
    typeName: gqlName,
    fieldName: gqlName,
    arguments: fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    selectionSet: fc.array(
      fc.array(gqlName, { minLength: 1, maxLength: 3 }).map((p) => p.join('/')),
      { maxLength: 4 },
    ),
    stash: fc.dictionary(name, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
  });

  const options = ({ common: c, ...rest }: typeof resolver extends fc.Arbitrary<infer T> ? T : never) => ({
    ...c,
    ...rest,
  });

  it('AppSync direct resolvers (every authorization mode, selections, arguments)', () => {
    property(
      fc.record({
        r: resolver,
        source: fc.option(fc.dictionary(name, fc.jsonValue({ maxDepth: 1 })), { nil: null }),
      }),
      ({ r, source }) => {
        const event = appSyncResolverEvent({ ...options(r), source });
        parses(AppSyncResolverEventSchema, event, 'own schema');
        parses(AppSyncResolverSchema, appSyncForPowertools(event), 'Powertools schema');
      },
    );
  });

  it('AppSync batch invoke', () => {
    property(
      fc.record({
        r: resolver,
        sources: fc.array(fc.dictionary(name, fc.jsonValue({ maxDepth: 1 })), { minLength: 1, maxLength: 4 }),
      }),
      ({ r, sources }) => {
        const batch = appSyncBatchResolverEvent({ ...options(r), sources });
        parses(AppSyncBatchResolverEventSchema, batch, 'own schema');
        parses(AppSyncBatchResolverSchema, batch.map(appSyncForPowertools), 'Powertools schema');
        expect(batch.map((b) => b.source)).toEqual(sources);
      },
    );
  });

  it('IoT rules (any JSON payload, bytes, SQL function values; own schema: Powertools has no IoT schema)', () => {
    const arb = fc.record({
      common,
      payload: fc.oneof(fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), binary),
      select: fc.subarray(['topic', 'clientid', 'timestamp', 'principal'] as const),
      topic: fc.stringMatching(/^[a-z0-9/_-]{1,30}$/),
    });
    property(arb, (i) => {
      const event = iotRuleEvent({ ...i.common, payload: i.payload, select: [...i.select], topic: i.topic });
      parses(IotRuleEventSchema, event, 'own schema');
      if (i.select.includes('topic')) expect((event as { topic: string }).topic).toBe(i.topic);
    });
  });

  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
  const request = fc.record(
    {
      method,
      path: fc.array(fc.stringMatching(/^[\w.~-]{1,12}$/), { maxLength: 4 }).map((s) => `/${s.join('/')}`),
      query: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
        { maxKeys: 3 },
      ),
      headers: fc.dictionary(
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/),
        fc.oneof(
          fc.stringMatching(/^[\x20-\x7e]{0,20}$/),
          fc.array(fc.stringMatching(/^[\x21-\x7e]{1,10}$/), { minLength: 1, maxLength: 2 }),
        ),
        { maxKeys: 3 },
      ),
      body: fc.oneof(text, fc.jsonValue({ maxDepth: 2 }), binary),
      sourceIp: fc.oneof(fc.ipV4(), fc.ipV6()),
    },
    { requiredKeys: [] },
  );

  it('VPC Lattice V1 and V2 (requests, IAM auth)', () => {
    property(fc.record({ common, request, auth: fc.constantFrom('NONE', 'AWS_IAM' as const) }), (i) => {
      const v2 = vpcLatticeEvent({ ...i.common, ...i.request, auth: i.auth });
      parses(VpcLatticeEventV2Schema, v2, 'own V2 schema');
      parses(VpcLatticeV2Schema, latticeV2ForPowertools(v2), 'Powertools V2 schema');
      const v1 = vpcLatticeEvent({ ...i.common, ...i.request, version: '1.0' });
      parses(VpcLatticeEventV1Schema, v1, 'own V1 schema');
      parses(VpcLatticeSchema, v1, 'Powertools V1 schema');
    });
  });

  it('S3 Object Lambda (keys, ranges, payloads, callers)', () => {
    const arb = fc.record({
      common,
      key: fc.string({ minLength: 1, maxLength: 40 }),
      range: fc.option(
        fc.tuple(fc.nat(1000), fc.nat(1000)).map(([a, b]) => `bytes=${a}-${a + b}`),
        { nil: undefined },
      ),
      payload: fc.option(text, { nil: undefined }),
      caller: fc.constantFrom('IAMUser', 'AssumedRole' as const),
    });
    property(arb, (i) => {
      const event = s3ObjectLambdaEvent({
        ...i.common,
        key: i.key,
        caller: i.caller,
        ...(i.range ? { range: i.range } : {}),
        ...(i.payload !== undefined ? { payload: i.payload } : {}),
      });
      parses(S3ObjectLambdaEventSchema, event, 'own schema');
      parses(PowertoolsS3ObjectLambdaSchema, event, 'Powertools schema');
      expect(decodeURIComponent(new URL(event.getObjectContext.inputS3Url).pathname.slice(1))).toBe(i.key);
    });
  });
});

describe('where Powertools is stricter than the shapes AWS documents', () => {
  it('SES: a RequestResponse action, and a receipt without dmarcPolicy (sent only on DMARC failure)', () => {
    const requestResponse = sesEvent({ invocationType: 'RequestResponse' });
    const passing = sesEvent();

    expect(SesSchema.safeParse(requestResponse).success).toBe(false);
    expect(SesSchema.safeParse(passing).success).toBe(false);
    expect(SesEventSchema.safeParse(requestResponse).success).toBe(true);
    expect(
      SesSchema.safeParse(sesEvent({ verdicts: { dmarc: 'FAIL' }, dmarcPolicy: 'reject' })).success,
    ).toBe(true);
  });

  it('VPC Lattice V2: header and query values arrive as lists', () => {
    const event = vpcLatticeEvent({ query: 'tag=a&tag=b' });

    expect(event.queryStringParameters).toEqual({ tag: ['a', 'b'] });
    expect(VpcLatticeV2Schema.safeParse(event).success).toBe(false);
  });

  it('AppSync: identity is null for API-key requests', () => {
    const event = appSyncResolverEvent({ authorization: { type: 'API_KEY' } });

    expect(event.identity).toBeNull();
    expect(AppSyncResolverSchema.safeParse(event).success).toBe(false);
    expect(AppSyncResolverEventSchema.safeParse(event).success).toBe(true);
  });
});
