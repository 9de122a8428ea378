import { setTimeout as sleep } from 'node:timers/promises';
import FakeTimers from '@sinonjs/fake-timers';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { invokeHandler } from '../../src/index.js';
import { createFunction } from '../../src/lifecycle/index.js';

// The process's listeners; 'exit' aside: createFunction registers its /tmp clean-up there once.
function listeners(): string {
  return process
    .eventNames()
    .filter((e) => e !== 'exit')
    .map((e) => `${String(e)}:${process.listenerCount(e)}`)
    .join(',');
}

// What the test process had before any hostile handler ran: every test below checks that it
// still has exactly this afterwards.
const original = {
  console: globalThis.console,
  log: console.log,
  JSON: globalThis.JSON,
  Promise: globalThis.Promise,
  Date: globalThis.Date,
  setTimeout: globalThis.setTimeout,
  fetch: globalThis.fetch,
  cwd: process.cwd(),
  exitCode: process.exitCode,
  envKeys: Object.keys(process.env).sort().join(','),
  listeners: listeners(),
  kill: process.kill,
  abort: process.abort,
};

function assertClean(): void {
  expect(globalThis.console).toBe(original.console);
  expect(console.log).toBe(original.log);
  expect(globalThis.JSON).toBe(original.JSON);
  expect(globalThis.Promise).toBe(original.Promise);
  expect(globalThis.Date).toBe(original.Date);
  expect(globalThis.setTimeout).toBe(original.setTimeout);
  expect(globalThis.fetch).toBe(original.fetch);
  expect(process.cwd()).toBe(original.cwd);
  expect(process.exitCode).toBe(original.exitCode);
  expect(Object.keys(process.env).sort().join(',')).toBe(original.envKeys);
  expect(listeners()).toBe(original.listeners);
  expect(process.kill).toBe(original.kill);
  expect(process.abort).toBe(original.abort);
  expect('leaked' in globalThis).toBe(false);
}

const g = globalThis as unknown as Record<string, unknown>;

type Expectation =
  | { outcome: 'success'; response?: unknown }
  | { outcome: 'error'; errorType: string; errorMessage?: RegExp | string }
  | { outcome: 'timeout' };

interface Probe {
  readonly name: string;
  readonly handler: (event: unknown, context: unknown) => unknown;
  readonly timeout?: number;
  readonly expect: (runtime: 'nodejs22.x' | 'nodejs24.x') => Expectation;
}

const ok = (): Expectation => ({ outcome: 'success', response: 'done' });
const exitError = (reason: string): Expectation => ({
  outcome: 'error',
  errorType: 'Runtime.ExitError',
  errorMessage: new RegExp(`^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: ${reason}$`),
});

