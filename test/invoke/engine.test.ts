import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { initFunction, invokeFunction, resolveFunctionSettings } from '../../src/invoke/index.js';
import type { FunctionOptions } from '../../src/invoke/settings.js';

const fixtures = new URL('../fixtures/invoke/', import.meta.url);
const fixture = (name: string) => new URL(name, fixtures).href;
const require = createRequire(import.meta.url);
const STREAM = '2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef';

function settings(options: FunctionOptions = {}) {
  return resolveFunctionSettings(options, 'test');
}

describe('initFunction', () => {
  it('resolves index.handler from a CommonJS module and keeps module state warm across invokes', async () => {
    const s = settings();
    const init = await initFunction({
      settings: s,
      loader: () => require('../fixtures/invoke/cjs-handler.cjs'),
      logStreamName: STREAM,
    });
    expect(init.ok).toBe(true);
    if (!init.ok) return;
    const first = await invokeFunction({
      settings: s,
      handler: init.handler,
      event: { n: 1 },
      logStreamName: STREAM,
      coldStart: true,
      initDurationMs: init.initDurationMs,
      initLogs: init.logs,
    });
    const second = await invokeFunction({
      settings: s,
      handler: init.handler,
      event: { n: 2 },
      logStreamName: STREAM,
    });
    expect(first.result.outcome === 'success' && first.result.response).toMatchObject({ count: 1 });
    expect(second.result.outcome === 'success' && second.result.response).toMatchObject({ count: 2 });
    expect(first.result.coldStart).toBe(true);
    expect(first.result.logs[0]?.text).toMatch(/^INIT_START /);
    expect(first.result.report.initDurationMs).toBe(init.initDurationMs);
    expect(second.result.report.initDurationMs).toBeUndefined();
    expect(second.result.logs[0]?.text).toMatch(/^START /);
  });

  it('resolves nested property paths', async () => {
    const init = await initFunction({
      settings: settings({ handler: 'nested.handlers.get' }),
      loader: () => import(fixture('nested.mjs')),
      logStreamName: STREAM,
    });
    expect(init.ok).toBe(true);
  });

  it('handler missing or not a function: Runtime.HandlerNotFound', async () => {
    const missing = await initFunction({
      settings: settings({ handler: 'nested.nope' }),
      loader: () => import(fixture('nested.mjs')),
      logStreamName: STREAM,
    });
    expect(!missing.ok && missing.error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'nested.nope is undefined or not exported',
    });
    const notFn = await initFunction({
      settings: settings({ handler: 'nested.notAFunction' }),
      loader: () => import(fixture('nested.mjs')),
      logStreamName: STREAM,
    });
    expect(!notFn.ok && notFn.error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'nested.notAFunction is not a function',
    });
  });

  it('export default { handler }: works on nodejs24.x, HandlerNotFound on nodejs22.x', async () => {
    const v4 = await initFunction({
      settings: settings({ handler: 'default-export.handler' }),
      loader: () => import(fixture('default-export.mjs')),
      logStreamName: STREAM,
    });
    expect(v4.ok).toBe(true);
    const v3 = await initFunction({
      settings: settings({ handler: 'default-export.handler', runtime: 'nodejs22.x' }),
      loader: () => import(fixture('default-export.mjs')),
      logStreamName: STREAM,
    });
    expect(!v3.ok && v3.error.errorType).toBe('Runtime.HandlerNotFound');
  });

  it.each([
    ['index', 'Bad handler'],
    [
      '../index.handler',
      "'../index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    ],
  ])('malformed handler name %s', async (handler, message) => {
    let loaded = false;
    const init = await initFunction({
      settings: settings({ handler }),
      loader: () => {
        loaded = true;
      },
      logStreamName: STREAM,
    });
    expect(!init.ok && init.error).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: message,
    });
    expect(loaded).toBe(false);
  });

  it('CommonJS MODULE_NOT_FOUND -> Runtime.ImportModuleError with the require stack', async () => {
    const init = await initFunction({
      settings: settings({ handler: 'requires-missing.handler' }),
      loader: () => require('../fixtures/invoke/requires-missing.cjs'),
      logStreamName: STREAM,
    });
    expect(init.ok).toBe(false);
    if (init.ok) return;
    expect(init.error.errorType).toBe('Runtime.ImportModuleError');
    expect(init.error.errorMessage).toMatch(
      /^Error: Cannot find module 'definitely-not-installed-pkg'\nRequire stack:\n- .*requires-missing\.cjs/,
    );
  });

  it('ESM ERR_MODULE_NOT_FOUND stays a plain Error', async () => {
    const init = await initFunction({
      settings: settings({ handler: 'esm-missing.handler' }),
      loader: () => import(fixture('esm-missing.mjs')),
      logStreamName: STREAM,
    });
    expect(!init.ok && init.error).toMatchObject({
      errorType: 'Error',
      errorMessage: expect.stringMatching(
        /^Cannot find package 'definitely-not-installed-pkg' imported from /,
      ),
    });
  });

  it('a SyntaxError -> Runtime.UserCodeSyntaxError "SyntaxError: ..."', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lh-syntax-'));
    const file = join(dir, 'broken.cjs');
    writeFileSync(file, 'module.exports.handler = ;\n');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
      // require(), not import(): Vitest would parse an import() with its own bundler first.
      const init = await initFunction({
        settings: settings({ runtime, handler: 'broken.handler' }),
        loader: () => require(file),
        logStreamName: STREAM,
      });
      expect(!init.ok && init.error).toMatchObject({
        errorType: 'Runtime.UserCodeSyntaxError',
        errorMessage: "SyntaxError: Unexpected token ';'",
      });
      if (init.ok) return;
      if (runtime === 'nodejs22.x')
        expect(init.error.trace?.[0]).toBe("Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token ';'");
      else expect(init.error.trace).toContain("SyntaxError: Unexpected token ';'");
    }
  });

  it('a top-level throw: init error with the original type; v3 logs Uncaught Exception, v4 Init Error', async () => {
    for (const [runtime, prefix, rid] of [
      ['nodejs22.x', 'Uncaught Exception', 'undefined'],
      ['nodejs24.x', 'Init Error', '-'],
    ] as const) {
      const init = await initFunction({
        settings: settings({ runtime, handler: 'init-throw.handler' }),
        loader: () => import(`${fixture('init-throw.mjs')}?${runtime}`),
        logStreamName: STREAM,
      });
      expect(!init.ok && init.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'esm init boom' });
      expect(
        init.logs.some((l) => l.text.includes(`\t${rid}\tERROR\t${prefix} \t{"errorType":"TypeError"`)),
      ).toBe(true);
      expect(init.logs.at(-1)?.text).toMatch(
        /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: TypeError$/,
      );
    }
  });

  it('init runs under the init context: env vars, TMPDIR override, console with requestId undefined (v3) / - (v4)', async () => {
    for (const [runtime, rid] of [
      ['nodejs22.x', 'undefined'],
      ['nodejs24.x', '-'],
    ] as const) {
      const s = settings({ runtime, handler: 'init-log.handler', functionName: 'fn' });
      const init = await initFunction({
        settings: s,
        loader: () => import(`${fixture('init-log.mjs')}?${runtime}`),
        logStreamName: STREAM,
        initializationType: 'provisioned-concurrency',
        extraEnv: { TMPDIR: '/tmp/instance-1' },
      });
      expect(init.ok).toBe(true);
      if (!init.ok) return;
      expect(init.logs.find((l) => l.source === 'function')?.text).toMatch(
        new RegExp(`Z\\t${rid}\\tINFO\\tmodule loaded$`),
      );
      expect(init.logs.find((l) => l.source === 'function')?.requestId).toBeUndefined();
      const { result } = await invokeFunction({
        settings: s,
        handler: init.handler,
        event: {},
        logStreamName: STREAM,
      });
      expect(result.outcome === 'success' && result.response).toEqual({
        type: 'provisioned-concurrency',
        tmp: '/tmp/instance-1',
        name: 'fn',
      });
    }
    const json = await initFunction({
      settings: settings({ runtime: 'nodejs22.x', handler: 'init-log.handler', logFormat: 'JSON' }),
      loader: () => import(`${fixture('init-log.mjs')}?json`),
      logStreamName: STREAM,
    });
    expect('requestId' in (json.logs.find((l) => l.source === 'function')?.json ?? { requestId: 1 })).toBe(
      false,
    );
  });

  it('awaits top-level await and measures init duration', async () => {
    const init = await initFunction({
      settings: settings({ handler: 'tla.handler' }),
      loader: () => import(fixture('tla.mjs')),
      logStreamName: STREAM,
    });
    expect(init.ok).toBe(true);
    expect(init.initDurationMs).toBeGreaterThanOrEqual(15);
  });

  it('enforces the init limit (10 s on-demand; shortened here)', async () => {
    const init = await initFunction({
      settings: settings({ handler: 'slow-init.handler' }),
      loader: () => import(fixture('slow-init.mjs')),
      logStreamName: STREAM,
      initTimeoutMs: 50,
    });
    expect(init.ok).toBe(false);
    if (init.ok) return;
    expect(init.status).toBe('timeout');
    expect(init.initDurationMs).toBe(50);
    expect(init.logs.at(-1)?.text).toBe('INIT_REPORT Init Duration: 50.00 ms\tPhase: init\tStatus: timeout');
  });

  it('an unhandled rejection at init: v3 init error Runtime.UnhandledPromiseRejection; v4 init succeeds and the first invoke exits', async () => {
    const v3 = await initFunction({
      settings: settings({ runtime: 'nodejs22.x', handler: 'init-rejection.handler' }),
      loader: () => import(`${fixture('init-rejection.mjs')}?v3`),
      logStreamName: STREAM,
    });
    expect(!v3.ok && v3.error).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: init floating',
    });
    const v4 = await initFunction({
      settings: settings({ handler: 'init-rejection.handler' }),
      loader: () => import(`${fixture('init-rejection.mjs')}?v4`),
      logStreamName: STREAM,
    });
    if (!v4.ok) expect.fail(`v4 init should succeed: ${JSON.stringify(v4.error)}`);
    expect(v4.logs.filter((l) => l.stream === 'stderr').at(-1)?.text).toBe(`Node.js ${process.version}`);
    const { result, resetRequired, resetReason } = await invokeFunction({
      settings: settings({ handler: 'init-rejection.handler' }),
      handler: v4.handler,
      event: {},
      logStreamName: STREAM,
      requestId: 'req-1',
    });
    expect(result.outcome === 'error' && result.phase).toBe('invoke');
    expect(result.outcome === 'error' && result.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: req-1 Error: Runtime exited with error: exit status 1',
    });
    expect([resetRequired, resetReason]).toEqual([true, 'crash']);
  });
});

