// Runs under Jest 30 (lane scripts/ci-lanes.d/40-jest-invoke.sh) against the built package: the Lex
// and Kafka response matchers registered by lambda-harness/jest pass, fail and negate as in Vitest,
// and the CodePipeline capture answers a job result without network.
require('../../../dist/jest/index.cjs');
const https = require('node:https');
const {
  invokeHandler,
  lexV1Event,
  lexV2Event,
  mskEvent,
  codePipelineEvent,
  captureCodePipelineJobResult,
} = require('../../../dist/index.cjs');

const { respond, failureOf } = require('./support.cjs');

test('toBeValidLexV1Response / toBeValidLexV2Response: pass, fail and .not', async () => {
  const v1 = lexV1Event({ slots: { City: 'Paris', Nights: null } });
  const v2 = lexV2Event({ slots: { City: 'Paris', Nights: null } });
  const close = await respond({ dialogAction: { type: 'Close', fulfillmentState: 'Fulfilled' } });
  const closeWithout = await respond({ dialogAction: { type: 'Close' } });
  const elicit = await respond({
    sessionState: {
      dialogAction: { type: 'ElicitSlot', slotToElicit: 'Nights' },
      intent: v2.sessionState.intent,
    },
  });
  const elicitUnknown = await respond({
    sessionState: {
      dialogAction: { type: 'ElicitSlot', slotToElicit: 'Date' },
      intent: { name: 'BookHotel' },
    },
  });
  expect(close).toBeValidLexV1Response(v1);
  expect(closeWithout).not.toBeValidLexV1Response(v1);
  expect(elicit).toBeValidLexV2Response(v2);
  expect(elicitUnknown).not.toBeValidLexV2Response(v2);
  expect(failureOf(() => expect(closeWithout).toBeValidLexV1Response(v1))).toMatch(
    /Close needs "Fulfilled" or "Failed"/,
  );
  expect(failureOf(() => expect(elicitUnknown).toBeValidLexV2Response(v2))).toMatch(
    /"Date" is not a slot of the intent/,
  );
  expect(failureOf(() => expect(elicit).not.toBeValidLexV2Response(v2))).toMatch(/a response Lex V2 rejects/);
});

test('toHaveKafkaBatchItemFailures: pass, fail and .not', async () => {
  const event = mskEvent({ topic: 'orders', records: 2 });
  const [a, b] = Object.values(event.records)[0];
  const r = await respond({
    batchItemFailures: [{ itemIdentifier: { partition: `orders-${b.partition}`, offset: b.offset } }],
  });
  expect(r).toHaveKafkaBatchItemFailures([b]);
  expect(r).not.toHaveKafkaBatchItemFailures([a]);
  expect(failureOf(() => expect(r).toHaveKafkaBatchItemFailures([a]))).toMatch(/Kafka batch item failures/);
});

test('captureCodePipelineJobResult answers PutJobSuccessResult in-process', async () => {
  const event = codePipelineEvent();
  const capture = captureCodePipelineJobResult(event);
  try {
    await invokeHandler(
      (e) =>
        new Promise((resolve, reject) => {
          const body = JSON.stringify({ jobId: e['CodePipeline.job'].id });
          const req = https.request(
            {
              hostname: 'codepipeline.us-east-1.amazonaws.com',
              path: '/',
              method: 'POST',
              headers: {
                'x-amz-target': 'CodePipeline_20150709.PutJobSuccessResult',
                'content-type': 'application/x-amz-json-1.1',
              },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode));
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
      event,
    );
  } finally {
    capture.restore();
  }
  expect(capture.result).toEqual({ status: 'success' });
});
