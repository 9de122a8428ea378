import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { failureOf } from './helpers.js';

const chatty = (logFormat: 'Text' | 'JSON' = 'Text') =>
  invokeHandler(
    async () => {
      console.log('start order %d', 42);
      console.warn('retrying payment');
      console.info(JSON.stringify({ event: 'saved', orderId: 42, meta: { attempt: 2 } }));
      console.log({ structured: true, orderId: 42 });
      console.log('done');
      return 'ok';
    },
    {},
    { logFormat },
  );

describe('log matchers', () => {
  it('finds a line by substring, RegExp and asymmetric matcher, optionally at a level', async () => {
    const result = await chatty();
    expect(result).toHaveLogged('start order 42');
    expect(result).toHaveLogged(/order \d+/);
    expect(result).toHaveLogged(expect.stringContaining('retrying'));
    expect(result).toHaveLogged('retrying', { level: 'WARN' });
    expect(result).not.toHaveLogged('retrying', { level: 'ERROR' });
    expect(result).not.toHaveLogged('never said');
    expect(() => expect(result).toHaveLogged('x', { level: 'LOUD' } as never)).toThrow(/options\.level/);
    expect(() => expect(result).toHaveLogged('x', { levle: 'INFO' } as never)).toThrow(/options\.levle/);
    expect(() => expect(result).toHaveLogged({ a: 1 })).toThrow(/toHaveLoggedJson/);
  });

  it('matches JSON entries partially in text and JSON log formats', async () => {
    for (const format of ['Text', 'JSON'] as const) {
      const result = await chatty(format);
      expect(result).toHaveLoggedJson({ event: 'saved', meta: { attempt: 2 } });
      expect(result).toHaveLoggedJson({ orderId: expect.any(Number) }, { level: 'INFO' });
      expect(result).not.toHaveLoggedJson({ event: 'deleted' });
    }
    const json = await chatty('JSON');
    expect(json).toHaveLoggedJson({ level: 'WARN', message: 'retrying payment' });
    expect(json).toHaveLoggedJson({ message: { structured: true } });
  });

  it('checks order', async () => {
    const result = await chatty();
    expect(result).toHaveLoggedInOrder(['start order', /retrying/, 'done']);
    expect(result).not.toHaveLoggedInOrder(['done', 'start order']);
    expect(result).not.toHaveLoggedInOrder(['done', 'done']);
    expect(failureOf(() => expect(result).toHaveLoggedInOrder(['start', 'done', 'start']))).toContain(
      '2 of 3 matched in order',
    );
  });

  it('detects ERROR lines, including the runtime Invoke Error line', async () => {
    expect(await chatty()).toHaveLoggedNoErrors();
    const failed = await invokeHandler(async () => {
      throw new Error('boom');
    }, {});
    expect(failed).not.toHaveLoggedNoErrors();
    const logged = await invokeHandler(async () => {
      console.error('careful');
      return 1;
    }, {});
    expect(failureOf(() => expect(logged).toHaveLoggedNoErrors())).toContain('careful');
  });

  it('reads REPORT fields', async () => {
    const cold = await invokeHandler(async () => 1, {}, { coldStart: true, memorySize: 256 });
    const warm = await invokeHandler(async () => 1, {});
    expect(cold).toHaveReport({ memorySizeMB: 256, initDurationMs: expect.any(Number), status: undefined });
    expect(warm).toHaveReport({ initDurationMs: undefined, billedDurationMs: expect.any(Number) });
    expect(warm).not.toHaveReport({ memorySizeMB: 256 });
    expect(() => expect(warm).toHaveReport({ memory: 1 } as never)).toThrow(/expected\.memory/);
  });
});