const probes: Probe[] = [
  {
    name: 'replaces console',
    handler: async () => {
      g.console = { log() {} };
      console.log = () => {};
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'replaces JSON',
    handler: async () => {
      g.JSON = { stringify: () => 'broken', parse: () => 'broken' };
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'replaces Promise',
    handler: async () => {
      g.Promise = { resolve: 'not a function' };
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'replaces Date',
    handler: async () => {
      g.Date = { now: () => 0 };
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'replaces setTimeout',
    handler: async () => {
      g.setTimeout = () => 0;
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'replaces fetch and adds a global',
    handler: async () => {
      g.fetch = async () => new Response('mocked');
      g.leaked = true;
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'changes directory',
    handler: async () => {
      process.chdir('/');
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'mutates process.env',
    handler: async () => {
      process.env.LEAKED_VARIABLE = 'x';
      delete process.env.PATH;
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'sets process.exitCode',
    handler: async () => {
      process.exitCode = 3;
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'adds process listeners',
    handler: async () => {
      process.on('SIGTERM', () => {});
      process.on('beforeExit', () => {});
      process.on('uncaughtException', () => {});
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'installs @sinonjs/fake-timers',
    handler: async () => {
      FakeTimers.install();
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'calls vi.useFakeTimers()',
    handler: async () => {
      vi.useFakeTimers();
      return 'done';
    },
    expect: ok,
  },
  {
    name: 'sends SIGTERM to its own process',
    handler: async () => {
      process.kill(process.pid, 'SIGTERM');
      return 'not reached';
    },
    expect: () => exitError('signal: terminated'),
  },
  {
    name: 'sends SIGKILL to its own process',
    handler: async () => {
      process.kill(process.pid, 'SIGKILL');
      return 'not reached';
    },
    expect: () => exitError('signal: killed'),
  },
  {
    name: 'sends SIGINT to its process group',
    handler: async () => {
      process.kill(0, 'SIGINT');
      return 'not reached';
    },
    expect: () => exitError('signal: interrupt'),
  },
  {
    name: 'calls process.abort()',
    handler: async () => {
      process.abort();
    },
    expect: () => exitError('signal: aborted \\(core dumped\\)'),
  },
  {
    name: 'calls process.exit(2)',
    handler: async () => {
      process.exit(2);
    },
    expect: () => exitError('exit status 2'),
  },
  {
    name: 'throws from a timer',
    handler: async () => {
      setTimeout(() => {
        throw new Error('thrown from timer');
      }, 1);
      await sleep(50);
      return 'not reached';
    },
    expect: (runtime) =>
      runtime === 'nodejs22.x'
        ? { outcome: 'error', errorType: 'Error', errorMessage: 'thrown from timer' }
        : exitError('exit status 1'),
  },
  {
    name: 'leaves a rejection unhandled',
    handler: async () => {
      Promise.reject(new Error('floating'));
      await sleep(50);
      return 'not reached';
    },
    expect: (runtime) =>
      runtime === 'nodejs22.x'
        ? {
            outcome: 'error',
            errorType: 'Runtime.UnhandledPromiseRejection',
            errorMessage: 'Error: floating',
          }
        : exitError('exit status 1'),
  },
  {
    name: 'never settles (with an interval)',
    handler: () => {
      setInterval(() => {}, 10);
      return new Promise(() => {});
    },
    timeout: 0.2,
    expect: () => ({ outcome: 'timeout' }),
  },
  {
    name: 'returns 7 MB',
    handler: async () => 'x'.repeat(7 * 1024 * 1024),
    expect: () => ({ outcome: 'error', errorType: 'Function.ResponseSizeTooLarge' }),
  },
  {
    name: 'returns a circular object',
    handler: async () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    },
    expect: (runtime) => ({
      outcome: 'error',
      errorType: runtime === 'nodejs22.x' ? 'Error' : 'Runtime.JSONStringifyError',
      errorMessage: 'Unable to stringify response body',
    }),
  },
];

function check(result: Awaited<ReturnType<typeof invokeHandler>>, want: Expectation): void {
  expect(
    result.outcome,
    JSON.stringify(
      result.outcome === 'success' ? result.response : 'error' in result ? result.error : result,
    ),
  ).toBe(want.outcome);
  if (want.outcome === 'success' && 'response' in want && result.outcome === 'success')
    expect(result.response).toEqual(want.response);
  if (want.outcome === 'error' && result.outcome === 'error') {
    expect(result.error.errorType).toBe(want.errorType);
    if (want.errorMessage instanceof RegExp) expect(result.error.errorMessage).toMatch(want.errorMessage);
    else if (want.errorMessage !== undefined) expect(result.error.errorMessage).toBe(want.errorMessage);
  }
}

// The next invocation after a hostile one: a 10 ms sleep through the global setTimeout and
// Promise, JSON through the global JSON, a Date, console output captured.
async function cleanInvocation(runtime: 'nodejs22.x' | 'nodejs24.x') {
  return invokeHandler(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      console.log('clean');
      return JSON.parse(JSON.stringify({ at: new Date(0).toISOString(), cwd: process.cwd() }));
    },
    {},
    { runtime, timeout: 1 },
  );
}

describe.each(['nodejs22.x', 'nodejs24.x'] as const)('hostile handlers in the runner (%s)', (runtime) => {
  describe.each(probes)('a handler that $name', (probe) => {
    it('is reported as Lambda reports it, and the next invocation is clean', async () => {
      // Started from a microtask: the handler's synchronous part runs inside invokeHandler's call,
      // and until the invocation completes the runner's own code that runs synchronously after the
      // call would see what the handler replaced (docs/containment.md, "While an invocation runs").
      const result = await original.Promise.resolve().then(() =>
        invokeHandler(probe.handler, {}, { runtime, timeout: probe.timeout ?? 1 }),
      );
      check(result, probe.expect(runtime));
      assertClean();
      const next = await cleanInvocation(runtime);
      expect(next.outcome).toBe('success');
      expect(next.outcome === 'success' && next.response).toEqual({
        at: '1970-01-01T00:00:00.000Z',
        cwd: original.cwd,
      });
      expect(next.logs.some((l) => l.message === 'clean')).toBe(true);
    });

    it('left nothing behind for the next test', () => {
      assertClean();
    });
  });
});

describe('globals inside one environment (createFunction)', () => {
  it('survive warm invocations of the same environment, never reach the test or another environment', async () => {
    const fn = createFunction({
      handler: () => ({
        handler: async (event: { set?: boolean }) => {
          if (event.set) {
            g.leaked = 'from environment 1';
            process.chdir('/');
            process.exitCode = 4;
          }
          return { leaked: g.leaked ?? null, cwd: process.cwd(), exitCode: process.exitCode ?? null };
        },
      }),
      isolation: { name: 'bare', load: (loader) => loader() },
    });
    try {
      const first = await fn.invoke({ set: true });
      expect(first.outcome === 'success' && first.response).toEqual({
        leaked: 'from environment 1',
        cwd: '/',
        exitCode: 4,
      });
      assertClean();
      const warm = await fn.invoke({});
      expect(warm.outcome === 'success' && warm.response).toEqual({
        leaked: 'from environment 1',
        cwd: '/',
        exitCode: 4,
      });
      assertClean();
      // Two at once: the second goes to a new environment, which starts from the test's globals.
      const [a, b] = await Promise.all([fn.invoke({}), fn.invoke({})]);
      const responses = [a, b].map((r) => (r.outcome === 'success' ? r.response : r.outcome));
      expect(responses).toContainEqual({ leaked: null, cwd: original.cwd, exitCode: null });
      assertClean();
      // A cold start (a new runtime process) starts from the test's globals again.
      fn.forceColdStart();
      const cold = await fn.invoke({});
      expect(cold.outcome === 'success' && cold.response).toEqual({
        leaked: null,
        cwd: original.cwd,
        exitCode: null,
      });
    } finally {
      await fn.dispose();
    }
    assertClean();
  });

  it('a module that replaces Promise at init keeps it for its invocations, and the harness keeps working', async () => {
    const fn = createFunction({
      handler: () => {
        const Fake = function FakePromise() {};
        g.Promise = Fake;
        return { handler: async () => (globalThis.Promise as unknown as { name: string }).name };
      },
      isolation: { name: 'bare', load: (loader) => loader() },
    });
    try {
      const first = await fn.invoke({});
      expect(first.outcome === 'success' && first.response).toBe('FakePromise');
      assertClean();
      const second = await fn.invoke({});
      expect(second.outcome === 'success' && second.response).toBe('FakePromise');
    } finally {
      await fn.dispose();
    }
    assertClean();
  });

  it('a signal at init is the init error Runtime.ExitError and never reaches the test process', async () => {
    const fn = createFunction({
      handler: () => {
        process.kill(process.pid, 'SIGTERM');
        return { handler: async () => 'unreachable' };
      },
      isolation: { name: 'bare', load: (loader) => loader() },
    });
    try {
      const result = await fn.invoke({});
      expect(result.outcome === 'error' && result.error).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: 'Error: Runtime exited with error: signal: terminated',
      });
    } finally {
      await fn.dispose();
    }
    assertClean();
  });

  it('a signal the handler installed a listener for is delivered to it, and the process lives on', async () => {
    const result = await invokeHandler(
      async () => {
        let caught = '';
        process.on('SIGUSR2', (signal) => {
          caught = String(signal);
        });
        process.kill(process.pid, 'SIGUSR2');
        await sleep(20);
        return caught;
      },
      {},
      { runtime: 'nodejs22.x' },
    );
    expect(result.outcome === 'success' && result.response).toBe('SIGUSR2');
    assertClean();
  });
});

afterAll(() => {
  assertClean();
});
