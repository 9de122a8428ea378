/**
 * One test per row 1-10 of shared/lambda-semantics.md section 10 ("Behaviours a simulator is most
 * likely to get wrong"), as they apply to a single invocation. Other files cover each row in depth.
 */
import { describe, expect, it } from 'vitest';
import {
  initFunction,
  invokeFunction,
  invokeHandler,
  resolveFunctionSettings,
} from '../../src/invoke/index.js';

const ok = (r: Awaited<ReturnType<typeof invokeHandler>>) =>
  r.outcome === 'success' ? r.response : `<${r.outcome}>`;

describe('lambda-semantics section 10', () => {
  it('1. on <=22 a non-promise return value is ignored (null); on 24 it is the response', async () => {
    const handler = () => ({ x: 1 });
    expect(ok(await invokeHandler(handler, {}, { runtime: 'nodejs22.x' }))).toBeNull();
    expect(ok(await invokeHandler(handler, {}, { runtime: 'nodejs24.x' }))).toEqual({ x: 1 });
  });

  it('2. nodejs24.x: three declared parameters fail init, async or not; only length matters', async () => {
    const three = await invokeHandler(async (_a: unknown, _b: unknown, _c: unknown) => 1, {});
    expect(three.outcome === 'error' && [three.phase, three.error.errorType]).toEqual([
      'init',
      'Runtime.CallbackHandlerDeprecated',
    ]);
    expect(ok(await invokeHandler(async (_a: unknown, ..._rest: unknown[]) => 1, {}))).toBe(1);
  });

  it('3. callback success waits for an empty loop; callback errors, succeed/fail/done and promises do not', async () => {
    const waits = await invokeHandler(
      (_e: unknown, _c: unknown, cb: (e: unknown, r: unknown) => void) => {
        setTimeout(() => {}, 200);
        cb(null, 'ok');
      },
      {},
      { runtime: 'nodejs22.x', clock: 'virtual' },
    );
    expect(waits.durationMs).toBe(200);
    const immediate = await invokeHandler(
      (_e: unknown, ctx: { succeed(r: unknown): void }) => {
        setTimeout(() => {}, 200);
        ctx.succeed('ok');
      },
      {},
      { runtime: 'nodejs22.x', clock: 'virtual' },
    );
    expect(immediate.durationMs).toBe(0);
    expect(immediate.pendingWork.timers).toBe(1);
  });

  it('4. memoryLimitInMB is a string and getRemainingTimeInMillis follows the deadline', async () => {
    const result = await invokeHandler(
      async (_e: unknown, ctx: { memoryLimitInMB: unknown; getRemainingTimeInMillis(): number }) => {
        await new Promise((r) => setTimeout(r, 1_500));
        return [typeof ctx.memoryLimitInMB, ctx.getRemainingTimeInMillis()];
      },
      {},
      { clock: 'virtual', timeout: 2 },
    );
    expect(ok(result)).toEqual(['string', 500]);
  });

  it('5. errorType is err.name; non-Errors are typeof with an empty trace; throw undefined differs', async () => {
    class Custom extends Error {}
    const custom = await invokeHandler(async () => {
      throw new Custom('x');
    }, {});
    expect(custom.outcome === 'error' && custom.error.errorType).toBe('Error');
    const str = await invokeHandler(async () => {
      throw 'boom';
    }, {});
    expect(str.outcome === 'error' && str.error).toEqual({
      errorType: 'string',
      errorMessage: 'boom',
      trace: [],
    });
    const v3 = await invokeHandler(
      async () => {
        throw undefined;
      },
      {},
      { runtime: 'nodejs20.x' },
    );
    expect(v3.outcome === 'error' && v3.error.errorMessage).toBe('handled');
  });

  it('6. an uncaught exception fails the invoke and the environment must be reset (next invoke is cold)', async () => {
    const settings = resolveFunctionSettings({ runtime: 'nodejs22.x' }, 'test');
    const { result, resetRequired } = await invokeFunction({
      settings,
      handler: async () => {
        setTimeout(() => {
          throw new Error('late crash');
        }, 1);
        await new Promise((r) => setTimeout(r, 30));
      },
      event: {},
      logStreamName: 's',
    });
    expect(result.outcome === 'error' && result.error.errorMessage).toBe('late crash');
    expect(resetRequired).toBe(true);
  });

  it('7. un-awaited work does not silently run on: it is reported as pending and cleared', async () => {
    let ran = false;
    const result = await invokeHandler(async () => {
      setTimeout(() => {
        ran = true;
      }, 20);
      return 'returned';
    }, {});
    expect(result.pendingWork.descriptions).toEqual(['setTimeout 20 ms']);
    await new Promise((r) => setTimeout(r, 40));
    expect(ran).toBe(false);
  });

  it('8. init runs once and is capped; init time is billed on a cold start', async () => {
    let inits = 0;
    const settings = resolveFunctionSettings({}, 'test');
    const init = await initFunction({
      settings,
      loader: async () => {
        inits++;
        return { handler: async () => inits };
      },
      logStreamName: 's',
    });
    if (!init.ok) throw new Error('init failed');
    const a = await invokeFunction({
      settings,
      handler: init.handler,
      event: {},
      logStreamName: 's',
      coldStart: true,
      initDurationMs: 1000.4,
    });
    const b = await invokeFunction({ settings, handler: init.handler, event: {}, logStreamName: 's' });
    expect([ok(a.result), ok(b.result)]).toEqual([1, 1]);
    expect(a.result.billedDurationMs).toBe(Math.ceil(1000.4 + a.result.durationMs));
    const capped = await initFunction({
      settings,
      loader: () => new Promise(() => {}),
      logStreamName: 's',
      initTimeoutMs: 20,
    });
    expect(!capped.ok && capped.status).toBe('timeout');
  });

  it('9. REPORT: billed rounded up to whole ms, Init Duration last on cold starts, trailing tab', async () => {
    const result = await invokeHandler(async () => 1, {}, { coldStart: true });
    const report = result.logs.at(-1)?.text ?? '';
    expect(report).toMatch(/\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/);
    expect(result.billedDurationMs).toBe(
      Math.max(1, Math.ceil((result.initDurationMs ?? 0) + result.durationMs)),
    );
  });

  it('10. synchronous payload limits are 6,291,556 bytes', async () => {
    const tooBig = await invokeHandler(async () => 'x'.repeat(6_291_555), {});
    expect(tooBig.outcome === 'error' && tooBig.error.errorType).toBe('Function.ResponseSizeTooLarge');
    const fits = await invokeHandler(async () => 'x'.repeat(6_291_554), {});
    expect(fits.outcome).toBe('success');
  });
});
