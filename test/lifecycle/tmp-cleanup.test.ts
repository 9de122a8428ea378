// A harness must not litter the user's temp directory: every instance's /tmp goes with dispose (the
// process's root with the last one), at exit without dispose, and a process killed by a signal
// leaves its root to the next harness process, which removes it. Checked from outside, in child
// processes whose TMPDIR is a directory of this test's own (tmp-cleanup.script.ts).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFunction } from '../../src/lifecycle/index.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tmp-cleanup.script.ts');
let tmp: string;

beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lh-tmp-cleanup-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** What harness processes left in the test's TMPDIR (tsx keeps its own cache there too). */
function harnessEntries(): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('lambda-harness-'));
}

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: tmp, NODE_OPTIONS: '' };
}

function run(mode: string, kind: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', script, mode, kind],
      { timeout: 120_000, env: childEnv() },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, out: `${stdout}${stderr}` }),
    );
  });
}

describe("an instance's temp directory", () => {
  it('is gone after dispose, with the process root, in the runner (this process)', async () => {
    const fn = createFunction({
      handler: () => ({
        handler: async () => {
          writeFileSync(path.join(os.tmpdir(), 'cache.json'), '{"warm":true}');
        },
      }),
    });
    await fn.invoke({});
    const dir = fn.instances[0]!.tmpDir;
    const root = path.dirname(path.dirname(dir));
    expect(readdirSync(dir)).toEqual(['cache.json']);
    expect(path.basename(root)).toMatch(new RegExp(`^lambda-harness-${process.pid}-`));

    await fn.dispose();

    expect(existsSync(dir)).toBe(false);
    expect(existsSync(path.dirname(dir))).toBe(false);
    expect(existsSync(root)).toBe(false);
  });

  it.each(['runner', 'worker', 'process'])(
    'leaves nothing in TMPDIR after dispose (%s environment)',
    async (kind) => {
      const { code, out } = await run('dispose', kind);
      expect(code, out).toBe(0);
      const report = JSON.parse(out.trim().split('\n').at(-1) as string) as {
        tmpdir: string;
        left: string[];
      };
      expect(report.tmpdir.startsWith(tmp)).toBe(true);
      expect(report.left.filter((name) => name.startsWith('lambda-harness-'))).toEqual([]);
    },
    130_000,
  );

  it('leaves nothing when the process exits without dispose', async () => {
    const { code, out } = await run('exit', 'runner');
    expect(code, out).toBe(0);
    expect(harnessEntries()).toEqual([]);
  }, 130_000);

  it('is removed by the next harness process when its own was killed', async () => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, 'hang', 'runner'], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('ready')) resolve();
      });
      child.once('exit', () => reject(new Error(`the child exited before it was ready: ${out}`)));
    });
    const { tmpdir } = JSON.parse(out.split('\n')[0] as string) as { tmpdir: string };
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // SIGKILL runs nothing: the killed process's root and its instance's files are still there.
    expect(existsSync(path.join(tmpdir, 'cache.json'))).toBe(true);
    expect(harnessEntries()).toEqual([path.basename(path.dirname(path.dirname(tmpdir)))]);

    const { code, out: next } = await run('dispose', 'runner');

    expect(code, next).toBe(0);
    expect(harnessEntries()).toEqual([]);
  }, 130_000);
});
