/**
 * What a simulator invokes: a small interface with adapters from a `createFunction` instance
 * (keeps cold/warm behaviour, concurrency and logs) and from a bare handler (through
 * `invokeHandler`). Every invocation runs on the virtual clock, starting at the simulator's now.
 */
import { HarnessError } from '../errors/index.js';
import { type InvokeOptions, invokeHandler } from '../invoke/index.js';
import type { FunctionInvocationResult } from '../invoke/result.js';
import type { LambdaFunction } from '../lifecycle/index.js';

/**
 * Per-invocation inputs a simulator passes to its target.
 *
 * @example
 * const options: TargetInvokeOptions = { now: Date.UTC(2024, 0, 1), requestId: 'c793869b-ee49-415b-a5b6-4fd21e8dedac' };
 */
export interface TargetInvokeOptions {
  /** Virtual epoch ms the invocation starts at (the handler's Date.now()). */
  readonly now: number;
  /** The request id to use (async retries reuse the event's request id). */
  readonly requestId?: string;
}

/**
 * The function a simulator delivers to. Implement it yourself to plug in anything; the
 * invocation must run on a virtual clock starting at `now` and report its duration.
 *
 * @example
 * const target: InvocationTarget = {
 *   functionName: 'orders',
 *   invoke: (event, { now, requestId }) => fn.invoke(event, { clock: { mode: 'virtual', startMs: now }, ...(requestId ? { requestId } : {}) }),
 * };
 */
export interface InvocationTarget {
  readonly functionName: string;
  /** The function timeout in seconds, when known (used to validate visibility timeouts). */
  readonly timeoutSeconds?: number;
  invoke(event: unknown, options: TargetInvokeOptions): Promise<FunctionInvocationResult>;
}

/**
 * Adapts a `createFunction` instance: each invocation goes through `fn.invoke` on the virtual
 * clock, so cold starts, warm reuse, throttling and logs behave as in the function layer.
 *
 * @example
 * const fn = createFunction({ handler: () => import('./handler.js'), functionName: 'orders', timeout: 10 });
 * const target = functionTarget(fn); // timeoutSeconds read from fn.timeout
 */
export function functionTarget(
  fn: LambdaFunction,
  options: { timeoutSeconds?: number } = {},
): InvocationTarget {
  const target: InvocationTarget = {
    functionName: fn.functionName,
    invoke: (event, { now, requestId }) =>
      fn.invoke(event, {
        clock: { mode: 'virtual', startMs: now },
        ...(requestId !== undefined ? { requestId } : {}),
      }),
  };
  const known = (fn as { timeout?: unknown }).timeout;
  const timeoutSeconds = options.timeoutSeconds ?? (typeof known === 'number' ? known : undefined);
  return timeoutSeconds === undefined ? target : { ...target, timeoutSeconds };
}

/**
 * Adapts a bare handler: each invocation goes through `invokeHandler` on the virtual clock
 * (a fresh environment every time; use `functionTarget` for cold/warm behaviour).
 *
 * @example
 * const target = handlerTarget(async (event) => ({ batchItemFailures: [] }), { functionName: 'orders', timeout: 30 });
 */
export function handlerTarget(
  handler: (...args: never[]) => unknown,
  options: Omit<InvokeOptions, 'clock' | 'requestId'> = {},
): InvocationTarget {
  if (typeof handler !== 'function') {
    throw new HarnessError('INVALID_CONFIGURATION', 'handlerTarget: expected a handler function', {
      hint: 'Pass the exported handler itself, or use functionTarget(createFunction(...)).',
    });
  }
  const functionName = options.functionName ?? 'test-function';
  return {
    functionName,
    ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}),
    invoke: (event, { now, requestId }) =>
      invokeHandler(handler, event, {
        ...options,
        clock: { mode: 'virtual', startMs: now },
        ...(requestId !== undefined ? { requestId } : {}),
      }),
  };
}

function isLambdaFunction(x: unknown): x is LambdaFunction {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as LambdaFunction).invoke === 'function' &&
    typeof (x as LambdaFunction).forceColdStart === 'function'
  );
}

/**
 * What the `target` option of a simulator accepts: a `createFunction` instance, a bare
 * handler function, or an {@link InvocationTarget}.
 *
 * @example
 * const t: TargetInput = async (event: unknown) => undefined;
 */
export type TargetInput = LambdaFunction | InvocationTarget | ((...args: never[]) => unknown);

/** Normalises a `target` option. */
export function resolveTarget(input: unknown, where: string): InvocationTarget {
  if (isLambdaFunction(input)) return functionTarget(input);
  if (typeof input === 'function') return handlerTarget(input as (...args: never[]) => unknown);
  if (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as InvocationTarget).invoke === 'function' &&
    typeof (input as InvocationTarget).functionName === 'string'
  ) {
    return input as InvocationTarget;
  }
  throw new HarnessError(
    'INVALID_CONFIGURATION',
    `${where}.target: expected a createFunction instance, a handler function or { functionName, invoke(event, { now }) }`,
    {
      path: 'target',
      hint: 'For example target: createFunction({ handler: () => import("./handler.js") }).',
    },
  );
}

/**
 * Virtual time an invocation occupies: its (virtual) duration; 0 for a throttle. Init time is
 * measured in wall time by the invoker, so it is left off the virtual timeline to keep runs
 * deterministic.
 */
export function occupiedMs(result: FunctionInvocationResult): number {
  if (result.outcome === 'throttled') return 0;
  return result.durationMs;
}
