/**
 * The worker and process environments under plain Node (no test runner): the hostile-handler
 * matrix and the lifecycle semantics, asserted with node:assert. Run it alone:
 *   node --import tsx test/environments/environments.script.ts worker nodejs22.x
 * It prints one line per check and closes with "N passed, N failed" (exit code 1 on a failure).
 * test/environments/environments.test.ts runs it for each kind and runtime.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createAsyncInvoker,
  createFunction,
  createSqsEventSource,
  type FunctionResult,
  type LambdaFunction,
} from '../../src/index.js';

const kind = (process.argv[2] ?? 'worker') as 'worker' | 'process';
const runtime = (process.argv[3] ?? 'nodejs22.x') as 'nodejs22.x' | 'nodejs24.x';
const app = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app');
const handlerFile = path.join(app, 'handler.mjs');
const v3 = runtime !== 'nodejs24.x';

let passed = 0;
let failed = 0;
const open: LambdaFunction[] = [];

// Function timeouts in seconds, set by main() from a measured baseline (see there).
let timeout = 10;
let quickTimeout = 1;

function make(extra: Record<string, unknown> = {}): LambdaFunction {
  const fn = createFunction({
    handler: handlerFile,
    handlerName: 'handler.handler',
    environment: kind,
    runtime,
    timeout,
    initTimeout: timeout,
    memorySize: 128,
    ...extra,
  });
  open.push(fn);
  return fn;
}

type Done = Exclude<FunctionResult, { outcome: 'throttled' }>;
function done(r: FunctionResult): Done {
  assert.notEqual(r.outcome, 'throttled');
  return r as Done;
}
function value(r: FunctionResult): Record<string, unknown> {
  const d = done(r);
  assert.equal(
    d.outcome,
    'success',
    `expected success, got ${JSON.stringify((d as { error?: unknown }).error)}`,
  );
  return (d as { response: Record<string, unknown> }).response;
}
function errorOf(r: FunctionResult): { errorType: string; errorMessage: string } {
  const d = done(r) as { outcome: string; error?: { errorType: string; errorMessage: string } };
  assert.ok(d.outcome === 'error' || d.outcome === 'timeout', `expected a failure, got ${d.outcome}`);
  return d.error as { errorType: string; errorMessage: string };
}

const only = process.env.ENVIRONMENTS_CHECK;

async function check(name: string, body: () => Promise<void>): Promise<void> {
  if (only !== undefined && !name.includes(only)) return;
  try {
    await body();
    passed += 1;
    console.log(`ok - ${kind} ${runtime} ${name}`);
  } catch (error) {
    failed += 1;
    console.log(
      `not ok - ${kind} ${runtime} ${name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function timedOutAfter(seconds: number): RegExp {
  return new RegExp(`Task timed out after ${seconds.toFixed(2).replace('.', '\\.')} seconds`);
}

/** After a probe: the next invocation is clean (a fresh runtime when Lambda would reset). */
async function nextIsClean(fn: LambdaFunction, reset: boolean): Promise<void> {
  const next = done(await fn.invoke({ probe: 'ok' }));
  const response = value(next);
  assert.equal(
    next.coldStart,
    reset,
    reset ? 'expected a cold start after the reset' : 'expected a warm start',
  );
  assert.equal(response.value, 'ok');
  // console works (the engine's capture saw nothing broken) and cwd is the environment's own.
  assert.ok(
    next.logs.some((l) => l.text.startsWith('REPORT')),
    'REPORT line missing',
  );
}

