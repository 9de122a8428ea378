import { bump } from './counter.mjs';
import { price } from './price.mjs';

// Init code: runs once per execution environment.
let calls = 0;
// Counted on a probe object the test owns: the harness removes the globals a module adds at init.
globalThis.__esmProbe ??= {};
globalThis.__esmProbe.entry = (globalThis.__esmProbe.entry ?? 0) + 1;

export const handler = async (event) => {
  calls += 1;
  if (event?.wait) await new Promise((resolve) => setTimeout(resolve, event.wait));
  return { entryCalls: calls, libCalls: bump(), price: price() };
};
