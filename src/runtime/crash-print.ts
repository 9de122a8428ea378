import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { UnhandledPromiseRejection } from './errors.js';
import { handlerStack } from './stack.js';

/**
 * Head of Node 24's print for an error re-thrown from a promise with no source position of its own
 * (observed for every nodejs24.x init failure: the runtime client re-throws the init error from
 * its async main).
 */
const FROM_PROMISE_HEAD = [
  'node:internal/process/promises:394',
  '    triggerUncaughtException(err, true /* fromPromise */);',
  '    ^',
];

/**
 * Where a crash came from: an exception thrown outside any handler (a timer, an event emitter), a
 * rejection nobody handled, or the nodejs24.x init failure the runtime client re-throws.
 *
 * @example
 * const origin: CrashOrigin = 'unhandledRejection';
 */
export type CrashOrigin = 'uncaughtException' | 'unhandledRejection' | 'init';

const FRAME = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * Node's source excerpt for an error (`file:line`, the source line, a caret): V8 points it at the
 * first frame of the stack (where the error was created); for an uncaught `throw new Error(...)`
 * it points at the `throw` itself. Undefined when the first frame is not a readable file.
 */
function sourceExcerpt(error: Error, origin: CrashOrigin): string[] | undefined {
  const stack = typeof error.stack === 'string' ? handlerStack(error.stack).split('\n') : [];
  const frame = stack.find((line) => line.startsWith('    at '));
  const m = frame ? FRAME.exec(frame) : null;
  if (!m) return undefined;
  const location = m[1] as string;
  const lineNo = Number(m[2]);
  let column = Number(m[3]) - 1;
  if (location.startsWith('node:')) return undefined;
  let source: string;
  try {
    const file = location.startsWith('file://') ? fileURLToPath(location) : location;
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const text = source.split(/\r?\n/)[lineNo - 1];
  if (text === undefined || column < 0 || column > text.length) return undefined;
  if (origin === 'uncaughtException') {
    const thrown = /\bthrow\s+$/.exec(text.slice(0, column));
    if (thrown) column = thrown.index;
  }
  return [`${location}:${lineNo}`, text, `${' '.repeat(column)}^`];
}

/**
 * The error as the crash print shows it: a copy whose stack keeps the handler's frames only
 * (handlerStack), so the print shows the user's code, not the harness and test runner below it.
 */
function withHandlerStack(error: Error): Error {
  const stack = error.stack;
  if (typeof stack !== 'string') return error;
  const trimmed = handlerStack(stack);
  if (trimmed === stack) return error;
  try {
    const copy = Object.create(Object.getPrototypeOf(error)) as Error;
    Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
    Object.defineProperty(copy, 'stack', { value: trimmed, writable: true, configurable: true });
    return copy;
  } catch {
    return error;
  }
}

function safeInspect(value: unknown): string {
  try {
    if (value instanceof Error) value = withHandlerStack(value);
    const text = inspect(value);
    // inspect tags an error whose name is not its class's (`Error [Runtime.HandlerNotFound]: …`);
    // the runtime client's own error classes print their stack's head as is.
    if (value instanceof Error && typeof value.stack === 'string') {
      const head = value.stack.slice(0, value.stack.indexOf('\n') >>> 0);
      const first = text.slice(0, text.indexOf('\n') >>> 0);
      if (first !== head && first.includes(`[${value.name}]`)) {
        return head + text.slice(first.length);
      }
    }
    return text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * The lines Node prints on stderr when a nodejs24.x process dies of an error (the runtime client
 * registers no process-level handler): a `file:line` source excerpt and caret (or, for a promise
 * re-throw without a position, `node:internal/process/promises:394` and its caret), an empty line,
 * the error as `util.inspect` shows it (stack, then own properties), an empty line and
 * `Node.js <process.version>`: the Node that actually ran the code, whose frames the stack shows.
 *
 * @example
 * formatCrashPrint(new Error('boom'), 'init');
 * // ['node:internal/process/promises:394', '    triggerUncaughtException(err, true /* fromPromise *\/);',
 * //  '    ^', '', 'Error: boom', '    at …', '', 'Node.js v24.11.1']
 */
export function formatCrashPrint(error: unknown, origin: CrashOrigin): string[] {
  let head: string[] | undefined;
  let body: string;
  // An init failure is re-thrown from the runtime client's promise: a rejection with that reason.
  const rejected =
    error instanceof UnhandledPromiseRejection
      ? { reason: error.reason }
      : origin === 'init'
        ? { reason: error }
        : undefined;
  if (rejected) {
    const reason = rejected.reason;
    if (reason instanceof Error) {
      body = safeInspect(reason);
      head = origin === 'init' ? FROM_PROMISE_HEAD : (sourceExcerpt(reason, origin) ?? FROM_PROMISE_HEAD);
    } else {
      head = FROM_PROMISE_HEAD;
      body = `[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${safeInspect(reason)}".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}`;
    }
  } else if (error instanceof Error) {
    body = safeInspect(error);
    head = sourceExcerpt(error, origin);
  } else {
    body = `Uncaught ${safeInspect(error)}`;
  }
  const lines = head ? [...head, ''] : [];
  lines.push(...body.split('\n'), '', `Node.js ${process.version}`);
  return lines;
}