const matrix: Array<[string, (r: FunctionResult) => void, boolean]> = [
  [
    'exit',
    (r) => {
      const e = errorOf(r);
      assert.equal(e.errorType, 'Runtime.ExitError');
      assert.match(e.errorMessage, /^RequestId: [0-9a-f-]+ Error: Runtime exited with error: exit status 2$/);
    },
    true,
  ],
  [
    'signal',
    (r) => {
      const e = errorOf(r);
      assert.equal(e.errorType, 'Runtime.ExitError');
      assert.match(e.errorMessage, /Error: Runtime exited with error: signal: terminated$/);
    },
    true,
  ],
  [
    'timerThrow',
    (r) => {
      // nodejs22.x posts the error for the current request; on nodejs24.x the process dies first.
      const e = errorOf(r);
      if (v3) assert.equal(e.errorMessage, 'from a timer');
      else assert.match(e.errorMessage, /Error: Runtime exited with error: exit status 1$/);
    },
    true,
  ],
  [
    'unhandled',
    (r) => {
      const e = errorOf(r);
      if (v3) {
        assert.equal(e.errorType, 'Runtime.UnhandledPromiseRejection');
        assert.match(e.errorMessage, /nobody catches me/);
      } else assert.match(e.errorMessage, /Error: Runtime exited with error: exit status 1$/);
    },
    true,
  ],
  [
    'never',
    (r) => {
      assert.equal(done(r).outcome, 'timeout');
      assert.match(errorOf(r).errorMessage, timedOutAfter(quickTimeout));
    },
    true,
  ],
  [
    'spin',
    (r) => {
      assert.equal(done(r).outcome, 'timeout');
      assert.equal(errorOf(r).errorType, 'Sandbox.Timedout');
      assert.match(errorOf(r).errorMessage, timedOutAfter(quickTimeout));
    },
    true,
  ],
  [
    'allocate',
    (r) => {
      const e = errorOf(r);
      assert.equal(e.errorType, 'Runtime.ExitError');
      assert.match(e.errorMessage, /Error: Runtime exited with error: signal: killed$/);
    },
    true,
  ],
  [
    'big',
    (r) => {
      assert.equal(errorOf(r).errorType, 'Function.ResponseSizeTooLarge');
    },
    false,
  ],
  [
    'unserialisable',
    (r) => {
      const e = errorOf(r);
      if (v3) assert.equal(e.errorMessage, 'Unable to stringify response body');
    },
    false,
  ],
  ['console', (r) => assert.equal(value(r).value, 'replaced'), false],
  ['chdir', (r) => assert.equal(value(r).value, '/'), false],
];

