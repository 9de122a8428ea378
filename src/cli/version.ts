import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The installed lambda-harness version, read from the package.json above the running CLI file.
 *
 * @example
 * packageVersion('/app/node_modules/lambda-harness/dist/cli/index.js'); // '0.1.0'
 */
export function packageVersion(fromFile: string | undefined): string {
  if (!fromFile) return 'unknown';
  let dir: string;
  try {
    dir = dirname(realpathSync(fromFile));
  } catch {
    return 'unknown';
  }
  for (let i = 0; i < 6; i += 1) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'lambda-harness' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking up
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return 'unknown';
}
