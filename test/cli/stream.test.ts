import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, removeBuild } from './build.js';
import { runCli } from './run.js';

const STREAM = resolve(import.meta.dirname, '../fixtures/cli/stream.mjs');

let cli = '';
let dir = '';
let tmp = '';

beforeAll(async () => {
  ({ cli, dir } = await buildCli());
  tmp = mkdtempSync(join(tmpdir(), 'lh-stream-'));
}, 60_000);

afterAll(() => {
  removeBuild(dir);
  rmSync(tmp, { recursive: true, force: true });
});

describe('lambda-harness invoke with a streaming handler', { timeout: 60_000 }, () => {
  it('prints each chunk on stdout as it arrives', async () => {
    const marker = join(tmp, 'seen-first');
    const event = join(tmp, 'wait.json');
    writeFileSync(event, JSON.stringify({ waitFor: marker }));
    // The handler waits for the marker, which is written only once "first" is on stdout: if the
    // CLI held the body back until the end, the handler would time out.
    const child = spawn(process.execPath, [cli, 'invoke', STREAM, '--event', event, '--timeout', '20'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.includes('first\n')) writeFileSync(marker, '');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stdout).toBe('first\nsecond\n');
    expect(stderr).toContain(
      'lambda-harness: response prelude {"statusCode":200,"headers":{"content-type":"text/plain"}}',
    );
    expect(stderr).toMatch(/REPORT RequestId: /);
  });

  it('an error mid-stream: the body so far, then the error payload, exit code 1', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', `${STREAM}:broken`]);
    expect(code).toBe(1);
    const [body, payload] = stdout.split(/(?<=\n)/);
    expect(body).toBe('partial\n');
    expect(JSON.parse(payload ?? '')).toMatchObject({ errorType: 'Error', errorMessage: 'upstream broke' });
    expect(stderr).toContain('Invoke Error');
  });

  it('--json prints the whole result with the chunks as text', async () => {
    const { code, stdout } = await runCli(cli, ['invoke', STREAM, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.stream.chunks.map((c: { text: string }) => c.text)).toEqual(['first\n', 'second\n']);
    expect(result.stream.prelude).toEqual({ statusCode: 200, headers: { 'content-type': 'text/plain' } });
    expect(result.response).toBe('first\nsecond\n');
  });
});