describe('invokeFunction', () => {
  it('bills ceil(init + duration) on a cold start and reports the reset flag for timeouts', async () => {
    const s = settings({ timeout: 1 });
    const { result, resetRequired, resetReason } = await invokeFunction({
      settings: s,
      handler: async () => new Promise(() => setInterval(() => {}, 100)),
      event: {},
      logStreamName: STREAM,
      coldStart: true,
      initDurationMs: 166.62,
      clock: { mode: 'virtual', startMs: 0 },
    });
    expect(result.outcome).toBe('timeout');
    expect(result.billedDurationMs).toBe(Math.ceil(166.62 + 1000));
    expect(result.logs.at(-1)?.text).toBe(
      `REPORT RequestId: ${result.requestId}\tDuration: 1000.00 ms\tBilled Duration: 1167 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 166.62 ms\tStatus: timeout\t`,
    );
    expect([resetRequired, resetReason]).toEqual([true, 'timeout']);
  });

  it('a normal invocation needs no reset', async () => {
    const out = await invokeFunction({
      settings: settings(),
      handler: async () => 1,
      event: {},
      logStreamName: STREAM,
    });
    expect([out.resetRequired, out.resetReason]).toEqual([false, undefined]);
  });
});

describe('invokeFunction environment per log stream', () => {
  it('shows each instance its own stream and initialization type after many instances (bounded cache)', async () => {
    const s = settings({ runtime: 'nodejs22.x' });
    const handler = async () => ({
      stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
    });
    const streams = Array.from(
      { length: 40 },
      (_, i) => `2024/01/01/[$LATEST]${String(i).padStart(32, '0')}`,
    );
    const seen: unknown[] = [];
    // Interleave: many streams, then the first ones again (evicted by now), both init types.
    for (const stream of [...streams, ...streams.slice(0, 3)]) {
      for (const initializationType of ['on-demand', 'provisioned-concurrency'] as const) {
        const { result } = await invokeFunction({
          settings: s,
          handler,
          event: {},
          logStreamName: stream,
          initializationType,
        });
        seen.push(result.outcome === 'success' ? result.response : result.outcome);
        expect(result.outcome === 'success' && result.response).toEqual({ stream, type: initializationType });
      }
    }
    expect(seen).toHaveLength(86);
  });
});
