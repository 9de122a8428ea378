// Rewrites the repository tests copied into a lane's project so that what they test comes from the
// packed package: every `import { ... } from '../../src/<module>.js'` becomes an import from
// `lambda-harness` (or `lambda-harness/vitest`) for the names the package exports (the pinned list
// test/types/public-names/main.txt), and an import from the repository's source file, by absolute
// path, for the few internal names a test's tooling uses (a message masker, a type): those are
// printed, so the lane's log says what did not come from the package.
// Usage: node to-package-imports.mjs <repo-root> <dir>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [root, dir] = process.argv.slice(2);
if (!root || !dir) {
  console.error('usage: node to-package-imports.mjs <repo-root> <dir>');
  process.exit(2);
}
const publicNames = new Set(
  readFileSync(path.join(root, 'test/types/public-names/main.txt'), 'utf8').split('\n').filter(Boolean),
);
const IMPORT = /import\s+(type\s+)?(?:\{([^}]*)\}\s+from\s+)?'(?:\.\.\/)+src\/([\w/-]+)\.js';/g;

function files(at) {
  return readdirSync(at).flatMap((name) => {
    const full = path.join(at, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

let failed = false;
for (const file of files(dir)) {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(IMPORT, (statement, typeOnly = '', list, module) => {
    if (module === 'vitest/index')
      return statement.replace(/'(?:\.\.\/)+src\/vitest\/index\.js'/, "'lambda-harness/vitest'");
    if (list === undefined) {
      console.error(`${file}: cannot rewrite ${statement}`);
      failed = true;
      return statement;
    }
    const specs = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const exported = (spec) => spec.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
    const fromPackage = specs.filter((s) => publicNames.has(exported(s)));
    const fromSource = specs.filter((s) => !publicNames.has(exported(s)));
    const lines = [];
    if (fromPackage.length > 0)
      lines.push(`import ${typeOnly}{ ${fromPackage.join(', ')} } from 'lambda-harness';`);
    if (fromSource.length > 0) {
      const source = path.join(root, 'src', `${module}.js`);
      lines.push(`import ${typeOnly}{ ${fromSource.join(', ')} } from '${source}';`);
      console.log(
        `${path.relative(dir, file)}: internal ${fromSource.map(exported).join(', ')} from src/${module}.ts`,
      );
    }
    return lines.join('\n');
  });
  if (out !== text) writeFileSync(file, out);
  if (/'(?:\.\.\/)+src\//.test(out)) {
    console.error(`${file}: an import of ../src was left after rewriting`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
