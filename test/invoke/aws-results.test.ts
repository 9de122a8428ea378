import https from 'node:https';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { codePipelineEvent, configRuleEvent } from '../../src/events/index.js';
import {
  captureCodePipelineJobResult,
  captureConfigEvaluations,
  invokeHandler,
} from '../../src/invoke/index.js';
import { interceptHttps } from '../../src/invoke/intercept.js';

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/** An AWS JSON-protocol call as the SDK's Node HTTP handler sends it (https.request, x-amz-target). */
function awsJsonCall(
  host: string,
  target: string,
  input: object,
): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        protocol: 'https:',
        hostname: host,
        path: '/',
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': target,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('interceptHttps (the primitive behind the captures)', () => {
  it('answers an AWS SDK v3 client in-process through its Node HTTP handler', async () => {
    const seen: { target: string | undefined; body: unknown }[] = [];
    restore = interceptHttps(
      ({ url }) => url.hostname === 'dynamodb.eu-west-1.amazonaws.com',
      ({ headers }, body) => {
        seen.push({ target: headers['x-amz-target'], body: JSON.parse(body) });
        return {
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: JSON.stringify({ Item: { pk: { S: 'a' }, n: { N: '2' } } }),
        };
      },
    ).restore;
    const client = new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });

    const out = await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));

    expect(out.Item).toEqual({ pk: { S: 'a' }, n: { N: '2' } });
    expect(seen).toEqual([
      { target: 'DynamoDB_20120810.GetItem', body: { TableName: 't', Key: { pk: { S: 'a' } } } },
    ]);
  });

  it('restores https.request, https.get and fetch', () => {
    const before = [https.request, https.get, globalThis.fetch];
    const { restore: undo } = interceptHttps(
      () => false,
      () => ({ status: 200 }),
    );
    expect(https.request).not.toBe(before[0]);
    undo();
    undo();
    expect([https.request, https.get, globalThis.fetch]).toEqual(before);
  });
});

describe('captureCodePipelineJobResult', () => {
  const host = 'codepipeline.us-east-1.amazonaws.com';

  it('captures PutJobSuccessResult with its continuation token and output variables', async () => {
    const event = codePipelineEvent({ userParameters: { stage: 'prod' } });
    const capture = captureCodePipelineJobResult(event);
    restore = capture.restore;

    const result = await invokeHandler(async (e: typeof event) => {
      const job = e['CodePipeline.job'];
      return awsJsonCall(host, 'CodePipeline_20150709.PutJobSuccessResult', {
        jobId: job.id,
        continuationToken: 'step-2',
        outputVariables: { stage: 'prod' },
      });
    }, event);

    expect(result.outcome === 'success' && result.response).toEqual({ status: 200, body: {} });
    expect(capture.result).toEqual({
      status: 'success',
      continuationToken: 'step-2',
      outputVariables: { stage: 'prod' },
    });
    expect(capture.calls).toEqual([
      {
        operation: 'PutJobSuccessResult',
        input: expect.objectContaining({ jobId: event['CodePipeline.job'].id }),
        answer: 'ok',
      },
    ]);
  });

  it('keeps the first result, refuses a second one and an unknown job, as CodePipeline does', async () => {
    const event = codePipelineEvent();
    const capture = captureCodePipelineJobResult(event);
    restore = capture.restore;
    const jobId = event['CodePipeline.job'].id;

    const failure = await awsJsonCall(host, 'CodePipeline_20150709.PutJobFailureResult', {
      jobId,
      failureDetails: { type: 'JobFailed', message: 'tests failed' },
    });
    const again = await awsJsonCall(
      'codepipeline.eu-west-1.amazonaws.com',
      'CodePipeline_20150709.PutJobSuccessResult',
      { jobId },
    );
    const other = await awsJsonCall(host, 'CodePipeline_20150709.PutJobSuccessResult', { jobId: 'nope' });

    expect(failure.status).toBe(200);
    expect(again).toMatchObject({ status: 400, body: { __type: 'InvalidJobStateException' } });
    expect(other).toMatchObject({ status: 400, body: { __type: 'JobNotFoundException' } });
    expect(capture.result).toEqual({
      status: 'failure',
      failureDetails: { type: 'JobFailed', message: 'tests failed' },
    });
    expect(capture.calls.map((c) => c.answer)).toEqual([
      'ok',
      'InvalidJobStateException',
      'JobNotFoundException',
    ]);
  });

  it('answers a failure without a valid type ValidationException; no call leaves no result; fetch works too', async () => {
    const event = codePipelineEvent();
    const capture = captureCodePipelineJobResult(event);
    restore = capture.restore;
    expect(capture.result).toBeUndefined();

    const res = await fetch(`https://${host}/`, {
      method: 'POST',
      headers: {
        'x-amz-target': 'CodePipeline_20150709.PutJobFailureResult',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({
        jobId: event['CodePipeline.job'].id,
        failureDetails: { type: 'Oops', message: 'x' },
      }),
    });

    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('ValidationException');
    expect(capture.result).toBeUndefined();
  });

  it('rejects an event without a job id', () => {
    expect(() => captureCodePipelineJobResult({} as never)).toThrow(HarnessError);
  });
});

describe('captureConfigEvaluations', () => {
  const host = 'config.us-east-1.amazonaws.com';
  const evaluation = (type: string) => ({
    ComplianceResourceType: 'AWS::EC2::Instance',
    ComplianceResourceId: 'i-1',
    ComplianceType: type,
    OrderingTimestamp: 1705320000,
  });

  it('keeps the evaluations reported with the event result token', async () => {
    const event = configRuleEvent();
    const capture = captureConfigEvaluations(event);
    restore = capture.restore;

    const ok = await awsJsonCall(host, 'StarlingDoveService.PutEvaluations', {
      ResultToken: event.resultToken,
      Evaluations: [evaluation('NON_COMPLIANT')],
    });
    await awsJsonCall(host, 'StarlingDoveService.PutEvaluations', {
      ResultToken: event.resultToken,
      Evaluations: [evaluation('COMPLIANT')],
      TestMode: true,
    });

    expect(ok).toEqual({ status: 200, body: { FailedEvaluations: [] } });
    expect(capture.evaluations).toEqual([evaluation('NON_COMPLIANT')]);
    expect(capture.calls).toHaveLength(2);
  });

  it('refuses another result token and malformed evaluations', async () => {
    const event = configRuleEvent();
    const capture = captureConfigEvaluations(event);
    restore = capture.restore;

    const token = await awsJsonCall(host, 'StarlingDoveService.PutEvaluations', {
      ResultToken: 'x',
      Evaluations: [],
    });
    const bad = await awsJsonCall(host, 'StarlingDoveService.PutEvaluations', {
      ResultToken: event.resultToken,
      Evaluations: [evaluation('PASSED')],
    });

    expect(token).toMatchObject({ status: 400, body: { __type: 'InvalidResultTokenException' } });
    expect(bad).toMatchObject({ status: 400, body: { __type: 'InvalidParameterValueException' } });
    expect(capture.evaluations).toEqual([]);
  });
});
