// The worker and process environments, checked in plain Node (no Vitest module system inside):
// environments.script.ts runs the hostile-handler matrix and the lifecycle semantics with
// node:assert; this file runs it for each kind and runtime and reads its verdict.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'environments.script.ts');

function run(kind: string, runtime: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', script, kind, runtime],
      { timeout: 600_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, out: `${stdout}${stderr}` }),
    );
  });
}

// The four runs are independent child processes that spend much of their time waiting (timeouts,
// sleeps, environment starts): concurrently, so that this file is not the suite's long pole.
describe.concurrent.each([
  ['worker', 'nodejs22.x'],
  ['worker', 'nodejs24.x'],
  ['process', 'nodejs22.x'],
  ['process', 'nodejs24.x'],
])('%s environment on %s, in plain Node', (kind, runtime) => {
  it('contains every hostile handler as Lambda reports it and keeps the lifecycle semantics', async () => {
    const { code, out } = await run(kind, runtime);
    const failures = out.split('\n').filter((l) => l.startsWith('not ok'));
    expect(failures).toEqual([]);
    expect(out).toMatch(/^22 passed, 0 failed$/m);
    expect(code).toBe(0);
  }, 620_000);
});
