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

/**
 * A timer delay in ms that two back-to-back warm invocations do not reach on this machine now: 20
 * times such a pair measured here, never under `min`. The cases whose outcome depends on whether a
 * timer falls due during the next invoke or while frozen use it instead of a fixed 20-30 ms, which
 * a loaded machine overran.
 */
async function delayBeyondTwoInvokes(runtime: RuntimeName, min = 20): Promise<number> {
  const probe = fnOf(async () => 'probe', runtime);
  await invoke(probe, 0, ID1);
  const started = performance.now();
  await invoke(probe, 1, ID1);
  await invoke(probe, 2, ID2);
  return Math.max(min, Math.ceil((performance.now() - started) * 20));
}

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
    'unhandled-rejection-after-return [%s]: resp "returned"; rejection logged with invoke 1\'s id; SIGABRT when invoke 2 is handed out (Runtime.ExitError "signal: aborted (core dumped)"), then a cold start',
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
      const second = await invoke(fn, 2, ID2);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: signal: aborted (core dumped)`,
      });
      expect(second.coldStart).toBe(false);
      expect(runtimeLines(second)).toEqual([]);
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const third = await invoke(fn, 3, ID1);
      expect(posted(third)).toBe('"second"');
      expect(third.coldStart).toBe(true);
    },
  );

  it.each(V4)(
    'unhandled-rejection-after-return [%s]: resp "returned"; crash print at once; exit 1 only when invoke 2 is handed out, which is never answered (Runtime.ExitError), then a cold start',
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
      const second = await invoke(fn, 2, ID2);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: exit status 1`,
      });
      expect(second.coldStart).toBe(false);
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const third = await invoke(fn, 3, ID1);
      expect(posted(third)).toBe('"second"');
      expect(third.coldStart).toBe(true);
    },
  );

  // An exception thrown from a callback right after the handler returned (no timer involved).
  const throwAfterReturn: Handler = async (e) => {
    if (e.n === 1) {
      setImmediate(() => {
        throw new Error('thrown after return');
      });
      return 'returned';
    }
    return 'second';
  };

  it.each(V3)(
    'uncaught-exception-after-return [%s]: as unhandled-rejection-after-return: resp "returned"; Uncaught Exception logged with invoke 1\'s id; SIGABRT when invoke 2 is handed out, then a cold start',
    async (runtime) => {
      const fn = fnOf(throwAfterReturn, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"returned"');
      const lines = runtimeLines(first);
      expect(lines).toHaveLength(1);
      expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Uncaught Exception')).toMatchObject({
        errorType: 'Error',
        errorMessage: 'thrown after return',
      });
      const second = await invoke(fn, 2, ID2);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: signal: aborted (core dumped)`,
      });
      expect(second.coldStart).toBe(false);
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const third = await invoke(fn, 3, ID1);
      expect(posted(third)).toBe('"second"');
      expect(third.coldStart).toBe(true);
    },
  );

  it.each(V4)(
    'uncaught-exception-after-return [%s]: as unhandled-rejection-after-return: resp "returned"; crash print at once; exit 1 when invoke 2 is handed out (Runtime.ExitError), then a cold start',
    async (runtime) => {
      const fn = fnOf(throwAfterReturn, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"returned"');
      const crash = runtimeLines(first);
      expect(crash.length).toBeGreaterThan(0);
      expect(crash.every((l) => l.stream === 'stderr')).toBe(true);
      expectCrashPrint(
        crash.map((l) => l.text),
        expectedCrashHead(fileURLToPath(import.meta.url), "throw new Error('thrown after return')", 'throw'),
        'Error: thrown after return',
      );
      const second = await invoke(fn, 2, ID2);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: exit status 1`,
      });
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const third = await invoke(fn, 3, ID1);
      expect(posted(third)).toBe('"second"');
      expect(third.coldStart).toBe(true);
    },
  );

  // A rejection left by invoke 1 on a timer, and invoke 2 arriving while it is still pending.
  // invoke 1 leaves a rejection `delay` ms ahead; invoke 2 waits twice that (under a timeout that
  // leaves 3 s more, see timeoutFor). Whether it falls due during invoke 2 or while frozen depends
  // on real time, so the delay is not a fixed 20 ms but delayBeyondTwoInvokes.
  const lateRejection =
    (delay: number): Handler =>
    async (e) => {
      if (e.n === 1) {
        setTimeout(() => Promise.reject(new Error('late rejection')), delay);
        return 'first';
      }
      await new Promise((r) => setTimeout(r, 2 * delay));
      return 'second';
    };
  const timeoutFor = (delay: number): number => 3 + Math.ceil((2 * delay) / 1000);

  it.each(V3)(
    "unhandled-rejection-leaks-into-next [%s]: invoke 2 arrives at once; the rejection from invoke 1 is logged with invoke 2's id and posted as invoke 2's error; reset",
    async (runtime) => {
      const delay = await delayBeyondTwoInvokes(runtime);
      const fn = fnOf(lateRejection(delay), runtime, timeoutFor(delay));
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"first"');
      expect(first.pendingWork).toMatchObject({ timers: 1, descriptions: [`setTimeout ${delay} ms`] });
      const second = await invoke(fn, 2, ID2);
      expect(errorPosted(second)).toMatchObject({
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'Error: late rejection',
      });
      const lines = runtimeLines(second);
      expect(lines).toHaveLength(1);
      expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID2, 'Unhandled Promise Rejection')).toMatchObject({
        errorType: 'Runtime.UnhandledPromiseRejection',
      });
      expect(fn.instances[0]?.lastReset).toBe('crash');
    },
  );

  it.each(V4)(
    'unhandled-rejection-leaks-into-next [%s]: invoke 1 resp; exit 1 during invoke 2, with no POST for it (Runtime.ExitError)',
    async (runtime) => {
      const delay = await delayBeyondTwoInvokes(runtime);
      const fn = fnOf(lateRejection(delay), runtime, timeoutFor(delay));
      expect(posted(await invoke(fn, 1, ID1))).toBe('"first"');
      const second = await invoke(fn, 2, ID2);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: exit status 1`,
      });
      expect(runtimeLines(second).every((l) => l.stream === 'stderr')).toBe(true);
      expect(runtimeLines(second).map((l) => l.text)).toContain('Error: late rejection');
    },
  );

  it.each(ALL)(
    "unhandled-rejection-after-return.freeze [%s]: the rejection falls due while frozen; at the thaw for invoke 2 the process dies before answering it (v3: logged under invoke 1's id, exit 128; v4: crash print, exit 1)",
    async (runtime) => {
      const delay = await delayBeyondTwoInvokes(runtime);
      const fn = fnOf(lateRejection(delay), runtime, timeoutFor(delay));
      expect(posted(await invoke(fn, 1, ID1))).toBe('"first"');
      await new Promise((r) => setTimeout(r, delay + 30));
      const second = await invoke(fn, 2, ID2);
      const v3 = V3.includes(runtime);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: exit status ${v3 ? 128 : 1}`,
      });
      const lines = runtimeLines(second);
      if (v3) {
        expect(lines).toHaveLength(1);
        expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Unhandled Promise Rejection')).toMatchObject(
          { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: late rejection' },
        );
      } else expect(lines.map((l) => l.text)).toContain('Error: late rejection');
      expect(fn.instances[0]?.lastReset).toBe('crash');
      expect(ran(await fn.invoke({ n: 3 })).coldStart).toBe(true);
    },
  );
});

