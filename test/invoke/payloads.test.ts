import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

function json(result: InvocationResult): string {
  if (result.outcome !== 'success')
    throw new Error(`expected success, got ${result.outcome}: ${JSON.stringify(result)}`);
  return result.responseJson;
}
function errorOf(result: InvocationResult) {
  if (result.outcome !== 'error') throw new Error(`expected error, got ${result.outcome}`);
  return result.error;
}

describe('payloads', () => {
  it.each([
    ['hello', '"hello"'],
    [42, '42'],
    [null, 'null'],
    [false, 'false'],
    [[1, 'a', null], '[1,"a",null]'],
    [new Date(0), '"1970-01-01T00:00:00.000Z"'],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [new Map([[1, 2]]), '{}'],
    [Buffer.from('hi'), '{"type":"Buffer","data":[104,105]}'],
    [Number.NaN, 'null'],
    [{ toJSON: () => 'custom' }, '"custom"'],
  ])('response %# is serialised like JSON.stringify', async (value, expected) => {
    expect(json(await invokeHandler(async () => value, {}))).toBe(expected);
  });

  it.each([
    ['a function', () => 1],
    ['a Symbol', Symbol('s')],
  ])('%s as the response: TypeError "Wrong arguments"', async (_label, value) => {
    const result = await invokeHandler(async () => value, {});
    expect(errorOf(result)).toMatchObject({ errorType: 'TypeError', errorMessage: 'Wrong arguments' });
    expect(result.logs.some((l) => l.text.includes('Invoke Error'))).toBe(true);
  });

  it.each([
    ['nodejs22.x', 'Error'],
    ['nodejs24.x', 'Runtime.JSONStringifyError'],
  ] as const)(
    '%s: a circular or BigInt result gives %s "Unable to stringify response body"',
    async (runtime, errorType) => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      for (const value of [circular, { n: 10n }]) {
        const result = await invokeHandler(async () => value, {}, { runtime });
        expect(errorOf(result)).toMatchObject({
          errorType,
          errorMessage: 'Unable to stringify response body',
        });
      }
    },
  );

  it('nodejs22.x callback with a circular result: Uncaught Exception, error posted, environment reset', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const result = await invokeHandler(
      (_e: unknown, _c: unknown, cb: (e: unknown, r: unknown) => void) => cb(null, circular),
      {},
      { runtime: 'nodejs22.x' },
    );
    expect(errorOf(result)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'Unable to stringify response body',
    });
    expect(result.logs.some((l) => l.text.includes('\tERROR\tUncaught Exception \t'))).toBe(true);
  });

  it('the event is a JSON copy: Dates become strings, undefined vanishes, the test object is not mutated', async () => {
    const event = { when: new Date(0), gone: undefined, nested: { n: 1 } };
    const result = await invokeHandler(async (e: Record<string, unknown>) => {
      const seen = { when: e.when, hasGone: 'gone' in e };
      (e.nested as { n: number }).n = 99;
      return seen;
    }, event);
    expect(JSON.parse(json(result))).toEqual({ when: '1970-01-01T00:00:00.000Z', hasGone: false });
    expect(event.nested.n).toBe(1);
  });

  it.each(['text', 7, null, [1, 2], true])('the event can be any JSON value (%s)', async (value) => {
    expect(JSON.parse(json(await invokeHandler(async (e: unknown) => e, value)))).toEqual(value);
  });

  it('an undefined event is delivered as {}', async () => {
    expect(json(await invokeHandler(async (e: unknown) => e))).toBe('{}');
  });

  it('a response over 6,291,556 bytes gives Function.ResponseSizeTooLarge and the runtime 413 log line', async () => {
    const big = 'x'.repeat(6_291_556 - 1); // plus 2 quote bytes = 6,291,557
    for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
      const result = await invokeHandler(async () => big, {}, { runtime });
      expect(errorOf(result)).toEqual({
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      });
      const line = result.logs.find((l) => l.text.includes('LAMBDA_RUNTIME'));
      expect(line?.text).toMatch(
        /^\[ERROR\] \[\d+\] LAMBDA_RUNTIME Failed to post handler success response\. Http response code: 413\./,
      );
      expect(line?.text.endsWith('"errorType":"RequestEntityTooLarge"}')).toBe(runtime === 'nodejs24.x');
    }
  });

  it('a response of exactly 6,291,556 bytes passes', async () => {
    const result = await invokeHandler(async () => 'x'.repeat(6_291_556 - 2), {});
    expect(json(result).length).toBe(6_291_556);
  });

  it('a request over the limit is rejected before the handler runs', async () => {
    let ran = false;
    const result = await invokeHandler(
      async () => {
        ran = true;
      },
      { data: 'x'.repeat(6_291_556) },
    );
    expect(ran).toBe(false);
    expect(errorOf(result)).toEqual({
      errorType: 'RequestEntityTooLarge',
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('a test event that is not JSON is a HarnessError', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(invokeHandler(async () => 1, circular)).rejects.toThrow(HarnessError);
    await expect(invokeHandler(async () => 1, { n: 1n })).rejects.toMatchObject({ code: 'INVALID_EVENT' });
  });
});
