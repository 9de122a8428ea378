// Freezing on the same terms in every environment kind: what a handler (or its init) leaves
// pending is frozen with its execution environment, on the virtual and the real clock, and runs
// right after the thaw inside the next invocation; recycle and dispose drop it and say so. Each
// scenario runs in the runner, a worker thread and a child process with the same expectations.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CreateFunctionOptions,
  createFunction,
  type FunctionInvokeOptions,
  type FunctionResult,
  type LambdaFunction,
} from '../../src/index.js';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app', 'freezing.mjs');
const T0 = Date.UTC(2024, 0, 1);
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const ID = (n: number) =>
  `${n}${n}${n}${n}${n}${n}${n}${n}-${n}${n}${n}${n}-4${n}${n}${n}-8${n}${n}${n}-${String(n).repeat(12)}`;

type Kind = 'runner' | 'worker' | 'process';
const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

function make(environment: Kind, extra: Partial<CreateFunctionOptions> = {}): LambdaFunction {
  const fn = createFunction({
    handler: file,
    handlerName: 'freezing.handler',
    environment,
    runtime: 'nodejs22.x',
    timeout: 10,
    clock: { mode: 'virtual', startMs: T0 },
    ...extra,
  });
  fns.push(fn);
  return fn;
}

/** A line's message up to its first tab or newline (a runtime line's error JSON and stack vary by loader). */
const headOf = (message: unknown) =>
  String(message)
    .split(/[\t\n]/)[0]
    ?.trimEnd();

/** What a test sees of one invocation: outcome, response or error, cold start, the handler's lines (with their request ids) and what was frozen. */
function seen(result: FunctionResult) {
  if (result.outcome === 'throttled') throw new Error('throttled');
  // (Node's warning about the runner's ES module loader, printed once per test process.)
  const logs = result.logs.filter((l) => !/ExperimentalWarning/.test(l.text));
  return {
    outcome: result.outcome,
    value: result.outcome === 'success' ? result.response : result.error.errorMessage,
    coldStart: result.coldStart,
    lines: logs
      .filter((l) => l.source === 'function' || l.source === 'runtime')
      .map((l) => [headOf(l.message), l.requestId]),
    // The line right after START (the thaw runs before the handler).
    firstAfterStart: logs[1]?.source === 'platform' ? undefined : headOf(logs[1]?.message),
    pending: result.pendingWork.descriptions,
  };
}

