import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudFormationCustomResourceEvent } from '../../src/events/index.js';
import {
  type CustomResourceCapture,
  captureCustomResourceResponse,
  invokeHandler,
} from '../../src/invoke/index.js';

type CfnEvent = ReturnType<typeof cloudFormationCustomResourceEvent>;
let capture: CustomResourceCapture | undefined;
afterEach(() => capture?.restore());

/** A provider written the way cfn-response does it: https.request PUT with content-length. */
function sendWithHttps(event: CfnEvent, status: 'SUCCESS' | 'FAILED', data: object): Promise<number> {
  const body = JSON.stringify({
    Status: status,
    Reason: status === 'FAILED' ? 'quota exceeded' : 'See CloudWatch',
    PhysicalResourceId: 'res-1',
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        hostname: url.hostname,
        port: 443,
        path: url.pathname + url.search,
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': body.length },
      },
      (res) => resolve(res.statusCode ?? 0),
    );
    req.on('error', reject);
    req.write(body);
    req.end();
  });
}

describe('captureCustomResourceResponse', () => {
  it('captures a PUT sent with https.request, answered 200 without network', async () => {
    const event = cloudFormationCustomResourceEvent({ requestType: 'Create' });
    capture = captureCustomResourceResponse(event);

    const result = await invokeHandler(
      async (e: CfnEvent) => sendWithHttps(e, 'SUCCESS', { Arn: 'arn:x' }),
      event,
    );

    expect(result.outcome).toBe('success');
    expect(result.outcome === 'success' && result.response).toBe(200);
    expect(capture.responses).toHaveLength(1);
    expect(capture.responses[0]?.method).toBe('PUT');
    expect(capture.responses[0]?.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'res-1',
      RequestId: event.RequestId,
      StackId: event.StackId,
      LogicalResourceId: event.LogicalResourceId,
      Data: { Arn: 'arn:x' },
    });
  });

  it('captures a PUT sent with fetch (FAILED with a reason)', async () => {
    const event = cloudFormationCustomResourceEvent({ requestType: 'Delete', physicalResourceId: 'res-9' });
    capture = captureCustomResourceResponse(event);

    await invokeHandler(async (e: CfnEvent) => {
      const res = await fetch(e.ResponseURL, {
        method: 'PUT',
        body: JSON.stringify({
          Status: 'FAILED',
          Reason: 'boom',
          PhysicalResourceId: 'res-9',
          StackId: e.StackId,
          RequestId: e.RequestId,
          LogicalResourceId: e.LogicalResourceId,
        }),
      });
      return res.status;
    }, event);

    expect(capture.responses[0]?.body).toMatchObject({
      Status: 'FAILED',
      Reason: 'boom',
      PhysicalResourceId: 'res-9',
    });
  });

  it('leaves other URLs alone and restores fetch and https.request', async () => {
    const realFetch = globalThis.fetch;
    const realRequest = https.request;
    const event = cloudFormationCustomResourceEvent();
    capture = captureCustomResourceResponse(event);
    expect(globalThis.fetch).not.toBe(realFetch);
    await expect(fetch('http://127.0.0.1:1/other')).rejects.toThrow();
    expect(capture.responses).toHaveLength(0);

    capture.restore();

    expect(globalThis.fetch).toBe(realFetch);
    expect(https.request).toBe(realRequest);
  });

  it('rejects an event without a ResponseURL, naming it', () => {
    expect(() => captureCustomResourceResponse({})).toThrow(/event.ResponseURL is not a URL/);
  });
});
