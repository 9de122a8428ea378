import { afterEach } from 'vitest';
import {
  type CreateFunctionOptions,
  createFunction,
  type LambdaFunction,
} from '../../src/lifecycle/index.js';

const fns: LambdaFunction[] = [];

afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

/** A createFunction instance around an inline handler (disposed after the test). */
export function fnOf(
  handler: (event: never, context: never) => unknown,
  options: Partial<CreateFunctionOptions> = {},
): LambdaFunction {
  const fn = createFunction({ handler: () => handler, functionName: 'orders', ...options });
  fns.push(fn);
  return fn;
}

/** Virtual sleep inside a handler (the invocation runs on the virtual clock). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const T0 = Date.UTC(2024, 0, 15, 12, 0, 0, 0);
export const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:failures';
export const DLQ_ARN = 'arn:aws:sqs:us-east-1:123456789012:dlq';
