import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { describeValue, suggestKey, unknownKeyHint } from '../../src/errors/options.js';
import { kinesisEvent, sqsEvent } from '../../src/events/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { createFunction } from '../../src/lifecycle/index.js';
import { createSqsEventSource } from '../../src/sources/index.js';

const handler = async () => 'ok';

function thrown(fn: () => unknown): HarnessError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected a HarnessError');
}

async function rejected(promise: Promise<unknown>): Promise<HarnessError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HarnessError);
  return error as HarnessError;
}

describe('the options primitive', () => {
  it('describes every kind of value without throwing', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeValue(1n)).toBe('bigint 1n');
    expect(describeValue(circular)).toBe('an object');
    expect(describeValue(Symbol('s'))).toBe('a symbol');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(new Date(Number.NaN))).toBe('an invalid Date');
    expect(describeValue('x'.repeat(200))).toHaveLength(82);
  });

  it('suggests the likely typo, case-insensitively first', () => {
    expect(suggestKey('timout', ['timeout', 'memorySize'])).toBe('timeout');
    expect(suggestKey('REQUESTID', ['requestId', 'traceId'])).toBe('requestId');
    expect(suggestKey('zzzzzz', ['timeout', 'memorySize'])).toBeUndefined();
    expect(unknownKeyHint('memsize', ['timeout', 'memorySize'])).toBe(
      'Did you mean "memorySize"? Valid options: timeout, memorySize.',
    );
  });

  it('gives every room the same unknown-option message: path, valid options, suggestion', async () => {
    const fromInvoke = await rejected(invokeHandler(handler, {}, { timout: 3 } as never));
    const fromCreate = thrown(() => createFunction({ handler: () => handler, timout: 3 } as never));
    const fromEvents = thrown(() => sqsEvent({ recrods: 2 } as never));
    const fromSource = thrown(() =>
      createSqsEventSource({ target: createFunction({ handler: () => handler }), BatchSise: 2 } as never),
    );

    expect(fromInvoke.message).toMatch(
      /^\[lambda-harness\] invokeHandler options\.timout: unknown option\nHint: Did you mean "timeout"\? Valid options: runtime, /,
    );
    expect(fromCreate.message).toMatch(
      /createFunction options\.timout: unknown option\nHint: Did you mean "timeout"\?/,
    );
    expect(fromEvents.message).toMatch(
      /sqsEvent\(\) options\.recrods: unknown option\nHint: Did you mean "records"\?/,
    );
    expect(fromSource.message).toMatch(/\.BatchSise: unknown option\nHint: Did you mean "BatchSize"\?/);
    expect([fromInvoke.path, fromCreate.path, fromEvents.path, fromSource.path]).toEqual([
      'timout',
      'timout',
      'recrods',
      'BatchSise',
    ]);
  });

  it('never lets a raw TypeError escape while describing a BigInt option', async () => {
    const error = await rejected(invokeHandler(handler, {}, { requestId: 1n } as never));
    expect(error.message).toContain(
      'invokeHandler options.requestId: expected a lowercase UUID, received bigint 1n',
    );
  });

  it('parses the clock once, the same way for invokeHandler, createFunction and fn.invoke', async () => {
    const realWithStart = { clock: { mode: 'real', startMs: 5 } } as never;
    const a = await rejected(invokeHandler(handler, {}, realWithStart));
    const b = thrown(() => createFunction({ handler: () => handler, ...(realWithStart as object) }));
    const fn = createFunction({ handler: () => handler });
    const c = await rejected(fn.invoke({}, realWithStart));
    for (const e of [a, b, c]) {
      expect(e.message).toMatch(
        /options\.clock\.startMs: unknown option\nHint: startMs .* the real clock cannot be pinned/,
      );
      expect(e.path).toBe('clock.startMs');
    }
    await fn.dispose();
  });

  it.each([8.64e15 + 1, 1e300, -1e300, -1, Number.NaN])(
    'rejects clock startMs %s as a clear error naming clock.startMs',
    async (startMs) => {
      const clock = { mode: 'virtual' as const, startMs };
      const a = await rejected(invokeHandler(handler, {}, { clock }));
      const b = thrown(() => createFunction({ handler: () => handler, clock }));
      for (const e of [a, b]) {
        expect(e.code).toBe('INVALID_OPTIONS');
        expect(e.message).toMatch(
          /options\.clock\.startMs: expected epoch milliseconds from 0 to 253370764800000/,
        );
      }
    },
  );

  it('accepts a virtual clock pinned at the last accepted instant', async () => {
    const result = await invokeHandler(
      async () => new Date().toISOString(),
      {},
      {
        clock: { mode: 'virtual', startMs: 253370764800000 },
      },
    );
    expect(result.outcome).toBe('success');
    expect((result as { response: unknown }).response).toBe('9999-01-01T00:00:00.000Z');
  });

  it.each([1.5, -7, Number.MAX_SAFE_INTEGER + 2, Number.NaN])(
    'rejects the seed %s everywhere seeds are taken',
    (seed) => {
      const a = thrown(() => kinesisEvent({ seed }));
      const b = thrown(() =>
        createSqsEventSource({ target: createFunction({ handler: () => handler }), seed }),
      );
      for (const e of [a, b]) {
        expect(e.path).toBe('seed');
        expect(e.message).toMatch(/seed: expected a non-negative integer seed/);
      }
    },
  );

  it('rejects null and non-object options with "expected an object"', async () => {
    expect(thrown(() => sqsEvent(null as never)).message).toBe(
      '[lambda-harness] sqsEvent() options: expected an object, received null',
    );
    expect((await rejected(invokeHandler(handler, {}, null as never))).message).toBe(
      '[lambda-harness] invokeHandler options: expected an object, received null',
    );
    expect(thrown(() => createFunction(null as never)).message).toMatch(
      /^\[lambda-harness\] createFunction options: expected an object, received null/,
    );
  });

  it('caps initTimeout and idleTimeout where Node timers would overflow', () => {
    expect(thrown(() => createFunction({ handler: () => handler, initTimeout: 3e6 })).message).toMatch(
      /createFunction options\.initTimeout: expected seconds > 0 and <= 900, received number 3000000/,
    );
    expect(thrown(() => createFunction({ handler: () => handler, idleTimeout: 3e6 })).message).toMatch(
      /createFunction options\.idleTimeout: expected seconds > 0 and <= 2147483/,
    );
  });
});
