// "What the real service adds" (runtime-client-observations.md, last section) and the rows whose real outcome
// is process death or a native race, which the harness turns into reported results
// ("Differences from real Lambda" in docs/invoke.md, "Timeouts and crashes reset the environment" in
// docs/functions.md).
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvocationResult, RuntimeName } from '../../src/invoke/result.js';
import { createFunction, type FunctionResult, type LambdaFunction } from '../../src/lifecycle/index.js';
import {
  ALL,
  errorPosted,
  expectCrashPrint,
  expectedCrashHead,
  ID1,
  ID2,
  parseRuntimeErrorLine,
  posted,
  runtimeLines,
  TS,
  V3,
  V4,
} from './helpers.js';

type Handler = (event: { n: number }, context: unknown, callback?: unknown) => unknown;

const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

/** A function instance over an in-memory module; each cold start gets a fresh copy of the module object. */
function fnOf(handler: Handler, runtime: RuntimeName, timeout = 3): LambdaFunction {
  const fn = createFunction({
    handler: () => ({ handler }),
    handlerName: 'index.handler',
    runtime,
    timeout,
    isolation: { name: 'copy', load: async (loader) => ({ ...((await loader()) as object) }) },
  });
  fns.push(fn);
  return fn;
}

function ran(result: FunctionResult): InvocationResult {
  if (result.outcome === 'throttled') expect.fail('throttled');
  return result;
}

const invoke = async (fn: LambdaFunction, n: number, requestId: string) =>
  ran(await fn.invoke({ n }, { requestId }));

