// Types of the SES, Amazon MQ, AppSync, IoT, VPC Lattice and S3 Object Lambda generators.
import type { AppSyncResolverEvent, SESEvent } from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ActiveMqEvent,
  activeMqEvent,
  appSyncBatchResolverEvent,
  appSyncResolverEvent,
  iotRuleEvent,
  type RabbitMqEvent,
  rabbitMqEvent,
  type S3ObjectLambdaEvent,
  s3ObjectLambdaEvent,
  sesEvent,
  type VpcLatticeEventV1,
  type VpcLatticeEventV2,
  vpcLatticeEvent,
} from '../../src/events/index.js';

describe('integration generator types', () => {
  it('returns @types/aws-lambda types where they exist, and the harness types otherwise', () => {
    expectTypeOf(sesEvent()).toEqualTypeOf<SESEvent>();
    expectTypeOf(appSyncResolverEvent<{ id: string }>()).toEqualTypeOf<
      AppSyncResolverEvent<{ id: string }>
    >();
    expectTypeOf(appSyncBatchResolverEvent()).toEqualTypeOf<
      AppSyncResolverEvent<Record<string, unknown>>[]
    >();
    expectTypeOf(activeMqEvent()).toEqualTypeOf<ActiveMqEvent>();
    expectTypeOf(rabbitMqEvent()).toEqualTypeOf<RabbitMqEvent>();
    expectTypeOf(s3ObjectLambdaEvent()).toEqualTypeOf<S3ObjectLambdaEvent>();
    expectTypeOf(activeMqEvent().messages[0]!.data).toEqualTypeOf<string>();
  });

  it('picks the VPC Lattice event type from the version option', () => {
    expectTypeOf(vpcLatticeEvent()).toEqualTypeOf<VpcLatticeEventV2>();
    expectTypeOf(vpcLatticeEvent({ version: '1.0' })).toEqualTypeOf<VpcLatticeEventV1>();
    expectTypeOf(vpcLatticeEvent().headers).toEqualTypeOf<Record<string, string[]>>();
  });

  it('types the IoT payload from the option', () => {
    const event = iotRuleEvent({ payload: { celsius: 21.5 } });
    expectTypeOf(event).toExtend<string | number | { celsius: number }>();
  });

  it('rejects misuse at compile time', () => {
    // @ts-expect-error invocationType is Event | RequestResponse
    sesEvent({ invocationType: 'DryRun' });
    // @ts-expect-error verdict statuses are SES's
    sesEvent({ verdicts: { spam: 'OK' } });
    // @ts-expect-error deliveryMode is 1 or 2
    activeMqEvent({ messages: [{ deliveryMode: 3 }] });
    // @ts-expect-error RabbitMQ header values are strings, numbers or booleans
    rabbitMqEvent({ messages: [{ headers: { a: { nested: 1 } } }] });
    // @ts-expect-error unknown authorization mode
    appSyncResolverEvent({ authorization: { type: 'JWT' } });
    // @ts-expect-error an unknown SQL function
    iotRuleEvent({ select: ['hostname'] });
    // @ts-expect-error auth is NONE | AWS_IAM
    vpcLatticeEvent({ auth: 'JWT' });
    // @ts-expect-error caller is IAMUser | AssumedRole
    s3ObjectLambdaEvent({ caller: 'Root' });
    // @ts-expect-error outputToken is a string
    s3ObjectLambdaEvent({ overrides: { getObjectContext: { outputToken: 1 } } });
  });
});
