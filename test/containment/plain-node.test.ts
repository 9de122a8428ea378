import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/containment/${name}`, import.meta.url));

let childTimeout = 60_000;
function runScript(name: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', fixture(name)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: childTimeout,
  });
}

// Each case starts Node with tsx and the harness, which alone took more than the default 20 s at
// load 20. The timeout is 20 times such a start measured at collection (the cheapest case's run),
// never under 20 s (60 s for the child itself).
const started = performance.now();
runScript('blocked.mts', { BLOCK_MS: '0', LAMBDA_HARNESS_WATCHDOG_GRACE_MS: 'soon' });
const timeout = Math.max(20_000, Math.ceil((performance.now() - started) * 20));
childTimeout = Math.max(60_000, timeout);

describe('containment in plain Node (no test runner)', { timeout }, () => {
  it('reports hostile handlers as Lambda does and leaves the process clean', () => {
    const run = runScript('plain-node.mts');
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const byName = (runtime: string, name: string) =>
      lines.find((l) => l.runtime === runtime && l.name === name);
    for (const runtime of ['nodejs22.x', 'nodejs24.x']) {
      for (const name of ['promise', 'json', 'timers']) {
        expect(byName(runtime, name)).toMatchObject({ outcome: 'success', next: 'success' });
      }
      expect(byName(runtime, 'sigterm')).toMatchObject({
        outcome: 'error',
        error: 'Error: Runtime exited with error: signal: terminated',
        next: 'success',
      });
      expect(byName(runtime, 'abort')).toMatchObject({
        outcome: 'error',
        error: 'Error: Runtime exited with error: signal: aborted (core dumped)',
        next: 'success',
      });
      expect(byName(runtime, 'exit')).toMatchObject({
        outcome: 'error',
        error: 'Error: Runtime exited with error: exit status 3',
        next: 'success',
      });
    }
    expect(lines.at(-1)).toEqual({ clean: true });
  });

  it('ends a process whose handler blocks the event loop forever, with a diagnostic on stderr', () => {
    const run = runScript('blocked.mts', { BLOCK_MS: 'Infinity', LAMBDA_HARNESS_WATCHDOG_GRACE_MS: '700' });
    expect(run.signal).toBe('SIGKILL');
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/is blocking the event loop past its 0\.30 s timeout/);
    expect(run.stderr).toMatch(/blocked the event loop for \d+\.\d s past its 0\.30 s timeout/);
    expect(run.stderr).toMatch(/worker environment/);
  });

  it('reports a loop that ends by itself after the deadline as a timeout, with a note on stderr', () => {
    const run = runScript('blocked.mts', { BLOCK_MS: '1200', LAMBDA_HARNESS_WATCHDOG_GRACE_MS: '20000' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ outcome: 'timeout' });
    expect(run.stderr).toMatch(/is blocking the event loop past its 0\.30 s timeout/);
    expect(run.stderr).not.toMatch(/Ending this process/);
  });

  it('rejects a grace that is not a number of milliseconds', () => {
    const run = runScript('blocked.mts', { BLOCK_MS: '0', LAMBDA_HARNESS_WATCHDOG_GRACE_MS: 'soon' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(
      /LAMBDA_HARNESS_WATCHDOG_GRACE_MS: expected milliseconds >= 0, received "soon"/,
    );
  });
});
