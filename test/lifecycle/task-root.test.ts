import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFunction, HarnessError } from '../../src/index.js';
import { resolveHandlerFile } from '../../src/lifecycle/index.js';

const root = fileURLToPath(new URL('../fixtures/templates/task-root', import.meta.url));
// The fixture counts its evaluations on a probe object this test owns: the harness removes the
// globals a module adds at init (each environment starts from the test's globals).
(globalThis as Record<string, unknown>).__taskRootProbe ??= { loads: 0 };

async function invokeOnce(handler: string) {
  const fn = createFunction({ taskRoot: root, handler });
  try {
    return await fn.invoke({});
  } finally {
    await fn.dispose();
  }
}

describe('handler strings from a task root', () => {
  it.each([
    ['index.handler', `${root}/index.js`],
    ['lib/app.handler', `${root}/lib/app.mjs`],
    ['esm/main.handler', `${root}/esm/main.js`],
    ['nosuchfile.handler', undefined],
  ])('%s resolves to %s, in the runtime client order', (handler, file) => {
    expect(resolveHandlerFile(root, handler)).toBe(file);
  });

  it.each([
    ['index.handlers.nested.get', 'nested'],
    ['lib/app.handler', 'mjs in a subfolder'],
    ['esm/main.handler', 'esm by package.json type'],
  ])('%s loads and runs', async (handler, response) => {
    const r = await invokeOnce(handler);
    expect(r.outcome === 'success' && r.response).toBe(response);
  });

  it.each([
    [
      'nosuchfile.handler',
      'Runtime.ImportModuleError',
      /^Error: Cannot find module 'nosuchfile'\nRequire stack:\n/,
    ],
    ['index.missing', 'Runtime.HandlerNotFound', /^index\.missing is undefined or not exported$/],
    ['index.notAFunction', 'Runtime.HandlerNotFound', /^index\.notAFunction is not a function$/],
    ['index', 'Runtime.MalformedHandlerName', /^Bad handler$/],
    ['../index.handler', 'Runtime.MalformedHandlerName', /is not a valid handler name/],
  ])('%s fails init with the runtime error %s', async (handler, errorType, message) => {
    const r = await invokeOnce(handler);
    expect(r.outcome).toBe('error');
    expect(r.outcome === 'error' && r.error.errorType).toBe(errorType);
    expect(r.outcome === 'error' && r.error.errorMessage).toMatch(message);
  });

  it('each cold start evaluates the module again', async () => {
    const fn = createFunction({ taskRoot: root, handler: 'index.handler', reservedConcurrency: 2 });
    const [a, b] = await Promise.all([fn.invoke({}), fn.invoke({})]);
    const loads = [a, b].map((r) => (r.outcome === 'success' ? (r.response as { loads: number }).loads : 0));
    expect(new Set(loads).size).toBe(2);
    await fn.dispose();
  });

  it('layers: packages resolve from layer folders after the function’s own node_modules; later layers win', async () => {
    const app = fileURLToPath(new URL('../fixtures/templates/app', import.meta.url));
    const layer = (name: string) =>
      fileURLToPath(new URL(`../fixtures/templates/layers/${name}`, import.meta.url));
    // Without layers first: mounting a layer extends this process's CommonJS module path for good.
    const bare = createFunction({ taskRoot: app, handler: 'src/uses-layer.handler' });
    const missing = await bare.invoke({});
    expect(missing.outcome === 'error' && missing.error.errorMessage).toMatch(
      /^Error: Cannot find module 'shared-util'/,
    );
    const fn = createFunction({
      taskRoot: app,
      handler: 'src/uses-layer.handler',
      layers: [layer('shared'), layer('newer')],
    });
    const r = await fn.invoke({});
    expect(r.outcome === 'success' ? r.response : r).toEqual({ shared: 'newer layer', dual: 'function' });
    await Promise.all([bare.dispose(), fn.dispose()]);
    expect(() =>
      createFunction({ taskRoot: app, handler: 'src/uses-layer.handler', layers: ['rel'] }),
    ).toThrow(/createFunction options\.layers: expected absolute folder paths/);
  });

  it('bad options: a relative task root, a missing folder, a non-string handler', () => {
    expect(() => createFunction({ taskRoot: 'app', handler: 'index.handler' })).toThrow(
      /createFunction options\.taskRoot: expected an absolute path/,
    );
    expect(() => createFunction({ taskRoot: `${root}/nope`, handler: 'index.handler' })).toThrow(
      HarnessError,
    );
    expect(() => createFunction({ taskRoot: root, handler: () => ({}) })).toThrow(
      /createFunction options\.handler: with taskRoot, expected a handler string/,
    );
  });
});
