/**
 * Builds the CLI once per test file into a private directory (the shared dist/ may be rebuilt by
 * anyone at any time), with the project's own tsup configuration minus type declarations.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'tsup';
import config from '../../tsup.config.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Builds `cli/index`, the isolated child and any extra entries into `node_modules/.cache/lambda-harness-cli-test/<pid>`
 * (inside the repository, so the build resolves the project's dependencies) and returns the CLI path.
 *
 * @example
 * const cli = await buildCli(); // .../cli/index.js
 */
export async function buildCli(
  extraEntries: Record<string, string> = {},
  formats: readonly ('esm' | 'cjs')[] = ['esm'],
): Promise<{ cli: string; dir: string }> {
  const dir = join(ROOT, 'node_modules', '.cache', 'lambda-harness-cli-test', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // As in the published package (type: module), so .js output is ESM without syntax detection
  // (the nodejs20.x/22.x profiles start the child with --no-experimental-detect-module).
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const base = config as Record<string, unknown>;
  await build({
    ...base,
    entry: {
      'cli/index': join(ROOT, 'src/cli/index.ts'),
      'lifecycle/isolated/child': join(ROOT, 'src/lifecycle/isolated/child.ts'),
      ...extraEntries,
    },
    format: [...formats],
    dts: false,
    sourcemap: false,
    clean: false,
    outDir: dir,
    silent: true,
    config: false,
  } as Parameters<typeof build>[0]);
  const cli = join(dir, 'cli', 'index.js');
  if (!existsSync(cli)) throw new Error(`CLI build produced no ${cli}`);
  return { cli, dir };
}

/** Removes a private build. */
export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
