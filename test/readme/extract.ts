// Pulls the README's ```ts code blocks out and decides which are complete tests.
import { readFileSync } from 'node:fs';

/** One ```ts block of the README or a docs page. */
export interface ReadmeBlock {
  /** 1-based line of the opening fence in its page. */
  line: number;
  code: string;
}

/** Every ```ts block (including indented ones inside lists) of a Markdown page, in page order. */
export const readmeTsBlocks = (readmePath: string): ReadmeBlock[] => {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```ts\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1] ?? '';
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j]?.trimEnd() !== `${indent}\`\`\``; j++) {
      body.push((lines[j] ?? '').slice(indent.length));
    }
    if (j >= lines.length) throw new Error(`${readmePath}:${i + 1}: unterminated \`\`\`ts block`);
    blocks.push({ line: i + 1, code: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
};

/** Number of `it(` / `test(` calls in a block (each is one test when it runs). */
export const countTests = (code: string): number => (code.match(/(?<![\w.])(?:it|test)\(/g) ?? []).length;

/**
 * A complete test: declares at least one `it(`/`test(` and imports from 'vitest' or
 * 'lambda-harness' (the two README tests without a vitest import rely on test globals,
 * which the examples config turns on, as Jest and `globals: true` users have them).
 */
export const isCompleteTest = (code: string): boolean =>
  countTests(code) > 0 && /from '(?:vitest|lambda-harness)'/.test(code);

/**
 * True when the block calls one of `matcherNames` (the matchers 'lambda-harness/vitest' registers)
 * but registers no matchers itself.
 */
export const needsMatcherSetup = (code: string, matcherNames: readonly string[]): boolean =>
  matcherNames.some((name) => code.includes(`.${name}(`)) &&
  !/['"]lambda-harness\/(?:vitest|jest)['"]/.test(code) &&
  !code.includes('expect.extend(');

/**
 * A fragment that is a whole module on its own: no test, opens with an import, imports
 * 'lambda-harness' and nothing but 'lambda-harness' / 'vitest'. It is type-checked, not run
 * (fragments show calls, some meant to throw, without assertions).
 */
export const isSelfContainedFragment = (code: string): boolean => {
  if (isCompleteTest(code) || !code.startsWith('import ')) return false;
  const specifiers = [...code.matchAll(/(?:from |import\()'([^']+)'/g)].map((m) => m[1]);
  return (
    specifiers.includes('lambda-harness') && specifiers.every((s) => s === 'lambda-harness' || s === 'vitest')
  );
};
