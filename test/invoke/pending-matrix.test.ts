// Issue 12 matrix: each kind of pending work x handler style x where it started, on nodejs22.x
// and nodejs24.x; then the freeze cases. Each row asserts the response, the outcome and which
// invocation's logs hold the work's lines.
import { execFile } from 'node:child_process';
import { pbkdf2, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns';
import { readFile } from 'node:fs';
import { readFile as readFileP } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InvocationResult, RuntimeName } from '../../src/invoke/result.js';
import { createFunction, type FunctionResult, type LambdaFunction } from '../../src/lifecycle/index.js';

const ID1 = '11111111-1111-4111-8111-111111111111';
const ID2 = '22222222-2222-4222-8222-222222222222';
const SELF = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const nativeImport = require('../fixtures/invoke/pending/native-import.cjs') as {
  importDep(done: (value: string) => void): void;
};

// A server owned by the test process: its handle is never the environment's work.
let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => setTimeout(() => res.end('pong'), 15));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

type Done = (value: string) => void;

/** Each kind starts real work and calls done(value) from that work's own callback. */
const KINDS: Record<string, (done: Done) => void> = {
  setTimeout: (done) => setTimeout(() => done('timer'), 25),
  setImmediate: (done) => setImmediate(() => setTimeout(() => done('immediate'), 5)),
  'fs callback': (done) => readFile(SELF, () => done('fs')),
  'fs promise': (done) => void readFileP(SELF).then(() => done('fs promise')),
  zlib: (done) => zlib.gunzip(zlib.gzipSync('zipped'), (_e, r) => done(r.toString())),
  'crypto randomBytes': (done) => randomBytes(16, () => done('random')),
  'crypto pbkdf2': (done) => pbkdf2('p', 's', 20_000, 32, 'sha256', () => done('pbkdf2')),
  dns: (done) => lookup('localhost', () => done('dns')),
  http: (done) =>
    void http.get({ host: '127.0.0.1', port, agent: new http.Agent({ keepAlive: true }) }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => done(body));
    }),
  'child process': (done) =>
    execFile(process.execPath, ['-e', 'process.stdout.write("child")'], (_e, out) => done(out)),
  'worker thread': (done) => {
    const w = new Worker('require("node:worker_threads").parentPort.postMessage("worker")', { eval: true });
    w.once('message', (m) => done(String(m)));
  },
  MessagePort: (done) => {
    const { port1, port2 } = new MessageChannel();
    port2.once('message', (m) => {
      port1.close();
      port2.close();
      done(String(m));
    });
    setTimeout(() => port1.postMessage('port'), 10);
  },
  // Through Node's loader, from a natively required CommonJS module (see docs/invoke.md for an
  // import() that the test runner itself resolves).
  'dynamic import': (done) => nativeImport.importDep(done),
  'stream pipeline': (done) => {
    let out = '';
    void pipeline(
      Readable.from([Buffer.from('piped')]),
      zlib.createGzip(),
      zlib.createGunzip(),
      new Writable({
        write(chunk, _enc, cb) {
          out += String(chunk);
          cb();
        },
      }),
    ).then(() => done(out));
  },
};

const EXPECTED: Record<string, string> = {
  setTimeout: 'timer',
  setImmediate: 'immediate',
  'fs callback': 'fs',
  'fs promise': 'fs promise',
  zlib: 'zipped',
  'crypto randomBytes': 'random',
  'crypto pbkdf2': 'pbkdf2',
  dns: 'dns',
  http: 'pong',
  'child process': 'child',
  'worker thread': 'worker',
  MessagePort: 'port',
  'dynamic import': 'from dep.mjs',
  'stream pipeline': 'piped',
};

type Style = 'async awaiting it' | 'callback completing from it' | 'callback answering early';
type Where = 'this invoke' | 'init' | 'previous invoke';
type Handler = (event: { n: number }, context: unknown, callback?: unknown) => unknown;

const fns: LambdaFunction[] = [];
afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

