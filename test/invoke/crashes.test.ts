import { afterEach, describe, expect, it } from 'vitest';
import {
  initFunction,
  invokeFunction,
  invokeHandler,
  resolveFunctionSettings,
} from '../../src/invoke/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

function errorOf(result: InvocationResult) {
  if (result.outcome !== 'error')
    throw new Error(
      `expected error, got ${result.outcome}: ${JSON.stringify(result.outcome === 'success' ? result.response : result.error)}`,
    );
  return result.error;
}

const listenerCounts = () => ({
  uncaught: process.listenerCount('uncaughtException'),
  unhandled: process.listenerCount('unhandledRejection'),
});
const before = {
  emit: process.emit,
  exit: process.exit,
  env: process.env,
  log: console.log,
  write: process.stdout.write,
  listeners: listenerCounts(),
};

afterEach(() => {
  // Nothing the harness installed survives an invocation.
  expect(process.emit).toBe(before.emit);
  expect(process.exit).toBe(before.exit);
  expect(process.env).toBe(before.env);
  expect(console.log).toBe(before.log);
  expect(process.stdout.write).toBe(before.write);
  expect(listenerCounts()).toEqual(before.listeners);
  expect((globalThis as { awslambda?: unknown }).awslambda).toBeUndefined();
  expect(process.env.AWS_LAMBDA_FUNCTION_NAME).toBeUndefined();
});

async function runWithReset(runtime: 'nodejs22.x' | 'nodejs24.x', handler: Function, timeout = 3) {
  const settings = resolveFunctionSettings({ runtime, timeout }, 'test');
  const init = await initFunction({ settings, loader: () => handler, logStreamName: 's' });
  if (!init.ok) throw new Error('init failed');
  return invokeFunction({ settings, handler: init.handler, event: {}, logStreamName: 's' });
}

