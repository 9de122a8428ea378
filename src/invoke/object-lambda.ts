/**
 * Captures what an S3 Object Lambda handler sends back through `WriteGetObjectResponse`, without
 * network: requests to `https://<route>.s3-object-lambda.<region>.amazonaws.com/WriteGetObjectResponse`
 * (what the AWS SDK's `WriteGetObjectResponseCommand` sends, or a hand-made `fetch`) are recorded
 * and answered as S3 would; any other request passes through untouched.
 */
import { HarnessError } from '../errors/index.js';
import { type InterceptedRequestWithBody, interceptHttps } from './intercept.js';

/**
 * One `WriteGetObjectResponse` call, decoded.
 *
 * @example
 * const [response] = capture.responses;
 * response?.statusCode; // 200
 * response?.text(); // the transformed object
 */
export interface ObjectLambdaResponse {
  /** `StatusCode` (`x-amz-fwd-status`); 200 when the handler did not set one. */
  statusCode: number;
  /** `ErrorCode` / `ErrorMessage` (`x-amz-fwd-error-*`), for a failed GetObject. */
  errorCode: string | undefined;
  errorMessage: string | undefined;
  /** Headers forwarded to the caller (`x-amz-fwd-header-*` without the prefix, `x-amz-meta-*`), names lowercase. */
  headers: Record<string, string>;
  /** The object bytes sent back (chunked `aws-chunked` bodies decoded). */
  body: Buffer;
  /** The body as UTF-8. */
  text(): string;
  /** `RequestRoute` and `RequestToken` as sent. */
  requestRoute: string;
  requestToken: string;
  /** True when route, token and region are the event's `outputRoute`, `outputToken` and access point region (S3 rejects any other). */
  accepted: boolean;
  /** The raw request. */
  request: { method: string; url: string; headers: Record<string, string> };
}

/**
 * What {@link captureObjectLambdaResponse} returns.
 *
 * @example
 * const capture = captureObjectLambdaResponse(event);
 * await invokeHandler(handler, event);
 * capture.restore();
 * capture.responses.length; // 1
 */
export interface ObjectLambdaCapture {
  /** Every `WriteGetObjectResponse` call, in order (S3 uses only the first one it accepts). */
  readonly responses: ObjectLambdaResponse[];
  /** Puts `fetch` and `https.request` back. Idempotent. */
  restore(): void;
}

/**
 * Decodes an `aws-chunked` body (`<hex size>[;ext]\r\n<data>\r\n ... 0\r\n<trailers>\r\n`), as the
 * AWS SDK sends streamed bodies with trailing checksums.
 *
 * @example
 * decodeAwsChunked(Buffer.from('5\r\nhello\r\n0\r\n\r\n')).toString(); // 'hello'
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const eol = body.indexOf('\r\n', at);
    if (eol === -1) break;
    const size = Number.parseInt(body.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function decode(req: InterceptedRequestWithBody, route: string, token: string): ObjectLambdaResponse {
  const h = req.headers;
  const chunked =
    /aws-chunked/i.test(h['content-encoding'] ?? '') || /^STREAMING-/i.test(h['x-amz-content-sha256'] ?? '');
  const body = chunked ? decodeAwsChunked(req.body) : req.body;
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    if (name.startsWith('x-amz-fwd-header-')) forwarded[name.slice('x-amz-fwd-header-'.length)] = value;
    else if (name.startsWith('x-amz-meta-')) forwarded[name] = value;
  }
  const requestRoute = h['x-amz-request-route'] ?? req.url.hostname.split('.')[0] ?? '';
  const requestToken = h['x-amz-request-token'] ?? '';
  return {
    statusCode: h['x-amz-fwd-status'] === undefined ? 200 : Number(h['x-amz-fwd-status']),
    errorCode: h['x-amz-fwd-error-code'],
    errorMessage: h['x-amz-fwd-error-message'],
    headers: forwarded,
    body,
    text: () => body.toString('utf8'),
    requestRoute,
    requestToken,
    accepted: requestRoute === route && requestToken === token,
    request: { method: req.method, url: req.url.href, headers: h },
  };
}

/**
 * Starts capturing the `WriteGetObjectResponse` calls a handler makes for `event` (an S3 Object
 * Lambda event such as `s3ObjectLambdaEvent()`). Calls with the event's route and token, in the access point's region, are
 * answered `200`; a wrong route, token or region is recorded with `accepted: false` and answered `400`, so the
 * handler sees a failure as it would on S3. Call `restore()` when done. The AWS SDK still needs
 * credentials to sign the request: set fake ones in the test's environment.
 *
 * @example
 * const event = s3ObjectLambdaEvent({ key: 'docs/report.txt' });
 * const capture = captureObjectLambdaResponse(event);
 * try {
 *   await invokeHandler(handler, event);
 * } finally {
 *   capture.restore();
 * }
 * expect(capture.responses[0]).toMatchObject({ statusCode: 200, accepted: true });
 * expect(capture.responses[0]?.text()).toBe('REDACTED');
 */
export function captureObjectLambdaResponse(event: {
  getObjectContext?: { outputRoute?: unknown; outputToken?: unknown };
  configuration?: { accessPointArn?: unknown };
}): ObjectLambdaCapture {
  const ctx = event?.getObjectContext;
  const arn = event?.configuration?.accessPointArn;
  if (
    typeof ctx?.outputRoute !== 'string' ||
    typeof ctx.outputToken !== 'string' ||
    typeof arn !== 'string'
  ) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      'captureObjectLambdaResponse(): the event has no getObjectContext.outputRoute / outputToken or configuration.accessPointArn',
      {
        path: 'getObjectContext',
        hint: 'Pass the S3 Object Lambda GetObject event, e.g. s3ObjectLambdaEvent().',
      },
    );
  }
  const route = ctx.outputRoute;
  const token = ctx.outputToken;
  const region = arn.split(':')[3] ?? '';
  // Every region's endpoint is intercepted, so a client set to the wrong region fails here, not on the network.
  const endpoint = /^[^.]+\.s3-object-lambda\.([a-z0-9-]+)\.amazonaws\.com$/;
  const responses: ObjectLambdaResponse[] = [];
  const { restore } = interceptHttps(
    ({ url: u }) => endpoint.test(u.hostname) && u.pathname === '/WriteGetObjectResponse',
    (req) => {
      const response = decode(req, route, token);
      if (endpoint.exec(req.url.hostname)?.[1] !== region) response.accepted = false;
      responses.push(response);
      if (response.accepted) return { status: 200 };
      return {
        status: 400,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidRequest</Code><Message>The RequestRoute, RequestToken or region does not match the request being answered.</Message></Error>`,
      };
    },
  );
  return { responses, restore };
}
