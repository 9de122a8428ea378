import { types } from 'node:util';
import type { ErrorPayload } from '../contract/result.js';
import { JSON } from './intrinsics.js';
import { handlerStack } from './stack.js';

/**
 * Replace DEL (0x7f) with `%7F`, as the runtime client does in posted error fields.
 *
 * @example
 * escapeDel('a\x7fb'); // 'a%7Fb'
 */
export function escapeDel(text: string): string {
  return text.includes('\x7f') ? text.replaceAll('\x7f', '%7F') : text;
}

const PROBLEM_MESSAGE =
  'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';

function isDuckError(value: unknown): value is { name: string; message: string; stack: string } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string';
}

/**
 * Serialise a thrown/rejected value into the error body the invoker receives, per generation:
 * v3 (nodejs20.x/22.x) accepts native errors and duck-typed `{name,message,stack}` objects and maps
 * `undefined`/`null` to `"handled"`; v4 (nodejs24.x) uses `instanceof Error` and `typeof`/`String()`
 * for everything else. DEL becomes `%7F`; own properties such as `code` are not posted.
 *
 * @example
 * toErrorPayload(new TypeError('bad'), 'v4'); // { errorType: 'TypeError', errorMessage: 'bad', trace: [...] }
 * toErrorPayload(undefined, 'v3'); // { errorType: 'string', errorMessage: 'handled', trace: [] }
 */
export function toErrorPayload(value: unknown, generation: 'v3' | 'v4'): ErrorPayload {
  if (generation === 'v3') {
    if (value === undefined || value === null) value = 'handled';
    try {
      if (types.isNativeError(value) || isDuckError(value)) {
        const err = value as Error;
        return {
          errorType: escapeDel(err.name),
          errorMessage: escapeDel(err.message),
          trace: escapeDel(handlerStack(err.stack as string)).split('\n'),
        };
      }
      return { errorType: typeof value, errorMessage: escapeDel(String(value)), trace: [] };
    } catch {
      return { errorType: 'handled', errorMessage: PROBLEM_MESSAGE };
    }
  }
  if (value instanceof Error) {
    const stack = typeof value.stack === 'string' ? value.stack : '';
    return {
      errorType: escapeDel(String(value.name)),
      errorMessage: escapeDel(String(value.message)),
      trace: stack ? escapeDel(handlerStack(stack)).split('\n') : [],
    };
  }
  let message: string;
  try {
    message = String(value);
  } catch {
    message = Object.prototype.toString.call(value);
  }
  return { errorType: typeof value, errorMessage: escapeDel(message), trace: [] };
}

/**
 * The runtime's `intoError`: non-Error values are wrapped in `new Error(String(value))` before
 * they are logged (so `throw 'x'` logs errorType `Error` while the response says `string`).
 *
 * @example
 * intoError('x').message; // 'x'
 */
export function intoError(value: unknown): Error {
  if (value instanceof Error) return value;
  let text: string;
  try {
    text = String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return new Error(text);
}

function withEnumerableProperties(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const err = value as Error & { code?: unknown };
    const ret: Record<string, unknown> = Object.assign(
      { errorType: err.name, errorMessage: err.message, code: err.code } as Record<string, unknown>,
      err,
    );
    if (typeof err.stack === 'string') ret.stack = handlerStack(err.stack).split('\n');
    return ret;
  }
  return value;
}

/**
 * The JSON the runtime prints after `Invoke Error ` / `Uncaught Exception ` in text logs:
 * `{"errorType","errorMessage","code"?,...own enumerable props,"stack":[lines]}` (raw DEL kept).
 *
 * @example
 * formatErrorForTextLog(new Error('boom')); // '{"errorType":"Error","errorMessage":"boom","stack":["Error: boom",...]}'
 */
export function formatErrorForTextLog(error: Error): string {
  try {
    return JSON.stringify(error, withEnumerableProperties);
  } catch {
    return JSON.stringify(toErrorPayload(error, 'v3'));
  }
}

/**
 * JSON log format expansion of an Error (`AWS_LAMBDA_LOG_FORMAT=JSON`, single argument):
 * `{errorType: constructor.name, errorMessage, stackTrace: [lines], ...own props}`.
 *
 * @example
 * jsonLogErrorReplacer('', new RangeError('x')); // { errorType: 'RangeError', errorMessage: 'x', stackTrace: [...] }
 */
export function jsonLogErrorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return Object.assign(
      {
        errorType: value.constructor?.name ?? 'UnknownError',
        errorMessage: value.message,
        stackTrace: typeof value.stack === 'string' ? handlerStack(value.stack).split('\n') : value.stack,
      },
      value,
    );
  }
  return value;
}

/**
 * v3's `Runtime.UnhandledPromiseRejection` error: message `String(reason)`, with `reason` and
 * `promise` as own properties (they appear in the log line, not in the posted body).
 *
 * @example
 * new UnhandledPromiseRejection(new Error('x'), Promise.resolve()).message; // 'Error: x'
 */
export class UnhandledPromiseRejection extends Error {
  reason: unknown;
  promise: unknown;
  constructor(reason: unknown, promise: unknown) {
    let text: string;
    try {
      text = String(reason);
    } catch {
      text = Object.prototype.toString.call(reason);
    }
    super(text);
    this.reason = reason;
    this.promise = promise;
  }
}
Object.defineProperty(UnhandledPromiseRejection.prototype, 'name', {
  value: 'Runtime.UnhandledPromiseRejection',
  writable: true,
  configurable: true,
});

/**
 * Build an error object whose `name` is a runtime error type (for example
 * `Runtime.HandlerNotFound`), the way the runtime client creates its own errors: v3 keeps the name
 * on the class prototype; v4 sets it on the instance, so its `Init Error` / `Invoke Error` log
 * lines carry a `"name"` member after `errorMessage` (observed).
 *
 * @example
 * runtimeError('Runtime.MalformedHandlerName', 'Bad handler').name; // 'Runtime.MalformedHandlerName'
 * Object.keys(runtimeError('Runtime.HandlerNotFound', 'x', 'v4')); // ['name']
 */
export function runtimeError(errorType: string, message: string, generation: 'v3' | 'v4' = 'v3'): Error {
  const err = new Error(message);
  // Replace the `Error: <message>` head, which spans several lines when the message does
  // (Runtime.ImportModuleError's require stack), so no message line is repeated in the trace.
  // Read the stack before renaming: V8 formats it lazily with the name at first access.
  const stack = err.stack ?? '';
  Object.defineProperty(err, 'name', {
    value: errorType,
    writable: true,
    configurable: true,
    enumerable: generation === 'v4',
  });
  const head = `Error: ${message}`;
  const frames = stack.startsWith(head)
    ? stack.slice(head.length)
    : stack.slice(Math.max(0, stack.indexOf('\n')));
  err.stack = `${errorType}: ${message}${frames}`;
  return err;
}