/** A function whose module (built by `make` at each cold start, inside init) holds the handler. */
function fnOf(make: () => Handler, runtime: RuntimeName, clock?: 'virtual'): LambdaFunction {
  const fn = createFunction({
    handler: () => ({ handler: make() }),
    handlerName: 'index.handler',
    runtime,
    timeout: 5,
    ...(clock ? { clock } : {}),
    isolation: { name: 'copy', load: async (loader) => ({ ...((await loader()) as object) }) },
  });
  fns.push(fn);
  return fn;
}

function ran(result: FunctionResult): InvocationResult {
  if (result.outcome === 'throttled') expect.fail('throttled');
  return result;
}

function module(kind: string, style: Style, where: Where): () => Handler {
  const start = KINDS[kind] as (done: Done) => void;
  return () => {
    // The work as a promise, started where the row says.
    let started: Promise<string> | undefined;
    const begin = () => {
      started ??= new Promise<string>((resolve) => start(resolve));
      return started;
    };
    if (where === 'init') void begin();
    const work = (e: { n: number }) => {
      if (where === 'previous invoke' && e.n === 1) return begin();
      return begin();
    };
    if (style === 'async awaiting it') {
      return async (e) => {
        const p = work(e);
        if (where === 'previous invoke' && e.n === 1) return 'started';
        return await p;
      };
    }
    if (style === 'callback completing from it') {
      return (e, _c, cb) => {
        const p = work(e);
        const callback = cb as (err: unknown, value?: unknown) => void;
        if (where === 'previous invoke' && e.n === 1) return callback(null, 'started');
        void p.then((v) => callback(null, v));
      };
    }
    // Answers at once; the work's line is logged from the work's own callback.
    return (e, _c, cb) => {
      void work(e).then((v) => console.log(`work done: ${v}`));
      (cb as (err: unknown, value?: unknown) => void)(null, 'early');
    };
  };
}

const STYLES_V3: readonly Style[] = [
  'async awaiting it',
  'callback completing from it',
  'callback answering early',
];
const WHERE: readonly Where[] = ['this invoke', 'init', 'previous invoke'];

const rows: [RuntimeName, string, Style, Where][] = [];
for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const)
  for (const kind of Object.keys(KINDS))
    for (const style of runtime === 'nodejs24.x' ? (['async awaiting it'] as const) : STYLES_V3)
      for (const where of WHERE) rows.push([runtime, kind, style, where]);

describe('pending work keeps the invocation alive (kind x handler style x where it started x runtime)', () => {
  it.each(rows)('[%s] %s, %s, started in %s', async (runtime, kind, style, where) => {
    const fn = fnOf(module(kind, style, where), runtime);
    const expected = EXPECTED[kind] as string;
    if (where === 'previous invoke') {
      const first = ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
      expect(first.outcome === 'success' && first.response).toBe(
        style === 'callback answering early' ? 'early' : 'started',
      );
    }
    const result = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
    expect(result.outcome).toBe('success');
    if (style === 'callback answering early') {
      // callbackWaitsForEmptyEventLoop: the response waits for the work, whose line is in this
      // invocation's logs, before END.
      expect(result.outcome === 'success' && result.response).toBe('early');
      const texts = result.logs.map((l) => l.text);
      const at = texts.findIndex((t) => t.endsWith(`work done: ${expected}`));
      expect(at).toBeGreaterThan(-1);
      expect(at).toBeLessThan(texts.findIndex((t) => t.startsWith('END ')));
    } else expect(result.outcome === 'success' && result.response).toBe(expected);
    expect(result.coldStart).toBe(where !== 'previous invoke');
  });
});

