// Observation table: "Init phase and handler resolution" (runtime-client-observations.md), run through
// createFunction with real handler files loaded by plain Node (native require / import), plus the service's
// "suppressed init" from "What the real service adds".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvocationResult, RuntimeName } from '../../src/invoke/result.js';
import {
  type CreateFunctionOptions,
  createFunction,
  type FunctionResult,
  type LambdaFunction,
  nodeModuleIsolation,
} from '../../src/lifecycle/index.js';
import {
  ALL,
  errorPosted,
  esc,
  expectCrashPrint,
  expectedCrashHead,
  expectInitCrashPrints,
  expectStackTrace,
  ID1,
  ID2,
  parseRuntimeErrorLine,
  posted,
  runtimeLines,
  TS,
  V3,
  V4,
} from './helpers.js';

const require = createRequire(import.meta.url);
const HANDLERS = fileURLToPath(new URL('./handlers/', import.meta.url));
const cjs = (file: string) => path.join(HANDLERS, 'cjs', file);
const esmUrl = (file: string) => new URL(`./handlers/${file}`, import.meta.url);

const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

function fnOf(
  handler: CreateFunctionOptions['handler'],
  handlerName: string,
  runtime: RuntimeName,
  extra: Partial<CreateFunctionOptions> = {},
): LambdaFunction {
  const fn = createFunction({ handler, handlerName, runtime, isolation: nodeModuleIsolation, ...extra });
  fns.push(fn);
  return fn;
}

function ran(result: FunctionResult): InvocationResult {
  if (result.outcome === 'throttled') expect.fail('throttled');
  return result;
}

async function invoke(fn: LambdaFunction, requestId = ID1): Promise<InvocationResult> {
  return ran(await fn.invoke({ hello: 'world' }, { requestId }));
}

const initId = (runtime: RuntimeName) => (runtime === 'nodejs24.x' ? '-' : 'undefined');
const initPrefix = (runtime: RuntimeName) => (runtime === 'nodejs24.x' ? 'Init Error' : 'Uncaught Exception');

/** An init failure: phase init, the init log line (init phase + suppressed init retry), instance needs-init. */
function expectInitFailure(fn: LambdaFunction, result: InvocationResult, runtime: RuntimeName) {
  const error = errorPosted(result);
  expect(result.outcome === 'error' && result.phase).toBe('init');
  const lines = runtimeLines(result).filter((l) => l.stream === 'stdout');
  expect(lines).toHaveLength(2); // init phase, then the suppressed init inside the invoke
  const logged = parseRuntimeErrorLine(lines[0]?.text ?? '', initId(runtime), initPrefix(runtime));
  expect(logged).toMatchObject({ errorType: error.errorType, errorMessage: error.errorMessage });
  expect(fn.instances[0]).toMatchObject({ state: 'needs-init', lastReset: 'init-error' });
  expectInitCrashPrints(result, runtime, 2);
  return { error, logged };
}

