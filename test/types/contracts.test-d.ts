import { expect as jestExpect } from '@jest/globals';
import { describe, expect, expectTypeOf, it } from 'vitest';
import '../../src/vitest/index.js';
import '../../src/jest/index.js';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { cognitoTriggerEvent, firehoseEvent, tokenAuthorizerEvent } from '../../src/events/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

declare const result: InvocationResult;

describe('response-contract matcher types', () => {
  it('types the matchers on Vitest and Jest expect, and under .not', () => {
    const firehose = firehoseEvent();
    const token = tokenAuthorizerEvent();
    const cognito = cognitoTriggerEvent();
    expect(result).toBeFirehoseTransformationResult(firehose);
    expect(result).not.toAllowMethodArn(token.methodArn);
    expect(result).toDenyMethodArn(token.methodArn);
    expect(result).toBeValidCognitoResponse(cognito);
    jestExpect(result).toBeFirehoseTransformationResult(firehose);
    jestExpect(result).not.toAllowMethodArn(token.methodArn);
    jestExpect(result).toBeValidCognitoResponse(cognito);
    expect(result).toHaveSesDisposition('STOP_RULE_SET');
    jestExpect(result).not.toHaveSesDisposition('CONTINUE');
    expectTypeOf(expect(result).toAllowMethodArn('arn:aws:execute-api:x')).toEqualTypeOf<void>();
  });

  it('rejects misuse', () => {
    // @ts-expect-error the Firehose event (with records) is required
    expect(result).toBeFirehoseTransformationResult();
    // @ts-expect-error a methodArn is a string
    expect(result).toAllowMethodArn({ arn: 'x' });
    // @ts-expect-error SES knows only STOP_RULE, STOP_RULE_SET and CONTINUE
    expect(result).toHaveSesDisposition('STOP');
    // @ts-expect-error records need recordId
    expect(result).toBeFirehoseTransformationResult({ records: [{ id: 'x' }] });
  });

  it('types the new generators with @types/aws-lambda', () => {
    expectTypeOf(firehoseEvent()).toEqualTypeOf<FirehoseTransformationEvent>();
    // @ts-expect-error unknown trigger source
    cognitoTriggerEvent({ triggerSource: 'PreSignUp_Typo' });
  });
});