async function invoke(fn: LambdaFunction, probe: string, n: number, options: FunctionInvokeOptions = {}) {
  return seen(await fn.invoke({ probe, n }, { requestId: ID(n), ...options }));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['runner', 'worker', 'process'] as const)('freezing in the %s environment', (kind) => {
  it('a virtual timer left by invoke 1 keeps its due time without idle time, and fires at the thaw once passIdleTime made it due', async () => {
    const fn = make(kind);
    expect(await invoke(fn, 'timer', 1)).toEqual({
      outcome: 'success',
      value: `done 1 at ${iso(0)}`,
      coldStart: true,
      lines: [],
      firstAfterStart: undefined,
      pending: ['setTimeout 30000 ms (virtual)'],
    });
    expect(await invoke(fn, 'timer', 2)).toEqual({
      outcome: 'success',
      value: `done 2 at ${iso(0)}`,
      coldStart: false,
      lines: [],
      firstAfterStart: undefined,
      pending: [`setTimeout 30000 ms (virtual, scheduled by invocation ${ID(1)})`],
    });
    fn.passIdleTime(60);
    // At the thaw time, before the handler, tagged with the last-started request id.
    const line = `timer of invoke 1 at ${iso(60_000)}`;
    expect(await invoke(fn, 'timer', 3)).toEqual({
      outcome: 'success',
      value: `done 3 at ${iso(60_000)}`,
      coldStart: false,
      lines: [[line, ID(2)]],
      firstAfterStart: line,
      pending: [],
    });
  });

  it('timers that fell due in the gap run at the thaw in the order Node runs them', async () => {
    const fn = make(kind);
    await invoke(fn, 'order', 1);
    fn.passIdleTime(60);
    expect((await invoke(fn, 'order', 2)).lines).toEqual(
      ['timer B10', 'timer D20', 'timer A30', 'timer C30'].map((line) => [line, ID(1)]),
    );
  });

  it('an interval catches up once at the thaw, then keeps its period; dispose drops it and says so', async () => {
    const fn = make(kind);
    await invoke(fn, 'interval', 1);
    fn.passIdleTime(10);
    const second = await invoke(fn, 'interval', 2);
    expect([second.lines, second.pending]).toEqual([
      [[`tick 1 at ${iso(10_000)}`, ID(1)]],
      [`setInterval 1000 ms (virtual, scheduled by invocation ${ID(1)})`],
    ]);
    fn.passIdleTime(0.5);
    expect((await invoke(fn, 'interval', 3)).lines).toEqual([]);
    fn.passIdleTime(2);
    expect((await invoke(fn, 'interval', 4)).lines).toEqual([[`tick 2 at ${iso(12_500)}`, ID(3)]]);
    await fn.dispose();
    expect(fn.stats.droppedWork).toEqual([
      {
        instanceId: expect.any(String),
        reason: 'disposed',
        pendingWork: {
          timers: 0,
          intervals: 1,
          immediates: 0,
          descriptions: ['setInterval 1000 ms (virtual)'],
        },
      },
    ]);
  });

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'a rejection left by invoke 1 [%s] fails invoke 2 while it runs, or kills the runtime at the thaw after idle time',
    async (runtime) => {
      const v3 = runtime === 'nodejs22.x';
      const during = make(kind, { runtime });
      await invoke(during, 'reject', 1);
      const failed = await invoke(during, 'reject', 2);
      expect([failed.outcome, String(failed.value).split('\n')[0]]).toEqual(
        v3
          ? ['error', 'Error: left over']
          : ['error', `RequestId: ${ID(2)} Error: Runtime exited with error: exit status 1`],
      );
      if (v3) expect(failed.lines.map(([line]) => line)).toContain('Unhandled Promise Rejection');

      const gap = make(kind, { runtime });
      await invoke(gap, 'reject', 1);
      gap.passIdleTime(5);
      const thawed = await invoke(gap, 'reject', 2);
      expect([thawed.outcome, thawed.value]).toEqual([
        'error',
        `RequestId: ${ID(2)} Error: Runtime exited with error: exit status ${v3 ? 128 : 1}`,
      ]);
      if (v3) expect(thawed.lines[0]).toEqual(['Unhandled Promise Rejection', ID(1)]);
      // A new runtime in the same environment: its virtual clock goes on from the dead one's.
      expect(await invoke(gap, 'timer', 3)).toMatchObject({
        coldStart: true,
        value: `done 3 at ${iso(5_000)}`,
      });
    },
  );

  it('init runs on the virtual clock: its timer is frozen with the environment and fires at the thaw once due', async () => {
    const fn = make(kind, { env: { INIT_TIMER: 'yes' } });
    const first = await fn.invoke({ probe: 'timer', n: 0 }, { requestId: ID(1) });
    if (first.outcome === 'throttled') throw new Error('throttled');
    // The module's top-level await on a 5 s virtual timer took no wall time.
    expect(first.initDurationMs).toBeLessThan(5_000);
    expect(seen(first)).toMatchObject({
      value: `done 0 at ${iso(5_000)}`,
      pending: ['setTimeout 30000 ms (virtual, scheduled during init)'],
    });
    fn.passIdleTime(45);
    expect((await invoke(fn, 'timer', 2)).lines).toEqual([[`init timer at ${iso(50_000)}`, ID(1)]]);
  });

  it("on the simulators' timeline (invocations with their own startMs) a batch's timer fires at the thaw of the next batch once due", async () => {
    const fn = make(kind);
    const at = (ms: number) => ({ clock: { mode: 'virtual', startMs: T0 + ms } }) as const;
    expect((await invoke(fn, 'batch', 1, at(0))).lines).toEqual([]);
    const second = await invoke(fn, 'batch', 2, at(20_000));
    expect(second.lines).toEqual([[`flushed batch 1 at ${iso(20_000)}`, ID(1)]]);
    expect(second.firstAfterStart).toBe(`flushed batch 1 at ${iso(20_000)}`);
    const third = await invoke(fn, 'batch', 3, at(21_000));
    expect([third.lines, third.pending]).toEqual([
      [],
      [`setTimeout 5000 ms (virtual, scheduled by invocation ${ID(2)})`, 'setTimeout 5000 ms (virtual)'],
    ]);
  });

  it('an instance recycled while frozen drops its virtual timers and says so', async () => {
    const fn = make(kind, { idleTimeout: 60 });
    await invoke(fn, 'never', 1);
    expect(fn.passIdleTime(61)).toBe(1);
    expect(fn.stats.droppedWork).toEqual([
      {
        instanceId: expect.any(String),
        reason: 'recycled',
        pendingWork: {
          timers: 1,
          intervals: 0,
          immediates: 0,
          descriptions: ['setTimeout 600000 ms (virtual)'],
        },
      },
    ]);
    const next = await invoke(fn, 'timer', 2);
    expect([next.coldStart, next.lines]).toEqual([true, []]);
  });

  it('on the real clock a timer that fell due while frozen runs right after the thaw, tagged with the last-started request id', async () => {
    const fn = make(kind, { clock: 'real' });
    expect((await invoke(fn, 'real', 1)).pending).toEqual(['setTimeout 100 ms']);
    await pause(300);
    const next = await invoke(fn, 'real', 2);
    expect([next.firstAfterStart, next.lines]).toEqual([
      'real timer of invoke 1',
      [['real timer of invoke 1', ID(1)]],
    ]);
  });
});
