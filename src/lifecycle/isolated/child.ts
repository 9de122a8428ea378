/**
 * The isolated child process: one Lambda execution environment. It loads the handler with plain
 * Node (no test runner), runs the engine's init step, then serves invocations sent over IPC.
 * Started by `IsolatedChild.start` in instance.ts; not meant to be run by hand.
 */
import type { ChildToParent, ParentToChild } from './protocol.js';
import { environmentServer } from './serve.js';

export { handlerNameFor } from './serve.js';

function send(message: ChildToParent): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

const handle = environmentServer(send);
let queue: Promise<void> = Promise.resolve();
process.on('message', (msg: ParentToChild) => {
  queue = queue.then(() => handle(msg));
});
const realExit = process.exit.bind(process);
process.on('disconnect', () => realExit(0));