describe('freeze cases', () => {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /**
   * These cases need real time to pass with the function frozen (the gap) or not (no gap), so a
   * timer's delay must outlast two back-to-back invocations. Instead of a fixed few ms (which a
   * loaded machine overruns), 20 times a warm invoke-invoke pair measured here and now, never under
   * `min` ms.
   */
  async function delayBeyondTwoInvokes(runtime: RuntimeName, min: number): Promise<number> {
    const probe = fnOf(() => async (e) => `done ${e.n}`, runtime);
    ran(await probe.invoke({ n: 0 }));
    const started = performance.now();
    ran(await probe.invoke({ n: 1 }));
    ran(await probe.invoke({ n: 2 }));
    return Math.max(min, Math.ceil((performance.now() - started) * 20));
  }
  const lines = (r: InvocationResult, text: string) =>
    r.logs.filter((l) => String(l.message).startsWith(text));

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'a timer left by invoke 1 [%s]: with an idle gap it fires at the thaw of invoke 2 (tagged invoke 1); without one it keeps its due time',
    async (runtime) => {
      const delay = await delayBeyondTwoInvokes(runtime, 30);
      const fn = fnOf(
        () => async (e) => {
          if (e.n === 1) setTimeout(() => console.log('timer of invoke 1'), delay);
          return `done ${e.n}`;
        },
        runtime,
      );
      const first = ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
      expect(first.pendingWork.descriptions).toEqual([`setTimeout ${delay} ms`]);
      const noGap = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
      expect(lines(noGap, 'timer of invoke 1')).toEqual([]);
      expect(noGap.pendingWork.descriptions).toEqual([
        `setTimeout ${delay} ms (scheduled by invocation ${ID1})`,
      ]);
      await pause(delay + 20);
      const afterGap = ran(await fn.invoke({ n: 3 }, { requestId: ID1.replace(/1/g, '3') }));
      expect(afterGap.outcome === 'success' && afterGap.response).toBe('done 3');
      expect(lines(afterGap, 'timer of invoke 1').map((l) => l.requestId)).toEqual([ID2]);
      expect(afterGap.logs[1]?.message).toBe('timer of invoke 1');
      expect(afterGap.pendingWork.timers).toBe(0);
    },
  );

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'an interval left by invoke 1 [%s]: nothing runs while frozen; one catch-up tick at the thaw; dispose drops it and says so',
    async (runtime) => {
      let ticks = 0;
      const fn = fnOf(
        () => async (e) => {
          if (e.n === 1) setInterval(() => console.log(`tick ${++ticks}`), 10);
          return `done ${e.n}`;
        },
        runtime,
      );
      ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
      const before = ticks;
      await pause(60);
      expect(ticks).toBe(before);
      const second = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
      const tickLines = lines(second, 'tick');
      expect(tickLines[0]?.requestId).toBe(ID1);
      expect(second.logs[1]?.message).toBe(`tick ${before + 1}`);
      expect(second.pendingWork.intervals).toBe(1);
      await fn.dispose();
      const after = ticks;
      await pause(40);
      expect(ticks).toBe(after);
      expect(fn.stats.frozenWorkDropped).toBe(1);
    },
  );

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'a rejection left by invoke 1 [%s]: without a gap it fails invoke 2 during it; with a gap the process dies at the thaw',
    async (runtime) => {
      const v3 = runtime !== 'nodejs24.x';
      const delay = await delayBeyondTwoInvokes(runtime, 20);
      const make = () => async (e: { n: number }) => {
        if (e.n === 1) setTimeout(() => Promise.reject(new Error('left over')), delay);
        else await pause(2 * delay);
        return `done ${e.n}`;
      };
      const during = fnOf(make, runtime);
      ran(await during.invoke({ n: 1 }, { requestId: ID1 }));
      const second = ran(await during.invoke({ n: 2 }, { requestId: ID2 }));
      expect(second.outcome).toBe('error');
      if (second.outcome !== 'error') return;
      expect(second.error.errorType).toBe(v3 ? 'Runtime.UnhandledPromiseRejection' : 'Runtime.ExitError');

      const gap = fnOf(make, runtime);
      ran(await gap.invoke({ n: 1 }, { requestId: ID1 }));
      await pause(2 * delay);
      const thawed = ran(await gap.invoke({ n: 2 }, { requestId: ID2 }));
      expect(thawed.outcome === 'error' && thawed.error.errorMessage).toBe(
        `RequestId: ${ID2} Error: Runtime exited with error: exit status ${v3 ? 128 : 1}`,
      );
      expect(ran(await gap.invoke({ n: 3 })).coldStart).toBe(true);
    },
  );

  it('I/O that completes while frozen: its line is carried into the next invocation (in-process limit, documented)', async () => {
    const fn = fnOf(
      () => async (e) => {
        if (e.n === 1) readFile(SELF, () => console.log('read finished while frozen'));
        return `done ${e.n}`;
      },
      'nodejs22.x',
    );
    const first = ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
    await pause(50);
    const second = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
    const all = [...first.logs, ...second.logs].filter((l) => l.message === 'read finished while frozen');
    expect(all).toHaveLength(1);
    expect(all[0]?.requestId).toBe(ID1);
  });
});

