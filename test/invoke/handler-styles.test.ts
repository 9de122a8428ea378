import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

type Cb = (err?: unknown, result?: unknown) => void;
type LegacyCtx = {
  callbackWaitsForEmptyEventLoop: boolean;
  succeed: (r?: unknown) => void;
  fail: (e?: unknown) => void;
  done: (e?: unknown, r?: unknown) => void;
};

function response(result: InvocationResult): unknown {
  if (result.outcome !== 'success')
    throw new Error(`expected success, got ${result.outcome}: ${JSON.stringify(result)}`);
  return result.response;
}

function errorOf(result: InvocationResult) {
  if (result.outcome !== 'error') throw new Error(`expected error, got ${result.outcome}`);
  return result.error;
}

const V3 = ['nodejs20.x', 'nodejs22.x'] as const;

describe('handler styles', () => {
  it('async handler: the resolved value is the response', async () => {
    const result = await invokeHandler(async (e: { hello: string }) => ({ ok: true, echo: e }), {
      hello: 'world',
    });
    expect(response(result)).toEqual({ ok: true, echo: { hello: 'world' } });
  });

  it('a non-async function returning a promise is awaited', async () => {
    const result = await invokeHandler(() => new Promise((r) => setTimeout(() => r('later'), 5)), {});
    expect(response(result)).toBe('later');
  });

  it('a thenable counts as a promise (both generations)', async () => {
    for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
      // biome-ignore lint/suspicious/noThenProperty: the case under test is a hand-made thenable
      const thenable = { then: (ok: (v: unknown) => void) => ok({ fromThenable: true }) };
      const result = await invokeHandler(() => thenable, {}, { runtime });
      expect(response(result)).toEqual({ fromThenable: true });
    }
  });

  it('async returning undefined gives null', async () => {
    const result = await invokeHandler(async () => undefined, {});
    expect(result.outcome === 'success' && result.responseJson).toBe('null');
  });

  it.each(V3)('%s ignores a synchronous return value and posts null', async (runtime) => {
    const result = await invokeHandler(() => ({ sync: true }), {}, { runtime });
    expect(response(result)).toBeNull();
  });

  it('nodejs24.x posts a synchronous return value', async () => {
    const result = await invokeHandler(() => ({ sync: true }), {}, { runtime: 'nodejs24.x' });
    expect(response(result)).toEqual({ sync: true });
  });

  it('nodejs22.x sync handler without completion: null is posted only after its pending timer ran', async () => {
    const result = await invokeHandler(
      () => {
        setTimeout(() => console.log('timer fired'), 30);
      },
      {},
      { runtime: 'nodejs22.x' },
    );
    expect(response(result)).toBeNull();
    expect(result.logs.some((l) => l.message === 'timer fired')).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(25);
  });

  it('nodejs24.x sync handler: the response is immediate and the pending timer is reported, not run', async () => {
    const result = await invokeHandler(
      () => {
        setTimeout(() => console.log('timer fired'), 300);
      },
      {},
      { runtime: 'nodejs24.x' },
    );
    expect(response(result)).toBeNull();
    expect(result.logs.some((l) => l.message === 'timer fired')).toBe(false);
    expect(result.pendingWork.timers).toBe(1);
    expect(result.pendingWork.descriptions).toEqual(['setTimeout 300 ms']);
  });

  describe.each(V3)('%s callbacks', (runtime) => {
    it('callback(null, value) is the response', async () => {
      const result = await invokeHandler(
        (_e: unknown, _c: unknown, cb: Cb) => cb(null, { cb: true }),
        {},
        { runtime },
      );
      expect(response(result)).toEqual({ cb: true });
    });

    it('callback(error) is the error, posted at once', async () => {
      const result = await invokeHandler(
        (_e: unknown, _c: unknown, cb: Cb) => {
          setTimeout(() => {}, 500);
          cb(new Error('cb failed'));
        },
        {},
        { runtime },
      );
      expect(errorOf(result)).toMatchObject({ errorType: 'Error', errorMessage: 'cb failed' });
      expect(result.durationMs).toBeLessThan(400);
    });

    it('callback with a string error: errorType string, empty trace; the log says Error', async () => {
      const result = await invokeHandler(
        (_e: unknown, _c: unknown, cb: Cb) => cb('string failure'),
        {},
        { runtime },
      );
      expect(errorOf(result)).toEqual({ errorType: 'string', errorMessage: 'string failure', trace: [] });
      const line = result.logs.find((l) => l.source === 'runtime');
      expect(line?.text).toContain(
        '\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"string failure"',
      );
    });

    it('the first completion wins; later calls are silent', async () => {
      const result = await invokeHandler(
        (_e: unknown, _c: unknown, cb: Cb) => {
          cb(null, 'first');
          cb(new Error('late'));
          cb(null, 'second');
        },
        {},
        { runtime },
      );
      expect(response(result)).toBe('first');
      expect(result.logs.filter((l) => l.source === 'runtime')).toEqual([]);
    });

    it('callback success waits for the empty event loop (callbackWaitsForEmptyEventLoop true)', async () => {
      const result = await invokeHandler(
        (_e: unknown, _c: unknown, cb: Cb) => {
          setTimeout(() => console.log('timer'), 40);
          cb(null, 'done');
        },
        {},
        { runtime },
      );
      expect(response(result)).toBe('done');
      expect(result.logs.some((l) => l.message === 'timer')).toBe(true);
      expect(result.pendingWork.timers).toBe(0);
    });

    it('callbackWaitsForEmptyEventLoop = false posts at once and reports the pending timer', async () => {
      const result = await invokeHandler(
        (_e: unknown, ctx: LegacyCtx, cb: Cb) => {
          ctx.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => console.log('timer'), 500);
          cb(null, 'done');
        },
        {},
        { runtime },
      );
      expect(response(result)).toBe('done');
      expect(result.logs.some((l) => l.message === 'timer')).toBe(false);
      expect(result.pendingWork.timers).toBe(1);
      expect(result.durationMs).toBeLessThan(400);
    });

    it('async handler that calls the callback synchronously: the callback wins', async () => {
      const result = await invokeHandler(
        async (_e: unknown, _c: unknown, cb: Cb) => {
          cb(null, 'from-callback');
          return 'from-return';
        },
        {},
        { runtime },
      );
      expect(response(result)).toBe('from-callback');
    });

    it('async handler that returns first: a later callback is ignored', async () => {
      const result = await invokeHandler(
        async (_e: unknown, _c: unknown, cb: Cb) => {
          setTimeout(() => cb(null, 'from-callback'), 5);
          return 'from-return';
        },
        {},
        { runtime },
      );
      expect(response(result)).toBe('from-return');
    });

    it('async (e, c, cb) is allowed', async () => {
      const result = await invokeHandler(
        async (_e: unknown, _c: unknown, _cb: Cb) => ({ ok: true }),
        {},
        { runtime },
      );
      expect(response(result)).toEqual({ ok: true });
    });

    it('context.succeed / fail / done complete at once', async () => {
      const ok = await invokeHandler(
        (_e: unknown, ctx: LegacyCtx) => ctx.succeed({ via: 'succeed' }),
        {},
        { runtime },
      );
      expect(response(ok)).toEqual({ via: 'succeed' });
      const failed = await invokeHandler(
        (_e: unknown, ctx: LegacyCtx) => ctx.fail(new Error('via fail')),
        {},
        { runtime },
      );
      expect(errorOf(failed)).toMatchObject({ errorType: 'Error', errorMessage: 'via fail' });
      const done = await invokeHandler(
        (_e: unknown, ctx: LegacyCtx) => {
          setTimeout(() => {}, 500);
          ctx.done(null, { via: 'done' });
        },
        {},
        { runtime },
      );
      expect(response(done)).toEqual({ via: 'done' });
      expect(done.durationMs).toBeLessThan(400);
      const doneErr = await invokeHandler(
        (_e: unknown, ctx: LegacyCtx) => ctx.done(new Error('via done')),
        {},
        { runtime },
      );
      expect(errorOf(doneErr)).toMatchObject({ errorType: 'Error', errorMessage: 'via done' });
    });

    it('context.fail() without an error gives "handled"', async () => {
      const result = await invokeHandler((_e: unknown, ctx: LegacyCtx) => ctx.fail(), {}, { runtime });
      expect(errorOf(result)).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] });
    });
  });

  describe('nodejs24.x', () => {
    it('a handler declaring three parameters fails init with Runtime.CallbackHandlerDeprecated, even async', async () => {
      const result = await invokeHandler(
        async (_e: unknown, _c: unknown, _cb: unknown) => ({ ok: true }),
        {},
      );
      expect(result.outcome).toBe('error');
      if (result.outcome !== 'error') return;
      expect(result.phase).toBe('init');
      expect(result.error.errorType).toBe('Runtime.CallbackHandlerDeprecated');
      expect(result.error.errorMessage).toMatch(
        /^ERROR: AWS Lambda has removed support for callback-based function handlers/,
      );
      expect(
        result.logs.some((l) =>
          l.text.includes('\t-\tERROR\tInit Error \t{"errorType":"Runtime.CallbackHandlerDeprecated"'),
        ),
      ).toBe(true);
    });

    it('only Function.length counts: a defaulted third parameter passes', async () => {
      const result = await invokeHandler(
        async (_e: unknown, _c: unknown, _cb: unknown = null) => ({ ok: true }),
        {},
      );
      expect(response(result)).toEqual({ ok: true });
    });

    it('context.succeed / fail / done do not exist', async () => {
      for (const name of ['succeed', 'fail', 'done'] as const) {
        const result = await invokeHandler(async (_e: unknown, context: LegacyCtx) => {
          context[name]({ via: name });
        }, {});
        expect(errorOf(result)).toMatchObject({
          errorType: 'TypeError',
          errorMessage: `context[name] is not a function`,
        });
      }
      const direct = await invokeHandler(async (_e: unknown, context: LegacyCtx) => context.succeed('x'), {});
      expect(errorOf(direct).errorMessage).toBe('context.succeed is not a function');
    });

    it('the handler receives exactly two arguments', async () => {
      const result = await invokeHandler(async (...args: unknown[]) => args.length, {});
      expect(response(result)).toBe(2);
      const v3 = await invokeHandler(
        async (...args: unknown[]) => [args.length, typeof args[2]],
        {},
        { runtime: 'nodejs22.x' },
      );
      expect(response(v3)).toEqual([3, 'function']);
    });
  });
});
