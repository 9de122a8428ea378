import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';

describe('invokeHandler basics', () => {
  it('returns the response of an async handler as a JSON round trip', async () => {
    const result = await invokeHandler(
      async (event: { n: number }) => ({ doubled: event.n * 2, at: new Date(0) }),
      { n: 21 },
    );
    expect(result.outcome).toBe('success');
    if (result.outcome !== 'success') return;
    expect(result.response).toEqual({ doubled: 42, at: '1970-01-01T00:00:00.000Z' });
    expect(result.responseJson).toBe('{"doubled":42,"at":"1970-01-01T00:00:00.000Z"}');
  });

  it('reports a thrown error as a value with the runtime payload', async () => {
    const result = await invokeHandler(async () => {
      throw new TypeError('boom');
    }, {});
    expect(result.outcome).toBe('error');
    if (result.outcome !== 'error') return;
    expect(result.error.errorType).toBe('TypeError');
    expect(result.error.errorMessage).toBe('boom');
    expect(result.error.trace?.[0]).toBe('TypeError: boom');
  });
});