describe('Timeouts (service): "Task timed out after N.NN seconds", then the sandbox is reset', () => {
  it.each(ALL)(
    'never-settles-with-interval [%s]: Sandbox.Timedout at the deadline; the next invoke cold-starts',
    async (runtime) => {
      const fn = fnOf(
        async (e) => {
          if (e.n === 1) await new Promise(() => setInterval(() => {}, 10));
          return 'fresh';
        },
        runtime,
        0.2,
      );
      const first = await invoke(fn, 1, ID1);
      expect(first.outcome).toBe('timeout');
      expect(first.outcome === 'timeout' && first.error).toEqual({
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${ID1} Error: Task timed out after 0.20 seconds`,
      });
      const texts = first.logs.map((l) => l.text);
      expect(texts).toContainEqual(
        expect.stringMatching(new RegExp(`^${TS} ${ID1} Task timed out after 0\\.20 seconds$`)),
      );
      expect(texts.at(-1)).toMatch(
        new RegExp(
          `^REPORT RequestId: ${ID1}\\tDuration: 200\\.00 ms\\tBilled Duration: \\d+ ms\\t.*\\tStatus: timeout\\t$`,
        ),
      );
      expect(fn.instances[0]?.lastReset).toBe('timeout');
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"fresh"');
      expect(second.coldStart).toBe(true);
    },
  );
});

describe('Process exit during an invoke (service): Runtime.ExitError, next invoke cold-starts', () => {
  for (const runtime of ALL) {
    it.each([
      ['process-exit-1', 1, 'Runtime exited with error: exit status 1'],
      ['process-exit-0', 0, 'Runtime exited without providing a reason'],
    ] as const)(`%s [${runtime}]: Runtime.ExitError; same environment re-inits`, async (_c, code, reason) => {
      const fn = fnOf(async (e) => {
        if (e.n === 1) process.exit(code);
        return 'after';
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(errorPosted(first)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID1} Error: ${reason}`,
      });
      expect(first.logs.map((l) => l.text)).toContain(`RequestId: ${ID1} Error: ${reason}`);
      expect(fn.instances[0]?.lastReset).toBe('exit');
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"after"');
      expect(second.coldStart).toBe(true);
      expect(fn.instances).toHaveLength(1);
    });
  }

  it.each(V3)(
    'uncaught-exception-from-timer [%s]: err posted, exit 129 -> the next invoke cold-starts',
    async (runtime) => {
      const fn = fnOf(async (e) => {
        if (e.n === 1) {
          await new Promise(() => {
            setTimeout(() => {
              throw new Error('thrown from timer');
            }, 5);
          });
        }
        return 'fresh';
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(errorPosted(first)).toMatchObject({ errorType: 'Error', errorMessage: 'thrown from timer' });
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"fresh"');
      expect(second.coldStart).toBe(true);
    },
  );

  it.each(V4)(
    'uncaught-exception-from-timer [%s]: crash, exit 1 -> Runtime.ExitError; the next invoke cold-starts',
    async (runtime) => {
      const fn = fnOf(async (e) => {
        if (e.n === 1) {
          await new Promise(() => {
            setTimeout(() => {
              throw new Error('thrown from timer');
            }, 5);
          });
        }
        return 'fresh';
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(errorPosted(first)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID1} Error: Runtime exited with error: exit status 1`,
      });
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"fresh"');
      expect(second.coldStart).toBe(true);
    },
  );

  it.each(ALL)(
    'unhandled-rejection-during [%s]: v3 exit 128 / v4 exit 1 -> the environment is reset, the next invoke cold-starts',
    async (runtime) => {
      const fn = fnOf(async (e) => {
        if (e.n === 1) {
          Promise.reject(new Error('floating rejection'));
          await new Promise((r) => setTimeout(r, 20));
        }
        return `answer ${e.n}`;
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(errorPosted(first).errorType).toBe(
        runtime === 'nodejs24.x' ? 'Runtime.ExitError' : 'Runtime.UnhandledPromiseRejection',
      );
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"answer 2"');
      expect(second.coldStart).toBe(true);
    },
  );

  it.each(V3)(
    'callback-circular [%s]: Uncaught Exception log, err Error "Unable to stringify response body", exit 129 (next invoke cold)',
    async (runtime) => {
      const fn = fnOf((e, _c, cb) => {
        const o: Record<string, unknown> = { n: e.n };
        o.self = o;
        (cb as (err: unknown, r: unknown) => void)(null, e.n === 1 ? o : 'fresh');
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      const error = errorPosted(first);
      expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'Unable to stringify response body' });
      expect(error.trace?.[0]).toBe('Error: Unable to stringify response body');
      const lines = runtimeLines(first);
      expect(lines).toHaveLength(1);
      expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Uncaught Exception')).toMatchObject({
        errorType: 'Error',
        errorMessage: 'Unable to stringify response body',
      });
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"fresh"');
      expect(second.coldStart).toBe(true);
    },
  );
});

describe('Errors raised after the response (v3 SIGABRT native race / v4 exit after the next event)', () => {
  // A floating promise that rejects right after the handler returned (no timer involved).
  const floatingAfterReturn: Handler = async (e) => {
    if (e.n === 1) {
      void (async () => {
        await new Promise((r) => setImmediate(r));
        throw new Error('floating after return');
      })();
      return 'returned';
    }
    return 'second';
  };

  it.each(V3)(
    'unhandled-rejection-after-return [%s]: resp "returned"; rejection logged with invoke 1\'s id; instead of SIGABRT the harness resets (next invoke cold)',
    async (runtime) => {
      const fn = fnOf(floatingAfterReturn, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"returned"');
      const lines = runtimeLines(first);
      expect(lines).toHaveLength(1);
      expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Unhandled Promise Rejection')).toMatchObject({
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'Error: floating after return',
      });
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"second"');
      expect(second.coldStart).toBe(true);
    },
  );

  it.each(V4)(
    'unhandled-rejection-after-return [%s]: resp "returned"; crash print at once; the harness resets (next invoke cold) instead of losing invoke 2',
    async (runtime) => {
      const fn = fnOf(floatingAfterReturn, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"returned"');
      const crash = runtimeLines(first);
      expect(crash.every((l) => l.stream === 'stderr')).toBe(true);
      expectCrashPrint(
        crash.map((l) => l.text),
        expectedCrashHead(fileURLToPath(import.meta.url), "new Error('floating after return')", 'new Error'),
        'Error: floating after return',
      );
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"second"');
      expect(second.coldStart).toBe(true);
    },
  );

  it.each(ALL)(
    'unhandled-rejection-after-return / uncaught-exception-after-return / unhandled-rejection-leaks-into-next via a timer [%s]: the harness clears the pending timer (no freezing: pendingWork) so nothing fires later',
    async (runtime) => {
      const fn = fnOf(async (e) => {
        if (e.n === 1) {
          setTimeout(() => Promise.reject(new Error('late rejection')), 20);
          setTimeout(() => {
            throw new Error('late throw');
          }, 20);
          return 'first';
        }
        await new Promise((r) => setTimeout(r, 60));
        return 'second';
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"first"');
      expect(first.pendingWork).toMatchObject({
        timers: 2,
        descriptions: ['setTimeout 20 ms', 'setTimeout 20 ms'],
      });
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"second"');
      expect(second.coldStart).toBe(false);
      expect(runtimeLines(second)).toEqual([]);
    },
  );
});

describe('.freeze rows and request ids across invokes (the harness does not freeze: timers are cleared, pendingWork)', () => {
  it.each(V3)(
    "callback-pending-timer-wait-false.freeze [%s]: invoke 1's timer does not fire during invoke 2 (documented: no freezing)",
    async (runtime) => {
      const fn = fnOf((e, c, cb) => {
        (c as { callbackWaitsForEmptyEventLoop: boolean }).callbackWaitsForEmptyEventLoop = false;
        setTimeout(() => console.log(`timer of invoke ${e.n}`), 30);
        (cb as (err: unknown, r: unknown) => void)(null, `done ${e.n}`);
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"done 1"');
      expect(first.pendingWork.descriptions).toEqual(['setTimeout 30 ms']);
      await new Promise((r) => setTimeout(r, 60));
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"done 2"');
      expect(
        [...first.logs, ...second.logs].some((l) => String(l.message).startsWith('timer of invoke')),
      ).toBe(false);
    },
  );

  it.each(ALL)(
    'async-pending-timer.freeze [%s]: the timer left by invoke 1 is not run later',
    async (runtime) => {
      const fn = fnOf(async (e) => {
        setTimeout(() => console.log(`timer of invoke ${e.n}`), 30);
        return `done ${e.n}`;
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      await new Promise((r) => setTimeout(r, 60));
      const second = await invoke(fn, 2, ID2);
      expect([posted(first), posted(second)]).toEqual(['"done 1"', '"done 2"']);
      expect(first.pendingWork.timers).toBe(1);
      expect(second.pendingWork.timers).toBe(1);
      expect(
        [...first.logs, ...second.logs].some((l) => String(l.message).startsWith('timer of invoke')),
      ).toBe(false);
    },
  );
});