describe('.freeze rows and request ids across invokes (the environment is frozen between invokes)', () => {
  it.each(V3)(
    "callback-pending-timer-wait-false.freeze [%s]: the timer from invoke 1 fires right after the thaw for invoke 2, still tagged invoke 1; invoke 2's own timer does not fire before the next freeze",
    async (runtime) => {
      const delay = await delayBeyondTwoInvokes(runtime, 30);
      const fn = fnOf((e, c, cb) => {
        (c as { callbackWaitsForEmptyEventLoop: boolean }).callbackWaitsForEmptyEventLoop = false;
        setTimeout(() => console.log(`timer of invoke ${e.n}`), delay);
        (cb as (err: unknown, r: unknown) => void)(null, `done ${e.n}`);
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      expect(posted(first)).toBe('"done 1"');
      expect(first.pendingWork.descriptions).toEqual([`setTimeout ${delay} ms`]);
      await new Promise((r) => setTimeout(r, 2 * delay));
      const second = await invoke(fn, 2, ID2);
      expect(posted(second)).toBe('"done 2"');
      expect(first.logs.some((l) => String(l.message).startsWith('timer of invoke'))).toBe(false);
      const texts = second.logs.map((l) => l.text);
      expect(texts[0]).toBe(`START RequestId: ${ID2} Version: $LATEST`);
      expect(texts[1]).toMatch(new RegExp(`^${TS}\\t${ID1}\\tINFO\\ttimer of invoke 1$`));
      expect(texts.some((t) => t.includes('timer of invoke 2'))).toBe(false);
      expect(second.pendingWork.descriptions).toEqual([`setTimeout ${delay} ms`]);
    },
  );

  it.each(ALL)(
    'async-pending-timer.freeze [%s]: resp at once; with freeze the timer fires after the next thaw, still tagged with the old id',
    async (runtime) => {
      const delay = await delayBeyondTwoInvokes(runtime, 30);
      const fn = fnOf(async (e) => {
        setTimeout(() => console.log(`timer of invoke ${e.n}`), delay);
        return `done ${e.n}`;
      }, runtime);
      const first = await invoke(fn, 1, ID1);
      await new Promise((r) => setTimeout(r, 2 * delay));
      const second = await invoke(fn, 2, ID2);
      expect([posted(first), posted(second)]).toEqual(['"done 1"', '"done 2"']);
      expect(first.pendingWork.timers).toBe(1);
      expect(second.pendingWork.timers).toBe(1);
      expect(first.logs.some((l) => String(l.message).startsWith('timer of invoke'))).toBe(false);
      const timerLines = second.logs.filter((l) => String(l.message).startsWith('timer of invoke'));
      expect(timerLines.map((l) => [l.requestId, l.message])).toEqual([[ID1, 'timer of invoke 1']]);
    },
  );

  it.each(ALL)(
    'async-pending-timer [%s]: without a gap the timer of invoke 1 fires during invoke 2 and logs with the id of the invoke that started last (invoke 2)',
    async (runtime) => {
      const delay = await delayBeyondTwoInvokes(runtime);
      const fn = fnOf(
        async (e) => {
          if (e.n === 1) setTimeout(() => console.log('timer of invoke 1'), delay);
          else await new Promise((r) => setTimeout(r, 2.5 * delay));
          return `done ${e.n}`;
        },
        runtime,
        3 + Math.ceil((2.5 * delay) / 1000),
      );
      await invoke(fn, 1, ID1);
      const second = await invoke(fn, 2, ID2);
      const timerLines = second.logs.filter((l) => l.message === 'timer of invoke 1');
      expect(timerLines.map((l) => l.requestId)).toEqual([ID2]);
    },
  );
});
