import { existsSync } from 'node:fs';
import { createFunction, type FunctionResult, type LambdaFunction } from 'lambda-harness';

jest.mock('../src/price', () => ({ price: jest.fn(() => 42) }));

type Response = {
  entryCalls: number;
  libCalls: number;
  price: number;
  initType: string;
  tmpdir: string;
  text?: string;
};

// The handler's modules count their evaluations on this probe object: the harness removes the
// globals a module adds at init, so the counter lives on an object the test created.
const g: { entryEvaluations?: number; libEvaluations?: number } = {};
(globalThis as { __lifecycleProbe?: typeof g }).__lifecycleProbe = g;
const fns: LambdaFunction[] = [];

function handlerFn(options: Record<string, unknown> = {}): LambdaFunction {
  const fn = createFunction({
    handler: () => import('../src/handler'),
    handlerName: 'handler.handler',
    runtime: 'nodejs22.x',
    ...options,
  });
  fns.push(fn);
  return fn;
}

function response(result: FunctionResult): Response {
  if (result.outcome !== 'success') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.response as Response;
}

function cold(result: FunctionResult): boolean {
  if (result.outcome === 'throttled') throw new Error('throttled');
  return result.coldStart;
}

afterEach(async () => {
  for (const fn of fns.splice(0)) await fn.dispose();
});

test('a cold start re-runs the init code of the entry and of the modules it imports', async () => {
  const fn = handlerFn();
  const entryBefore = g.entryEvaluations ?? 0;
  const libBefore = g.libEvaluations ?? 0;

  const first = await fn.invoke({});
  const second = await fn.invoke({});
  expect([cold(first), cold(second)]).toEqual([true, false]);
  expect(response(first)).toMatchObject({ entryCalls: 1, libCalls: 1 });
  expect(response(second)).toMatchObject({ entryCalls: 2, libCalls: 2 });

  fn.forceColdStart();
  const third = await fn.invoke({});
  expect(cold(third)).toBe(true);
  expect(response(third)).toMatchObject({ entryCalls: 1, libCalls: 1 });
  expect(g.entryEvaluations).toBe(entryBefore + 2);
  expect(g.libEvaluations).toBe(libBefore + 2);
});

test('jest.mock of an imported module survives cold starts', async () => {
  const fn = handlerFn();
  expect(response(await fn.invoke({})).price).toBe(42);
  fn.forceColdStart();
  expect(response(await fn.invoke({})).price).toBe(42);
});

test('overlapping invocations get separate instances, each cold the first time', async () => {
  const fn = handlerFn();
  const results = await Promise.all([1, 2, 3].map(() => fn.invoke({ wait: 30 })));
  expect(results.map(cold)).toEqual([true, true, true]);
  expect(fn.instances).toHaveLength(3);
  expect(cold(await fn.invoke({}))).toBe(false);
  expect(fn.instances).toHaveLength(3);
});

test('reserved concurrency throttles the excess with a 429', async () => {
  const fn = handlerFn({ reservedConcurrency: 1 });
  const [a, b] = await Promise.all([fn.invoke({ wait: 30 }), fn.invoke({ wait: 30 })]);
  expect(a.outcome).toBe('success');
  expect(b).toMatchObject({
    outcome: 'throttled',
    statusCode: 429,
    error: {
      errorType: 'TooManyRequestsException',
      errorMessage: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    },
  });
});

test('provisioned instances are initialised ahead of time', async () => {
  const fn = handlerFn({ provisionedConcurrency: 2 });
  await fn.ready();
  expect(fn.instances.map((i) => i.initializationType)).toEqual([
    'provisioned-concurrency',
    'provisioned-concurrency',
  ]);
  const result = await fn.invoke({});
  expect(cold(result)).toBe(false);
  expect(result.outcome === 'success' && result.initDurationMs).toBeUndefined();
  expect(response(result).initType).toBe('provisioned-concurrency');
});

test('/tmp persists across warm invocations and is removed with the instance', async () => {
  const fn = handlerFn();
  const written = response(await fn.invoke({ action: 'write', text: 'cached' }));
  const [instance] = fn.instances;
  expect(written.tmpdir).toBe(instance!.tmpDir);
  expect(response(await fn.invoke({ action: 'read' })).text).toBe('cached');
  await fn.dispose();
  expect(existsSync(instance!.tmpDir)).toBe(false);
});

test.each([
  ['timeout', 'hang'],
  // The runtime crashing: process.exit inside an invocation (Runtime.ExitError).
  ['process exit', 'exit'],
] as const)('after a %s the next invocation is a cold start with the same /tmp', async (_what, action) => {
  const fn = handlerFn({ timeout: 1, clock: action === 'hang' ? 'virtual' : 'real' });
  await fn.invoke({ action: 'write', text: 'kept' });
  const failed = await fn.invoke({ action });
  expect(failed.outcome).toBe(action === 'hang' ? 'timeout' : 'error');
  const after = await fn.invoke({ action: 'read' });
  expect(cold(after)).toBe(true);
  expect(response(after)).toMatchObject({ entryCalls: 1, text: 'kept' });
  expect(fn.instances).toHaveLength(1);
});
