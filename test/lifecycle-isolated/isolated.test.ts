// Runs against a private build of isolated mode (the child process is then plain built JavaScript,
// as users get it); test/lifecycle-isolated/source.test.ts covers running from source through tsx.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HarnessError } from '../../src/errors/index.js';
import type * as Isolated from '../../src/lifecycle/isolated/index.js';
import { buildCli, ROOT, removeBuild } from '../cli/build.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/cli');
const fx = (name: string) => join(FIXTURES, name);

let tmp = '';
let buildDir = '';
let api: typeof Isolated;
const createIsolatedFunction: typeof Isolated.createIsolatedFunction = (options) =>
  api.createIsolatedFunction(options);
const measureColdStart: typeof Isolated.measureColdStart = (options) => api.measureColdStart(options);

beforeAll(async () => {
  const built = await buildCli({ 'lifecycle/isolated/index': join(ROOT, 'src/lifecycle/isolated/index.ts') });
  buildDir = built.dir;
  api = (await import(pathToFileURL(join(buildDir, 'lifecycle/isolated/index.js')).href)) as typeof Isolated;
  tmp = mkdtempSync(join(tmpdir(), 'lh-isolated-'));
  writeFileSync(
    join(tmp, 'probe.mjs'),
    [
      'globalThis.__probeTouched = true;',
      'process.env.PROBE_SET_BY_HANDLER = "yes";',
      'let count = 0;',
      'export const handler = async () => ({ pid: process.pid, count: ++count, env: process.env.PROBE_ENV ?? null });',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(tmp, 'flaky-init.mjs'),
    [
      "import { existsSync, writeFileSync } from 'node:fs';",
      'const marker = process.env.MARKER_FILE;',
      "if (!existsSync(marker)) { writeFileSync(marker, '1'); throw new Error('first init fails'); }",
      "export const handler = async () => 'second init worked';",
      '',
    ].join('\n'),
  );
}, 60_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  removeBuild(buildDir);
});