describe('freeze cases on the virtual clock (idle time is passIdleTime)', () => {
  const ID3 = '33333333-3333-4333-8333-333333333333';
  const lines = (r: InvocationResult, text: string) =>
    r.logs.filter((l) => String(l.message).startsWith(text));
  const T0 = Date.UTC(2024, 0, 1);

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'a timer left by invoke 1 [%s]: without an idle gap it keeps its due time; after passIdleTime it fires at the thaw of the next invoke, at the thaw time',
    async (runtime) => {
      const fn = createFunction({
        handler: () => ({
          handler: async (e: { n: number }) => {
            if (e.n === 1)
              setTimeout(() => console.log(`timer of invoke 1 at ${new Date().toISOString()}`), 30_000);
            return `done ${e.n} at ${Date.now() - T0}`;
          },
        }),
        handlerName: 'index.handler',
        runtime,
        clock: { mode: 'virtual', startMs: T0 },
        isolation: { name: 'copy', load: async (loader) => ({ ...((await loader()) as object) }) },
      });
      fns.push(fn);
      const first = ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
      expect(first.outcome === 'success' && first.response).toBe('done 1 at 0');
      expect(first.pendingWork.descriptions).toEqual(['setTimeout 30000 ms (virtual)']);
      // No idle gap: invoke 2 starts where invoke 1 ended; the timer is not due.
      const noGap = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
      expect(noGap.outcome === 'success' && noGap.response).toBe(`done 2 at ${first.durationMs}`);
      expect(lines(noGap, 'timer of invoke 1')).toEqual([]);
      expect(noGap.pendingWork.descriptions).toEqual([
        `setTimeout 30000 ms (virtual, scheduled by invocation ${ID1})`,
      ]);
      // 60 s of virtual idle time: the timer fell due while frozen and fires at the thaw.
      fn.passIdleTime(60);
      const afterGap = ran(await fn.invoke({ n: 3 }, { requestId: ID3 }));
      const at = 60_000 + first.durationMs + noGap.durationMs;
      expect(afterGap.outcome === 'success' && afterGap.response).toBe(`done 3 at ${at}`);
      const fired = lines(afterGap, 'timer of invoke 1');
      expect(fired.map((l) => l.requestId)).toEqual([ID2]);
      expect(fired[0]?.message).toBe(`timer of invoke 1 at ${new Date(T0 + at).toISOString()}`);
      expect(afterGap.logs[1]).toBe(fired[0]); // right after START
      expect(afterGap.pendingWork.timers).toBe(0);
    },
  );

  it('timers that fell due in the gap run at the thaw in the order Node runs them (one list per duration, lists by their first due time)', async () => {
    const fn = fnOf(
      () => async (e) => {
        if (e.n === 1) {
          // Scheduled A, B, C, D; due B (10 s), D (20 s), A and C (30 s), as plain Node runs them
          // after a blocked loop.
          setTimeout(() => console.log('timer A30'), 30_000);
          setTimeout(() => console.log('timer B10'), 10_000);
          setTimeout(() => console.log('timer C30'), 30_000);
          setTimeout(() => console.log('timer D20'), 20_000);
        }
        return e.n;
      },
      'nodejs22.x',
      'virtual',
    );
    ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
    fn.passIdleTime(60);
    const thawed = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
    expect(lines(thawed, 'timer ').map((l) => l.message)).toEqual([
      'timer B10',
      'timer D20',
      'timer A30',
      'timer C30',
    ]);
  });

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'an interval left by invoke 1 [%s]: one catch-up tick at the thaw, then it keeps its period; recycling drops it and says so',
    async (runtime) => {
      let ticks = 0;
      const fn = fnOf(
        () => async (e) => {
          if (e.n === 1) setInterval(() => console.log(`tick ${++ticks}`), 1_000);
          return `done ${e.n}`;
        },
        runtime,
        'virtual',
      );
      ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
      fn.passIdleTime(10);
      expect(ticks).toBe(0);
      const second = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
      expect(second.outcome === 'success' && second.response).toBe('done 2');
      expect(lines(second, 'tick').map((l) => [l.message, l.requestId])).toEqual([['tick 1', ID1]]);
      expect(second.logs[1]?.message).toBe('tick 1');
      expect(second.pendingWork.descriptions).toEqual([
        `setInterval 1000 ms (virtual, scheduled by invocation ${ID1})`,
      ]);
      // Half a period later: not due yet.
      fn.passIdleTime(0.5);
      const third = ran(await fn.invoke({ n: 3 }, { requestId: ID3 }));
      expect(lines(third, 'tick')).toEqual([]);
      expect(ticks).toBe(1);
      fn.passIdleTime(2);
      const fourth = ran(await fn.invoke({ n: 4 }));
      expect(lines(fourth, 'tick').map((l) => [l.message, l.requestId])).toEqual([['tick 2', ID3]]);
      await fn.dispose();
      expect(fn.stats.frozenWorkDropped).toBe(1);
      expect(fn.stats.droppedWork[0]?.pendingWork.intervals).toBe(1);
      expect(ticks).toBe(2);
    },
  );

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'a rejection left by invoke 1 [%s]: without a gap it fails invoke 2 during it; with a gap the process dies at the thaw',
    async (runtime) => {
      const v3 = runtime !== 'nodejs24.x';
      const make = () => async (e: { n: number }) => {
        if (e.n === 1) setTimeout(() => Promise.reject(new Error('left over')), 2_000);
        else await new Promise((r) => setTimeout(r, 4_000));
        return `done ${e.n}`;
      };
      const during = fnOf(make, runtime, 'virtual');
      const first = ran(await during.invoke({ n: 1 }, { requestId: ID1 }));
      expect(first.outcome === 'success' && first.response).toBe('done 1');
      const second = ran(await during.invoke({ n: 2 }, { requestId: ID2 }));
      expect(second.outcome).toBe('error');
      if (second.outcome !== 'error') return;
      expect(second.error.errorType).toBe(v3 ? 'Runtime.UnhandledPromiseRejection' : 'Runtime.ExitError');
      if (v3) expect(lines(second, 'Unhandled Promise Rejection').map((l) => l.requestId)).toEqual([ID2]);
      expect(second.durationMs).toBeLessThan(4_000);

      const gap = fnOf(make, runtime, 'virtual');
      ran(await gap.invoke({ n: 1 }, { requestId: ID1 }));
      gap.passIdleTime(5);
      const thawed = ran(await gap.invoke({ n: 2 }, { requestId: ID2 }));
      expect(thawed.outcome === 'error' && thawed.error.errorMessage).toBe(
        `RequestId: ${ID2} Error: Runtime exited with error: exit status ${v3 ? 128 : 1}`,
      );
      if (v3) expect(lines(thawed, 'Unhandled Promise Rejection').map((l) => l.requestId)).toEqual([ID1]);
      expect(ran(await gap.invoke({ n: 3 })).coldStart).toBe(true);
    },
  );

  it('a callback handler waiting for an empty loop on nodejs22.x also waits for the timer invoke 1 left (one event loop per environment)', async () => {
    const fn = fnOf(
      () => (e, c, cb) => {
        if (e.n === 1) {
          setTimeout(() => console.log('timer of invoke 1'), 2_000);
          (c as { callbackWaitsForEmptyEventLoop: boolean }).callbackWaitsForEmptyEventLoop = false;
        }
        (cb as (err: unknown, v: unknown) => void)(null, e.n === 1 ? 'first' : 'second');
      },
      'nodejs22.x',
      'virtual',
    );
    const first = ran(await fn.invoke({ n: 1 }, { requestId: ID1 }));
    expect(first.outcome === 'success' && first.response).toBe('first');
    expect(lines(first, 'timer of invoke 1')).toEqual([]);
    const second = ran(await fn.invoke({ n: 2 }, { requestId: ID2 }));
    expect(second.outcome === 'success' && second.response).toBe('second');
    // Not due at the thaw: it fires during invoke 2, which waits for it, tagged with invoke 2's id.
    expect(lines(second, 'timer of invoke 1').map((l) => l.requestId)).toEqual([ID2]);
    expect(second.durationMs).toBeGreaterThanOrEqual(2_000 - first.durationMs);
    expect(second.pendingWork.timers).toBe(0);
  });

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    'a timer left by init [%s]: it runs on the virtual clock, is frozen with the environment and fires at the thaw once due',
    async (runtime) => {
      const fn = createFunction({
        handler: () => {
          setTimeout(() => console.log(`init timer at ${Date.now() - T0}`), 30_000);
          return { handler: async () => 'ok' };
        },
        handlerName: 'index.handler',
        runtime,
        clock: { mode: 'virtual', startMs: T0 },
        isolation: { name: 'copy', load: async (loader) => ({ ...((await loader()) as object) }) },
      });
      fns.push(fn);
      const first = ran(await fn.invoke({}, { requestId: ID1 }));
      expect(first.pendingWork.descriptions).toEqual([
        'setTimeout 30000 ms (virtual, scheduled during init)',
      ]);
      expect(lines(first, 'init timer')).toEqual([]);
      fn.passIdleTime(45);
      const second = ran(await fn.invoke({}, { requestId: ID2 }));
      expect(lines(second, 'init timer').map((l) => [l.message, l.requestId])).toEqual([
        [`init timer at ${45_000 + first.durationMs}`, ID1],
      ]);
    },
  );

  it('a module awaiting a virtual timer at init (top-level await) completes init at once on the virtual clock', async () => {
    const fn = createFunction({
      handler: async () => {
        await new Promise((r) => setTimeout(r, 5_000));
        return { handler: async () => Date.now() - T0 };
      },
      handlerName: 'index.handler',
      runtime: 'nodejs24.x',
      clock: { mode: 'virtual', startMs: T0 },
      isolation: { name: 'copy', load: async (loader) => ({ ...((await loader()) as object) }) },
    });
    fns.push(fn);
    const first = ran(await fn.invoke({}));
    expect(first.outcome === 'success' && first.response).toBe(5_000);
    expect(first.initDurationMs).toBeLessThan(5_000);
  });

  it('an instance recycled while frozen drops its virtual timers and says so', async () => {
    const fn = createFunction({
      handler: () => ({
        handler: async () => {
          setTimeout(() => console.log('never'), 600_000);
          return 'ok';
        },
      }),
      handlerName: 'index.handler',
      runtime: 'nodejs24.x',
      clock: 'virtual',
      idleTimeout: 60,
      isolation: { name: 'copy', load: async (loader) => ({ ...((await loader()) as object) }) },
    });
    fns.push(fn);
    ran(await fn.invoke({}));
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
    const next = ran(await fn.invoke({}));
    expect(next.coldStart).toBe(true);
    expect(lines(next, 'never')).toEqual([]);
  });
});