describe('Init phase: logs', () => {
  it.each(ALL)(
    'init-log [%s]: init console.* uses requestId undefined (v3) / - (v4); raw writes verbatim',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('init-log.js')), 'init-log.handler', runtime);
      const result = await invoke(fn);
      expect(posted(result)).toBe('"ok"');
      const id = initId(runtime);
      expect(
        result.logs
          .filter((l) => l.source === 'function' || l.source === 'raw')
          .map((l) => `${l.stream}|${l.text}`),
      ).toEqual([
        expect.stringMatching(new RegExp(`^stdout\\|${TS}\\t${id}\\tINFO\\tinit log line$`)),
        expect.stringMatching(new RegExp(`^stdout\\|${TS}\\t${id}\\tWARN\\tinit warn line$`)),
        expect.stringMatching(new RegExp(`^stdout\\|${TS}\\t${id}\\tDEBUG\\tinit debug line$`)),
        'stdout|raw init stdout',
        'stderr|raw init stderr',
      ]);
    },
  );

  it.each(ALL)('init-log.jsonlog [%s]: no requestId key (v3) / "requestId":"-" (v4)', async (runtime) => {
    const fn = fnOf(() => require(cjs('init-log.js')), 'init-log.handler', runtime, { logFormat: 'JSON' });
    const result = await invoke(fn);
    const json = result.logs.filter((l) => l.source === 'function');
    expect(json).toHaveLength(3);
    for (const line of json) {
      const parsed = JSON.parse(line.text) as Record<string, unknown>;
      if (runtime === 'nodejs24.x') {
        expect(Object.keys(parsed)).toEqual(['timestamp', 'level', 'requestId', 'message']);
        expect(parsed.requestId).toBe('-');
      } else {
        expect(Object.keys(parsed)).toEqual(['timestamp', 'level', 'message']);
      }
      expect(parsed.timestamp).toMatch(new RegExp(`^${TS}$`));
    }
    expect(json.map((l) => (l.json as { level: string; message: string }).message)).toEqual([
      'init log line',
      'init warn line',
      'init debug line',
    ]);
    expect(result.logs.filter((l) => l.source === 'raw').map((l) => l.text)).toEqual([
      'raw init stdout',
      'raw init stderr',
    ]);
  });

  it.each(ALL)(
    'warm-state [%s]: counts 1, 2, 3 in one environment; "module loaded" logged once',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('warm-state.js')), 'warm-state.handler', runtime);
      const results = [
        await invoke(fn, ID1),
        await invoke(fn, ID2),
        await invoke(fn, '33333333-3333-4333-8333-333333333333'),
      ];
      expect(results.map(posted)).toEqual(['{"count":1}', '{"count":2}', '{"count":3}']);
      expect(results.map((r) => r.coldStart)).toEqual([true, false, false]);
      const loaded = results.flatMap((r) => r.logs).filter((l) => l.message === 'module loaded');
      expect(loaded.map((l) => l.text)).toEqual([
        expect.stringMatching(new RegExp(`^${TS}\\t${initId(runtime)}\\tINFO\\tmodule loaded$`)),
      ]);
    },
  );
});

