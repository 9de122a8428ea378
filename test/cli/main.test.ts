import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ROOT, removeBuild } from './build.js';
import { oneLineFailure, runCli } from './run.js';

let cli = '';
let dir = '';

beforeAll(async () => {
  ({ cli, dir } = await buildCli({}, ['esm', 'cjs']));
}, 60_000);

afterAll(() => {
  removeBuild(dir);
});

describe.concurrent('lambda-harness (top level)', { timeout: 60_000 }, () => {
  it('prints the package version with --version and -v', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const { code, stdout } = await runCli(cli, [flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
    }
  });

  it('prints help with the commands and the exit code table', async () => {
    const { code, stdout } = await runCli(cli, ['--help']);
    expect(code).toBe(0);
    for (const command of [
      'generate <source> [variant]',
      'invoke <file>[:export]',
      'cold-start <file>[:export]',
    ]) {
      expect(stdout).toContain(command);
    }
    expect(stdout).toMatch(/^ {2}3 {2}the handler failed to initialise/m);
  });

  it('prints help and exits 2 without a command', async () => {
    const { code, stdout } = await runCli(cli, []);
    expect(code).toBe(2);
    expect(stdout).toContain('Usage: lambda-harness <command>');
  });

  it('routes `help <command>` to the command help', async () => {
    const { code, stdout } = await runCli(cli, ['help', 'cold-start']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: lambda-harness cold-start');
  });

  it('rejects an unknown command with one line and a hint', async () => {
    const { code, stderr } = await runCli(cli, ['invok', 'x.js']);
    expect(code).toBe(2);
    const { line, hint } = oneLineFailure(stderr);
    expect(line).toBe('lambda-harness: unknown command "invok"');
    expect(hint).toContain('generate, invoke, cold-start');
  });

  it('rejects a flag in place of the command', async () => {
    const { code, stderr } = await runCli(cli, ['--seed', '3']);
    expect(code).toBe(2);
    expect(oneLineFailure(stderr).hint).toContain('Options go after the command');
  });

  it('runs from the CommonJS build too (no import.meta in code shared with it)', async () => {
    const { code, stdout } = await runCli(cli.replace(/index\.js$/, 'index.cjs'), [
      'invoke',
      join(ROOT, 'test/fixtures/cli/echo.mjs'),
      '-q',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, invocations: 1 });
  });

  it('is executable through its shebang', () => {
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
