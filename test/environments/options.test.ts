import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFunction, HarnessError } from '../../src/index.js';

const handler = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app', 'handler.mjs');

function thrown(run: () => unknown): HarnessError {
  try {
    run();
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('expected a HarnessError');
}

describe('createFunction environment options', () => {
  it('rejects an unknown environment kind, naming the option', () => {
    const error = thrown(() => createFunction({ handler, environment: 'vm' as never }));
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('environment');
  });

  it('asks for a file when a worker or process is given a loader function', () => {
    for (const environment of ['worker', 'process'] as const) {
      const error = thrown(() => createFunction({ handler: () => import(handler), environment }));
      expect(error.code).toBe('INVALID_HANDLER');
      expect(error.message).toContain(`the '${environment}' environment loads the handler from a file`);
    }
  });

  it('rejects setup in the runner and a missing setup file elsewhere', () => {
    expect(thrown(() => createFunction({ handler, setup: handler })).message).toContain('setup');
    const missing = thrown(() =>
      createFunction({ handler, environment: 'worker', setup: '/no/such/setup.ts' }),
    );
    expect(missing.message).toContain('no such file /no/such/setup.ts');
  });

  it('rejects a module isolation outside the runner and a missing handler file', () => {
    const isolation = { name: 'custom', load: (l: () => unknown) => l() };
    expect(thrown(() => createFunction({ handler, environment: 'process', isolation })).message).toContain(
      'isolation',
    );
    expect(thrown(() => createFunction({ handler: '/no/such/h.mjs', environment: 'worker' })).code).toBe(
      'INVALID_HANDLER',
    );
  });

  it('reports its kind', async () => {
    const fn = createFunction({ handler, handlerName: 'handler.handler', environment: 'worker' });
    expect(fn.environment).toBe('worker');
    await fn.dispose();
  });
});