describe('Init phase: failures (init-err POST; the service then retries init inside the invoke: suppressed init)', () => {
  it.each(ALL)('init-throw [%s]: init-err Error "init boom" with the original trace', async (runtime) => {
    const fn = fnOf(() => require(cjs('init-throw.js')), 'init-throw.handler', runtime);
    const result = await invoke(fn);
    const { error, logged } = expectInitFailure(fn, result, runtime);
    expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'init boom' });
    expectStackTrace(error.trace, 'Error: init boom');
    expect(error.trace?.[1]).toContain(`${path.join('cjs', 'init-throw.js')}:2:`);
    expect(logged.stack).toEqual(error.trace);
    const texts = result.logs.map((l) => l.text);
    expect(texts.filter((t) => t.startsWith('INIT_REPORT'))).toEqual([
      expect.stringMatching(
        /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Error$/,
      ),
      expect.stringMatching(
        /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: invoke\tStatus: error\tError Type: Error$/,
      ),
    ]);
    expect(texts.at(-1)).toMatch(
      new RegExp(`^REPORT RequestId: ${ID1}\\t.*\\tStatus: error\\tError Type: Error\\t$`),
    );
  });

  it.each(ALL)('init-throw.jsonlog [%s]: the init error is a JSON ERROR line', async (runtime) => {
    const fn = fnOf(() => require(cjs('init-throw.js')), 'init-throw.handler', runtime, {
      logFormat: 'JSON',
    });
    const result = await invoke(fn);
    const line = runtimeLines(result).find((l) => l.stream === 'stdout');
    const parsed = JSON.parse(line?.text ?? '{}') as Record<string, unknown>;
    expect(parsed).toMatchObject({
      level: 'ERROR',
      message: { errorType: 'Error', errorMessage: 'init boom' },
    });
    expect(parsed.requestId).toBe(runtime === 'nodejs24.x' ? '-' : undefined);
    expect(line?.text).not.toContain('Uncaught Exception');
    expect(line?.text).not.toContain('Init Error');
  });

  it.each(ALL)(
    'esm-init-throw [%s]: init-err TypeError "esm init boom" with the original trace',
    async (runtime) => {
      const fn = fnOf(esmUrl('esm/init-throw.mjs'), 'init-throw.handler', runtime);
      const result = await invoke(fn);
      const { error } = expectInitFailure(fn, result, runtime);
      expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'esm init boom' });
      expectStackTrace(error.trace, 'TypeError: esm init boom');
      expect(error.trace?.[1]).toMatch(/init-throw\.mjs.*:2:\d+\)?$/);
    },
  );

  it.each(V3)(
    'init-unhandled-rejection [%s]: init-err Runtime.UnhandledPromiseRejection "Error: init rejection"',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('init-unhandled-rejection.js')), 'x.handler', runtime);
      const result = await invoke(fn);
      const error = errorPosted(result);
      expect(result.outcome === 'error' && result.phase).toBe('init');
      expect(error.errorType).toBe('Runtime.UnhandledPromiseRejection');
      expect(error.errorMessage).toBe('Error: init rejection');
      expectStackTrace(error.trace, 'Runtime.UnhandledPromiseRejection: Error: init rejection');
      const logged = runtimeLines(result).find((l) => l.level === 'ERROR');
      expect(logged?.text).toMatch(
        /^\S+\tundefined\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime\.UnhandledPromiseRejection"/,
      );
    },
  );

  it.each(V4)(
    'init-unhandled-rejection [%s]: no init-err POST; init completes, invoke 1 is taken and fails with the invoke-phase Runtime.ExitError (exit 1); the environment resets',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('init-unhandled-rejection.js')), 'x.handler', runtime);
      const result = await invoke(fn);
      expect(errorPosted(result)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID1} Error: Runtime exited with error: exit status 1`,
      });
      expect(result.outcome === 'error' && result.phase).toBe('invoke');
      expect(result.coldStart).toBe(true);
      const texts = result.logs.map((l) => l.text);
      // Init succeeded: no init error report, START follows the crash print.
      expect(texts.some((t) => t.startsWith('INIT_REPORT'))).toBe(false);
      const start = texts.findIndex((t) => t.startsWith('START RequestId:'));
      const stderr = result.logs.filter((l) => l.source === 'runtime' && l.stream === 'stderr');
      expect(stderr.every((l) => result.logs.indexOf(l) < start)).toBe(true);
      expectCrashPrint(
        stderr.map((l) => l.text),
        expectedCrashHead(cjs('init-unhandled-rejection.js'), "new Error('init rejection')", 'new Error'),
        'Error: init rejection',
      );
      expect(texts.at(-1)).toMatch(
        new RegExp(`^REPORT RequestId: ${ID1}\\t.*\\tStatus: error\\tError Type: Runtime\\.ExitError\\t$`),
      );
      expect(texts.some((t) => t.includes('Init Error') || t.includes('Unhandled Promise'))).toBe(false);
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const second = await invoke(fn, ID2);
      expect(second.coldStart).toBe(true);
      expect(errorPosted(second).errorMessage).toBe(
        `RequestId: ${ID2} Error: Runtime exited with error: exit status 1`,
      );
    },
  );

  it.each(V3)(
    'init-pending-timer-throws.freeze [%s]: invoke 1 resp "ok"; the init timer falls due while frozen and throws at the thaw for invoke 2: Uncaught Exception logged under the last-started id (invoke 1), the process exits 129 before answering invoke 2 (Runtime.ExitError); reset',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('init-pending-timer-throws.js')), 'x.handler', runtime);
      const first = await invoke(fn, ID1);
      expect(posted(first)).toBe('"ok"');
      expect(first.pendingWork).toMatchObject({
        timers: 1,
        descriptions: ['setTimeout 200 ms (scheduled during init)'],
      });
      await new Promise((r) => setTimeout(r, 250));
      const second = await invoke(fn, ID2);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: exit status 129`,
      });
      const lines = runtimeLines(second);
      expect(lines).toHaveLength(1);
      expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Uncaught Exception')).toMatchObject({
        errorType: 'Error',
        errorMessage: 'timer from init',
      });
      expect(second.logs[0]?.text).toBe(`START RequestId: ${ID2} Version: $LATEST`);
      expect(fn.instances[0]?.lastReset).toBe('crash');
      const third = await invoke(fn, ID1);
      expect(third.coldStart).toBe(true);
    },
  );

  it.each(V4)(
    'init-pending-timer-throws.freeze [%s]: invoke 1 resp "ok"; the init timer throws at the thaw for invoke 2: crash print, exit 1 after invoke 2 is handed out (Runtime.ExitError); reset',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('init-pending-timer-throws.js')), 'x.handler', runtime);
      const first = await invoke(fn, ID1);
      expect(posted(first)).toBe('"ok"');
      await new Promise((r) => setTimeout(r, 250));
      const second = await invoke(fn, ID2);
      expect(errorPosted(second)).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${ID2} Error: Runtime exited with error: exit status 1`,
      });
      const crash = runtimeLines(second);
      expect(crash.every((l) => l.stream === 'stderr')).toBe(true);
      expect(crash.map((l) => l.text)).toContain('Error: timer from init');
      expect(crash.at(-1)?.text).toBe(`Node.js ${process.version}`);
      expect(fn.instances[0]?.lastReset).toBe('crash');
    },
  );

  it.each(ALL)(
    'init-pending-timer-throws [%s]: without an idle gap the init timer is not yet due at invoke 2 and keeps its due time (the clock ran on)',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('init-pending-timer-throws.js')), 'x.handler', runtime);
      const first = await invoke(fn, ID1);
      const second = await invoke(fn, ID2);
      expect([posted(first), posted(second)]).toEqual(['"ok"', '"ok"']);
      expect(second.pendingWork.descriptions).toEqual(['setTimeout 200 ms (scheduled during init)']);
      expect(runtimeLines(second)).toEqual([]);
    },
  );

  it.each(ALL)('esm-top-level-await [%s]: init waits for TLA; resp {"v":"awaited"}', async (runtime) => {
    const fn = fnOf(esmUrl('esm/tla.mjs'), 'tla.handler', runtime);
    expect(posted(await invoke(fn))).toBe('{"v":"awaited"}');
  });
});

describe('Handler resolution', () => {
  it.each(ALL)(
    'async-return-object (.js) [%s]: resp {"ok":true,"echo":{"hello":"world"}}',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('async-return-object.js')), 'index.handler', runtime);
      expect(posted(await invoke(fn))).toBe('{"ok":true,"echo":{"hello":"world"}}');
    },
  );

  it.each(ALL)(
    'esm-async-return-object (.mjs) [%s]: resp {"ok":true,"echo":{"hello":"world"}}',
    async (runtime) => {
      const fn = fnOf(esmUrl('esm/async-return-object.mjs'), 'index.handler', runtime);
      expect(posted(await invoke(fn))).toBe('{"ok":true,"echo":{"hello":"world"}}');
    },
  );

  it.each(ALL)(
    'missing-handler-export [%s]: init-err Runtime.HandlerNotFound "index.handler is undefined or not exported"',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('missing-export.js')), 'index.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error).toMatchObject({
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: 'index.handler is undefined or not exported',
      });
      expectRuntimeTrace(error, 'Runtime.HandlerNotFound: index.handler is undefined or not exported');
    },
  );

  it.each(ALL)(
    'handler-not-function [%s]: init-err Runtime.HandlerNotFound "index.handler is not a function"',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('not-function.js')), 'index.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error).toMatchObject({
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: 'index.handler is not a function',
      });
      expectRuntimeTrace(error, 'Runtime.HandlerNotFound: index.handler is not a function');
    },
  );

  it.each(ALL)(
    'missing-module-file [%s]: init-err Runtime.ImportModuleError "Error: Cannot find module …\\nRequire stack:…"',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('nosuchfile')), 'nosuchfile.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error.errorType).toBe('Runtime.ImportModuleError');
      // The handler file is required by the runtime client, not by the test: its entry only.
      expect(error.errorMessage).toBe(
        `Error: Cannot find module '${cjs('nosuchfile')}'\nRequire stack:\n- /var/runtime/index.mjs`,
      );
    },
  );

  it.each(V3)(
    'require-missing-package [%s]: init-err Runtime.ImportModuleError with the require stack',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('require-missing.js')), 'index.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error.errorType).toBe('Runtime.ImportModuleError');
      // The handler file, then the runtime client that required it (never the test's own files).
      expect(error.errorMessage).toBe(
        `Error: Cannot find module 'definitely-not-installed-pkg'\nRequire stack:\n- ${cjs('require-missing.js')}\n- /var/runtime/index.mjs`,
      );
      // The trace is the wrapper's stack: the message lines once, then frames.
      const trace = error.trace ?? [];
      expect(trace.filter((line) => line === 'Require stack:')).toHaveLength(1);
      expect(trace[0]).toBe(
        "Runtime.ImportModuleError: Error: Cannot find module 'definitely-not-installed-pkg'",
      );
      expect(trace.at(-1)).toMatch(/^ {4}at /);
    },
  );

  it.each(V4)(
    'require-missing-package [%s]: init-err Runtime.ImportModuleError naming the handler file',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('require-missing.js')), 'index.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error.errorType).toBe('Runtime.ImportModuleError');
      expect(error.errorMessage).toMatch(
        new RegExp(
          `^Error: Cannot find module 'definitely-not-installed-pkg'\\nRequire stack:\\n- ${esc(cjs('require-missing.js'))}(\\n|$)`,
        ),
      );
      // Exactly one entry, the handler file (the loader that required it is not listed).
      expect(error.errorMessage).toBe(
        `Error: Cannot find module 'definitely-not-installed-pkg'\nRequire stack:\n- ${cjs('require-missing.js')}`,
      );
      const trace = error.trace ?? [];
      expect(trace.slice(0, 3)).toEqual([
        "Runtime.ImportModuleError: Error: Cannot find module 'definitely-not-installed-pkg'",
        'Require stack:',
        `- ${cjs('require-missing.js')}`,
      ]);
      expect(trace[3]).toMatch(/^ {4}at /);
    },
  );

  it.each(ALL)(
    'esm-import-missing-package [%s]: init-err plain Error "Cannot find package … imported from …" (not wrapped)',
    async (runtime) => {
      const fn = fnOf(esmUrl('esm/import-missing.mjs'), 'index.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error.errorType).toBe('Error');
      expect(error.errorMessage).toBe(
        `Cannot find package 'definitely-not-installed-pkg' imported from ${path.join(HANDLERS, 'esm', 'import-missing.mjs')}`,
      );
    },
  );

  it.each(V3)('esm-default-export-object [%s]: init-err Runtime.HandlerNotFound', async (runtime) => {
    const fn = fnOf(esmUrl('esm/default-export.mjs'), 'index.handler', runtime);
    const { error } = expectInitFailure(fn, await invoke(fn), runtime);
    expect(error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
  });

  it.each(V4)('esm-default-export-object [%s]: works, resp {"viaDefault":true}', async (runtime) => {
    const fn = fnOf(esmUrl('esm/default-export.mjs'), 'index.handler', runtime);
    expect(posted(await invoke(fn))).toBe('{"viaDefault":true}');
  });

  it.each(ALL)(
    'package-type-module-js [%s]: a .js ES module under "type": "module" works',
    async (runtime) => {
      const fn = fnOf(esmUrl('esm-pkg/index.js'), 'index.handler', runtime);
      expect(posted(await invoke(fn))).toBe('{"typeModule":true}');
    },
  );

  it.each(ALL)(
    'nested-handler-path [%s]: file.obj.fn resolves through nested properties',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('nested.js')), 'nested.obj.fn', runtime);
      expect(posted(await invoke(fn))).toBe('{"nested":true}');
    },
  );

  it.each(ALL)('handler-in-subdir [%s]: src/app.handler works', async (runtime) => {
    const fn = fnOf(() => require(cjs('src/app.js')), 'src/app.handler', runtime);
    expect(posted(await invoke(fn))).toBe('{"subdir":true}');
  });

  it.each(ALL)(
    'malformed-handler-no-dot [%s]: init-err Runtime.MalformedHandlerName "Bad handler"',
    async (runtime) => {
      const fn = fnOf(() => require(cjs('warm-state.js')), 'index', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error).toMatchObject({ errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler' });
      expectRuntimeTrace(error, 'Runtime.MalformedHandlerName: Bad handler');
    },
  );

  it.each(ALL)('malformed-handler-dotdot [%s]: init-err Runtime.MalformedHandlerName', async (runtime) => {
    const fn = fnOf(() => require(cjs('warm-state.js')), '../index.handler', runtime);
    const { error } = expectInitFailure(fn, await invoke(fn), runtime);
    expect(error).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage:
        "'../index.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    });
  });

  it.each(V3)('async-3-params from a file [%s]: works', async (runtime) => {
    const fn = fnOf(() => require(cjs('three-params.js')), 'index.handler', runtime);
    expect(posted(await invoke(fn))).toBe('{"ok":true}');
  });

  it.each(V4)('async-3-params from a file [%s]: CB-deprecated init failure', async (runtime) => {
    const fn = fnOf(() => require(cjs('three-params.js')), 'index.handler', runtime);
    const { error } = expectInitFailure(fn, await invoke(fn), runtime);
    expect(error.errorType).toBe('Runtime.CallbackHandlerDeprecated');
  });
});

describe('Syntax errors (files written at test time: they cannot pass the linter)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'conformance-syntax-'));
    mkdirSync(path.join(dir, 'cjs'));
    writeFileSync(path.join(dir, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(path.join(dir, 'cjs', 'index.js'), 'exports.handler = async () => 1;\nconst x = ;\n');
    writeFileSync(path.join(dir, 'index.mjs'), 'export const handler = async () => 1;\nconst x = ;\n');
    mkdirSync(path.join(dir, 'esm-in-cjs'));
    writeFileSync(path.join(dir, 'esm-in-cjs', 'package.json'), '{ "type": "commonjs" }\n');
    writeFileSync(path.join(dir, 'esm-in-cjs', 'index.js'), 'export const handler = async () => 1;\n');
    // No "type" at all: the test process's Node (20.19+) would detect module syntax and load it.
    mkdirSync(path.join(dir, 'esm-in-typeless'));
    writeFileSync(path.join(dir, 'esm-in-typeless', 'package.json'), '{ "name": "typeless" }\n');
    writeFileSync(path.join(dir, 'esm-in-typeless', 'index.js'), 'export const handler = async () => 1;\n');
    writeFileSync(
      path.join(dir, 'esm-in-typeless', 'imports.js'),
      "import fs from 'node:fs';\nexport const handler = async () => typeof fs;\n",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const load = (kind: 'cjs' | 'esm'): CreateFunctionOptions['handler'] =>
    kind === 'cjs'
      ? () => require(path.join(dir, 'cjs', 'index.js'))
      : pathToFileURL(path.join(dir, 'index.mjs'));

  for (const runtime of V3) {
    it.each(['cjs', 'esm'] as const)(
      `syntax-error / esm-syntax-error (%s) [${runtime}]: Runtime.UserCodeSyntaxError; trace is the runtime wrapper's stack`,
      async (kind) => {
        const fn = fnOf(load(kind), 'index.handler', runtime);
        const { error } = expectInitFailure(fn, await invoke(fn), runtime);
        expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
        expect(error.errorMessage).toBe("SyntaxError: Unexpected token ';'");
        expectStackTrace(error.trace, "Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token ';'");
      },
    );
  }

  it.each(V4)(
    'syntax-error (CommonJS) [%s]: trace is the original SyntaxError stack with the source excerpt',
    async (runtime) => {
      const fn = fnOf(load('cjs'), 'index.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error).toMatchObject({
        errorType: 'Runtime.UserCodeSyntaxError',
        errorMessage: "SyntaxError: Unexpected token ';'",
      });
      expect(error.trace?.slice(0, 5)).toEqual([
        `${path.join(dir, 'cjs', 'index.js')}:2`,
        'const x = ;',
        '          ^',
        '',
        "SyntaxError: Unexpected token ';'",
      ]);
      expect(error.trace?.[5]).toMatch(/^ {4}at /);
    },
  );

  it.each(ALL)(
    'esm-syntax-in-cjs [%s]: init-err Runtime.UserCodeSyntaxError "SyntaxError: Unexpected token \'export\'"',
    async (runtime) => {
      const file = path.join(dir, 'esm-in-cjs', 'index.js');
      const fn = fnOf(() => require(file), 'index.handler', runtime);
      const result = await invoke(fn);
      const { error } = expectInitFailure(fn, result, runtime);
      expect(error).toMatchObject({
        errorType: 'Runtime.UserCodeSyntaxError',
        errorMessage: "SyntaxError: Unexpected token 'export'",
      });
      if (runtime === 'nodejs24.x') {
        expect(error.trace?.slice(0, 5)).toEqual([
          `${file}:1`,
          'export const handler = async () => 1;',
          '^^^^^^',
          '',
          "SyntaxError: Unexpected token 'export'",
        ]);
      } else {
        expectStackTrace(error.trace, "Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token 'export'");
      }
      // Node's ES-module warning goes through the runtime's patched console: ONE ERROR line with the
      // init request id and \r joining its lines, before the init error line; nothing raw on stderr.
      const initPhase = result.logs.slice(
        0,
        result.logs.findIndex((l) => l.text.startsWith('INIT_REPORT')),
      );
      const warning = new RegExp(
        `^${TS}\\t${initId(runtime)}\\tERROR\\t\\(node:${process.pid}\\) Warning: (To load an ES module|Failed to load the ES module)[^\\r\\n]*\\r\\(Use \`node --trace-warnings \\.\\.\\.\` to show where the warning was created\\)$`,
      );
      expect(
        initPhase
          .filter((l) => l.source !== 'platform' && l.stream === 'stdout')
          .map((l) => `${l.source}|${l.text}`),
      ).toEqual([
        expect.stringMatching(new RegExp(`^function\\|${warning.source.slice(1)}`)),
        expect.stringMatching(
          new RegExp(`^runtime\\|${TS}\\t${initId(runtime)}\\tERROR\\t${initPrefix(runtime)} \\t\\{`),
        ),
      ]);
      expect(result.logs.filter((l) => l.source === 'raw')).toEqual([]);
    },
  );

  it.each(ALL)(
    "esm-syntax-in-cjs, typeless package.json [%s]: the test process's module-syntax detection does not leak in: Runtime.UserCodeSyntaxError",
    async (runtime) => {
      for (const [name, message] of [
        ['index', "SyntaxError: Unexpected token 'export'"],
        ['imports', 'SyntaxError: Cannot use import statement outside a module'],
      ] as const) {
        const file = path.join(dir, 'esm-in-typeless', `${name}.js`);
        const fn = fnOf(() => require(file), `${name}.handler`, runtime);
        const result = await invoke(fn);
        const { error } = expectInitFailure(fn, result, runtime);
        expect(error).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError', errorMessage: message });
        if (runtime === 'nodejs24.x')
          expect(error.trace?.slice(0, 2)).toEqual([`${file}:1`, expect.any(String)]);
        expect(
          result.logs.filter((l) => String(l.message).includes('Warning: Failed to load the ES module')),
        ).toHaveLength(2);
      }
    },
  );

  it.each(V4)(
    'esm-syntax-error [%s]: trace starts "SyntaxError: …", "    at compileSourceTextModule (node:internal/…"',
    async (runtime) => {
      const fn = fnOf(load('esm'), 'index.handler', runtime);
      const { error } = expectInitFailure(fn, await invoke(fn), runtime);
      expect(error).toMatchObject({
        errorType: 'Runtime.UserCodeSyntaxError',
        errorMessage: "SyntaxError: Unexpected token ';'",
      });
      expect(error.trace?.[0]).toBe("SyntaxError: Unexpected token ';'");
      expect(error.trace?.[1]).toMatch(/^ {4}at compileSourceTextModule \(node:internal\//);
    },
  );
});

// The runtime client raises handler-resolution failures as its own Error subclasses: the posted
// trace is that error's stack (its head line, then frames), never empty.
function expectRuntimeTrace(error: { trace?: readonly string[] }, head: string): void {
  expect(error.trace?.[0]).toBe(head);
  expect(error.trace?.length).toBeGreaterThan(1);
  expect(error.trace?.slice(1).every((line) => line.startsWith('    at '))).toBe(true);
}
