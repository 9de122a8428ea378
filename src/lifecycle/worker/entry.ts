/**
 * Inside a worker environment: one Lambda execution environment on its own thread, with its own
 * globals and module graph. Between messages the thread blocks on `Atomics.wait`, so nothing of
 * the handler runs while the environment is frozen; timers that fell due run after the thaw.
 * Started by `WorkerEnvironment.start` in host.ts; not meant to be run by hand.
 */
import { statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import { resolve } from 'node:path';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { ChildToParent, ParentToChild } from '../isolated/protocol.js';
import { environmentServer } from '../isolated/serve.js';
import type { WorkerBoot, WorkerSignalMessage } from './host.js';

const boot = workerData as WorkerBoot;
const port = parentPort as MessagePort;
const wake = new Int32Array(boot.wake);

// os.tmpdir() reads the real process environment natively (the parent's TMPDIR): point it here.
os.tmpdir = () => boot.tmpDir;
syncBuiltinESMExports();

// process.chdir() throws in a worker; on Lambda it works. The working directory is kept per
// environment (process.cwd() and path.resolve() follow it; fs calls with relative paths do not).
let cwd = process.cwd();
process.chdir = (directory: string) => {
  const next = resolve(cwd, directory);
  if (!statSync(next).isDirectory()) throw new Error(`ENOTDIR: not a directory, chdir '${directory}'`);
  cwd = next;
};
process.cwd = () => cwd;

/** Blocks this thread for good: the parent terminates it. */
function stall(): never {
  for (;;) Atomics.wait(wake, 1, 0);
}

// A signal sent to process.pid would reach the whole test process: it ends this environment only,
// and the parent reports it as Lambda reports a runtime killed by that signal.
const realKill = process.kill.bind(process);
process.kill = ((pid: number, signal?: string | number) => {
  if (pid === process.pid || pid === 0 || pid === -process.pid) {
    // Signal 0 only checks that the process exists.
    if (signal === 0) return true;
    const name = typeof signal === 'string' ? signal : signal === undefined ? 'SIGTERM' : `signal ${signal}`;
    port.postMessage({ type: 'signal', signal: name } satisfies WorkerSignalMessage);
    stall();
  }
  return realKill(pid, signal);
}) as typeof process.kill;
process.abort = (() => {
  port.postMessage({ type: 'signal', signal: 'SIGABRT' } satisfies WorkerSignalMessage);
  stall();
}) as typeof process.abort;

/** Frozen until the parent posts a message and wakes this thread. */
function nextMessage(): ParentToChild {
  for (;;) {
    const received = receiveMessageOnPort(port);
    if (received) return received.message as ParentToChild;
    Atomics.wait(wake, 0, 0);
    Atomics.store(wake, 0, 0);
  }
}

const handle = environmentServer((message: ChildToParent) => port.postMessage(message));

async function serve(): Promise<void> {
  for (;;) await handle(nextMessage());
}
void serve();
