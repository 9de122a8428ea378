import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFunction, type LambdaFunction, nodeModuleIsolation } from '../../src/lifecycle/index.js';
import { ran, succeeded, texts, vitestIsolation } from './helpers.js';

// Shared through a probe object the test owns: the harness removes the globals a handler adds.
(globalThis as Record<string, unknown>).__lifecycleProbe ??= {};
const g = (globalThis as Record<string, unknown>).__lifecycleProbe as {
  __initThrowEvaluations?: number;
  __initFailures?: number;
  __initDelays?: number[];
};
const fns: LambdaFunction[] = [];
function track(fn: LambdaFunction): LambdaFunction {
  fns.push(fn);
  return fn;
}

afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
  g.__initFailures = 0;
  g.__initDelays = [];
});

describe('init failures', () => {
  it('retries a failed init inside the first invocation and reports the error as the runtime does', async () => {
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/init-throw.js'),
        isolation: vitestIsolation,
        runtime: 'nodejs22.x',
      }),
    );
    const before = g.__initThrowEvaluations ?? 0;
    const result = ran(await fn.invoke({}));

    expect(result.outcome).toBe('error');
    expect(result.outcome === 'error' && result.phase).toBe('init');
    expect(result.outcome === 'error' && result.error).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'init boom',
    });
    expect(result.coldStart).toBe(true);
    // Init phase, then the suppressed init inside the invocation.
    expect(g.__initThrowEvaluations).toBe(before + 2);
    const lines = texts(result);
    const initReports = lines.filter((t) => t.startsWith('INIT_REPORT'));
    expect(initReports).toEqual([
      expect.stringMatching(
        /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: TypeError$/,
      ),
      expect.stringMatching(
        /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: invoke\tStatus: error\tError Type: TypeError$/,
      ),
    ]);
    expect(lines.filter((t) => t.startsWith('INIT_START'))).toHaveLength(1);
    const start = lines.findIndex((t) => t.startsWith('START RequestId: '));
    expect(start).toBe(lines.indexOf(initReports[0]!) + 1);
    expect(lines.filter((t) => t.includes('\tERROR\tUncaught Exception \t'))).toHaveLength(2);
    expect(lines.filter((t) => t.includes('\tINFO\tinitialising'))[0]).toMatch(/\tundefined\tINFO\t/);
    expect(lines.at(-2)).toBe(`END RequestId: ${result.requestId}`);
    expect(lines.at(-1)).toMatch(/\tStatus: error\tError Type: TypeError\t$/);
    expect(fn.instances[0]).toMatchObject({ state: 'needs-init', lastReset: 'init-error', inits: 2 });

    // Each later invocation tries init again, in the same environment.
    const again = ran(await fn.invoke({}));
    expect(again.outcome).toBe('error');
    expect(fn.instances).toEqual([expect.objectContaining({ inits: 4, invocations: 2 })]);
  });

  it('succeeds when the retry inside the invocation succeeds (suppressed init)', async () => {
    g.__initFailures = 1;
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/init-flaky.js'),
        isolation: vitestIsolation,
      }),
    );
    const result = succeeded(await fn.invoke({}));
    expect(result.response).toEqual({ ok: true });
    expect(result.coldStart).toBe(true);
    const lines = texts(result);
    const start = lines.findIndex((t) => t.startsWith('START '));
    expect(lines.slice(0, start).at(-1)).toMatch(
      /^INIT_REPORT .*\tPhase: init\tStatus: error\tError Type: Error$/,
    );
    expect(lines.slice(start).some((t) => t.startsWith('INIT_START'))).toBe(false);
    expect(lines.slice(start + 1).some((t) => t.includes('Init Error'))).toBe(false);
    expect(succeeded(await fn.invoke({})).coldStart).toBe(false);
  });

  it('writes the suppressed init as JSON platform events when logFormat is JSON', async () => {
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/init-throw.js'),
        isolation: vitestIsolation,
        logFormat: 'JSON',
      }),
    );
    const result = ran(await fn.invoke({}));
    const events = result.logs
      .filter((l) => l.source === 'platform')
      .map((l) => l.json as { type: string; record: Record<string, unknown> });
    expect(events.map((e) => e.type)).toEqual([
      'platform.initStart',
      'platform.initReport',
      'platform.start',
      'platform.initReport',
      'platform.report',
    ]);
    expect(events.map((e) => e.record.phase)).toEqual(['init', 'init', undefined, 'invoke', undefined]);
    expect(events[4]!.record).toMatchObject({
      requestId: result.requestId,
      status: 'error',
      errorType: 'TypeError',
    });
  });

  it('on nodejs24.x logs Init Error and uses request id "-" during init', async () => {
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/init-throw.js'),
        isolation: vitestIsolation,
        runtime: 'nodejs24.x',
      }),
    );
    const lines = texts(ran(await fn.invoke({})));
    expect(lines.filter((t) => t.includes('\t-\tERROR\tInit Error \t'))).toHaveLength(2);
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/multi.js'),
        handlerName: 'multi.nope',
        isolation: vitestIsolation,
      }),
    );
    const result = ran(await fn.invoke({}));
    expect(result.outcome === 'error' && result.error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'multi.nope is undefined or not exported',
    });
  });

  it('reports an ES module importing a missing package as a plain Error (not wrapped), as the runtime does', async () => {
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/missing-dep.js'),
        isolation: vitestIsolation,
        runtime: 'nodejs22.x',
      }),
    );
    const result = ran(await fn.invoke({}));
    expect(result.outcome === 'error' && result.error).toMatchObject({
      errorType: 'Error',
      errorMessage: expect.stringMatching(
        /^Cannot find package 'definitely-not-installed-pkg' imported from /,
      ),
    });
  });

  it('reports a CommonJS syntax error as Runtime.UserCodeSyntaxError and a missing file as Runtime.ImportModuleError', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lifecycle-broken-'));
    try {
      writeFileSync(path.join(dir, 'broken.cjs'), 'module.exports = {;\n');
      const require = createRequire(path.join(dir, 'index.cjs'));
      const broken = track(
        createFunction({ handler: () => require('./broken.cjs'), isolation: nodeModuleIsolation }),
      );
      const missing = track(
        createFunction({ handler: () => require('./nope.cjs'), isolation: nodeModuleIsolation }),
      );
      const syntax = ran(await broken.invoke({}));
      const notFound = ran(await missing.invoke({}));
      expect(syntax.outcome === 'error' && syntax.error).toMatchObject({
        errorType: 'Runtime.UserCodeSyntaxError',
        errorMessage: "SyntaxError: Unexpected token ';'",
      });
      expect(notFound.outcome === 'error' && notFound.error).toMatchObject({
        errorType: 'Runtime.ImportModuleError',
        errorMessage: expect.stringMatching(/^Error: Cannot find module '\.\/nope\.cjs'/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('times the init phase out at the init limit, then retries under the function timeout', async () => {
    g.__initDelays = [200, 5];
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/init-slow.js'),
        isolation: vitestIsolation,
        initTimeout: 0.05,
        timeout: 1,
      }),
    );
    const result = succeeded(await fn.invoke({}));
    expect(result.response).toEqual({ delay: 5 });
    const report = texts(result).find((t) => t.startsWith('INIT_REPORT'));
    expect(report).toBe('INIT_REPORT Init Duration: 50.00 ms\tPhase: init\tStatus: timeout');
  });

  it('times the invocation out when the suppressed init exceeds the function timeout', async () => {
    g.__initDelays = [500, 500];
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/init-slow.js'),
        isolation: vitestIsolation,
        initTimeout: 0.05,
        timeout: 0.1,
      }),
    );
    const result = ran(await fn.invoke({}));
    expect(result.outcome).toBe('timeout');
    expect(result.outcome === 'timeout' && result.error.errorMessage).toBe(
      `RequestId: ${result.requestId} Error: Task timed out after 0.10 seconds`,
    );
    expect(texts(result).at(-1)).toMatch(/\tStatus: timeout\t$/);
    expect(fn.instances[0]!.state).toBe('needs-init');
  });

  it('applies no init limit to provisioned instances', async () => {
    g.__initDelays = [120];
    const fn = track(
      createFunction({
        handler: () => import('../fixtures/lifecycle/init-slow.js'),
        isolation: vitestIsolation,
        initTimeout: 0.05,
        provisionedConcurrency: 1,
      }),
    );
    await fn.ready();
    expect(fn.instances[0]!.state).toBe('idle');
    expect(succeeded(await fn.invoke({})).response).toEqual({ delay: 120 });
  });
});
