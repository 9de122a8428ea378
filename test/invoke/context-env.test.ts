import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { invokeHandler } from '../../src/invoke/index.js';

type Ctx = Record<string, unknown> & { getRemainingTimeInMillis(): number };

describe('context', () => {
  it('nodejs22.x: every field in its real format', async () => {
    const result = await invokeHandler(
      async (_e: unknown, ctx: Ctx) => ({
        keys: Object.keys(ctx).sort(),
        memory: ctx.memoryLimitInMB,
        arn: ctx.invokedFunctionArn,
        id: ctx.awsRequestId,
        group: ctx.logGroupName,
        stream: ctx.logStreamName,
        name: ctx.functionName,
        version: ctx.functionVersion,
        wait: ctx.callbackWaitsForEmptyEventLoop,
        remaining: ctx.getRemainingTimeInMillis(),
        hasIdentity: 'identity' in ctx && ctx.identity === undefined,
      }),
      {},
      {
        runtime: 'nodejs22.x',
        functionName: 'orders',
        memorySize: 256,
        region: 'eu-west-1',
        accountId: '210987654321',
        requestId: '55555555-5555-4555-8555-555555555555',
      },
    );
    expect(result.outcome).toBe('success');
    if (result.outcome !== 'success') return;
    const r = result.response as Record<string, unknown>;
    expect(r.keys).toEqual([
      'awsRequestId',
      'callbackWaitsForEmptyEventLoop',
      'clientContext',
      'done',
      'fail',
      'functionName',
      'functionVersion',
      'getRemainingTimeInMillis',
      'identity',
      'invokedFunctionArn',
      'logGroupName',
      'logStreamName',
      'memoryLimitInMB',
      'succeed',
      'tenantId',
    ]);
    expect(r.memory).toBe('256');
    expect(r.arn).toBe('arn:aws:lambda:eu-west-1:210987654321:function:orders');
    expect(r.id).toBe('55555555-5555-4555-8555-555555555555');
    expect(r.group).toBe('/aws/lambda/orders');
    expect(r.stream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(r.name).toBe('orders');
    expect(r.version).toBe('$LATEST');
    expect(r.wait).toBe(true);
    expect(r.remaining).toBeGreaterThan(2900);
    expect(r.remaining).toBeLessThanOrEqual(3000);
    expect(r.hasIdentity).toBe(true);
  });

  it('nodejs24.x: no callback members, plus xRayTraceId matching _X_AMZN_TRACE_ID', async () => {
    const result = await invokeHandler(
      async (_e: unknown, ctx: Ctx) => ({
        keys: Object.keys(ctx).sort(),
        trace: ctx.xRayTraceId,
        env: process.env._X_AMZN_TRACE_ID,
      }),
      {},
    );
    const r = (result.outcome === 'success' ? result.response : {}) as {
      keys: string[];
      trace: string;
      env: string;
    };
    expect(r.keys).toEqual([
      'awsRequestId',
      'clientContext',
      'functionName',
      'functionVersion',
      'getRemainingTimeInMillis',
      'identity',
      'invokedFunctionArn',
      'logGroupName',
      'logStreamName',
      'memoryLimitInMB',
      'tenantId',
      'xRayTraceId',
    ]);
    expect(r.trace).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(r.env).toBe(r.trace);
  });

  it('a qualifier is appended to the ARN; identity, clientContext and tenantId are passed through', async () => {
    const identity = { cognitoIdentityId: 'id', cognitoIdentityPoolId: 'pool' };
    const clientContext = { client: { app_title: 'x' }, Custom: { k: 'v' } };
    const result = await invokeHandler(
      async (_e: unknown, ctx: Ctx) => [
        ctx.invokedFunctionArn,
        ctx.identity,
        ctx.clientContext,
        ctx.tenantId,
      ],
      {},
      { qualifier: 'live', identity, clientContext, tenantId: 'tenant-1' },
    );
    expect(result.outcome === 'success' && result.response).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:test-function:live',
      identity,
      clientContext,
      'tenant-1',
    ]);
  });

  it('getRemainingTimeInMillis is not clamped: it goes negative past the deadline (then Lambda stops the invoke)', async () => {
    let remaining = Number.NaN;
    const result = await invokeHandler(
      async (_e: unknown, ctx: Ctx) => {
        const start = Date.now();
        while (Date.now() - start < 80) {
          // busy: the deadline timer cannot fire during synchronous work
        }
        remaining = ctx.getRemainingTimeInMillis();
        return remaining;
      },
      {},
      { timeout: 0.05 },
    );
    expect(remaining).toBeLessThan(0);
    expect(result.outcome).toBe('timeout');
    expect(result.durationMs).toBe(50);
  });

  it('getRemainingTimeInMillis follows the virtual clock', async () => {
    const result = await invokeHandler(
      async (_e: unknown, ctx: Ctx) => {
        await new Promise((r) => setTimeout(r, 250));
        return ctx.getRemainingTimeInMillis();
      },
      {},
      { clock: { mode: 'virtual', startMs: 1_000 }, timeout: 1 },
    );
    expect(result.outcome === 'success' && result.response).toBe(750);
  });

  it('a traceId of null removes _X_AMZN_TRACE_ID', async () => {
    const result = await invokeHandler(
      async () => 'x' in process.env && process.env._X_AMZN_TRACE_ID,
      {},
      { traceId: null },
    );
    expect(result.outcome === 'success' && result.response).toBe(false);
  });
});

