import { bump } from './counter.mjs';
import { price } from './price.mjs';

// Init code: runs once per execution environment.
let calls = 0;
globalThis.esmEntryEvaluations = (globalThis.esmEntryEvaluations ?? 0) + 1;

export const handler = async (event) => {
  calls += 1;
  if (event?.wait) await new Promise((resolve) => setTimeout(resolve, event.wait));
  return { entryCalls: calls, libCalls: bump(), price: price() };
};