describe('process-level crashes never reach the test process', () => {
  it('nodejs22.x: an exception thrown from a timer is posted for the current invoke (Uncaught Exception) and resets', async () => {
    const { result, resetRequired, resetReason } = await runWithReset('nodejs22.x', async () => {
      setTimeout(() => {
        throw new Error('thrown from timer');
      }, 5);
      await new Promise((r) => setTimeout(r, 100));
      return 'unreached';
    });
    expect(errorOf(result)).toMatchObject({ errorType: 'Error', errorMessage: 'thrown from timer' });
    expect(errorOf(result).trace?.[0]).toBe('Error: thrown from timer');
    expect(
      result.logs.some((l) =>
        l.text.includes(
          '\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"thrown from timer"',
        ),
      ),
    ).toBe(true);
    expect(resetRequired).toBe(true);
    expect(resetReason).toBe('crash');
  });

  it('nodejs24.x: the same crash is Runtime.ExitError (exit status 1) with the crash print on stderr', async () => {
    const { result, resetRequired } = await runWithReset('nodejs24.x', async () => {
      setTimeout(() => {
        throw new Error('thrown from timer');
      }, 5);
      await new Promise((r) => setTimeout(r, 100));
      return 'unreached';
    });
    expect(errorOf(result)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 1`,
    });
    expect(result.logs.some((l) => l.stream === 'stderr' && l.text === 'Error: thrown from timer')).toBe(
      true,
    );
    expect(result.logs.some((l) => l.text.includes('Invoke Error'))).toBe(false);
    expect(result.report.status).toBe('error');
    expect(result.logs.at(-1)?.text).toContain('\tStatus: error\tError Type: Runtime.ExitError\t');
    expect(resetRequired).toBe(true);
  });

  it('nodejs22.x: an unhandled rejection during the invoke is Runtime.UnhandledPromiseRejection; the later return is lost', async () => {
    const { result, resetReason } = await runWithReset('nodejs22.x', async () => {
      Promise.reject(new Error('floating rejection'));
      await new Promise((r) => setTimeout(r, 20));
      return 'lost';
    });
    expect(errorOf(result)).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: floating rejection',
    });
    expect(errorOf(result).trace?.[0]).toBe('Runtime.UnhandledPromiseRejection: Error: floating rejection');
    const line = result.logs.find((l) => l.text.includes('Unhandled Promise Rejection'));
    expect(line?.text).toContain(
      'ERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"Error: floating rejection","reason":{"errorType":"Error","errorMessage":"floating rejection"',
    );
    expect(line?.text).toContain('"promise":{}');
    expect(resetReason).toBe('crash');
  });

  it('nodejs22.x JSON logs: the rejection line carries the constructor name UnhandledPromiseRejection', async () => {
    const result = await invokeHandler(
      async () => {
        Promise.reject(new Error('floating'));
        await new Promise((r) => setTimeout(r, 20));
      },
      {},
      { runtime: 'nodejs22.x', logFormat: 'JSON' },
    );
    const line = result.logs.find((l) => l.source === 'runtime');
    expect(line?.json?.message).toMatchObject({
      errorType: 'UnhandledPromiseRejection',
      errorMessage: 'Error: floating',
      promise: {},
    });
  });

  it('nodejs24.x: an unhandled rejection is Runtime.ExitError', async () => {
    const { result } = await runWithReset('nodejs24.x', async () => {
      Promise.reject(new Error('floating rejection'));
      await new Promise((r) => setTimeout(r, 20));
      return 'lost';
    });
    expect(errorOf(result).errorType).toBe('Runtime.ExitError');
  });

  it.each(['nodejs22.x', 'nodejs24.x'] as const)(
    '%s: a rejection right after the response: the caller sees success, the environment resets',
    async (runtime) => {
      const { result, resetRequired } = await runWithReset(runtime, async () => {
        Promise.resolve().then(() => Promise.reject(new Error('after return')));
        return 'returned';
      });
      expect(result.outcome === 'success' && result.response).toBe('returned');
      expect(resetRequired).toBe(true);
    },
  );

  it.each([
    [1, 'Runtime exited with error: exit status 1'],
    [2, 'Runtime exited with error: exit status 2'],
    [0, 'Runtime exited without providing a reason'],
  ])(
    'process.exit(%i) ends the invoke with Runtime.ExitError and does not exit the test process',
    async (code, text) => {
      for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
        const { result, resetReason } = await runWithReset(runtime, async () => {
          process.exit(code);
        });
        expect(errorOf(result)).toEqual({
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: ${result.requestId} Error: ${text}`,
        });
        expect(resetReason).toBe('exit');
      }
    },
  );

  it('crashes from virtual timers are routed the same way', async () => {
    const handler = async () => {
      setTimeout(() => {
        throw new Error('virtual timer boom');
      }, 1000);
      await new Promise((r) => setTimeout(r, 5000));
      return 'unreached';
    };
    const v3 = await invokeHandler(handler, {}, { runtime: 'nodejs22.x', clock: 'virtual', timeout: 10 });
    expect(errorOf(v3).errorMessage).toBe('virtual timer boom');
    expect(v3.durationMs).toBe(1000);
    const v4 = await invokeHandler(handler, {}, { clock: 'virtual', timeout: 10 });
    expect(errorOf(v4).errorType).toBe('Runtime.ExitError');
    const rejection = await invokeHandler(
      async () => {
        setTimeout(() => Promise.reject(new Error('virtual rejection')), 1000);
        await new Promise((r) => setTimeout(r, 5000));
      },
      {},
      { runtime: 'nodejs22.x', clock: 'virtual', timeout: 10 },
    );
    expect(errorOf(rejection).errorType).toBe('Runtime.UnhandledPromiseRejection');
  });

  it('process.exit from a timer is caught too', async () => {
    const { result } = await runWithReset('nodejs24.x', async () => {
      setTimeout(() => process.exit(3), 5);
      await new Promise((r) => setTimeout(r, 50));
    });
    expect(errorOf(result).errorMessage).toMatch(/exit status 3$/);
  });

  it('never-settling async handler: nodejs22.x posts null when the loop drains (npm runtime client 3.3.0)', async () => {
    const result = await invokeHandler(async () => new Promise(() => {}), {}, { runtime: 'nodejs22.x' });
    expect(result.outcome === 'success' && result.responseJson).toBe('null');
  });

  it('never-settling async handler: nodejs24.x process exits 0 -> Runtime.ExitError without a reason', async () => {
    const { result, resetReason } = await runWithReset('nodejs24.x', async () => new Promise(() => {}));
    expect(errorOf(result).errorMessage).toBe(
      `RequestId: ${result.requestId} Error: Runtime exited without providing a reason`,
    );
    expect(resetReason).toBe('exit');
  });

  it('never-settling with an interval keeps the loop alive until the timeout', async () => {
    for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
      const result = await invokeHandler(
        async () => new Promise(() => setInterval(() => {}, 100)),
        {},
        { runtime, timeout: 1, clock: 'virtual' },
      );
      expect(result.outcome).toBe('timeout');
    }
  });

  it('a handler awaiting real I/O is not mistaken for a drained loop', async () => {
    const { readFile } = await import('node:fs/promises');
    const result = await invokeHandler(async () => (await readFile(new URL(import.meta.url))).length > 0, {});
    expect(result.outcome === 'success' && result.response).toBe(true);
  });

  it('pending timers are cleared after the result and reported', async () => {
    let ran = false;
    const result = await invokeHandler(async () => {
      setTimeout(() => {
        ran = true;
      }, 30);
      setInterval(() => {}, 1000);
      setImmediate(() => {});
      return 'ok';
    }, {});
    expect(result.pendingWork).toMatchObject({ timers: 1, intervals: 1 });
    expect(result.pendingWork.descriptions).toContain('setTimeout 30 ms');
    expect(result.pendingWork.descriptions).toContain('setInterval 1000 ms');
    await new Promise((r) => setTimeout(r, 60));
    expect(ran).toBe(false);
  });
});