describe.concurrent('createIsolatedFunction', { timeout: 60_000 }, () => {
  it('runs the handler in another process, cold first and warm after, without touching this process', async () => {
    const fn = createIsolatedFunction({ file: join(tmp, 'probe.mjs'), env: { PROBE_ENV: 'e1' } });
    try {
      const first = await fn.invoke({});
      const second = await fn.invoke({});
      expect(first.outcome).toBe('success');
      expect(second.outcome).toBe('success');
      if (first.outcome !== 'success' || second.outcome !== 'success') return;
      const a = first.response as { pid: number; count: number; env: string };
      const b = second.response as { pid: number; count: number };
      expect(a.pid).not.toBe(process.pid);
      expect(b.pid).toBe(a.pid);
      expect([a.count, b.count]).toEqual([1, 2]);
      expect(a.env).toBe('e1');
      expect([first.coldStart, second.coldStart]).toEqual([true, false]);
      expect(first.initDurationMs).toBeGreaterThan(0);
      expect(second.initDurationMs).toBeUndefined();
      expect(first.logs.some((l) => l.text.includes('\tInit Duration: '))).toBe(true);
      expect(second.logs.some((l) => l.text.includes('Init Duration'))).toBe(false);
      expect((globalThis as Record<string, unknown>).__probeTouched).toBeUndefined();
      expect(process.env.PROBE_SET_BY_HANDLER).toBeUndefined();
      expect(fn.instances).toBe(1);
      expect(fn.coldStarts).toBe(1);
    } finally {
      await fn.dispose();
    }
    expect(fn.instances).toBe(0);
  });

  it('starts a new process after forceColdStart (module state is fresh)', async () => {
    const fn = createIsolatedFunction({ file: join(tmp, 'probe.mjs') });
    try {
      const a = await fn.invoke({});
      fn.forceColdStart();
      const b = await fn.invoke({});
      if (a.outcome !== 'success' || b.outcome !== 'success') throw new Error('expected successes');
      expect((b.response as { pid: number }).pid).not.toBe((a.response as { pid: number }).pid);
      expect((b.response as { count: number }).count).toBe(1);
      expect(b.coldStart).toBe(true);
      expect(fn.coldStarts).toBe(2);
    } finally {
      await fn.dispose();
    }
  });

  it('kills a handler that blocks the event loop at its deadline and cold-starts the next invocation', async () => {
    const fn = createIsolatedFunction({ file: fx('slow.mjs'), exportName: 'busy', timeout: 0.2 });
    try {
      const result = await fn.invoke({});
      expect(result.outcome).toBe('timeout');
      if (result.outcome !== 'timeout') return;
      expect(result.error.errorType).toBe('Sandbox.Timedout');
      expect(result.error.errorMessage).toBe(
        `RequestId: ${result.requestId} Error: Task timed out after 0.20 seconds`,
      );
      expect(result.report.status).toBe('timeout');
      expect(result.durationMs).toBe(200);
      expect(fn.instances).toBe(0);
      const again = await fn.invoke({});
      expect(again.coldStart).toBe(true);
      expect(fn.coldStarts).toBe(2);
    } finally {
      await fn.dispose();
    }
  });

  it('reports an async timeout from the engine and resets the environment', async () => {
    const fn = createIsolatedFunction({ file: fx('slow.mjs'), timeout: 0.2 });
    try {
      const result = await fn.invoke({});
      expect(result.outcome).toBe('timeout');
      expect(fn.instances).toBe(0);
    } finally {
      await fn.dispose();
    }
  });

  it('reports process.exit as Runtime.ExitError', async () => {
    const fn = createIsolatedFunction({ file: fx('exits.mjs') });
    try {
      const result = await fn.invoke({});
      expect(result.outcome).toBe('error');
      if (result.outcome !== 'error') return;
      expect(result.error.errorType).toBe('Runtime.ExitError');
      expect(result.phase).toBe('invoke');
    } finally {
      await fn.dispose();
    }
  });

  it('reports a failed init on every invocation, retrying init in a new process each time', async () => {
    const fn = createIsolatedFunction({ file: fx('init-throws.mjs') });
    try {
      const a = await fn.invoke({});
      const b = await fn.invoke({});
      for (const r of [a, b]) {
        expect(r.outcome).toBe('error');
        if (r.outcome !== 'error') return;
        expect(r.phase).toBe('init');
        expect(r.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'config missing: TABLE_NAME' });
        expect(r.logs.map((l) => l.text.split(' ')[0])).toEqual(
          expect.arrayContaining(['INIT_START', 'INIT_REPORT', 'START', 'END', 'REPORT']),
        );
      }
      expect(fn.coldStarts).toBe(2);
      expect(fn.lastInit?.ok).toBe(false);
      // The init phase failed, then its retry inside the invocation (a "suppressed init") failed too.
      const reports = a.logs.filter((l) => l.text.startsWith('INIT_REPORT '));
      expect(reports.map((l) => /Phase: (\w+)/.exec(l.text)?.[1])).toEqual(['init', 'invoke']);
      expect(a.report.status).toBe('error');
    } finally {
      await fn.dispose();
    }
  });

  it('retries a failed init inside the first invocation and succeeds when the retry does', async () => {
    const marker = join(tmp, `marker-${Date.now()}`);
    const fn = createIsolatedFunction({ file: join(tmp, 'flaky-init.mjs'), env: { MARKER_FILE: marker } });
    try {
      const result = await fn.invoke({});
      expect(result.outcome).toBe('success');
      expect(result.outcome === 'success' && result.response).toBe('second init worked');
      expect(result.coldStart).toBe(true);
      const texts = result.logs.map((l) => l.text);
      const start = texts.findIndex((t) => t.startsWith('START '));
      expect(texts.findIndex((t) => t.includes('Phase: init\tStatus: error'))).toBeLessThan(start);
      const again = await fn.invoke({});
      expect(again.coldStart).toBe(false);
    } finally {
      await fn.dispose();
    }
  });

  it('writes JSON platform records for a killed invocation when the log format is JSON', async () => {
    const fn = createIsolatedFunction({
      file: fx('slow.mjs'),
      exportName: 'busy',
      timeout: 0.2,
      logFormat: 'JSON',
    });
    try {
      const result = await fn.invoke({});
      expect(result.outcome).toBe('timeout');
      const types = result.logs.map((l) => (l.json as { type?: string } | undefined)?.type).filter(Boolean);
      expect(types).toEqual(
        expect.arrayContaining(['platform.start', 'platform.runtimeDone', 'platform.report']),
      );
      const report = result.logs.find((l) => l.text.includes('"platform.report"'));
      expect(JSON.parse(report?.text ?? '{}').record.status).toBe('timeout');
    } finally {
      await fn.dispose();
    }
  });

  it('loads CommonJS with require on nodejs22.x and lists exports on HandlerNotFound', async () => {
    const ok = createIsolatedFunction({ file: fx('commonjs/index.js'), runtime: 'nodejs22.x' });
    const missing = createIsolatedFunction({ file: fx('echo.mjs'), exportName: 'nope' });
    try {
      const result = await ok.invoke({ name: 'x' });
      expect(result.outcome === 'success' && result.response).toEqual({ greeting: 'hello', name: 'x' });
      const failed = await missing.invoke({});
      expect(failed.outcome === 'error' && failed.error.errorType).toBe('Runtime.HandlerNotFound');
      expect(missing.lastInit?.availableExports).toEqual(['handler', 'handlers.get']);
    } finally {
      await ok.dispose();
      await missing.dispose();
    }
  });

  it('rejects unknown options and a missing file with a HarnessError naming the option', () => {
    expect(() => createIsolatedFunction({ file: fx('echo.mjs'), timout: 3 } as never)).toThrow(
      /createIsolatedFunction options\.timout: unknown option/,
    );
    try {
      createIsolatedFunction({ file: join(tmp, 'absent.mjs') });
      expect.unreachable('a missing file must throw');
    } catch (error) {
      expect((error as HarnessError).name).toBe('HarnessError');
      expect((error as HarnessError).code).toBe('INVALID_HANDLER');
      expect((error as HarnessError).path).toBe('file');
    }
    expect(() => createIsolatedFunction({ file: fx('echo.mjs'), runtime: 'nodejs18.x' as never })).toThrow(
      /runtime/,
    );
  });

  it('rejects unknown invoke options before starting a process', async () => {
    const fn = createIsolatedFunction({ file: fx('echo.mjs') });
    await expect(fn.invoke({}, { requestid: 'x' } as never)).rejects.toThrow(
      /isolated invoke options\.requestid: unknown option/,
    );
    await expect(fn.invoke({}, { clock: { mode: 'fast' } } as never)).rejects.toThrow(/\.clock: expected/);
    expect(fn.coldStarts).toBe(0);
    await fn.dispose();
  });
});

