// Side effects are opt-in and the engine never imports a test runner: only src/vitest and
// src/jest touch a runner, the main entry registers nothing, and package.json says so.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Source without comments, so JSDoc examples that mention a runner do not count. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const RUNNER_IMPORT =
  /from\s+['"](vitest|@jest\/globals|jest|@vitest\/[^'"]+|expect)['"]|import\s+['"](vitest|@jest\/globals)['"]/;

describe('runner isolation', () => {
  it('no file outside src/vitest and src/jest imports a test runner', () => {
    const offenders = sourceFiles('src')
      .filter((file) => !/[\\/]src[\\/](vitest|jest)[\\/]/.test(file))
      .filter((file) => RUNNER_IMPORT.test(withoutComments(readFileSync(file, 'utf8'))));
    expect(offenders).toEqual([]);
  });

  it('src/matchers reads results only: no imports of the engine beyond types and HarnessError', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('src/matchers')) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /^import\s+(type\s+)?[^;]*?from\s+'(\.\.\/[^']+)'/gm,
      )) {
        // The errors room: HarnessError and the zod-free value describer.
        const errorsRoom = ['../errors/index.js', '../errors/describe.js'];
        if (!m[1] && !errorsRoom.includes(m[2] as string)) offenders.push(`${file}: ${m[2]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('importing the main entry registers no matcher; importing lambda-harness/vitest does', async () => {
    const registry = () =>
      (globalThis as unknown as Record<symbol, { matchers: Record<string, unknown> } | undefined>)[
        Symbol.for('$$jest-matchers-object')
      ]?.matchers ?? {};
    await import('../../src/index.js');
    expect(Object.keys(registry())).not.toContain('toHaveSucceeded');
    await import('../../src/vitest/index.js');
    expect(Object.keys(registry())).toContain('toHaveSucceeded');
  });

  it('package.json lists exactly the runner entries as side effects and exports them', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      sideEffects: string[];
      exports: Record<string, unknown>;
      peerDependenciesMeta: Record<string, { optional: boolean }>;
    };
    expect(pkg.sideEffects).toEqual(['./dist/vitest/*', './dist/jest/*']);
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './vitest', './jest']));
    expect(pkg.peerDependenciesMeta.vitest?.optional).toBe(true);
    expect(pkg.peerDependenciesMeta['@jest/globals']?.optional).toBe(true);
  });
});
