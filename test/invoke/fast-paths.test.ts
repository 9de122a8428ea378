/**
 * The invoker's fast paths (settings reused per options object, warm invocations skipping the
 * silent init step, closure-free deadline timers) must behave exactly like the slow paths.
 */
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { type InvokeOptions, invokeHandler } from '../../src/invoke/index.js';

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('options reused across invocations', () => {
  it('validates a mutated options object again', async () => {
    const options: { -readonly [K in keyof InvokeOptions]: InvokeOptions[K] } = { timeout: 1 };
    const first = await invokeHandler(
      async (_e: unknown, ctx: { getRemainingTimeInMillis(): number }) => ctx.getRemainingTimeInMillis(),
      {},
      options,
    );
    expect(first.outcome === 'success' && (first.response as number)).toBeLessThanOrEqual(1000);
    options.timeout = 0;
    await expect(invokeHandler(async () => 1, {}, options)).rejects.toThrow(/options\.timeout/);
    options.timeout = 2;
    const second = await invokeHandler(
      async (_e: unknown, ctx: { getRemainingTimeInMillis(): number }) => ctx.getRemainingTimeInMillis(),
      {},
      options,
    );
    expect(second.outcome === 'success' && (second.response as number)).toBeGreaterThan(1000);
  });

  it('sees env entries changed in place and a changed clock option', async () => {
    const env: Record<string, string | undefined> = { TABLE: 'a' };
    const options: { -readonly [K in keyof InvokeOptions]: InvokeOptions[K] } = { env };
    const read = async () => ({ table: process.env.TABLE ?? null, now: Date.now() });
    const a = await invokeHandler(read, {}, options);
    env.TABLE = 'b';
    const b = await invokeHandler(read, {}, options);
    delete env.TABLE;
    const c = await invokeHandler(read, {}, options);
    expect([a, b, c].map((r) => r.outcome === 'success' && (r.response as { table: unknown }).table)).toEqual(
      ['a', 'b', null],
    );
    options.clock = { mode: 'virtual', startMs: 1000 };
    const v = await invokeHandler(read, {}, options);
    (options.clock as { startMs: number }).startMs = 5000;
    const w = await invokeHandler(read, {}, options);
    expect([v, w].map((r) => r.outcome === 'success' && (r.response as { now: number }).now)).toEqual([
      1000, 5000,
    ]);
    options.clock = 'bogus' as never;
    await expect(invokeHandler(read, {}, options)).rejects.toBeInstanceOf(HarnessError);
  });

  it('reads LAMBDA_HARNESS_LOGS=echo on each call when logs is not set', async () => {
    const options: InvokeOptions = { functionName: 'echoes' };
    const written: string[] = [];
    const realWrite = process.stdout.write;
    await invokeHandler(async () => 1, {}, options);
    process.env.LAMBDA_HARNESS_LOGS = 'echo';
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await invokeHandler(async () => 1, {}, options);
    } finally {
      process.stdout.write = realWrite;
      delete process.env.LAMBDA_HARNESS_LOGS;
    }
    expect(written.some((l) => l.startsWith('REPORT RequestId:'))).toBe(true);
  });
});

describe('warm invocations without the init step', () => {
  it('still fail init for a callback-arity handler on nodejs24.x and a malformed handler name', async () => {
    const r = await invokeHandler((_e: unknown, _c: unknown, _cb: unknown) => undefined, {});
    expect(r.outcome === 'error' && r.phase === 'init' && r.error.errorType).toBe(
      'Runtime.CallbackHandlerDeprecated',
    );
    const bad = await invokeHandler(async () => 1, {}, { handler: 'nodot' });
    expect(bad.outcome === 'error' && bad.phase === 'init' && bad.error.errorType).toBe(
      'Runtime.MalformedHandlerName',
    );
  });

  it('places the init logs before START only on a cold start', async () => {
    const warm = await invokeHandler(async () => 1, {});
    const cold = await invokeHandler(async () => 1, {}, { coldStart: true });
    expect(warm.logs[0]?.text).toMatch(/^START /);
    expect(cold.logs[0]?.text).toMatch(/^INIT_START /);
    expect(cold.report.initDurationMs).toBeTypeOf('number');
    expect(warm.report.initDurationMs).toBeUndefined();
  });
});

describe('real-time deadline timers', () => {
  it('times out overlapping invocations with different timeouts at their own deadlines', async () => {
    const never = () =>
      new Promise(() => {
        setInterval(() => {}, 1000);
      });
    const started = performance.now();
    const ends: Record<string, number> = {};
    const track = (name: string, p: Promise<{ outcome: string; durationMs: number }>) =>
      p.then((r) => {
        ends[name] = performance.now() - started;
        return [r.outcome, r.durationMs];
      });
    const results = await Promise.all([
      track('long', invokeHandler(never, {}, { timeout: 0.3 })),
      track('short', invokeHandler(never, {}, { timeout: 0.05 })),
      track('mid', invokeHandler(never, {}, { timeout: 0.15 })),
      track(
        'fast',
        invokeHandler(async () => 'ok', {}, { timeout: 0.05 }),
      ),
    ]);
    expect(results).toEqual([
      ['timeout', 300],
      ['timeout', 50],
      ['timeout', 150],
      ['success', expect.any(Number)],
    ]);
    expect(ends.short).toBeGreaterThanOrEqual(48);
    expect(ends.mid).toBeGreaterThanOrEqual(148);
    expect(ends.long).toBeGreaterThanOrEqual(298);
    expect(ends.short as number).toBeLessThan(ends.mid as number);
    expect(ends.mid as number).toBeLessThan(ends.long as number);
  });

  it("leaves no ref'd timer behind after an invocation", async () => {
    const before = timeouts();
    await invokeHandler(async () => new Promise((r) => setImmediate(r)), {}, { timeout: 30 });
    expect(timeouts()).toBe(before);
  });
});
