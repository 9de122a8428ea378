import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

function errorOf(result: InvocationResult) {
  if (result.outcome !== 'error') throw new Error(`expected error, got ${result.outcome}`);
  return result.error;
}

describe('thrown errors and rejections', () => {
  it('throw new Error: name, message and the stack lines as trace', async () => {
    const result = await invokeHandler(async () => {
      throw new Error('boom');
    }, {});
    const error = errorOf(result);
    expect(error.errorType).toBe('Error');
    expect(error.errorMessage).toBe('boom');
    expect(error.trace?.[0]).toBe('Error: boom');
    expect(error.trace?.[1]).toMatch(/^ {4}at /);
  });

  it('a synchronous throw is an error too', async () => {
    for (const runtime of ['nodejs20.x', 'nodejs24.x'] as const) {
      const result = await invokeHandler(
        () => {
          throw new RangeError('sync boom');
        },
        {},
        { runtime },
      );
      expect(errorOf(result)).toMatchObject({ errorType: 'RangeError', errorMessage: 'sync boom' });
    }
  });

  it('errorType comes from err.name, not the class name', async () => {
    class CustomError extends Error {}
    const result = await invokeHandler(async () => {
      throw new CustomError('custom without name');
    }, {});
    expect(errorOf(result)).toMatchObject({ errorType: 'Error', errorMessage: 'custom without name' });
  });

  it('own props are logged but not posted; DEL is escaped in the post only', async () => {
    class ValidationError extends Error {
      code = 'E_BAD';
      details = { field: 'x' };
    }
    ValidationError.prototype.name = 'ValidationError';
    const result = await invokeHandler(async () => {
      throw new ValidationError('bad\x7finput');
    }, {});
    const error = errorOf(result);
    expect(Object.keys(error)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(error).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad%7Finput' });
    expect(error.trace?.[0]).toBe('ValidationError: bad%7Finput');
    const line = result.logs.find((l) => l.source === 'runtime');
    expect(line?.text).toContain(
      'Invoke Error \t{"errorType":"ValidationError","errorMessage":"bad\x7finput","code":"E_BAD","details":{"field":"x"},"stack":["ValidationError: bad\x7finput"',
    );
  });

  it('error cause appears nowhere', async () => {
    const result = await invokeHandler(async () => {
      throw new Error('outer', { cause: new Error('inner') });
    }, {});
    expect(JSON.stringify(errorOf(result))).not.toContain('inner');
    expect(result.logs.some((l) => l.text.includes('inner'))).toBe(false);
  });

  it.each([
    [
      'a string',
      'plain string thrown',
      { errorType: 'string', errorMessage: 'plain string thrown', trace: [] },
    ],
    ['a number', 42, { errorType: 'number', errorMessage: '42', trace: [] }],
    ['an object literal', { a: 1 }, { errorType: 'object', errorMessage: '[object Object]', trace: [] }],
  ])('throwing %s maps to typeof / String() with an empty trace', async (_label, value, expected) => {
    for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
      const result = await invokeHandler(
        async () => {
          throw value;
        },
        {},
        { runtime },
      );
      expect(errorOf(result)).toEqual(expected);
    }
  });

  it.each([
    ['nodejs20.x', undefined, { errorType: 'string', errorMessage: 'handled', trace: [] }],
    ['nodejs22.x', null, { errorType: 'string', errorMessage: 'handled', trace: [] }],
    ['nodejs24.x', undefined, { errorType: 'undefined', errorMessage: 'undefined', trace: [] }],
    ['nodejs24.x', null, { errorType: 'object', errorMessage: 'null', trace: [] }],
  ] as const)('%s: throw %s', async (runtime, value, expected) => {
    const result = await invokeHandler(
      async () => {
        throw value;
      },
      {},
      { runtime },
    );
    expect(errorOf(result)).toEqual(expected);
  });

  it('duck-typed error objects: v3 uses name/message/stack, v4 says object', async () => {
    const duck = {
      name: 'FakeError',
      message: 'duck typed',
      stack: 'FakeError: duck typed\n    at somewhere',
    };
    const v3 = await invokeHandler(
      async () => {
        throw duck;
      },
      {},
      { runtime: 'nodejs22.x' },
    );
    expect(errorOf(v3)).toEqual({
      errorType: 'FakeError',
      errorMessage: 'duck typed',
      trace: ['FakeError: duck typed', '    at somewhere'],
    });
    const v4 = await invokeHandler(async () => {
      throw duck;
    }, {});
    expect(errorOf(v4)).toEqual({ errorType: 'object', errorMessage: '[object Object]', trace: [] });
  });

  it('a non-async function returning a rejected promise', async () => {
    const result = await invokeHandler(() => Promise.reject(new Error('rejected')), {});
    expect(errorOf(result)).toMatchObject({ errorType: 'Error', errorMessage: 'rejected' });
  });

  it('the Invoke Error log line: space before the tab, non-Errors wrapped as Error', async () => {
    const result = await invokeHandler(
      async () => {
        throw 'plain';
      },
      {},
      { requestId: '11111111-1111-4111-8111-111111111111' },
    );
    const line = result.logs.find((l) => l.source === 'runtime');
    expect(line?.level).toBe('ERROR');
    expect(line?.text).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t11111111-1111-4111-8111-111111111111\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"plain","stack":\["Error: plain",/,
    );
  });

  it('JSON log format: the invoke error is logged as console.error(error)', async () => {
    const result = await invokeHandler(
      async () => {
        throw new TypeError('json boom');
      },
      {},
      { logFormat: 'JSON' },
    );
    const line = result.logs.find((l) => l.source === 'runtime');
    expect(line?.json).toMatchObject({
      level: 'ERROR',
      requestId: result.requestId,
      message: { errorType: 'TypeError', errorMessage: 'json boom' },
    });
    expect(line?.text).not.toContain('Invoke Error');
    const message = line?.json?.message as { stackTrace?: unknown } | undefined;
    expect(Array.isArray(message?.stackTrace)).toBe(true);
  });
});