describe.concurrent('measureColdStart', { timeout: 60_000 }, () => {
  it('measures init in fresh processes and attributes time to imports', async () => {
    const progress: string[] = [];
    const report = await measureColdStart({
      file: fx('heavy.mjs'),
      runs: 2,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(report.ok).toBe(true);
    expect(report.runs).toHaveLength(2);
    expect(report.stats.count).toBe(2);
    expect(report.stats.min).toBeLessThanOrEqual(report.stats.max);
    expect(progress).toEqual(['1/2', '2/2']);
    const zod = report.slowestImports.find((i) => i.name === 'zod');
    expect(zod?.modules).toBeGreaterThan(10);
    expect(zod?.loadMs).toBeGreaterThan(0);
    const own = report.slowestImports.find((i) => i.name === 'heavy.mjs');
    expect(own?.evalMs).toBeGreaterThanOrEqual(14);
    expect(report.slowestImports.map((i) => i.selfMs)).toEqual(
      [...report.slowestImports.map((i) => i.selfMs)].sort((a, b) => b - a),
    );
  });

  it('attributes require() time of a CommonJS handler to packages', async () => {
    const report = await measureColdStart({ file: fx('commonjs/heavy.js'), runtime: 'nodejs22.x', runs: 1 });
    expect(report.ok).toBe(true);
    const zod = report.slowestImports.find((i) => i.name === 'zod');
    expect(zod?.modules).toBeGreaterThan(1);
    expect(zod?.evalMs).toBeGreaterThan(0);
    expect(report.slowestImports.some((i) => i.name === 'heavy.js')).toBe(true);
  });

  it('stops at the first init failure and says why', async () => {
    const report = await measureColdStart({ file: fx('echo.mjs'), exportName: 'missing', runs: 5 });
    expect(report.ok).toBe(false);
    expect(report.runs).toEqual([]);
    expect(report.error?.errorType).toBe('Runtime.HandlerNotFound');
    expect(report.availableExports).toEqual(['handler', 'handlers.get']);
  });

  it('validates runs', async () => {
    await expect(measureColdStart({ file: fx('echo.mjs'), runs: 0 })).rejects.toThrow(
      /measureColdStart options\.runs: expected an integer from 1 to 10000, received 0/,
    );
  });
});