describe('environment', () => {
  it('sets the runtime variables and user env for the invocation', async () => {
    const result = await invokeHandler(
      async () => {
        const e = process.env;
        return {
          name: e.AWS_LAMBDA_FUNCTION_NAME,
          region: e.AWS_REGION,
          defaultRegion: e.AWS_DEFAULT_REGION,
          handler: e._HANDLER,
          exec: e.AWS_EXECUTION_ENV,
          memory: e.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
          version: e.AWS_LAMBDA_FUNCTION_VERSION,
          group: e.AWS_LAMBDA_LOG_GROUP_NAME,
          stream: e.AWS_LAMBDA_LOG_STREAM_NAME,
          init: e.AWS_LAMBDA_INITIALIZATION_TYPE,
          root: e.LAMBDA_TASK_ROOT,
          tz: e.TZ,
          key: e.AWS_ACCESS_KEY_ID,
          secret: typeof e.AWS_SECRET_ACCESS_KEY,
          token: typeof e.AWS_SESSION_TOKEN,
          table: e.TABLE_NAME,
          format: e.AWS_LAMBDA_LOG_FORMAT,
          level: e.AWS_LAMBDA_LOG_LEVEL,
        };
      },
      {},
      {
        runtime: 'nodejs20.x',
        region: 'eu-central-1',
        memorySize: 1024,
        env: { TABLE_NAME: 'orders' },
        logFormat: 'JSON',
        logLevel: 'DEBUG',
      },
    );
    expect(result.outcome === 'success' && result.response).toEqual({
      name: 'test-function',
      region: 'eu-central-1',
      defaultRegion: 'eu-central-1',
      handler: 'index.handler',
      exec: 'AWS_Lambda_nodejs20.x',
      memory: '1024',
      version: '$LATEST',
      group: '/aws/lambda/test-function',
      stream: expect.stringMatching(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/),
      init: 'on-demand',
      root: '/var/task',
      tz: ':UTC',
      key: expect.stringMatching(/^ASIA/),
      secret: 'string',
      token: 'string',
      table: 'orders',
      format: 'JSON',
      level: 'DEBUG',
    });
  });

  it('process.env enumerates like an object inside the handler', async () => {
    const result = await invokeHandler(async () => {
      delete process.env.AWS_REGION;
      process.env.ADDED = '1';
      const keys = Object.keys(process.env);
      const copy = JSON.parse(JSON.stringify(process.env)) as Record<string, string>;
      return [
        keys.includes('AWS_REGION'),
        keys.includes('ADDED'),
        keys.includes('AWS_LAMBDA_FUNCTION_NAME'),
        copy.ADDED,
        { ...process.env }.AWS_EXECUTION_ENV,
      ];
    }, {});
    expect(result.outcome === 'success' && result.response).toEqual([
      false,
      true,
      true,
      '1',
      'AWS_Lambda_nodejs24.x',
    ]);
  });

  it('AWS_LAMBDA_LOG_FORMAT/LEVEL are absent unless configured', async () => {
    const result = await invokeHandler(
      async () => ['AWS_LAMBDA_LOG_FORMAT' in process.env, 'AWS_LAMBDA_LOG_LEVEL' in process.env],
      {},
    );
    expect(result.outcome === 'success' && result.response).toEqual([false, false]);
  });

  it('process.env is restored afterwards even when the handler mutated it', async () => {
    const before = { ...process.env };
    const envObject = process.env;
    await invokeHandler(async () => {
      process.env.LEAK = 'x';
      delete process.env.PATH;
      process.env.AWS_REGION = 'mutated';
    }, {});
    expect(process.env).toBe(envObject);
    expect({ ...process.env }).toEqual(before);
    expect(process.env.LEAK).toBeUndefined();
  });

  it('user env can remove a variable of the test process', async () => {
    process.env.HARNESS_TEST_VAR = 'from-test';
    try {
      const seen = await invokeHandler(async () => process.env.HARNESS_TEST_VAR, {});
      expect(seen.outcome === 'success' && seen.response).toBe('from-test');
      const removed = await invokeHandler(
        async () => process.env.HARNESS_TEST_VAR ?? 'gone',
        {},
        { env: { HARNESS_TEST_VAR: undefined } },
      );
      expect(removed.outcome === 'success' && removed.response).toBe('gone');
    } finally {
      delete process.env.HARNESS_TEST_VAR;
    }
  });

  it('overlapping invocations each see their own environment', async () => {
    const handler = async (e: { wait: number }) => {
      await new Promise((r) => setTimeout(r, e.wait));
      return process.env.WHO;
    };
    const [a, b] = await Promise.all([
      invokeHandler(handler, { wait: 20 }, { env: { WHO: 'a' } }),
      invokeHandler(handler, { wait: 1 }, { env: { WHO: 'b' } }),
    ]);
    expect([a.outcome === 'success' && a.response, b.outcome === 'success' && b.response]).toEqual([
      'a',
      'b',
    ]);
  });

  it('the awslambda global exists during the invocation only, and respects AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA', async () => {
    const g = globalThis as { awslambda?: Record<string, unknown> };
    const v4 = await invokeHandler(async () => Object.keys(g.awslambda ?? {}).sort(), {});
    expect(v4.outcome === 'success' && v4.response).toEqual([
      'HttpResponseStream',
      'InvokeStore',
      'streamifyResponse',
    ]);
    const v3 = await invokeHandler(
      async () => Object.keys(g.awslambda ?? {}).sort(),
      {},
      { runtime: 'nodejs22.x' },
    );
    expect(v3.outcome === 'success' && v3.response).toEqual(['HttpResponseStream', 'streamifyResponse']);
    const off = await invokeHandler(
      async () => typeof g.awslambda,
      {},
      { env: { AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA: 'true' } },
    );
    expect(off.outcome === 'success' && off.response).toBe('undefined');
    expect(g.awslambda).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect('awslambda' in globalThis).toBe(false);
  });
});

describe('options validation', () => {
  it.each([
    [{ timeout: 0 }, 'timeout'],
    [{ timeout: 901 }, 'timeout'],
    [{ memorySize: 100 }, 'memorySize'],
    [{ runtime: 'nodejs18.x' }, 'runtime'],
    [{ functionName: 'bad name' }, 'functionName'],
    [{ timout: 3 }, 'timout'],
    [{ env: { A: 1 } }, 'env.A'],
    [{ logs: 'loud' }, 'logs'],
    [{ clock: 'fast' }, 'clock'],
    [{ requestId: 'not-a-uuid' }, 'requestId'],
  ])('rejects %j naming %s', async (options, path) => {
    const err = await invokeHandler(async () => 1, {}, options as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('INVALID_OPTIONS');
    expect((err as HarnessError).path).toBe(path);
    expect((err as HarnessError).message).toMatch(/^\[lambda-harness\] invokeHandler options\./);
  });

  it('rejects a non-function handler', async () => {
    await expect(invokeHandler({} as never, {})).rejects.toMatchObject({ code: 'INVALID_HANDLER' });
  });
});
