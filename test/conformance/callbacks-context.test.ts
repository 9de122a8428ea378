// Observation table: "Callbacks and context.*" (runtime-client-observations.md), plus "Other observations":
// v3 success timing, first call wins, getRemainingTimeInMillis, memoryLimitInMB.
import { describe, expect, it } from 'vitest';
import type { InvocationResult } from '../../src/invoke/result.js';
import {
  ALL,
  errorPosted,
  expectInitCrashPrints,
  expectStackTrace,
  ID1,
  parseRuntimeErrorLine,
  posted,
  run,
  runtimeLines,
  TS,
  V3,
  V4,
} from './helpers.js';

type Cb = (err?: unknown, result?: unknown) => void;
interface LegacyContext {
  callbackWaitsForEmptyEventLoop: boolean;
  succeed: (result?: unknown) => void;
  fail: (err?: unknown) => void;
  done: (err?: unknown, result?: unknown) => void;
  getRemainingTimeInMillis: () => number;
}

const CB_DEPRECATED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/** v4's init failure for a 3-parameter handler: init-err + `Init Error` log (request id `-`); no invoke is taken. */
function expectCallbackDeprecated(result: InvocationResult): void {
  const error = errorPosted(result);
  expect(result.outcome === 'error' && result.phase).toBe('init');
  expect(error.errorType).toBe('Runtime.CallbackHandlerDeprecated');
  expect(error.errorMessage).toBe(CB_DEPRECATED);
  const stdout = runtimeLines(result).filter((l) => l.stream === 'stdout');
  expect(stdout).toHaveLength(1);
  const logged = parseRuntimeErrorLine(stdout[0]?.text ?? '', '-', 'Init Error');
  expect(logged).toMatchObject({
    errorType: 'Runtime.CallbackHandlerDeprecated',
    errorMessage: CB_DEPRECATED,
  });
  expect(result.logs.some((l) => l.text.startsWith('START RequestId:'))).toBe(false);
  expectInitCrashPrints(result, 'nodejs24.x', 1);
}

const callbackCases: [string, (e: unknown, c: LegacyContext, cb: Cb) => unknown][] = [
  ['callback-value', (_e, _c, cb) => cb(null, { cb: true })],
  ['callback-error', (_e, _c, cb) => cb(new Error('cb failed'))],
  ['callback-string-error', (_e, _c, cb) => cb('string failure')],
  [
    'callback-twice',
    (_e, _c, cb) => {
      cb(null, 'first');
      cb(new Error('second'));
      cb(null, 'third');
    },
  ],
  [
    'async-and-callback',
    async (_e, _c, cb) => {
      cb(null, 'from-callback');
      return 'from-return';
    },
  ],
  ['async-3-params', async (_e, _c, _cb) => ({ ok: true })],
  [
    'callback-pending-timer-wait-true',
    (_e, _c, cb) => {
      setTimeout(() => console.log('timer fired'), 200);
      cb(null, 'done');
    },
  ],
  [
    'callback-pending-timer-wait-false',
    (_e, c, cb) => {
      c.callbackWaitsForEmptyEventLoop = false;
      setTimeout(() => console.log('timer fired'), 200);
      cb(null, 'done');
    },
  ],
];

describe('Callbacks and context.* (v4: CB-deprecated)', () => {
  it.each(callbackCases)('%s [nodejs24.x]: CB-deprecated at init, no invoke', async (_c, handler) => {
    expectCallbackDeprecated(await run(handler, {}, 'nodejs24.x'));
  });
});

