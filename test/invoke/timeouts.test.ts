import { afterEach, describe, expect, it, vi } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('real-time timeouts', () => {
  it('ends the invocation at the deadline with Sandbox.Timedout and the platform lines', async () => {
    const started = performance.now();
    const result = await invokeHandler(
      () =>
        new Promise(() => {
          setInterval(() => {}, 1000);
        }),
      {},
      { timeout: 0.1, requestId: '22222222-2222-4222-8222-222222222222' },
    );
    const elapsed = performance.now() - started;
    expect(result.outcome).toBe('timeout');
    if (result.outcome !== 'timeout') return;
    expect(result.error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage:
        'RequestId: 22222222-2222-4222-8222-222222222222 Error: Task timed out after 0.10 seconds',
    });
    expect(elapsed).toBeGreaterThanOrEqual(99);
    expect(elapsed).toBeLessThan(400);
    expect(result.durationMs).toBe(100);
    expect(result.billedDurationMs).toBe(100);
    expect(result.report.status).toBe('timeout');
    const texts = result.logs.map((l) => l.text);
    expect(texts.at(-3)).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z 22222222-2222-4222-8222-222222222222 Task timed out after 0\.10 seconds$/,
    );
    expect(texts.at(-2)).toBe('END RequestId: 22222222-2222-4222-8222-222222222222');
    expect(texts.at(-1)).toBe(
      'REPORT RequestId: 22222222-2222-4222-8222-222222222222\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tStatus: timeout\t',
    );
    expect(result.pendingWork.intervals).toBe(1);
  });

  it('a late result is ignored and its logs after the deadline are not attributed', async () => {
    let finished = false;
    const result = await invokeHandler(
      async () => {
        await new Promise((r) => setTimeout(r, 150));
        finished = true;
        return 'late';
      },
      {},
      { timeout: 0.05 },
    );
    expect(result.outcome).toBe('timeout');
    await new Promise((r) => setTimeout(r, 200));
    expect(finished).toBe(false); // its timer was cleared: Lambda would have killed it
  });

  it('a v3 callback waiting for the event loop times out when the loop never drains', async () => {
    const result = await invokeHandler(
      (_e: unknown, _c: unknown, cb: (e: unknown, r: unknown) => void) => {
        setTimeout(() => {}, 5_000);
        cb(null, 'never posted');
      },
      {},
      { runtime: 'nodejs22.x', timeout: 0.1 },
    );
    expect(result.outcome).toBe('timeout');
  });

  it('the message formats the configured timeout with two decimals', async () => {
    const result = await invokeHandler(
      async () => new Promise(() => setInterval(() => {}, 10)),
      {},
      { timeout: 3, clock: 'virtual' },
    );
    expect(result.outcome === 'timeout' && result.error.errorMessage).toMatch(
      /Task timed out after 3\.00 seconds$/,
    );
  });
});

