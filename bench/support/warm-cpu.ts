/**
 * Warm CPU time per invoke of one checkout, for before/after comparisons in the same conditions:
 * `SRC_ROOT=/work/main npx tsx bench/support/warm-cpu.ts` then the same with this checkout
 * (default: the checkout this file is in), alternating. Prints the direct call, a warm
 * invokeHandler and a warm fn.invoke() in CPU us per call (process.cpuUsage).
 *
 * Env: SRC_ROOT, N (default 3000 measured calls after N/2 warm-up calls).
 */
import os from 'node:os';

const root = process.env.SRC_ROOT ?? new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const { invokeHandler } = await import(`${root}/src/invoke/index.js`);
const { createFunction } = await import(`${root}/src/lifecycle/index.js`);
const quiet = async (e: { id: number }) => ({ ok: true, id: e.id });
const event = { id: 1 };
const N = Number(process.env.N ?? 3000);
async function cpu(fn: () => Promise<unknown>) {
  for (let i = 0; i < N / 2; i++) await fn();
  const c = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / N;
}
const direct = await cpu(async () => quiet(event));
const ih = await cpu(() => invokeHandler(quiet, event));
const fn = createFunction({ handler: () => ({ handler: quiet }) });
const fi = await cpu(() => fn.invoke(event));
await fn.dispose();
console.log(
  `${root.split('/').pop() ?? root} load ${(os.loadavg()[0] ?? 0).toFixed(1)} direct ${direct.toFixed(2)} invokeHandler ${ih.toFixed(2)} fn.invoke ${fi.toFixed(2)} (cpu us)`,
);
