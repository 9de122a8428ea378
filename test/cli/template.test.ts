import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, removeBuild } from './build.js';
import { oneLineFailure, runCli } from './run.js';

const TEMPLATES = resolve(import.meta.dirname, '../fixtures/templates');
const sam = join(TEMPLATES, 'sam.yaml');

let cli = '';
let dir = '';
let tmp = '';

beforeAll(async () => {
  ({ cli, dir } = await buildCli());
  tmp = mkdtempSync(join(tmpdir(), 'lh-template-cli-'));
}, 60_000);

afterAll(() => {
  removeBuild(dir);
  rmSync(tmp, { recursive: true, force: true });
});

describe.concurrent('CLI: functions from templates and the environment flags', { timeout: 60_000 }, () => {
  it('invoke --template runs the function the template describes, with its parameters', async () => {
    const { code, stdout } = await runCli(cli, ['invoke', '--template', sam, 'OrdersFunction', '-q']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ table: 'orders-test', stage: 'test', batchItemFailures: [] });
    const ci = await runCli(cli, [
      'invoke',
      '--template',
      sam,
      'OrdersFunction',
      '--parameter',
      'Stage=ci',
      '-q',
    ]);
    expect(JSON.parse(ci.stdout)).toMatchObject({ table: 'orders-ci', stage: 'ci' });
  });

  it('--env-vars reads SAM’s format: Parameters for all, then the function’s own entry', async () => {
    const envVars = join(tmp, 'env.json');
    writeFileSync(
      envVars,
      JSON.stringify({ Parameters: { STAGE: 'all' }, OrdersFunction: { TABLE_NAME: 'mine' } }),
    );
    const { code, stdout } = await runCli(cli, [
      'invoke',
      '--template',
      sam,
      'OrdersFunction',
      '--env-vars',
      envVars,
      '-q',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ table: 'mine', stage: 'all' });
  });

  it('--lambda-env-only hides the host environment; by default the handler sees it', async () => {
    const file = join(TEMPLATES, 'app/src/env.js');
    const env = { LH_HOST_ONLY: 'leaked' };
    const host = await runCli(cli, ['invoke', file, '-q'], { env });
    expect(JSON.parse(host.stdout)).toMatchObject({ hostOnly: 'leaked' });
    const clean = await runCli(cli, ['invoke', file, '-q', '--lambda-env-only', '--env', 'TABLE_NAME=t'], {
      env,
    });
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({
      home: null,
      hostOnly: null,
      path: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
      table: 't',
      functionName: 'test-function',
      logFormat: null,
    });
  });

  it('--log-format JSON and --log-level shape the log lines', async () => {
    const { code, stderr } = await runCli(cli, [
      'invoke',
      '--template',
      sam,
      'LegacyFunction',
      '--log-format',
      'json',
      '--log-level',
      'warn',
    ]);
    expect(code).toBe(0);
    const first = JSON.parse(stderr.split('\n')[0] ?? '');
    expect(first).toMatchObject({ type: 'platform.initStart' });
  });

  it('bad input: an unknown logical id lists the functions; a handler pointing nowhere names the module', async () => {
    const unknown = await runCli(cli, ['invoke', '--template', sam, 'Nope']);
    expect(unknown.code).toBe(2);
    expect(oneLineFailure(unknown.stderr).line).toContain(
      'sam.yaml: no function "Nope"; the file has: OrdersFunction, TypeScriptFunction, LegacyFunction',
    );
    const nowhere = await runCli(cli, [
      'invoke',
      '--template',
      join(TEMPLATES, 'unsupported.yaml'),
      'NowhereFunction',
    ]);
    expect(nowhere.code).toBe(2);
    const { line, hint } = oneLineFailure(nowhere.stderr);
    expect(line).toContain(
      'unsupported.yaml: NowhereFunction: handler "nosuchfile.handler" names no module under',
    );
    expect(hint).toContain("Cannot find module 'nosuchfile'");
  });

  it('generate --template picks the event type of the function’s first event source', async () => {
    const { code, stdout } = await runCli(cli, [
      'generate',
      '--template',
      sam,
      'OrdersFunction',
      '--compact',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).Records[0].eventSource).toBe('aws:sqs');
  });
});
