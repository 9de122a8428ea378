import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import {
  cognitoTriggerEvent,
  firehoseEvent,
  httpApiAuthorizerEvent,
  sesEvent,
  tokenAuthorizerEvent,
} from '../../src/events/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { arnMatches, authorizerDecision, sesDisposition } from '../../src/matchers/index.js';
import { passes } from './helpers.js';

const clock = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) } as const;
const respond = (response: unknown) => invokeHandler(async () => response, {}, { clock });

describe('toBeFirehoseTransformationResult', () => {
  const event = firehoseEvent({ data: ['a', 'b', 'c'] });
  const ok = (result: string) => ({
    records: event.records.map((r) => ({ recordId: r.recordId, result, data: r.data })),
  });

  it('passes when every record is answered once with a valid result and base64 data', async () => {
    for (const result of ['Ok', 'Dropped', 'ProcessingFailed']) {
      expect(await respond(ok(result))).toBeFirehoseTransformationResult(event);
    }
  });

  it('fails on a missing, duplicated or foreign recordId, a bad result or non-base64 data', async () => {
    const [a, b] = event.records;
    const cases = [
      { records: [{ recordId: a?.recordId, result: 'Ok', data: 'YQ==' }] },
      { records: [...ok('Ok').records, { recordId: b?.recordId, result: 'Ok', data: 'YQ==' }] },
      { records: [...ok('Ok').records.slice(1), { recordId: 'nope', result: 'Ok', data: 'YQ==' }] },
      { records: ok('Ok').records.map((r) => ({ ...r, result: 'OK' })) },
      { records: ok('Ok').records.map((r) => ({ ...r, data: 'not base64!' })) },
      { records: ok('Ok').records.map(({ data: _d, ...r }) => r) },
    ];
    for (const response of cases) {
      const result = await respond(response);
      expect(passes(() => expect(result).toBeFirehoseTransformationResult(event))).toBe(false);
      expect(result).not.toBeFirehoseTransformationResult(event);
    }
  });
});

describe('toAllowMethodArn / toDenyMethodArn', () => {
  const event = tokenAuthorizerEvent({ method: 'GET', path: '/items/42', stage: 'prod' });
  const apiPrefix = event.methodArn.split('/')[0] as string;
  const policy = (Effect: string, Resource: string | string[]) => ({
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect, Resource }],
    },
  });

  it('matches resources with * and ? as API Gateway does', () => {
    expect(arnMatches(`${apiPrefix}/*`, event.methodArn)).toBe(true);
    expect(arnMatches(`${apiPrefix}/prod/GET/items/*`, event.methodArn)).toBe(true);
    expect(arnMatches(`${apiPrefix}/prod/GET/items/4?`, event.methodArn)).toBe(true);
    expect(arnMatches(`${apiPrefix}/prod/POST/*`, event.methodArn)).toBe(false);
    expect(arnMatches(`${apiPrefix}/dev/*`, event.methodArn)).toBe(false);
  });

  it('allows on a matching Allow, denies on an explicit Deny (which wins) or when nothing matches', async () => {
    expect(await respond(policy('Allow', `${apiPrefix}/prod/GET/*`))).toAllowMethodArn(event.methodArn);
    expect(await respond(policy('Allow', [`${apiPrefix}/prod/POST/*`, event.methodArn]))).toAllowMethodArn(
      event.methodArn,
    );
    const both = policy('Allow', '*');
    both.policyDocument.Statement.push({
      Action: 'execute-api:Invoke',
      Effect: 'Deny',
      Resource: `${apiPrefix}/*/GET/items/*`,
    });
    expect(await respond(both)).toDenyMethodArn(event.methodArn);
    expect(await respond(policy('Allow', `${apiPrefix}/prod/POST/*`))).toDenyMethodArn(event.methodArn);
    expect(await respond(policy('Allow', `${apiPrefix}/prod/POST/*`))).not.toAllowMethodArn(event.methodArn);
  });

  it('treats a malformed response as neither allow nor deny (API Gateway answers 500)', async () => {
    const bad = [
      { policyDocument: policy('Allow', '*').policyDocument },
      { ...policy('Allow', '*'), policyDocument: { Version: '2008-10-17', Statement: [] } },
      { ...policy('Allow', '*'), context: { nested: { a: 1 } } },
      { isAuthorized: 'yes' },
    ];
    for (const response of bad) {
      expect(authorizerDecision(response, event.methodArn).decision).toBe('invalid');
      const result = await respond(response);
      expect(result).not.toAllowMethodArn(event.methodArn);
      expect(result).not.toDenyMethodArn(event.methodArn);
    }
  });

  it('reads HTTP API simple responses', async () => {
    const v2 = httpApiAuthorizerEvent({ routeKey: 'GET /items/{id}', path: '/items/42' });
    expect(await respond({ isAuthorized: true, context: { user: { id: 1 } } })).toAllowMethodArn(v2.routeArn);
    expect(await respond({ isAuthorized: false })).toDenyMethodArn(v2.routeArn);
  });
});

