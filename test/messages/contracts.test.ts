// Failure text of the response-contract matchers, snapshot-tested (colourless, volatile parts masked).
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { cognitoTriggerEvent, firehoseEvent, tokenAuthorizerEvent } from '../../src/events/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { failureOf } from '../matchers/helpers.js';

const clock = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) } as const;
const respond = (response: unknown) => invokeHandler(async () => response, {}, { clock });
const firehose = firehoseEvent({ data: ['a', 'b'], seed: 1 });
const token = tokenAuthorizerEvent({ method: 'GET', path: '/items/42', stage: 'prod', apiId: 'abc123defg' });
const policy = (Effect: string, Resource: string) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect, Resource }] },
});

describe('response-contract failure messages', () => {
  it('toBeFirehoseTransformationResult with a missing record and a bad result', async () => {
    const [a] = firehose.records;
    const r = await respond({ records: [{ recordId: a?.recordId, result: 'OK', data: 'YQ==' }] });
    expect(failureOf(() => expect(r).toBeFirehoseTransformationResult(firehose))).toMatchSnapshot();
  });

  it('not.toBeFirehoseTransformationResult on a valid result', async () => {
    const r = await respond({
      records: firehose.records.map((x) => ({ recordId: x.recordId, result: 'Ok', data: x.data })),
    });
    expect(failureOf(() => expect(r).not.toBeFirehoseTransformationResult(firehose))).toMatchSnapshot();
  });

  it('toBeFirehoseTransformationResult on a thrown error', async () => {
    const r = await invokeHandler(
      async () => {
        throw new Error('bad record');
      },
      firehose,
      { clock },
    );
    expect(failureOf(() => expect(r).toBeFirehoseTransformationResult(firehose))).toMatchSnapshot();
  });

  it('toAllowMethodArn on an implicit deny, and on an invalid response', async () => {
    const denied = await respond(
      policy('Allow', 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod/POST/*'),
    );
    const invalid = await respond({
      principalId: 'u',
      policyDocument: policy('Allow', '*').policyDocument,
      context: { a: [1] },
    });
    expect(failureOf(() => expect(denied).toAllowMethodArn(token.methodArn))).toMatchSnapshot();
    expect(failureOf(() => expect(invalid).toAllowMethodArn(token.methodArn))).toMatchSnapshot();
  });

  it('not.toAllowMethodArn and toDenyMethodArn on an allow', async () => {
    const allowed = await respond(policy('Allow', 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/*'));
    expect(failureOf(() => expect(allowed).not.toAllowMethodArn(token.methodArn))).toMatchSnapshot();
    expect(failureOf(() => expect(allowed).toDenyMethodArn(token.methodArn))).toMatchSnapshot();
  });

  it('toBeValidCognitoResponse with an unknown field and a missing code placeholder', async () => {
    const signUp = cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp', seed: 1 });
    const message = cognitoTriggerEvent({ triggerSource: 'CustomMessage_SignUp', seed: 1 });
    const a = await respond({ ...signUp, response: { autoConfirm: true } });
    const b = await respond({
      ...message,
      response: { smsMessage: 'hello', emailMessage: null, emailSubject: null },
    });
    expect(failureOf(() => expect(a).toBeValidCognitoResponse(signUp))).toMatchSnapshot();
    expect(failureOf(() => expect(b).toBeValidCognitoResponse(message))).toMatchSnapshot();
  });

  it('not.toBeValidCognitoResponse on a valid response', async () => {
    const event = cognitoTriggerEvent({ triggerSource: 'PostConfirmation_ConfirmSignUp', seed: 1 });
    const r = await respond(event);
    expect(failureOf(() => expect(r).not.toBeValidCognitoResponse(event))).toMatchSnapshot();
  });

  it('every contract matcher on a failed invocation, and on unusable arguments', async () => {
    const failed = await invokeHandler(
      async () => {
        throw new Error('Unauthorized');
      },
      token,
      { clock },
    );
    const event = cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp', seed: 1 });
    expect(failureOf(() => expect(failed).toAllowMethodArn(token.methodArn))).toMatchSnapshot();
    expect(failureOf(() => expect(failed).toDenyMethodArn(token.methodArn))).toMatchSnapshot();
    expect(failureOf(() => expect(failed).toBeValidCognitoResponse(event))).toMatchSnapshot();
    const thrown = (assertion: () => void): string => {
      try {
        assertion();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('the matcher did not throw');
    };
    const ok = await respond({});
    expect([
      thrown(() => expect({ outcome: 'nope' }).toAllowMethodArn(token.methodArn)),
      thrown(() => expect(ok).toAllowMethodArn('execute-api/prod')),
      thrown(() => expect(ok).toDenyMethodArn(42 as never)),
      thrown(() => expect(ok).toBeFirehoseTransformationResult({ records: 'x' } as never)),
      thrown(() => expect(ok).toBeValidCognitoResponse(null as never)),
      thrown(() => expect('x').toBeValidCognitoResponse(event)),
    ]).toMatchSnapshot();
  });
});
