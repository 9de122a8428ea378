// Observation tables: "Thrown errors and rejections" and "Serialisation and size" (runtime-client-observations.md),
// plus surprise 5 (error-value normalisation per generation).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ALL,
  errorPosted,
  esc,
  expectCrashPrint,
  expectedCrashHead,
  expectStackTrace,
  ID1,
  parseRuntimeErrorLine,
  posted,
  run,
  runtimeLines,
  TS,
  V3,
  V4,
} from './helpers.js';

const THIS_FILE = fileURLToPath(import.meta.url);

function invokeErrorLog(result: Parameters<typeof runtimeLines>[0]): Record<string, unknown> {
  const lines = runtimeLines(result);
  expect(lines).toHaveLength(1);
  expect(lines[0]?.stream).toBe('stdout');
  expect(lines[0]?.level).toBe('ERROR');
  return parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Invoke Error');
}

class ValidationError extends Error {
  code = 'E_VALIDATION';
  details = { field: 'email' };
  constructor(message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}
class CustomError extends Error {}

describe('Thrown errors and rejections', () => {
  for (const runtime of ALL) {
    it.each([
      ['throw-error', async () => Promise.reject(new Error('boom')), 'boom'],
      [
        'sync-throw-error',
        () => {
          throw new Error('sync boom');
        },
        'sync boom',
      ],
    ] as const)(
      `%s [${runtime}]: err Error with the stack as trace (<= 10 frames) + Invoke Error log`,
      async (_c, h, msg) => {
        const result = await run(h, {}, runtime);
        const error = errorPosted(result);
        expect(Object.keys(error)).toEqual(['errorType', 'errorMessage', 'trace']);
        expect(error.errorType).toBe('Error');
        expect(error.errorMessage).toBe(msg);
        expectStackTrace(error.trace, `Error: ${msg}`);
        const logged = invokeErrorLog(result);
        expect(Object.keys(logged)).toEqual(['errorType', 'errorMessage', 'stack']);
        expect(logged).toEqual({ errorType: 'Error', errorMessage: msg, stack: error.trace });
      },
    );
  }

  it.each(ALL)(
    'throw-custom-no-name [%s]: err Error "custom without name" (name from Error.prototype)',
    async (runtime) => {
      const result = await run(
        async () => {
          throw new CustomError('custom without name');
        },
        {},
        runtime,
      );
      const error = errorPosted(result);
      expect(error.errorType).toBe('Error');
      expect(error.errorMessage).toBe('custom without name');
      expectStackTrace(error.trace, 'Error: custom without name');
      expect(invokeErrorLog(result)).toMatchObject({
        errorType: 'Error',
        errorMessage: 'custom without name',
      });
    },
  );

  it.each(ALL)(
    'throw-custom-with-name [%s]: err ValidationError; code/details in the log line only',
    async (runtime) => {
      const result = await run(
        async () => {
          throw new ValidationError('bad input');
        },
        {},
        runtime,
      );
      const error = errorPosted(result);
      expect(Object.keys(error)).toEqual(['errorType', 'errorMessage', 'trace']);
      expect(error).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad input' });
      expectStackTrace(error.trace, 'ValidationError: bad input');
      const logged = invokeErrorLog(result);
      expect(Object.keys(logged)).toEqual(['errorType', 'errorMessage', 'code', 'details', 'name', 'stack']);
      expect(logged).toEqual({
        errorType: 'ValidationError',
        errorMessage: 'bad input',
        code: 'E_VALIDATION',
        details: { field: 'email' },
        name: 'ValidationError',
        stack: error.trace,
      });
    },
  );

  it.each(ALL)(
    'throw-error-with-cause [%s]: err Error "outer%%7Fmessage"; log keeps the raw DEL and code, no cause',
    async (runtime) => {
      const result = await run(
        async () => {
          throw Object.assign(new Error('outer\x7fmessage', { cause: new Error('inner cause') }), {
            code: 'E_OUTER',
          });
        },
        {},
        runtime,
      );
      const error = errorPosted(result);
      expect(error.errorType).toBe('Error');
      expect(error.errorMessage).toBe('outer%7Fmessage');
      expectStackTrace(error.trace, 'Error: outer%7Fmessage');
      expect(JSON.stringify(error)).not.toContain('inner cause');
      const text = runtimeLines(result)[0]?.text ?? '';
      expect(text).not.toContain('cause');
      const logged = invokeErrorLog(result);
      expect(Object.keys(logged)).toEqual(['errorType', 'errorMessage', 'code', 'stack']);
      expect(logged).toMatchObject({ errorType: 'Error', errorMessage: 'outer\x7fmessage', code: 'E_OUTER' });
      expect((logged.stack as string[])[0]).toBe('Error: outer\x7fmessage');
    },
  );

  it.each(ALL)(
    'throw-string [%s]: err string "plain string thrown", trace []; the log wraps it as Error',
    async (runtime) => {
      const result = await run(
        async () => {
          throw 'plain string thrown';
        },
        {},
        runtime,
      );
      expect(errorPosted(result)).toEqual({
        errorType: 'string',
        errorMessage: 'plain string thrown',
        trace: [],
      });
      const logged = invokeErrorLog(result);
      expect(logged).toMatchObject({ errorType: 'Error', errorMessage: 'plain string thrown' });
      expectStackTrace(logged.stack as string[], 'Error: plain string thrown');
    },
  );

  const nullish: [string, unknown, { errorType: string; errorMessage: string }][] = [
    ['throw-undefined', undefined, { errorType: 'undefined', errorMessage: 'undefined' }],
    ['throw-null', null, { errorType: 'object', errorMessage: 'null' }],
  ];
  for (const runtime of V3) {
    it.each(nullish)(`%s [${runtime}]: err string "handled"`, async (_c, value) => {
      const result = await run(
        async () => {
          throw value;
        },
        {},
        runtime,
      );
      expect(errorPosted(result)).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] });
      expect(invokeErrorLog(result)).toMatchObject({ errorType: 'Error', errorMessage: 'handled' });
    });
  }
  for (const runtime of V4) {
    it.each(nullish)(`%s [${runtime}]: err typeof/String of the value`, async (_c, value, expected) => {
      const result = await run(
        async () => {
          throw value;
        },
        {},
        runtime,
      );
      expect(errorPosted(result)).toEqual({ ...expected, trace: [] });
      expect(invokeErrorLog(result)).toMatchObject({
        errorType: 'Error',
        errorMessage: expected.errorMessage,
      });
    });
  }

  it.each(ALL)('throw-object-literal [%s]: err object "[object Object]", trace []', async (runtime) => {
    const result = await run(
      async () => {
        throw { a: 1 };
      },
      {},
      runtime,
    );
    expect(errorPosted(result)).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] });
    expect(invokeErrorLog(result)).toMatchObject({ errorType: 'Error', errorMessage: '[object Object]' });
  });

  const duck = () => ({
    name: 'FakeError',
    message: 'duck typed',
    stack: 'FakeError: duck typed\n    at fake (/var/task/index.js:1:1)',
  });
  it.each(V3)(
    'throw-error-like-object [%s]: err FakeError "duck typed" with the object\'s stack as trace',
    async (runtime) => {
      const result = await run(
        async () => {
          throw duck();
        },
        {},
        runtime,
      );
      expect(errorPosted(result)).toEqual({
        errorType: 'FakeError',
        errorMessage: 'duck typed',
        trace: ['FakeError: duck typed', '    at fake (/var/task/index.js:1:1)'],
      });
    },
  );
  it.each(V4)('throw-error-like-object [%s]: err object "[object Object]"', async (runtime) => {
    const result = await run(
      async () => {
        throw duck();
      },
      {},
      runtime,
    );
    expect(errorPosted(result)).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] });
  });

  it.each(ALL)(
    'reject-error [%s]: a non-async fn returning a rejected promise -> err Error "rejected"',
    async (runtime) => {
      const result = await run(() => Promise.reject(new Error('rejected')), {}, runtime);
      const error = errorPosted(result);
      expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'rejected' });
      expectStackTrace(error.trace, 'Error: rejected');
      expect(invokeErrorLog(result)).toMatchObject({ errorType: 'Error', errorMessage: 'rejected' });
    },
  );

  it.each(V3)('never-settles [%s]: resp null once the loop drains', async (runtime) => {
    const result = await run(async () => new Promise(() => {}), {}, runtime);
    expect(posted(result)).toBe('null');
    expect(runtimeLines(result)).toEqual([]);
  });

  it.each(V4)(
    'never-settles [%s]: no POST, exit 0 -> the harness reports Runtime.ExitError without a reason (documented)',
    async (runtime) => {
      const result = await run(async () => new Promise(() => {}), {}, runtime);
      expect(errorPosted(result)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID1} Error: Runtime exited without providing a reason`,
      });
      expect(runtimeLines(result)).toEqual([]);
    },
  );

  it.each(ALL)(
    'never-settles-with-interval [%s]: no POST, alive -> the service times out (Sandbox.Timedout)',
    async (runtime) => {
      const result = await run(
        async () =>
          new Promise(() => {
            setInterval(() => {}, 20);
          }),
        {},
        runtime,
        { timeout: 0.1 },
      );
      expect(result.outcome).toBe('timeout');
      expect(result.outcome === 'timeout' && result.error).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${ID1} Error: Task timed out after 0.10 seconds`,
      });
      const texts = result.logs.map((l) => l.text);
      expect(texts).toContainEqual(
        expect.stringMatching(new RegExp(`^${TS} ${ID1} Task timed out after 0\\.10 seconds$`)),
      );
      expect(texts.at(-1)).toMatch(/\tStatus: timeout\t$/);
    },
  );

  for (const runtime of ALL) {
    it.each([
      ['process-exit-1', 1, 'Runtime exited with error: exit status 1'],
      ['process-exit-0', 0, 'Runtime exited without providing a reason'],
    ] as const)(`%s [${runtime}]: no POST; exit -> Runtime.ExitError (service)`, async (_c, code, reason) => {
      const result = await run(
        async () => {
          process.exit(code);
        },
        {},
        runtime,
      );
      expect(errorPosted(result)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID1} Error: ${reason}`,
      });
      expect(runtimeLines(result)).toEqual([]);
      const texts = result.logs.map((l) => l.text);
      expect(texts.at(-1)).toMatch(
        new RegExp(`^REPORT RequestId: ${ID1}\\t.*\\tStatus: error\\tError Type: Runtime\\.ExitError\\t$`),
      );
    });
  }

  const floating = async () => {
    Promise.reject(new Error('floating rejection'));
    await new Promise((r) => setTimeout(r, 30));
    return 'returned-too-late';
  };
  it.each(V3)(
    'unhandled-rejection-during [%s]: Unhandled Promise Rejection log; err Runtime.UnhandledPromiseRejection "Error: floating rejection" with the runtime\'s trace; the return is lost',
    async (runtime) => {
      const result = await run(floating, {}, runtime);
      const error = errorPosted(result);
      expect(error.errorType).toBe('Runtime.UnhandledPromiseRejection');
      expect(error.errorMessage).toBe('Error: floating rejection');
      expectStackTrace(error.trace, 'Runtime.UnhandledPromiseRejection: Error: floating rejection');
      expect(error.trace?.join('\n')).not.toContain('floating (');
      const lines = runtimeLines(result);
      expect(lines).toHaveLength(1);
      const logged = parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Unhandled Promise Rejection');
      expect(logged).toMatchObject({
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'Error: floating rejection',
        reason: { errorType: 'Error', errorMessage: 'floating rejection' },
        promise: {},
      });
      expect(((logged.reason as { stack: string[] }).stack ?? [])[0]).toBe('Error: floating rejection');
      expect(Object.keys(logged).at(-1)).toBe('stack');
      expect(JSON.stringify(result)).not.toContain('returned-too-late');
    },
  );

  it.each(V4)(
    'unhandled-rejection-during [%s]: no POST; stderr crash print; exit 1 -> Runtime.ExitError "exit status 1"',
    async (runtime) => {
      const result = await run(floating, {}, runtime);
      expect(errorPosted(result)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID1} Error: Runtime exited with error: exit status 1`,
      });
      const crash = runtimeLines(result);
      expect(crash.every((l) => l.stream === 'stderr')).toBe(true);
      // Node's print: the source excerpt where the reason was created, caret, stack, Node.js version.
      expectCrashPrint(
        crash.map((l) => l.text),
        expectedCrashHead(THIS_FILE, "Promise.reject(new Error('floating rejection'));", 'new Error'),
        'Error: floating rejection',
      );
      expect(
        result.logs.some((l) => l.text.includes('Invoke Error') || l.text.includes('Unhandled Promise')),
      ).toBe(false);
    },
  );

  const timerThrow = async () =>
    new Promise(() => {
      setTimeout(() => {
        throw new Error('thrown from timer');
      }, 10);
    });
  it.each(V3)(
    'uncaught-exception-from-timer [%s]: Uncaught Exception log; err Error "thrown from timer" with the original trace',
    async (runtime) => {
      const result = await run(timerThrow, {}, runtime);
      const error = errorPosted(result);
      expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'thrown from timer' });
      expectStackTrace(error.trace, 'Error: thrown from timer');
      expect(error.trace?.[1]).toMatch(/^ {4}at Timeout\._onTimeout \(/);
      const lines = runtimeLines(result);
      expect(lines).toHaveLength(1);
      const logged = parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Uncaught Exception');
      expect(logged).toEqual({ errorType: 'Error', errorMessage: 'thrown from timer', stack: error.trace });
    },
  );

  it.each(V4)(
    'uncaught-exception-from-timer [%s]: no POST; crash print; exit 1 -> Runtime.ExitError',
    async (runtime) => {
      const result = await run(timerThrow, {}, runtime);
      expect(errorPosted(result)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID1} Error: Runtime exited with error: exit status 1`,
      });
      const crash = runtimeLines(result);
      expect(crash.every((l) => l.stream === 'stderr')).toBe(true);
      // An uncaught throw: the caret points at the `throw` statement.
      expectCrashPrint(
        crash.map((l) => l.text),
        expectedCrashHead(THIS_FILE, "throw new Error('thrown from timer');", 'throw'),
        'Error: thrown from timer',
      );
    },
  );
});

describe('Serialisation and size', () => {
  const unserialisable: [string, () => unknown][] = [
    [
      'return-circular',
      () => {
        const o: Record<string, unknown> = { a: 1 };
        o.self = o;
        return o;
      },
    ],
    ['return-bigint', () => ({ n: 10n })],
  ];
  for (const runtime of V3) {
    it.each(unserialisable)(
      `%s [${runtime}]: err Error "Unable to stringify response body"`,
      async (_c, value) => {
        const result = await run(async () => value(), {}, runtime);
        const error = errorPosted(result);
        expect(error).toMatchObject({
          errorType: 'Error',
          errorMessage: 'Unable to stringify response body',
        });
        expectStackTrace(error.trace, 'Error: Unable to stringify response body');
        expect(invokeErrorLog(result)).toMatchObject({
          errorType: 'Error',
          errorMessage: 'Unable to stringify response body',
        });
      },
    );
  }
  for (const runtime of V4) {
    it.each(unserialisable)(
      `%s [${runtime}]: err Runtime.JSONStringifyError "Unable to stringify response body"`,
      async (_c, value) => {
        const result = await run(async () => value(), {}, runtime);
        const error = errorPosted(result);
        expect(error).toMatchObject({
          errorType: 'Runtime.JSONStringifyError',
          errorMessage: 'Unable to stringify response body',
        });
        expect(invokeErrorLog(result)).toMatchObject({
          errorType: 'Runtime.JSONStringifyError',
          errorMessage: 'Unable to stringify response body',
        });
      },
    );
  }

  const big = 'x'.repeat(7 * 1024 * 1024);
  const line413 = 'LAMBDA_RUNTIME Failed to post handler success response. Http response code: 413.';
  it.each(V3)(
    'big-response.mimic413 [%s]: the aws-lambda-cpp 413 line, no error POST; the service gives Function.ResponseSizeTooLarge',
    async (runtime) => {
      const result = await run(async () => big, {}, runtime);
      expect(errorPosted(result)).toEqual({
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      });
      const lines = runtimeLines(result).map((l) => l.text);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^\\[ERROR\\] \\[\\d{13}\\] ${esc(line413)}$`));
    },
  );
  it.each(V4)('big-response.mimic413 [%s]: the 413 line carries the response body', async (runtime) => {
    const result = await run(async () => big, {}, runtime);
    expect(errorPosted(result)).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge' });
    const lines = runtimeLines(result).map((l) => l.text);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\[ERROR\\] \\[\\d{13}\\] ${esc(line413)} ${esc('{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}')}$`,
      ),
    );
  });
  it.each(ALL)(
    'response size limit [%s]: 6,291,556 bytes is accepted, one more byte is not',
    async (runtime) => {
      const atLimit = await run(async () => 'y'.repeat(6_291_556 - 2), {}, runtime);
      expect(posted(atLimit)).toHaveLength(6_291_556);
      const over = await run(async () => 'y'.repeat(6_291_556 - 1), {}, runtime);
      expect(errorPosted(over).errorType).toBe('Function.ResponseSizeTooLarge');
    },
  );
});