describe('toBeValidCognitoResponse', () => {
  it('passes when the handler returns the event with a valid response for its trigger', async () => {
    const event = cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp' });
    const result = await invokeHandler(
      async (e: typeof event) => ({ ...e, response: { ...e.response, autoConfirmUser: true } }),
      event,
      { clock },
    );
    expect(result).toBeValidCognitoResponse(event);
  });

  it('fails on unknown fields, wrong types, a missing code placeholder, or not returning the event', async () => {
    const signUp = cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp' });
    const message = cognitoTriggerEvent({ triggerSource: 'CustomMessage_ForgotPassword' });
    const cases: [object, unknown][] = [
      [signUp, { ...signUp, response: { autoConfirm: true } }],
      [signUp, { ...signUp, response: { autoConfirmUser: 'yes' } }],
      [signUp, { ...signUp, response: { autoConfirmUser: false, autoVerifyEmail: true } }],
      [
        message,
        { ...message, response: { smsMessage: 'your code', emailMessage: null, emailSubject: null } },
      ],
      [signUp, { ok: true }],
    ];
    for (const [event, response] of cases) {
      const result = await respond(response);
      expect(passes(() => expect(result).toBeValidCognitoResponse(event))).toBe(false);
      expect(result).not.toBeValidCognitoResponse(event);
    }
  });
});

describe('toHaveSesDisposition', () => {
  const event = sesEvent({ invocationType: 'RequestResponse' });

  it('passes on the returned disposition, and reads a missing or invalid one as CONTINUE', async () => {
    expect(await respond({ disposition: 'STOP_RULE_SET' })).toHaveSesDisposition('STOP_RULE_SET');
    expect(await respond({ disposition: 'STOP_RULE' })).toHaveSesDisposition('STOP_RULE');
    expect(await respond(undefined)).toHaveSesDisposition('CONTINUE');
    expect(await respond(null)).toHaveSesDisposition('CONTINUE');
    expect(await respond({ disposition: 'stop_rule' })).toHaveSesDisposition('CONTINUE');
    expect(sesDisposition({ disposition: 'DROP' })).toEqual({
      disposition: 'CONTINUE',
      why: 'disposition "DROP" is not STOP_RULE | STOP_RULE_SET | CONTINUE, so SES continues',
    });
  });

  it('fails on another disposition and on a failed invocation, and negates', async () => {
    const stop = await respond({ disposition: 'STOP_RULE' });
    const failed = await invokeHandler(
      async () => {
        throw new Error('spam check down');
      },
      event,
      { clock },
    );

    expect(passes(() => expect(stop).toHaveSesDisposition('STOP_RULE_SET'))).toBe(false);
    expect(stop).not.toHaveSesDisposition('CONTINUE');
    expect(passes(() => expect(failed).toHaveSesDisposition('CONTINUE'))).toBe(false);
    expect(failed).not.toHaveSesDisposition('CONTINUE');
  });

  it('rejects a disposition SES does not know, naming the argument', async () => {
    const r = await respond({ disposition: 'STOP_RULE' });
    expect(() => expect(r).toHaveSesDisposition('STOP' as 'STOP_RULE')).toThrow(/disposition/);
  });
});
