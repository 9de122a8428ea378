import https from 'node:https';
import { Readable } from 'node:stream';
import { S3Client, WriteGetObjectResponseCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type S3ObjectLambdaEvent, s3ObjectLambdaEvent } from '../../src/events/index.js';
import {
  captureObjectLambdaResponse,
  decodeAwsChunked,
  invokeHandler,
  type ObjectLambdaCapture,
} from '../../src/invoke/index.js';

let capture: ObjectLambdaCapture | undefined;
afterEach(() => capture?.restore());

// The SDK signs the request: fake credentials are enough, nothing leaves the process.
const s3 = () =>
  new S3Client({
    region: 'eu-west-1',
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });

/** An Object Lambda handler written as AWS documents it: transform, then WriteGetObjectResponse. */
async function upperCase(event: S3ObjectLambdaEvent): Promise<{ statusCode: number }> {
  const { outputRoute, outputToken } = event.getObjectContext;
  await s3().send(
    new WriteGetObjectResponseCommand({
      RequestRoute: outputRoute,
      RequestToken: outputToken,
      Body: 'HELLO WORLD',
      ContentType: 'text/plain',
      Metadata: { transformed: 'yes' },
    }),
  );
  return { statusCode: 200 };
}

describe('captureObjectLambdaResponse', () => {
  it('captures a WriteGetObjectResponse sent by the AWS SDK from a handler, without network', async () => {
    const event = s3ObjectLambdaEvent({ region: 'eu-west-1', key: 'docs/a.txt' });
    capture = captureObjectLambdaResponse(event);

    const result = await invokeHandler(upperCase, event);

    expect(result.outcome).toBe('success');
    expect(capture.responses).toHaveLength(1);
    const [response] = capture.responses;
    expect(response).toMatchObject({
      statusCode: 200,
      accepted: true,
      requestRoute: event.getObjectContext.outputRoute,
      requestToken: event.getObjectContext.outputToken,
      headers: { 'content-type': 'text/plain', 'x-amz-meta-transformed': 'yes' },
    });
    expect(response?.text()).toBe('HELLO WORLD');
    expect(new URL(response!.request.url).hostname).toBe(
      `${event.getObjectContext.outputRoute}.s3-object-lambda.eu-west-1.amazonaws.com`,
    );
  });

  it('captures a streamed body and an error status (StatusCode, ErrorCode, ErrorMessage)', async () => {
    const event = s3ObjectLambdaEvent({ region: 'eu-west-1' });
    capture = captureObjectLambdaResponse(event);
    const { outputRoute: RequestRoute, outputToken: RequestToken } = event.getObjectContext;

    await s3().send(
      new WriteGetObjectResponseCommand({
        RequestRoute,
        RequestToken,
        Body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]),
        StatusCode: 206,
        ContentRange: 'bytes 0-17/100',
      }),
    );
    await s3().send(
      new WriteGetObjectResponseCommand({
        RequestRoute,
        RequestToken,
        StatusCode: 403,
        ErrorCode: 'AccessDenied',
        ErrorMessage: 'redacted object',
      }),
    );

    expect(capture.responses.map((r) => [r.statusCode, r.text(), r.headers['content-range']])).toEqual([
      [206, 'part one, part two', 'bytes 0-17/100'],
      [403, '', undefined],
    ]);
    expect(capture.responses[1]).toMatchObject({
      errorCode: 'AccessDenied',
      errorMessage: 'redacted object',
    });
  });

  it('answers a wrong token with an error the handler sees, and records it as not accepted', async () => {
    const event = s3ObjectLambdaEvent({ region: 'eu-west-1' });
    capture = captureObjectLambdaResponse(event);

    const result = await invokeHandler(
      (e: S3ObjectLambdaEvent) =>
        upperCase({ ...e, getObjectContext: { ...e.getObjectContext, outputToken: 'stale' } }),
      event,
    );

    expect(result.outcome).toBe('error');
    expect(result.outcome === 'error' && result.error.errorMessage).toMatch(
      /RequestRoute, RequestToken or region does not match/,
    );
    expect(capture.responses).toHaveLength(1);
    expect(capture.responses[0]).toMatchObject({ accepted: false, requestToken: 'stale' });
  });

  it('intercepts a client set to another region (no network) and does not accept it', async () => {
    const event = s3ObjectLambdaEvent({ region: 'us-east-1' });
    capture = captureObjectLambdaResponse(event);

    const result = await invokeHandler(upperCase, event);

    expect(result.outcome).toBe('error');
    expect(capture.responses[0]).toMatchObject({
      accepted: false,
      requestToken: event.getObjectContext.outputToken,
    });
  });

  it('captures a hand-made fetch too, and leaves other URLs and https.request alone after restore', async () => {
    const realFetch = globalThis.fetch;
    const realRequest = https.request;
    const event = s3ObjectLambdaEvent({ region: 'us-east-1' });
    capture = captureObjectLambdaResponse(event);

    const res = await fetch(
      `https://${event.getObjectContext.outputRoute}.s3-object-lambda.us-east-1.amazonaws.com/WriteGetObjectResponse`,
      {
        method: 'POST',
        headers: {
          'x-amz-request-route': event.getObjectContext.outputRoute,
          'x-amz-request-token': event.getObjectContext.outputToken,
          'x-amz-fwd-status': '200',
        },
        body: new Uint8Array([0xde, 0xad]),
      },
    );
    await expect(fetch('http://127.0.0.1:1/other')).rejects.toThrow();
    capture.restore();

    expect(res.status).toBe(200);
    expect([...capture.responses[0]!.body]).toEqual([0xde, 0xad]);
    expect(globalThis.fetch).toBe(realFetch);
    expect(https.request).toBe(realRequest);
  });

  it('decodes aws-chunked bodies and rejects an event that is not an Object Lambda event', () => {
    expect(
      decodeAwsChunked(
        Buffer.from('5;chunk-signature=ab\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n'),
      ).toString(),
    ).toBe('hello world');
    expect(() => captureObjectLambdaResponse({})).toThrow(
      /captureObjectLambdaResponse\(\): the event has no getObjectContext.outputRoute/,
    );
  });
});
