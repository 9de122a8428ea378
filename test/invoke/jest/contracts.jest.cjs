// Runs under Jest 30 (lane scripts/ci-lanes.d/40-jest-invoke.sh) against the built package: the
// response-contract matchers registered by lambda-harness/jest pass, fail and negate as in Vitest.
require('../../../dist/jest/index.cjs');
const {
  invokeHandler,
  firehoseEvent,
  tokenAuthorizerEvent,
  cognitoTriggerEvent,
  sesEvent,
} = require('../../../dist/index.cjs');

const { respond, failureOf } = require('./support.cjs');

test('toBeFirehoseTransformationResult: pass, fail and .not', async () => {
  const event = firehoseEvent({ data: ['a', 'b'] });
  const good = await respond({
    records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })),
  });
  const bad = await respond({
    records: [{ recordId: event.records[0].recordId, result: 'OK', data: 'YQ==' }],
  });
  expect(good).toBeFirehoseTransformationResult(event);
  expect(bad).not.toBeFirehoseTransformationResult(event);
  expect(failureOf(() => expect(bad).toBeFirehoseTransformationResult(event))).toMatch(
    /no answer for recordId/,
  );
  expect(failureOf(() => expect(good).not.toBeFirehoseTransformationResult(event))).toMatch(
    /a response Firehose would reject/,
  );
});

test('toAllowMethodArn / toDenyMethodArn: pass, fail and .not', async () => {
  const event = tokenAuthorizerEvent({ method: 'GET', path: '/items/1' });
  const prefix = event.methodArn.split('/')[0];
  const allow = await respond({
    principalId: 'u',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${prefix}/*/GET/*` }],
    },
  });
  expect(allow).toAllowMethodArn(event.methodArn);
  expect(allow).not.toDenyMethodArn(event.methodArn);
  expect(failureOf(() => expect(allow).toDenyMethodArn(event.methodArn))).toMatch(/Statement\[0\] allows it/);
  expect(await respond({ isAuthorized: false })).toDenyMethodArn(event.methodArn);
});

test('toBeValidCognitoResponse: pass, fail and .not', async () => {
  const event = cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp' });
  expect(await respond(event)).toBeValidCognitoResponse(event);
  const bad = await respond({ ...event, response: { autoConfirm: true } });
  expect(bad).not.toBeValidCognitoResponse(event);
  expect(failureOf(() => expect(bad).toBeValidCognitoResponse(event))).toMatch(/autoConfirm is not a field/);
});

test('toHaveSesDisposition: pass, fail and .not', async () => {
  const event = sesEvent({ invocationType: 'RequestResponse' });
  const stop = await invokeHandler(async () => ({ disposition: 'STOP_RULE_SET' }), event);
  const none = await invokeHandler(async () => undefined, event);
  expect(stop).toHaveSesDisposition('STOP_RULE_SET');
  expect(none).toHaveSesDisposition('CONTINUE');
  expect(stop).not.toHaveSesDisposition('CONTINUE');
  expect(failureOf(() => expect(none).toHaveSesDisposition('STOP_RULE'))).toMatch(
    /Received: CONTINUE \(no disposition in null, so SES continues\)/,
  );
  expect(failureOf(() => expect(stop).not.toHaveSesDisposition('STOP_RULE_SET'))).toMatch(
    /a response SES reads as anything but STOP_RULE_SET/,
  );
});
