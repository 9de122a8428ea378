/**
 * What cannot be contained in the runner's thread: synchronous code that never yields (a
 * `while (true)`). The deadline timer of an invocation cannot fire while the thread is blocked, so
 * a watchdog thread watches a heartbeat the main thread writes to shared memory while invocations
 * run. When the main thread is blocked past an invocation's deadline, the watchdog writes a note
 * to stderr (the invocation will be reported as a timeout if it ever returns); when it is still
 * blocked `grace` ms past the deadline, the watchdog writes a diagnostic and ends the process, so
 * the test runner reports a failed file instead of hanging forever.
 *
 * `LAMBDA_HARNESS_WATCHDOG=off` disables it; `LAMBDA_HARNESS_WATCHDOG_GRACE_MS` sets the grace
 * (default 10 000 ms).
 */
import { performance } from 'node:perf_hooks';
import { clearInterval as realClearInterval, setInterval as realSetInterval } from 'node:timers';
import { Worker } from 'node:worker_threads';
import { HarnessError } from '../../errors/index.js';
import { outsideScope } from '../../runtime/scope.js';

/** Default time a blocked main thread gets past its deadline before the process is ended. */
export const DEFAULT_GRACE_MS = 10_000;
const BEAT_MS = 100;
const LABEL_BYTES = 512;

// Float64 slots: 0 the earliest armed deadline (epoch ms, 0 = none), 1 the last heartbeat (epoch
// ms), 2 the grace (ms), 3 the label's length in bytes, 4 that deadline's timeout (ms).
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const f = new Float64Array(workerData.numbers);
const label = new Uint8Array(workerData.label);
const decoder = new TextDecoder();
let noted = 0;
function describe() { return decoder.decode(label.slice(0, f[3])); }
setInterval(() => {
  const deadline = f[0];
  if (deadline === 0) return;
  const now = Date.now();
  const beat = f[1];
  if (now < deadline + 250 || beat >= deadline) return;
  const timeoutS = (f[4] / 1000).toFixed(2);
  if (noted !== deadline) {
    noted = deadline;
    writeSync(2, '[lambda-harness] ' + describe() + ' is blocking the event loop past its ' + timeoutS +
      ' s timeout: synchronous code cannot be interrupted in the runner\\'s environment. If it returns it is reported as a timeout (Sandbox.Timedout); if it is still blocked ' +
      (f[2] / 1000).toFixed(1) + ' s after the deadline the process is ended. Run the function in the worker environment to have it stopped at its deadline.\\n');
  }
  if (now >= deadline + f[2]) {
    writeSync(2, '[lambda-harness] ' + describe() + ' blocked the event loop for ' + ((now - deadline) / 1000).toFixed(1) +
      ' s past its ' + timeoutS + ' s timeout (a synchronous infinite loop?). Ending this process (SIGKILL) so the test run does not hang; the test file is reported as failed. Run the function in the worker environment to have such a loop stopped at its deadline and reported as Sandbox.Timedout.\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 50);
`;

interface Armed {
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly label: string;
}

let numbers: Float64Array | undefined;
let label: Uint8Array | undefined;
let worker: Worker | undefined;
let beat: NodeJS.Timeout | undefined;
let disabled: boolean | undefined;
const armed = new Set<Armed>();
const encoder = new TextEncoder();
const epochNow = (): number => performance.timeOrigin + performance.now();

function graceMs(): number {
  const raw = process.env.LAMBDA_HARNESS_WATCHDOG_GRACE_MS;
  if (raw === undefined || raw === '') return DEFAULT_GRACE_MS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new HarnessError(
      'INVALID_CONFIGURATION',
      `LAMBDA_HARNESS_WATCHDOG_GRACE_MS: expected milliseconds >= 0, received ${JSON.stringify(raw)}`,
      { hint: 'Unset it for the default (10000), or set a number such as 5000.' },
    );
  }
  return n;
}

function start(): boolean {
  if (disabled === undefined) disabled = process.env.LAMBDA_HARNESS_WATCHDOG === 'off';
  if (disabled) return false;
  if (worker) return true;
  const grace = graceMs();
  const numbersBuffer = new SharedArrayBuffer(8 * 5);
  const labelBuffer = new SharedArrayBuffer(LABEL_BYTES);
  numbers = new Float64Array(numbersBuffer);
  label = new Uint8Array(labelBuffer);
  numbers[2] = grace;
  worker = outsideScope(
    () =>
      new Worker(WATCHDOG_SOURCE, {
        eval: true,
        workerData: { numbers: numbersBuffer, label: labelBuffer },
        stdout: false,
        stderr: false,
        env: {},
        name: 'lambda-harness watchdog',
      }),
  );
  worker.unref();
  // A watchdog that fails to start must not fail the tests: containment just loses this guard.
  worker.on('error', () => {
    worker = undefined;
    disabled = true;
  });
  return true;
}

function publish(): void {
  if (!numbers || !label) return;
  let first: Armed | undefined;
  for (const a of armed) if (!first || a.deadline < first.deadline) first = a;
  if (!first) {
    numbers[0] = 0;
    return;
  }
  const { written } = encoder.encodeInto(first.label, label);
  numbers[3] = written;
  numbers[4] = first.timeoutMs;
  numbers[1] = epochNow();
  numbers[0] = first.deadline;
}

function heartbeat(): void {
  if (armed.size === 0 && beat) {
    // Stopped here rather than at each disarm: back-to-back invocations keep one interval.
    realClearInterval(beat);
    beat = undefined;
    return;
  }
  if (numbers) numbers[1] = epochNow();
}

/**
 * Watch an init phase or invocation that must end within `timeoutMs`; returns the token to give
 * {@link disarmWatchdog} when it ends. Undefined when the watchdog is disabled.
 *
 * @example
 * const token = armWatchdog(3000, 'orders (request 1111…)');
 * try { await run(); } finally { disarmWatchdog(token); }
 */
export function armWatchdog(timeoutMs: number, what: string): object | undefined {
  if (!start()) return undefined;
  const entry: Armed = { deadline: epochNow() + timeoutMs, timeoutMs, label: what };
  armed.add(entry);
  if (!beat) beat = outsideScope(() => realSetInterval(heartbeat, BEAT_MS).unref());
  publish();
  return entry;
}

/**
 * Stop watching what {@link armWatchdog} armed.
 *
 * @example
 * disarmWatchdog(token);
 */
export function disarmWatchdog(token: object | undefined): void {
  if (!token || !armed.delete(token as Armed)) return;
  publish();
}