async function main(): Promise<void> {
  const cwdBefore = process.cwd();
  const consoleBefore = console;
  // One function through the whole matrix: each probe, then a clean invocation after it.
  // The timeouts come from a baseline measured here, under the machine's present load: the wall
  // time of the 'ok' probe's first invocation, a new environment's start included (about 1 s on a
  // quiet machine, many at load 20, where fixed 1 s / 10 s timeouts failed invocations that pass
  // alone: the reply of a newly started environment is late). The quick function, for the probes
  // that must time out, gets 1.5 times the baseline, never under 1 s; the others 10 times, never
  // under 10 s (also as their init timeout).
  const probe = make({ timeout: 300 });
  const started = performance.now();
  value(await probe.invoke({ probe: 'ok' }));
  const baselineSeconds = (performance.now() - started) / 1000;
  quickTimeout = Math.max(1, Math.ceil(baselineSeconds * 1.5));
  // At most 30 s: an SQS trigger needs a visibility timeout (30 s by default) of at least that.
  timeout = Math.min(30, Math.max(10, Math.ceil(baselineSeconds * 10)));
  console.log(`# baseline ${baselineSeconds.toFixed(2)} s: timeouts ${quickTimeout} s and ${timeout} s`);
  const hostile = make();
  const quick = make({ timeout: quickTimeout });
  for (const [probe, expect, reset] of matrix) {
    await check(`hostile ${probe}`, async () => {
      // The quick timeout for the probes that time out; the longer one for the others, so that a
      // loaded machine does not turn a slow death (the 2 GB allocation) into a timeout.
      const fn = probe === 'never' || probe === 'spin' ? quick : hostile;
      assert.equal(value(await fn.invoke({ probe: 'ok' })).value, 'ok');
      expect(await fn.invoke({ probe }));
      await nextIsClean(fn, reset);
      // The test process is untouched.
      assert.equal(process.cwd(), cwdBefore);
      assert.equal(console, consoleBefore);
    });
  }

  await check('warm invocations share module state and /tmp', async () => {
    const fn = make();
    const first = done(await fn.invoke({ probe: 'writeTmp', value: 'kept' }));
    const second = done(await fn.invoke({ probe: 'readTmp' }));
    assert.equal(first.coldStart, true);
    assert.equal(second.coldStart, false);
    assert.equal(value(second).value, 'kept');
    assert.equal(value(second).invocations, 2);
    assert.equal(value(second).loadId, value(first).loadId);
    assert.equal(value(second).tmp, fn.instances[0]?.tmpDir);
  });

  await check('cold start re-evaluates the whole graph, node_modules packages included', async () => {
    const fn = make();
    const before = value(await fn.invoke({ probe: 'ok' }));
    value(await fn.invoke({ probe: 'ok' }));
    fn.forceColdStart();
    const after = done(await fn.invoke({ probe: 'ok' }));
    assert.equal(after.coldStart, true);
    assert.notEqual(value(after).loadId, before.loadId);
    assert.equal(value(after).hits, 1);
  });

  await check('a reset after a crash keeps /tmp and the log stream', async () => {
    const fn = make();
    value(await fn.invoke({ probe: 'writeTmp', value: 'survives' }));
    const [before] = fn.instances;
    errorOf(await fn.invoke({ probe: 'exit' }));
    const after = done(await fn.invoke({ probe: 'readTmp' }));
    assert.equal(after.coldStart, true);
    assert.equal(value(after).value, 'survives');
    assert.equal(fn.instances.length, 1);
    assert.equal(fn.instances[0]?.id, before?.id);
    assert.equal(fn.instances[0]?.logStreamName, before?.logStreamName);
    assert.equal(fn.instances[0]?.inits, 2);
    assert.equal(fn.instances[0]?.lastReset, 'exit');
  });

  await check('overlapping invocations get separate environments', async () => {
    const fn = make();
    const results = await Promise.all([1, 2, 3].map(() => fn.invoke({ probe: 'sleep', ms: 300 })));
    assert.equal(new Set(results.map((r) => done(r).instanceId)).size, 3);
    assert.equal(new Set(results.map((r) => value(r).tmp)).size, 3);
    assert.equal(fn.stats.coldStarts, 3);
  });

  await check('reserved concurrency throttles the excess', async () => {
    const fn = make({ reservedConcurrency: 1 });
    const results = await Promise.all([1, 2].map(() => fn.invoke({ probe: 'sleep', ms: 300 })));
    assert.deepEqual(results.map((r) => r.outcome).sort(), ['success', 'throttled']);
  });

  await check('provisioned concurrency initialises ahead of traffic', async () => {
    const fn = make({ provisionedConcurrency: 1 });
    await fn.ready();
    assert.equal(fn.instances[0]?.state, 'idle');
    const r = done(await fn.invoke({ probe: 'ok' }));
    assert.equal(fn.instances[0]?.initializationType, 'provisioned-concurrency');
    assert.equal(r.initDurationMs, undefined);
    assert.ok(!r.logs.some((l) => l.text.startsWith('REPORT') && l.text.includes('Init Duration')));
  });

  await check('idle environments are recycled', async () => {
    const fn = make({ idleTimeout: 1 });
    value(await fn.invoke({ probe: 'ok' }));
    const dir = fn.instances[0]?.tmpDir as string;
    assert.equal(fn.passIdleTime(2), 1);
    assert.equal(fn.instances.length, 0);
    assert.equal(existsSync(dir), false);
  });

  await check("/tmp is private: the parent folder holds the environment's own /tmp only", async () => {
    const fn = make();
    const [a, b] = await Promise.all([
      fn.invoke({ probe: 'sleep', ms: 300 }),
      fn.invoke({ probe: 'sleep', ms: 300 }),
    ]);
    assert.notEqual(value(a).tmp, value(b).tmp);
    const peek = value(await fn.invoke({ probe: 'peek' })).value as { listing: string[] };
    assert.deepEqual(peek.listing, ['tmp']);
  });

  await check(
    'freezing is real: background work stops between invocations and resumes after the thaw',
    async () => {
      const fn = make();
      value(await fn.invoke({ probe: 'ticker' }));
      const now = () => Number(process.hrtime.bigint() / 1_000_000n);
      // Time for the environment to stop after its reply: 50 ms, or a 20th of the measured
      // baseline when the machine is slower than that now; then a frozen window of 500 ms or
      // 10 times that.
      const settle = Math.max(50, Math.ceil((baselineSeconds * 1000) / 20));
      const from = now() + settle;
      await new Promise((r) => setTimeout(r, Math.max(500, 10 * settle)));
      const to = now();
      const seen = value(await fn.invoke({ probe: 'ticks', from, to })).value as {
        whileFrozen: number;
        afterThaw: number;
      };
      assert.equal(seen.whileFrozen, 0, `the background work ran ${seen.whileFrozen} times while frozen`);
      assert.ok(seen.afterThaw > 0, 'the background work did not resume after the thaw');
    },
  );

  await check('the SQS and async simulators deliver to this kind of function', async () => {
    const fn = make();
    const queue = createSqsEventSource({ target: fn });
    queue.send({ body: 'one' });
    queue.send({ body: 'two' });
    const sqs = await queue.run();
    assert.equal(sqs.balanced, true);
    assert.equal(sqs.byStatus.succeeded, 2);
    const async = createAsyncInvoker({ target: fn });
    async.invoke({ probe: 'ok' });
    const summary = await async.run();
    assert.equal(summary.balanced, true);
    assert.equal(summary.invocations, 1);
    assert.equal(fn.stats.invocations >= 2, true);
  });

  await check('TypeScript handlers load and the setup module runs before init', async () => {
    const fn = createFunction({
      handler: path.join(app, 'typed.ts'),
      handlerName: 'typed.handler',
      environment: kind,
      runtime,
      timeout,
      initTimeout: timeout,
      setup: path.join(app, 'setup.ts'),
    });
    open.push(fn);
    assert.deepEqual(value(await fn.invoke({ n: 21 })), { doubled: 42, setup: 'installed by setup' });
  });

  for (const fn of open) await fn.dispose();
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
