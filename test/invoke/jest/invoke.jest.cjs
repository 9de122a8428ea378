// Runs under Jest 30 (lane scripts/ci-lanes.d/40-jest-invoke.sh) against the built package:
// Jest's sandboxed `process` and its own global error handlers must not see handler crashes.
const { invokeHandler, formatLogs } = require('../../../dist/index.cjs');

const before = () => ({ log: console.log, exit: process.exit, env: process.env });
let snapshot;
beforeEach(() => {
  snapshot = before();
});
afterEach(() => {
  expect(console.log).toBe(snapshot.log);
  expect(process.exit).toBe(snapshot.exit);
  expect(process.env).toBe(snapshot.env);
  expect(globalThis.awslambda).toBeUndefined();
});

test('an exception thrown from a timer (nodejs22.x) is the invoke error, not a Jest failure', async () => {
  const result = await invokeHandler(
    async () => {
      setTimeout(() => {
        throw new Error('from timer');
      }, 5);
      await new Promise((r) => setTimeout(r, 50));
      return 1;
    },
    {},
    { runtime: 'nodejs22.x' },
  );
  expect(result.outcome).toBe('error');
  expect(result.error.errorMessage).toBe('from timer');
});

test('an unhandled rejection (nodejs22.x) is Runtime.UnhandledPromiseRejection', async () => {
  const result = await invokeHandler(
    async () => {
      Promise.reject(new Error('floating'));
      await new Promise((r) => setTimeout(r, 20));
      return 1;
    },
    {},
    { runtime: 'nodejs22.x' },
  );
  expect(result.outcome).toBe('error');
  expect(result.error.errorType).toBe('Runtime.UnhandledPromiseRejection');
});

test('a crash on nodejs24.x is Runtime.ExitError', async () => {
  const result = await invokeHandler(async () => {
    Promise.reject(new Error('floating'));
    await new Promise((r) => setTimeout(r, 20));
  }, {});
  expect(result.error.errorType).toBe('Runtime.ExitError');
});

test('process.exit() is reported, the Jest worker survives', async () => {
  const result = await invokeHandler(async () => {
    process.exit(1);
  }, {});
  expect(result.error.errorMessage).toMatch(/exit status 1$/);
});

test('console output is captured per invocation', async () => {
  const result = await invokeHandler(async () => {
    console.log('hi');
    return 1;
  }, {});
  expect(formatLogs(result)).toMatch(/\tINFO\thi\n/);
});

test('virtual time works under jest.useFakeTimers()', async () => {
  jest.useFakeTimers();
  try {
    const result = await invokeHandler(
      async () => {
        await new Promise((r) => setTimeout(r, 60_000));
        return 'ok';
      },
      {},
      { clock: 'virtual', timeout: 100 },
    );
    expect(result.outcome).toBe('success');
  } finally {
    jest.useRealTimers();
  }
});

test('real time under jest.useFakeTimers(): the harness deadline still fires', async () => {
  jest.useFakeTimers();
  try {
    const result = await invokeHandler(
      async () => new Promise((r) => setTimeout(r, 1_000)),
      {},
      { timeout: 0.05 },
    );
    expect(result.outcome).toBe('timeout');
  } finally {
    jest.useRealTimers();
  }
});
