import type { Context } from 'aws-lambda';
import type { RuntimeProfile } from './profiles.js';

/**
 * Cognito identity passed to mobile-SDK invocations.
 *
 * @example
 * const identity: CognitoIdentityInput = { cognitoIdentityId: 'us-east-1:abc', cognitoIdentityPoolId: 'us-east-1:pool' };
 */
export interface CognitoIdentityInput {
  readonly cognitoIdentityId: string;
  readonly cognitoIdentityPoolId: string;
}

/**
 * Legacy completion functions on the v3 context (nodejs20.x/22.x).
 *
 * @example
 * createLambdaContext({ ...input, legacy: { succeed, fail, done, getWait: () => true, setWait() {} } });
 */
export interface LegacyCompletion {
  readonly succeed: (result?: unknown) => void;
  readonly fail: (error?: unknown) => void;
  readonly done: (error?: unknown, result?: unknown) => void;
  getWait(): boolean;
  setWait(value: boolean): void;
}

/**
 * Inputs for one invocation's context object.
 *
 * @example
 * createLambdaContext({ profile, requestId, functionName: 'orders', functionVersion: '$LATEST',
 *   invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders', memorySizeMB: 128,
 *   logGroupName: '/aws/lambda/orders', logStreamName: '2024/01/01/[$LATEST]abc', deadlineMs: Date.now() + 3000,
 *   now: Date.now });
 */
export interface ContextInput {
  readonly profile: RuntimeProfile;
  readonly requestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memorySizeMB: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Epoch ms of the deadline on the invocation's clock. */
  readonly deadlineMs: number;
  /** The invocation's clock (real or virtual). */
  readonly now: () => number;
  readonly identity?: CognitoIdentityInput | undefined;
  readonly clientContext?: unknown;
  readonly tenantId?: string | undefined;
  readonly traceId?: string | undefined;
  /** v3 only: the completion functions and callbackWaitsForEmptyEventLoop accessor. */
  readonly legacy?: LegacyCompletion | undefined;
}

/**
 * Build the context object exactly as the runtime hands it to the handler: memoryLimitInMB is a
 * string, getRemainingTimeInMillis is `deadline - now` (unclamped, may be negative),
 * identity/clientContext/tenantId are own properties (undefined unless given). On v3 it also has
 * callbackWaitsForEmptyEventLoop (accessor), succeed, fail and done; on v4 it has xRayTraceId.
 *
 * @example
 * const ctx = createLambdaContext(input);
 * ctx.memoryLimitInMB; // '128'
 */
export function createLambdaContext(input: ContextInput): Context {
  const { deadlineMs, now } = input;
  const ctx: Record<string, unknown> = {};
  const legacy = input.legacy;
  if (legacy) {
    Object.defineProperty(ctx, 'callbackWaitsForEmptyEventLoop', {
      get: () => legacy.getWait(),
      set: (v: unknown) => legacy.setWait(Boolean(v)),
      enumerable: true,
      configurable: true,
    });
    ctx.succeed = legacy.succeed;
    ctx.fail = legacy.fail;
    ctx.done = legacy.done;
  }
  ctx.functionVersion = input.functionVersion;
  ctx.functionName = input.functionName;
  ctx.memoryLimitInMB = String(input.memorySizeMB);
  ctx.logGroupName = input.logGroupName;
  ctx.logStreamName = input.logStreamName;
  ctx.clientContext = input.clientContext;
  ctx.identity = input.identity;
  ctx.invokedFunctionArn = input.invokedFunctionArn;
  ctx.awsRequestId = input.requestId;
  ctx.tenantId = input.tenantId;
  ctx.getRemainingTimeInMillis = () => deadlineMs - now();
  if (input.profile.contextXRayTraceId) ctx.xRayTraceId = input.traceId;
  return ctx as unknown as Context;
}