describe('virtual time', () => {
  it('a 10-minute sleep inside a 15-minute function completes in milliseconds', async () => {
    const started = performance.now();
    const result = await invokeHandler(
      async (_e: unknown, ctx: { getRemainingTimeInMillis(): number }) => {
        const before = ctx.getRemainingTimeInMillis();
        const t0 = Date.now();
        await new Promise((r) => setTimeout(r, 10 * 60_000));
        return { before, after: ctx.getRemainingTimeInMillis(), slept: Date.now() - t0 };
      },
      {},
      { timeout: 900, clock: 'virtual' },
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.outcome === 'success' && result.response).toEqual({
      before: 900_000,
      after: 300_000,
      slept: 600_000,
    });
    expect(result.durationMs).toBe(600_000);
    expect(result.billedDurationMs).toBe(600_000);
  });

  it('a never-settling 15-minute function times out at exactly 900 s of virtual time', async () => {
    const started = performance.now();
    const result = await invokeHandler(
      async () => new Promise(() => setTimeout(() => {}, 20 * 60_000)),
      {},
      { timeout: 900, clock: 'virtual' },
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.outcome).toBe('timeout');
    expect(result.durationMs).toBe(900_000);
  });

  it('is deterministic: a pinned start gives identical timestamps and results', async () => {
    const run = () =>
      invokeHandler(
        async () => {
          const seen: number[] = [];
          const iv = setInterval(() => seen.push(Date.now()), 1000);
          await new Promise((r) => setTimeout(r, 3500));
          clearInterval(iv);
          console.log('done at', new Date().toISOString());
          return seen;
        },
        {},
        {
          timeout: 10,
          clock: { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) },
          requestId: '33333333-3333-4333-8333-333333333333',
        },
      );
    const a = await run();
    const b = await run();
    const start = Date.UTC(2024, 0, 1);
    expect(a.outcome === 'success' && a.response).toEqual([start + 1000, start + 2000, start + 3000]);
    expect(a.logs.map((l) => l.text)).toEqual(b.logs.map((l) => l.text));
    expect(a.logs[1]?.text).toBe(
      '2024-01-01T00:00:03.500Z\t33333333-3333-4333-8333-333333333333\tINFO\tdone at 2024-01-01T00:00:03.500Z',
    );
  });

  it('overlapping virtual invocations each run on their own clock', async () => {
    const sleeper = async (e: { ms: number }) => {
      await new Promise((r) => setTimeout(r, e.ms));
      return Date.now();
    };
    const [a, b] = await Promise.all([
      invokeHandler(sleeper, { ms: 120_000 }, { timeout: 900, clock: { mode: 'virtual', startMs: 0 } }),
      invokeHandler(sleeper, { ms: 5_000 }, { timeout: 900, clock: { mode: 'virtual', startMs: 1_000_000 } }),
    ]);
    expect(a.outcome === 'success' && a.response).toBe(120_000);
    expect(b.outcome === 'success' && b.response).toBe(1_005_000);
  });

  it('the test process clock is untouched during and after a virtual invocation', async () => {
    const outside: number[] = [];
    const result = await invokeHandler(
      async () => {
        await new Promise((r) => setTimeout(r, 60_000));
        return Date.now();
      },
      {},
      { timeout: 120, clock: { mode: 'virtual', startMs: 0 } },
    );
    outside.push(Date.now());
    expect(result.outcome === 'success' && result.response).toBe(60_000);
    expect(outside[0]).toBeGreaterThan(1_600_000_000_000);
    expect(globalThis.setTimeout.name).not.toBe('');
  });

  it('v3 callback waiting for the loop: the 500 ms timer runs virtually first', async () => {
    const result = await invokeHandler(
      (_e: unknown, _c: unknown, cb: (e: unknown, r: unknown) => void) => {
        setTimeout(() => console.log('timer'), 500);
        cb(null, 'done');
      },
      {},
      { runtime: 'nodejs22.x', clock: 'virtual' },
    );
    expect(result.outcome === 'success' && result.response).toBe('done');
    expect(result.durationMs).toBe(500);
    expect(result.logs.some((l) => l.message === 'timer')).toBe(true);
  });
});

describe('coexistence with vi.useFakeTimers()', () => {
  it('real-time mode: the harness deadline still fires while the test has faked timers', async () => {
    vi.useFakeTimers();
    const result = await invokeHandler(
      async () => new Promise((r) => setTimeout(r, 1000)),
      {},
      { timeout: 0.05 },
    );
    expect(result.outcome).toBe('timeout');
  });

  it('real-time mode: handler timers are the user fakes; advancing them completes the invocation', async () => {
    vi.useFakeTimers();
    const pending = invokeHandler(
      async () => {
        await new Promise((r) => setTimeout(r, 1000));
        return 'advanced';
      },
      {},
      { timeout: 2 },
    );
    await vi.advanceTimersByTimeAsync(1000);
    const result = await pending;
    expect(result.outcome === 'success' && result.response).toBe('advanced');
  });

  it('real-time mode: harness durations use the real clock, not the faked Date', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2000-01-01T00:00:00Z'));
    const result = await invokeHandler(async () => 'ok', {});
    expect(result.outcome).toBe('success');
    expect(result.durationMs).toBeLessThan(1000);
  });

  it('virtual mode runs on its own clock and restores the user fakes afterwards', async () => {
    vi.useFakeTimers();
    const fakeSetTimeout = globalThis.setTimeout;
    const result = await invokeHandler(
      async () => {
        await new Promise((r) => setTimeout(r, 5 * 60_000));
        return 'slept';
      },
      {},
      { clock: 'virtual', timeout: 900 },
    );
    expect(result.outcome === 'success' && result.response).toBe('slept');
    expect(globalThis.setTimeout).toBe(fakeSetTimeout);
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 10);
    vi.advanceTimersByTime(10);
    expect(fired).toBe(true);
  });
});