describe('Callbacks and context.* (v3)', () => {
  it.each(V3)('callback-value [%s]: resp {"cb":true}', async (runtime) => {
    const result = await run((_e: unknown, _c: unknown, cb: Cb) => cb(null, { cb: true }), {}, runtime);
    expect(posted(result)).toBe('{"cb":true}');
  });

  it.each(V3)('callback-error [%s]: err Error "cb failed" + Invoke Error log', async (runtime) => {
    const result = await run((_e: unknown, _c: unknown, cb: Cb) => cb(new Error('cb failed')), {}, runtime);
    const error = errorPosted(result);
    expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'cb failed' });
    expectStackTrace(error.trace, 'Error: cb failed');
    const lines = runtimeLines(result);
    expect(lines).toHaveLength(1);
    expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Invoke Error')).toEqual({
      errorType: 'Error',
      errorMessage: 'cb failed',
      stack: error.trace,
    });
  });

  it.each(V3)(
    'callback-string-error [%s]: err string "string failure", trace []; the log shows Error',
    async (runtime) => {
      const result = await run((_e: unknown, _c: unknown, cb: Cb) => cb('string failure'), {}, runtime);
      expect(errorPosted(result)).toEqual({ errorType: 'string', errorMessage: 'string failure', trace: [] });
      const lines = runtimeLines(result);
      expect(parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Invoke Error')).toMatchObject({
        errorType: 'Error',
        errorMessage: 'string failure',
      });
    },
  );

  it.each(V3)(
    'callback-twice [%s]: resp "first"; later callback(err)/callback(null,…) silently ignored',
    async (runtime) => {
      const result = await run(
        (_e: unknown, _c: unknown, cb: Cb) => {
          cb(null, 'first');
          cb(new Error('second'));
          cb(null, 'third');
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('"first"');
      expect(runtimeLines(result)).toEqual([]);
      expect(result.logs.some((l) => l.text.includes('already'))).toBe(false);
    },
  );

  it.each(V3)(
    'async-and-callback [%s]: resp "from-callback"; the return value is ignored; the post waits for an empty loop',
    async (runtime) => {
      const result = await run(
        async (_e: unknown, _c: unknown, cb: Cb) => {
          setTimeout(() => console.log('timer fired'), 150);
          cb(null, 'from-callback');
          return 'from-return';
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('"from-callback"');
      expect(result.logs.map((l) => l.message)).toContain('timer fired');
      expect(result.durationMs).toBeGreaterThanOrEqual(140);
    },
  );

  it.each(V3)(
    'async-return-then-callback-later [%s]: resp "from-return"; the later callback is ignored',
    async (runtime) => {
      const result = await run(
        async (_e: unknown, _c: unknown, cb: Cb) => {
          setTimeout(() => cb(null, 'from-callback'), 1000);
          return 'from-return';
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('"from-return"');
      expect(result.durationMs).toBeLessThan(500);
    },
  );

  it.each(V3)('async-3-params [%s]: resp {"ok":true}, no warning', async (runtime) => {
    const result = await run(async (_e: unknown, _c: unknown, _cb: Cb) => ({ ok: true }), {}, runtime);
    expect(posted(result)).toBe('{"ok":true}');
    expect(result.logs.filter((l) => l.source !== 'platform')).toEqual([]);
  });

  it.each(V3)(
    'callback-pending-timer-wait-true [%s]: resp "done" posted only after the timer fired',
    async (runtime) => {
      const result = await run(
        (_e: unknown, _c: unknown, cb: Cb) => {
          setTimeout(() => console.log('timer fired'), 200);
          cb(null, 'done');
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('"done"');
      const line = result.logs.find((l) => l.message === 'timer fired');
      expect(line?.text).toMatch(new RegExp(`^${TS}\\t${ID1}\\tINFO\\ttimer fired$`));
      expect(result.durationMs).toBeGreaterThanOrEqual(190);
    },
  );

  it.each(V3)(
    'callback-pending-timer-wait-false [%s]: resp at once; the timer would fire later (harness: not frozen/resumed, listed in pendingWork)',
    async (runtime) => {
      const result = await run(
        (_e: unknown, c: LegacyContext, cb: Cb) => {
          c.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => console.log('timer fired'), 1000);
          cb(null, 'done');
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('"done"');
      expect(result.durationMs).toBeLessThan(500);
      expect(result.logs.map((l) => l.message)).not.toContain('timer fired');
      expect(result.pendingWork).toMatchObject({ timers: 1, descriptions: ['setTimeout 1000 ms'] });
    },
  );

  it.each(V3)('context-succeed [%s]: resp {"via":"succeed"}', async (runtime) => {
    const result = await run(
      (_e: unknown, context: LegacyContext) => context.succeed({ via: 'succeed' }),
      {},
      runtime,
    );
    expect(posted(result)).toBe('{"via":"succeed"}');
  });

  it.each(V3)('context-fail [%s]: err Error "via fail"', async (runtime) => {
    const result = await run(
      (_e: unknown, context: LegacyContext) => context.fail(new Error('via fail')),
      {},
      runtime,
    );
    const error = errorPosted(result);
    expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'via fail' });
    expectStackTrace(error.trace, 'Error: via fail');
  });

  it.each(V3)('context-fail-undefined [%s]: err string "handled"', async (runtime) => {
    const result = await run((_e: unknown, context: LegacyContext) => context.fail(undefined), {}, runtime);
    expect(errorPosted(result)).toEqual({ errorType: 'string', errorMessage: 'handled', trace: [] });
  });

  it.each(V3)(
    'context-done [%s]: resp {"via":"done"} at once; the timer is left for later',
    async (runtime) => {
      const result = await run(
        (_e: unknown, context: LegacyContext) => {
          setTimeout(() => console.log('timer fired'), 1000);
          context.done(null, { via: 'done' });
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('{"via":"done"}');
      expect(result.durationMs).toBeLessThan(500);
      expect(result.pendingWork.timers).toBe(1);
    },
  );

  it.each(V3)('context-done-error [%s]: err Error "via done"', async (runtime) => {
    const result = await run(
      (_e: unknown, context: LegacyContext) => context.done(new Error('via done')),
      {},
      runtime,
    );
    expect(errorPosted(result)).toMatchObject({ errorType: 'Error', errorMessage: 'via done' });
  });

  it.each(V3)(
    'first call wins [%s]: context.succeed then callback(err) and context.fail are silent',
    async (runtime) => {
      const result = await run(
        (_e: unknown, context: LegacyContext, cb: Cb) => {
          context.succeed('won');
          cb(new Error('late'));
          context.fail(new Error('later'));
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('"won"');
      expect(runtimeLines(result)).toEqual([]);
    },
  );
});

describe('context.succeed/fail/done on nodejs24.x', () => {
  const cases: [string, (e: unknown, context: LegacyContext) => unknown, string][] = [
    [
      'context-succeed',
      (_e, context) => context.succeed({ via: 'succeed' }),
      'context.succeed is not a function',
    ],
    ['context-fail', (_e, context) => context.fail(new Error('via fail')), 'context.fail is not a function'],
    ['context-fail-undefined', (_e, context) => context.fail(undefined), 'context.fail is not a function'],
    [
      'context-done-error',
      (_e, context) => context.done(new Error('via done')),
      'context.done is not a function',
    ],
  ];
  it.each(cases)('%s [nodejs24.x]: err TypeError %j', async (_c, handler, message) => {
    const result = await run(handler, {}, 'nodejs24.x');
    const error = errorPosted(result);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: message });
    expectStackTrace(error.trace, `TypeError: ${message}`);
    expect(parseRuntimeErrorLine(runtimeLines(result)[0]?.text ?? '', ID1, 'Invoke Error')).toMatchObject({
      errorType: 'TypeError',
      errorMessage: message,
    });
  });

  it('context-done [nodejs24.x]: err TypeError "context.done is not a function"; the timer still pending', async () => {
    const result = await run(
      (_e: unknown, context: LegacyContext) => {
        setTimeout(() => console.log('timer fired'), 200);
        context.done(null, { via: 'done' });
      },
      {},
      'nodejs24.x',
    );
    expect(errorPosted(result)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'context.done is not a function',
    });
    expect(result.pendingWork.timers).toBe(1);
  });
});

describe('async-3-params-default and async-pending-timer', () => {
  it.each(ALL)(
    'async-3-params-default [%s]: `cb = null` makes length 2, resp {"ok":true,"length":2}',
    async (runtime) => {
      const handler = async (_e: unknown, _c: unknown, _cb: Cb | null = null) => ({
        ok: true,
        length: handler.length,
      });
      const result = await run(handler, {}, runtime);
      expect(posted(result)).toBe('{"ok":true,"length":2}');
    },
  );

  it.each(ALL)(
    'async-pending-timer [%s]: resp at once; the timer is left pending (pendingWork)',
    async (runtime) => {
      const result = await run(
        async () => {
          setTimeout(() => console.log('timer fired'), 1000);
          return 'now';
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('"now"');
      expect(result.durationMs).toBeLessThan(500);
      expect(result.logs.map((l) => l.message)).not.toContain('timer fired');
      expect(result.pendingWork).toMatchObject({ timers: 1, descriptions: ['setTimeout 1000 ms'] });
    },
  );
});

describe('context-fields', () => {
  const TRACE = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  const probe = (...args: unknown[]) => {
    const context = args[1] as Record<string, unknown> & { getRemainingTimeInMillis: () => number };
    const g = globalThis as { awslambda?: Record<string, unknown> };
    return Promise.resolve({
      argc: args.length,
      thirdType: typeof args[2],
      keys: Object.keys(context).sort(),
      own: ['clientContext', 'identity', 'tenantId'].map((k) => [
        Object.hasOwn(context, k),
        context[k] === undefined,
      ]),
      memoryLimitInMB: context.memoryLimitInMB,
      cbWait: context.callbackWaitsForEmptyEventLoop ?? 'absent',
      remaining: context.getRemainingTimeInMillis(),
      traceEnv: process.env._X_AMZN_TRACE_ID,
      xRayTraceId: context.xRayTraceId ?? 'absent',
      awslambda: Object.keys(g.awslambda ?? {}).sort(),
    });
  };
  const v3Keys = [
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
  ];

  it.each(V3)(
    'context-fields [%s]: 3 args; own keys; memoryLimitInMB "128"; no xRayTraceId',
    async (runtime) => {
      const result = await run(probe, {}, runtime, { traceId: TRACE });
      const r = JSON.parse(posted(result));
      expect(r).toMatchObject({
        argc: 3,
        thirdType: 'function',
        keys: v3Keys,
        own: [
          [true, true],
          [true, true],
          [true, true],
        ],
        memoryLimitInMB: '128',
        cbWait: true,
        traceEnv: TRACE,
        xRayTraceId: 'absent',
        awslambda: ['HttpResponseStream', 'streamifyResponse'],
      });
      expect(r.remaining).toBeGreaterThan(2900);
      expect(r.remaining).toBeLessThanOrEqual(3000);
    },
  );

  it.each(V4)(
    'context-fields [%s]: 2 args; v3 keys minus legacy plus xRayTraceId; awslambda.InvokeStore',
    async (runtime) => {
      const result = await run(probe, {}, runtime, { traceId: TRACE });
      const r = JSON.parse(posted(result));
      const keys = v3Keys
        .filter((k) => !['callbackWaitsForEmptyEventLoop', 'done', 'fail', 'succeed'].includes(k))
        .concat('xRayTraceId')
        .sort();
      expect(r).toMatchObject({
        argc: 2,
        thirdType: 'undefined',
        keys,
        memoryLimitInMB: '128',
        cbWait: 'absent',
        traceEnv: TRACE,
        xRayTraceId: TRACE,
        awslambda: ['HttpResponseStream', 'InvokeStore', 'streamifyResponse'],
      });
      expect(r.remaining).toBeGreaterThan(2900);
      expect(r.remaining).toBeLessThanOrEqual(3000);
    },
  );

  it.each(ALL)('context-fields [%s]: awsRequestId is the request id header', async (runtime) => {
    const result = await run(async (_e: unknown, c: { awsRequestId: string }) => c.awsRequestId, {}, runtime);
    expect(posted(result)).toBe(`"${ID1}"`);
  });
});
