import { describe, expect, it } from 'vitest';
import {
  escapeDel,
  formatErrorForTextLog,
  getRuntimeProfile,
  intoError,
  newLogStreamName,
  newTraceId,
  parseHandlerName,
  RUNTIME_NAMES,
  toErrorPayload,
  UnhandledPromiseRejection,
} from '../../src/runtime/index.js';

describe('runtime profiles', () => {
  it('lists the three runtimes with their generation differences', () => {
    expect(RUNTIME_NAMES).toEqual(['nodejs20.x', 'nodejs22.x', 'nodejs24.x']);
    expect(getRuntimeProfile('nodejs22.x')).toMatchObject({
      generation: 'v3',
      callbacks: true,
      syncReturnIsResponse: false,
      initRequestIdText: 'undefined',
    });
    expect(getRuntimeProfile('nodejs24.x')).toMatchObject({
      generation: 'v4',
      callbacks: false,
      rejectsCallbackArity: true,
      defaultExportFallback: true,
      initRequestIdText: '-',
    });
    expect(getRuntimeProfile('nodejs18.x')).toBeUndefined();
    expect(getRuntimeProfile('toString')).toBeUndefined();
  });
});

describe('error serialisation', () => {
  it('escapes DEL', () => {
    expect(escapeDel('a\x7fb\x7f')).toBe('a%7Fb%7F');
  });

  it('v3 falls back to "handled" when reading the fields throws', () => {
    const err = new Error('x');
    Object.defineProperty(err, 'stack', {
      get() {
        throw new Error('no');
      },
    });
    expect(toErrorPayload(err, 'v3')).toEqual({
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    });
  });

  it('log JSON: errorType, errorMessage, code, own props, stack array', () => {
    const err = Object.assign(new Error('m'), { code: 'C', extra: 1 });
    const parsed = JSON.parse(formatErrorForTextLog(err));
    expect(Object.keys(parsed)).toEqual(['errorType', 'errorMessage', 'code', 'extra', 'stack']);
    expect(parsed.stack[0]).toBe('Error: m');
  });

  it('intoError wraps non-errors', () => {
    expect(intoError('x')).toBeInstanceOf(Error);
    const e = new Error('keep');
    expect(intoError(e)).toBe(e);
  });

  it('UnhandledPromiseRejection carries reason and promise; its name is the runtime error type', () => {
    const reason = new Error('why');
    const err = new UnhandledPromiseRejection(reason, 'p');
    expect(err.name).toBe('Runtime.UnhandledPromiseRejection');
    expect(err.constructor.name).toBe('UnhandledPromiseRejection');
    expect(err.message).toBe('Error: why');
    expect(toErrorPayload(err, 'v3').errorType).toBe('Runtime.UnhandledPromiseRejection');
  });
});

describe('handler names and ids', () => {
  it('splits at the first dot of the base name', () => {
    expect(parseHandlerName('src/api/index.handlers.get')).toEqual({
      ok: true,
      moduleDir: 'src/api',
      moduleName: 'index',
      propertyPath: ['handlers', 'get'],
    });
    expect(parseHandlerName('index.handler')).toMatchObject({
      ok: true,
      moduleDir: '',
      propertyPath: ['handler'],
    });
  });

  it('formats log stream names and trace ids like Lambda', () => {
    expect(newLogStreamName('$LATEST', Date.UTC(2019, 5, 7))).toMatch(
      /^2019\/06\/07\/\[\$LATEST\][0-9a-f]{32}$/,
    );
    const a = newTraceId(Date.UTC(2024, 0, 1));
    expect(a).toMatch(/^Root=1-65920080-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(newTraceId(0)).not.toBe(newTraceId(0));
  });
});
