// Reads a runner's setup steps out of a documentation page, so a CI lane follows the page as
// written instead of a copy of it. A step is the fenced code block right after a marker comment:
//   <!-- setup vitest: shell -->             the commands to run, one per line
//   <!-- setup vitest: vitest.config.ts -->  a file to write, at this path in the project
// Usage: node doc-setup.mjs <page.md> <runner> <project-dir> <tarball> [name@range ...]
// Writes the files into <project-dir> and prints the commands on stdout, with the package name
// `lambda-harness` as an install argument replaced by <tarball> (it is not published yet) and each
// `name` given as `name@range` pinned to that range (the Vitest 4 lane pins vitest@4).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [page, runner, projectDir, tarball, ...pins] = process.argv.slice(2);
if (!page || !runner || !projectDir || !tarball) {
  console.error('usage: node doc-setup.mjs <page.md> <runner> <project-dir> <tarball> [name@range ...]');
  process.exit(2);
}

const text = readFileSync(page, 'utf8');
const marker = /<!-- setup ([\w-]+): (\S+) -->\s*\n```[^\n]*\n([\s\S]*?)\n```/g;
const steps = [...text.matchAll(marker)].filter((m) => m[1] === runner);
if (steps.length === 0) {
  console.error(`${page}: no "<!-- setup ${runner}: ... -->" blocks`);
  process.exit(1);
}

const pinned = new Map(
  pins.map((p) => {
    const at = p.lastIndexOf('@');
    return [p.slice(0, at), p];
  }),
);
const commands = [];
for (const [, , target, body] of steps) {
  if (target === 'shell') {
    for (const line of body.split('\n')) {
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const words = line.split(/(\s+)/);
      const isInstall = /\bnpm (install|i|add)\b/.test(line);
      commands.push(
        words
          .map((w) => (isInstall && w === 'lambda-harness' ? tarball : isInstall ? (pinned.get(w) ?? w) : w))
          .join(''),
      );
    }
  } else {
    const file = path.join(projectDir, target);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${body}\n`);
    console.error(`wrote ${target} (from ${page})`);
  }
}
if (!commands.some((c) => c.includes(tarball))) {
  console.error(`${page}: the ${runner} setup installs no lambda-harness`);
  process.exit(1);
}
process.stdout.write(`${commands.join('\n')}\n`);
