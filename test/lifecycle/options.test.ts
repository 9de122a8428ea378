import { describe, expect, it } from 'vitest';
import {
  createFunction,
  getModuleIsolation,
  type ModuleIsolation,
  nodeModuleIsolation,
  setModuleIsolation,
} from '../../src/lifecycle/index.js';
import { resolveInvokeOptions } from '../../src/lifecycle/options.js';

const handler = () => async () => 'ok';

describe('createFunction options', () => {
  it('rejects unknown options, naming them and listing the known ones', () => {
    expect(() => createFunction({ handler, reservedConcurency: 1 } as never)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        path: 'reservedConcurency',
        message: expect.stringContaining('createFunction options.reservedConcurency: unknown option'),
      }),
    );
  });

  it.each([
    [{ handler: './handler.js' }, 'INVALID_HANDLER', 'handler'],
    [{ handler, handlerName: '' }, 'INVALID_OPTIONS', 'handlerName'],
    [{ handler, reservedConcurrency: -1 }, 'INVALID_OPTIONS', 'reservedConcurrency'],
    [{ handler, provisionedConcurrency: 1.5 }, 'INVALID_OPTIONS', 'provisionedConcurrency'],
    [
      { handler, reservedConcurrency: 1, provisionedConcurrency: 2 },
      'INVALID_OPTIONS',
      'provisionedConcurrency',
    ],
    [{ handler, idleTimeout: 0 }, 'INVALID_OPTIONS', 'idleTimeout'],
    [{ handler, initTimeout: 'ten' }, 'INVALID_OPTIONS', 'initTimeout'],
    [{ handler, timeout: 901 }, 'INVALID_OPTIONS', 'timeout'],
    [{ handler, clock: 'fake' }, 'INVALID_OPTIONS', 'clock'],
    [{ handler, isolation: { name: 'x' } }, 'INVALID_OPTIONS', 'createFunction options.isolation.load'],
    [
      { handler, isolation: { name: 'x', load: () => 1, extra: 1 } },
      'INVALID_OPTIONS',
      'createFunction options.isolation.extra',
    ],
  ])('rejects %j', (options, code, path) => {
    expect(() => createFunction(options as never)).toThrow(expect.objectContaining({ code, path }));
  });

  it('rejects unknown invoke options and bad request ids', async () => {
    const fn = createFunction({ handler });
    await expect(fn.invoke({}, { requestID: 'x' } as never)).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      path: 'requestID',
    });
    await expect(fn.invoke({}, { requestId: 'not-a-uuid' })).rejects.toMatchObject({ path: 'requestId' });
    await fn.dispose();
  });

  it('reads a pinned virtual clock as the schema does, and sends every other shape to the schema', () => {
    const t = Date.UTC(2024, 0, 1);
    expect(resolveInvokeOptions({ clock: { mode: 'virtual', startMs: t } }, 'f')).toEqual({
      clock: { mode: 'virtual', startMs: t },
      requestId: undefined,
      traceId: undefined,
      identity: undefined,
      clientContext: undefined,
      tenantId: undefined,
    });
    expect(resolveInvokeOptions({ clock: { startMs: 0, mode: 'virtual' } }, 'f').clock).toEqual({
      mode: 'virtual',
      startMs: 0,
    });
    for (const startMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, 253370764800001, '0']) {
      expect(
        () => resolveInvokeOptions({ clock: { mode: 'virtual', startMs } }, 'f'),
        String(startMs),
      ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', path: 'clock.startMs' }));
    }
    expect(() => resolveInvokeOptions({ clock: { mode: 'virtual', startMs: t, extra: 1 } }, 'f')).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => resolveInvokeOptions({ clock: { mode: 'real', startMs: t } }, 'f')).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(resolveInvokeOptions({ clock: 'virtual' }, 'f').clock).toEqual({ mode: 'virtual' });
  });

  it('rejects a non-JSON event without spending the cold start', async () => {
    const fn = createFunction({ handler });
    await expect(fn.invoke({ n: 1n })).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    const next = await fn.invoke({});
    expect(next.outcome !== 'throttled' && next.coldStart).toBe(true);
    await fn.dispose();
  });

  it('uses the request id it is given', async () => {
    const fn = createFunction({ handler });
    const requestId = 'c793869b-ee49-415b-a5b6-4fd21e8dedac';
    const result = await fn.invoke({}, { requestId });
    expect(result.outcome !== 'throttled' && result.requestId).toBe(requestId);
    await fn.dispose();
  });

  it('refuses to be used after dispose', async () => {
    const fn = createFunction({ handler });
    await fn.dispose();
    await expect(fn.invoke({})).rejects.toMatchObject({ code: 'INVALID_CONFIGURATION' });
    expect(() => fn.forceColdStart()).toThrow(/disposed/);
  });

  it('dispose waits for in-flight invocations', async () => {
    const fn = createFunction({
      handler: () => async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return 'done';
      },
    });
    const pending = fn.invoke({});
    await new Promise((resolve) => setTimeout(resolve, 5));
    await fn.dispose();
    expect((await pending).outcome).toBe('success');
    expect(fn.instances).toEqual([]);
  });
});

describe('module isolation registry', () => {
  it('defaults to plain Node, takes a registered isolation, and validates it', () => {
    expect(getModuleIsolation()).toBe(nodeModuleIsolation);
    const custom: ModuleIsolation = { name: 'custom', load: (loader) => loader() };
    setModuleIsolation(custom);
    try {
      expect(getModuleIsolation()).toBe(custom);
      expect(createFunction({ handler }).isolation).toBe('custom');
      expect(createFunction({ handler, isolation: nodeModuleIsolation }).isolation).toBe('node');
    } finally {
      setModuleIsolation(undefined);
    }
    expect(getModuleIsolation()).toBe(nodeModuleIsolation);
    expect(() => setModuleIsolation({ name: '', load: () => 1 })).toThrow(
      /name: expected a non-empty string/,
    );
  });
});
