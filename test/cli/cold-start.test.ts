import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, removeBuild } from './build.js';
import { cliTimeout, oneLineFailure, runCli, runMain } from './run.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/cli');
const fx = (name: string) => join(FIXTURES, name);

// Built at collection so that the tests' timeout can come from a CLI run measured under the
// machine's present load (see cliTimeout).
const { cli, dir } = await buildCli();
const timeout = await cliTimeout(cli, fx('echo.mjs'));
let tmp = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lh-cold-'));
});

afterAll(() => {
  removeBuild(dir);
  rmSync(tmp, { recursive: true, force: true });
});

interface JsonReport {
  ok: boolean;
  runs: number[];
  stats: Record<'count' | 'min' | 'p50' | 'p90' | 'p99' | 'max' | 'mean', number>;
  slowestImports: { name: string; selfMs: number; loadMs: number; evalMs: number; modules: number }[];
  budgetMs: number | null;
  withinBudget: boolean | null;
  runtime: string;
}

describe.concurrent('lambda-harness cold-start', { timeout }, () => {
  it('prints a table of init duration statistics and the slowest imports', async () => {
    const { code, stdout } = await runCli(cli, ['cold-start', fx('heavy.mjs'), '--runs', '3']);
    expect(code).toBe(0);
    expect(stdout).toContain('Cold start of heavy.mjs:handler (nodejs24.x, 3 runs)');
    expect(stdout).toMatch(/^\s+min\s+p50\s+p90\s+p99\s+max\s+mean$/m);
    expect(stdout).toMatch(/^\s+Init Duration \(ms\)(\s+\d+\.\d\d){6}$/m);
    expect(stdout).toMatch(/^\s+zod\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+$/m);
    expect(stdout).toMatch(/^\s+heavy\.mjs\s+\d+\.\d\d/m);
  });

  it('prints JSON with --json: one init duration per run, ordered statistics, attributed imports', async () => {
    const { code, stdout } = await runCli(cli, [
      'cold-start',
      `${fx('heavy.mjs')}:handler`,
      '-n',
      '3',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.runs).toHaveLength(3);
    const { min, p50, p90, p99, max } = report.stats;
    expect(min).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p90);
    expect(p90).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(min).toBe(Math.min(...report.runs));
    expect(max).toBe(Math.max(...report.runs));
    const zod = report.slowestImports.find((i) => i.name === 'zod');
    expect(zod?.modules).toBeGreaterThan(10);
    // heavy.mjs busy-waits 15 ms at top level: that is its own eval time.
    const own = report.slowestImports.find((i) => i.name === 'heavy.mjs');
    expect(own?.evalMs).toBeGreaterThanOrEqual(14);
    expect(report.budgetMs).toBeNull();
  });

  it('passes within --budget and fails with exit 5 over it', async () => {
    const within = await runCli(cli, [
      'cold-start',
      fx('echo.mjs'),
      '-n',
      '2',
      '--slowest',
      '0',
      '--budget',
      '60000',
    ]);
    expect(within.code).toBe(0);
    expect(within.stdout).toMatch(/Budget: p90 \d+\.\d\d ms <= 60000 ms: OK/);
    const over = await runCli(cli, ['cold-start', fx('heavy.mjs'), '-n', '2', '--budget', '0.01']);
    expect(over.code).toBe(5);
    expect(over.stdout).toContain('OVER BUDGET');
    const { line, hint } = oneLineFailure(over.stderr);
    expect(line).toMatch(
      /^lambda-harness: cold-start: p90 init duration \d+\.\d\d ms exceeds the budget of 0\.01 ms$/,
    );
    expect(hint).toMatch(/The slowest import is /);
  });

  it('reports the budget in --json', async () => {
    const { code, stdout } = await runCli(cli, [
      'cold-start',
      fx('echo.mjs'),
      '-n',
      '1',
      '--slowest',
      '0',
      '--json',
      '-b',
      '0.001',
    ]);
    expect(code).toBe(5);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.budgetMs).toBe(0.001);
    expect(report.withinBudget).toBe(false);
    expect(report.slowestImports).toEqual([]);
  });

  it('prints Markdown with --markdown', async () => {
    const { code, stdout } = await runCli(cli, [
      'cold-start',
      fx('echo.mjs'),
      '-n',
      '2',
      '--markdown',
      '--budget',
      '60000',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('### Cold start: `echo.mjs:handler`');
    expect(stdout).toContain('| | min | p50 | p90 | p99 | max | mean |');
    expect(stdout).toMatch(/^\| Init Duration \(ms\)( \| \d+\.\d\d){6} \|$/m);
    expect(stdout).toContain('within the 60000 ms budget');
  });

  it('appends the Markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(tmp, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const { code, stdout } = await runCli(cli, ['cold-start', fx('echo.mjs'), '-n', '1', '--slowest', '0'], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Cold start of echo.mjs:handler');
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n### Cold start: `echo.mjs:handler`')).toBe(true);
  });

  // Three tests rather than one running the three commands in a row (8 child processes), so that
  // each has the whole timeout for its own runs.
  it('shows progress on stderr with --progress', async () => {
    const withProgress = await runCli(cli, [
      'cold-start',
      fx('echo.mjs'),
      '-n',
      '3',
      '--slowest',
      '0',
      '--progress',
    ]);
    expect(withProgress.stderr).toBe('cold-start: 1/3 runs\ncold-start: 2/3 runs\ncold-start: 3/3 runs\n');
  });

  it('does not count the import attribution run in the --progress lines', async () => {
    // With import attribution on (the default), the extra attribution run is not counted.
    const attributed = await runCli(cli, ['cold-start', fx('echo.mjs'), '-n', '2', '--progress']);
    expect(attributed.stderr).toBe('cold-start: 1/2 runs\ncold-start: 2/2 runs\n');
  });

  it('shows no progress without --progress when stderr is not a terminal', async () => {
    const without = await runCli(cli, ['cold-start', fx('echo.mjs'), '-n', '2', '--slowest', '0']);
    expect(without.stderr).toBe('');
  });

  it('measures a TypeScript handler on another runtime', async () => {
    const { code, stdout } = await runCli(cli, [
      'cold-start',
      fx('typed.ts'),
      '-n',
      '1',
      '--runtime',
      'nodejs22.x',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.runtime).toBe('nodejs22.x');
    expect(report.runs[0]).toBeGreaterThan(0);
  });

  it('passes --env, --env-file and --memory to the measured function, and --slowest limits the list', async () => {
    const withoutEnv = await runCli(cli, ['cold-start', fx('needs-env.mjs'), '-n', '1', '--slowest', '0']);
    expect(withoutEnv.code).toBe(3);
    expect(oneLineFailure(withoutEnv.stderr).line).toContain('TABLE_NAME is not set');
    const withEnv = await runCli(cli, [
      'cold-start',
      fx('needs-env.mjs'),
      '-n',
      '1',
      '--env',
      'TABLE_NAME=orders',
      '--memory',
      '1024',
      '--slowest',
      '1',
      '--json',
    ]);
    expect(withEnv.code).toBe(0);
    expect((JSON.parse(withEnv.stdout) as JsonReport).slowestImports.length).toBeLessThanOrEqual(1);
    const envFile = join(tmp, 'cold.env');
    writeFileSync(envFile, 'TABLE_NAME=from-file\n');
    const fromFile = await runCli(cli, [
      'cold-start',
      fx('needs-env.mjs'),
      '-n',
      '1',
      '--slowest',
      '0',
      '--env-file',
      envFile,
    ]);
    expect(fromFile.code).toBe(0);
  });

  it('exits 3 with one line and a hint when init fails', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['cold-start', `${fx('echo.mjs')}:nope`, '-n', '5']);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    const { line, hint } = oneLineFailure(stderr);
    expect(line).toContain('Runtime.HandlerNotFound: echo.nope is undefined or not exported');
    expect(hint).toContain('handler, handlers.get');
  });

  it('shows help', async () => {
    const { code, stdout } = await runMain(['cold-start', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: lambda-harness cold-start <file>[:export]');
    expect(stdout).toContain('--budget <ms>');
  });

  const bad: [string, string[], RegExp][] = [
    ['--runs 0', ['-n', '0'], /--runs expects an integer from 1 to 10000, got "0"/],
    ['--runs abc', ['--runs', 'abc'], /--runs expects an integer/],
    ['a negative --budget', ['--budget=-5'], /--budget expects a number >= 0, got "-5"/],
    ['a negative number (named by its range)', ['--budget', '-5'], /--budget expects .*got "-5"/],
    ['a value that looks like a flag', ['--budget', '--progress'], /option --budget needs a value/],
    ['an unknown flag', ['--run', '3'], /cold-start: unknown option --run/],
    ['an extra argument', ['extra'], /unexpected argument "extra"/],
  ];
  // The CLI's own checks, run in-process; the first case also through the built binary.
  for (const [index, [name, extra, message]] of bad.entries()) {
    it(`rejects ${name} with exit 2`, async () => {
      const args = ['cold-start', fx('echo.mjs'), ...extra];
      const { code, stderr } = index === 0 ? await runCli(cli, args) : await runMain(args);
      expect(code).toBe(2);
      expect(oneLineFailure(stderr).line).toMatch(message);
    });
  }
});
