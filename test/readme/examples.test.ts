// "Every example in the README and the docs pages runs", as a test.
//
// Every ```ts block of README.md and docs/**/*.md that is a complete test (declares `it(`/`test(`
// and imports from 'vitest' or 'lambda-harness') is written out and run by a child `vitest run`
// (config: examples.vitest.config.ts, test globals on). The child must exit 0 and run, and pass,
// exactly as many tests as the blocks declare, so a skipped example fails here.
// - README blocks go to test/readme/.generated/line-<N>.example.ts. The README imports the
//   reader's own handlers, so its relative imports are rewritten by IMPORT_REWRITES (every README
//   import of a relative path must be in that list or this test fails).
// - A docs page's blocks go next to the page (docs/<page>.line-<N>.example.ts, gitignored), so a
//   relative import means what it says to a reader of the page: it must name a file of this repo.
// - `import 'lambda-harness/vitest';` is prepended when a block uses a lambda-harness matcher and
//   registers none (the README tells users to put that import in `setupFiles`).
// The generated files are also type-checked (repo tsconfig + vitest globals), and so are the
// fragments that are whole modules (see isSelfContainedFragment); other fragments (continuations
// using names from earlier blocks, config snippets, imports of the reader's files) are not checked.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaMatchers } from '../../src/index.js';
import {
  countTests,
  isCompleteTest,
  isSelfContainedFragment,
  needsMatcherSetup,
  readmeTsBlocks,
} from './extract.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const generatedDir = fileURLToPath(new URL('./.generated/', import.meta.url));

/** README import path -> fixture path (relative to .generated/), chosen by the test title in the block. */
const IMPORT_REWRITES: readonly { from: string; title: string; to: string; why: string }[] = [
  {
    from: './handlers/sqs-batch.js',
    title: 'reports the poison message and keeps the rest',
    to: '../../../examples/demo/handlers/sqs-batch.js',
    why: 'the demo SQS handler the example was written against',
  },
];

const rewriteImports = (line: number, code: string): string =>
  code.replace(/(from |import\()'(\.{1,2}\/[^']+)'/g, (_match, lead: string, path: string) => {
    const rule = IMPORT_REWRITES.find((r) => r.from === path && code.includes(`'${r.title}'`));
    if (!rule)
      throw new Error(`README.md:${line}: no fixture for import '${path}'; add one to IMPORT_REWRITES`);
    return `${lead}'${rule.to}'`;
  });

/** A docs page's relative import must name a repo file (`./x.js` may stand for `./x.ts`). */
const checkDocsImports = (page: string, line: number, code: string): void => {
  for (const m of code.matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)'/g)) {
    const target = resolve(dirname(page), m[1] ?? '');
    const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')];
    if (!candidates.some((c) => existsSync(c)))
      throw new Error(`${relative(root, page)}:${line}: import '${m[1]}' names no file of this repo`);
  }
};

const docsDir = join(root, 'docs');
const docsPages = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? docsPages(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
/** Generated docs examples sit beside their page; they are removed before and after a passing run. */
const removeDocsExamples = (): void => {
  for (const page of docsPages(docsDir)) {
    const dir = dirname(page);
    for (const f of readdirSync(dir)) if (/\.line-\d+\.example\.ts$/.test(f)) rmSync(join(dir, f));
  }
};

const matcherNames = Object.keys(lambdaMatchers);
const blocks = readmeTsBlocks(fileURLToPath(new URL('../../README.md', import.meta.url)));
const examples = blocks.filter((b) => isCompleteTest(b.code));
const fragments = blocks.filter((b) => isSelfContainedFragment(b.code));
const docs = docsPages(docsDir).map((page) => {
  const pageBlocks = readmeTsBlocks(page);
  return {
    page,
    examples: pageBlocks.filter((b) => isCompleteTest(b.code)),
    fragments: pageBlocks.filter((b) => isSelfContainedFragment(b.code)),
  };
});

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: { status: string; failureMessages: string[] }[];
  }[];
}

interface ChildRun {
  status: number | null;
  stdout: string;
}

