import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The `type` of the nearest package.json (the search stops at node_modules or the root), as the runtime looks it up. */
export function nearestPackageType(file: string): 'module' | 'commonjs' {
  let dir = dirname(file);
  for (;;) {
    if (dir.endsWith('/node_modules') || dir.endsWith('\\node_modules')) return 'commonjs';
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return pkg.type === 'module' ? 'module' : 'commonjs';
    } catch {
      // no (readable) package.json here
    }
    const up = dirname(dir);
    if (up === dir) return 'commonjs';
    dir = up;
  }
}

/**
 * Whether the runtime would load this file with `require` (CommonJS) rather than `import()`.
 * nodejs20.x/22.x (v3) require `.cjs` files and `.js` files outside a `"type": "module"` package;
 * nodejs24.x (v4) imports everything. TypeScript files follow the same rule by their JS extension.
 *
 * @example
 * loadsWithRequire('/app/index.js', 'v3'); // true unless /app/package.json says "type": "module"
 */
export function loadsWithRequire(file: string, generation: 'v3' | 'v4'): boolean {
  if (generation === 'v4') return false;
  const ext = extname(file);
  if (ext === '.cjs' || ext === '.cts') return true;
  if (ext === '.mjs' || ext === '.mts') return false;
  return nearestPackageType(file) !== 'module';
}

/**
 * Loads the handler module as the Lambda runtime would (see {@link loadsWithRequire}) and
 * returns its namespace (`module.exports` for CommonJS).
 *
 * @example
 * const ns = await loadUserModule('/app/dist/index.mjs', 'v3');
 */
export async function loadUserModule(file: string, generation: 'v3' | 'v4'): Promise<unknown> {
  if (loadsWithRequire(file, generation)) return createRequire(file)(file);
  return import(pathToFileURL(file).href);
}
