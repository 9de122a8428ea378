/**
 * Captures the response a CloudFormation custom resource handler PUTs to the event's
 * `ResponseURL`, without network. Only that exact URL is intercepted, through the two ways Node
 * code sends it: `fetch` and `https.request` / `https.get` (what cfn-response and most providers
 * use); any other request passes through untouched. Handler code stays unchanged and keeps the
 * real pre-signed S3 URL, which a loopback server could not serve over https.
 */
import { HarnessError } from '../errors/index.js';
import { interceptHttps } from './intercept.js';

/**
 * What the handler sent to `ResponseURL`.
 *
 * @example
 * const capture = captureCustomResourceResponse(event);
 * await invokeHandler(handler, event);
 * capture.restore();
 * capture.responses[0]?.body.Status; // 'SUCCESS'
 */
export interface CustomResourceCapture {
  /** Every request to ResponseURL, in order (CloudFormation honours only the first). */
  readonly responses: {
    method: string;
    headers: Record<string, string>;
    body: Record<string, unknown>;
    raw: string;
  }[];
  /** Puts `fetch` and `https.request` back. Idempotent. */
  restore(): void;
}

/**
 * Starts capturing PUTs to `event.ResponseURL` (answered `200 OK` with an empty body, as S3 does).
 * Call `restore()` when done (an `afterEach` is a good place).
 *
 * @example
 * const event = cloudFormationCustomResourceEvent({ requestType: 'Create' });
 * const capture = captureCustomResourceResponse(event);
 * try {
 *   await invokeHandler(handler, event);
 * } finally {
 *   capture.restore();
 * }
 * expect(capture.responses[0]?.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: expect.any(String) });
 */
export function captureCustomResourceResponse(event: { ResponseURL?: unknown }): CustomResourceCapture {
  const url = event?.ResponseURL;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      'captureCustomResourceResponse(): event.ResponseURL is not a URL',
      {
        path: 'ResponseURL',
        hint: 'Pass the CloudFormation custom resource event, e.g. cloudFormationCustomResourceEvent().',
      },
    );
  }
  const target = new URL(url);
  const responses: CustomResourceCapture['responses'] = [];
  const { restore } = interceptHttps(
    ({ url: u }) =>
      u.origin === target.origin && u.pathname === target.pathname && u.search === target.search,
    ({ method, headers }, raw) => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw);
      } catch {
        body = {};
      }
      responses.push({ method, headers, body, raw });
      // S3 answers a pre-signed PUT with 200 and an empty body.
      return { status: 200 };
    },
  );
  return { responses, restore };
}