/** Runs a command in the repository root (killed after 240 s), collecting its stdout. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 240_000,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

const reportFile = `${generatedDir}report.json`;

describe('README examples', () => {
  let examplesRun: Promise<ChildRun>;
  let typesRun: Promise<ChildRun>;
  let passedRun = false;
  let passedTypes = false;
  afterAll(() => {
    // Kept after a failure for inspection; removed after a pass so no stray files reach tsc or biome.
    if (passedRun && passedTypes) {
      rmSync(generatedDir, { recursive: true, force: true });
      removeDocsExamples();
    }
  });

  it('finds the README and docs blocks (complete tests and fragments)', () => {
    const all = [blocks, ...docs.map((d) => readmeTsBlocks(d.page))].flat();
    expect(all.length).toBeGreaterThan(20);
    expect(examples.length + docs.reduce((n, d) => n + d.examples.length, 0)).toBeGreaterThanOrEqual(9);
    expect(fragments.length + docs.reduce((n, d) => n + d.fragments.length, 0)).toBeGreaterThanOrEqual(4);
  });

  const expected = new Map<string, number>();
  beforeAll(() => {
    rmSync(generatedDir, { recursive: true, force: true });
    removeDocsExamples();
    mkdirSync(generatedDir, { recursive: true });
    for (const { line, code } of examples) {
      let source = rewriteImports(line, code);
      if (needsMatcherSetup(source, matcherNames)) source = `import 'lambda-harness/vitest';\n${source}`;
      const file = `${generatedDir}line-${line}.example.ts`;
      writeFileSync(file, `// Generated from README.md:${line} by test/readme/examples.test.ts\n${source}`);
      expected.set(file, countTests(code));
    }
    for (const { line, code } of fragments) {
      // `export {}` makes it a module, so its top-level await type-checks as it would in a test file.
      writeFileSync(
        `${generatedDir}line-${line}.fragment.ts`,
        `// Generated from README.md:${line} by test/readme/examples.test.ts\n${code}export {};\n`,
      );
    }
    for (const { page, examples: pageExamples, fragments: pageFragments } of docs) {
      const slug = relative(docsDir, page).replace(/\.md$/, '').replaceAll('/', '-');
      for (const { line, code } of pageExamples) {
        checkDocsImports(page, line, code);
        let source = code;
        if (needsMatcherSetup(source, matcherNames)) source = `import 'lambda-harness/vitest';\n${source}`;
        const file = page.replace(/\.md$/, `.line-${line}.example.ts`);
        writeFileSync(
          file,
          `// Generated from docs/${slug}.md:${line} by test/readme/examples.test.ts\n${source}`,
        );
        expected.set(file, countTests(code));
      }
      for (const { line, code } of pageFragments) {
        writeFileSync(
          `${generatedDir}docs-${slug}-line-${line}.fragment.ts`,
          `// Generated from docs/${slug}.md:${line} by test/readme/examples.test.ts\n${code}export {};\n`,
        );
      }
    }
    // The repo's strict tsconfig, plus the vitest globals the two global-style examples use.
    writeFileSync(
      `${generatedDir}tsconfig.json`,
      JSON.stringify({
        extends: '../../../tsconfig.json',
        compilerOptions: { types: ['node', 'vitest/globals'] },
        include: ['./*.example.ts', './*.fragment.ts', '../../../docs/**/*.example.ts'],
      }),
    );
    // The two checks below are independent child processes (a vitest run, a tsc run) started
    // together here: run one after the other they were the longest file of the suite.
    examplesRun = run(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'test/readme/examples.vitest.config.ts',
        '--reporter=json',
        `--outputFile=${reportFile}`,
      ],
      { ...process.env, CI: '1' },
    );
    typesRun = run(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'test/readme/.generated/tsconfig.json',
    ]);
  });

  it('runs every complete-test block of the README and docs/ and every test in it passes', async () => {
    const child = await examplesRun;
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
    const plain = (text: string): string => stripVTControlCharacters(text).slice(0, 2_000);
    const perFile = report.testResults
      .map((r) => ({
        file: r.name,
        status: r.status,
        passed: r.assertionResults.filter((a) => a.status === 'passed').length,
        errors: [r.message, ...r.assertionResults.flatMap((a) => a.failureMessages)]
          .filter(Boolean)
          .map(plain),
      }))
      .sort((a, b) => a.file.localeCompare(b.file));

    expect({ exit: child.status, perFile }).toEqual({
      exit: 0,
      perFile: [...expected]
        .map(([file, n]) => ({ file, status: 'passed', passed: n, errors: [] }))
        .sort((a, b) => a.file.localeCompare(b.file)),
    });
    expect(report.numPassedTests).toBe(report.numTotalTests);
    passedRun = true;
  }, 300_000);

  it('every complete-test block and self-contained fragment type-checks under the repo tsconfig', async () => {
    const child = await typesRun;
    expect({ exit: child.status, output: child.stdout.trim() }).toEqual({ exit: 0, output: '' });
    passedTypes = true;
  }, 300_000);
});
