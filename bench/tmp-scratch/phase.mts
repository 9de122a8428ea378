import { createFunction } from '../../src/lifecycle/index.js';
import { createRandom } from '../../src/random/index.js';
import { createSqsEventSource } from '../../src/sources/index.js';
const n = Number(process.argv[2]); const batch = Number(process.argv[3] ?? 10);
const h = async (event: any) => ({ batchItemFailures: event.Records.filter((r: any) => r.body.endsWith('!')).map((r: any) => ({ itemIdentifier: r.messageId })) });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function go(count: number) {
  const rng = createRandom(42);
  const fn = createFunction({ handler: () => h, functionName: 'sqs-bench', timeout: 30 });
  const sim = createSqsEventSource({ target: fn, Queue: { VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 3 } }, BatchSize: batch, ...(batch > 10 ? { MaximumBatchingWindowInSeconds: 1 } : {}), FunctionResponseTypes: ['ReportBatchItemFailures'], retain: 'histories' });
  const c0 = cpu();
  for (let i = 0; i < count; i++) sim.send(rng.float() < 0.01 ? `{"n":${i}}!` : `{"n":${i}}`);
  const c1 = cpu();
  const s = await sim.run();
  const c2 = cpu();
  return { send: c1 - c0, run: c2 - c1, inv: s.invocations };
}
await go(200);
const ballastN = Number(process.env.BALLAST ?? 0);
const ballast: unknown[] = [];
for (let i = 0; i < ballastN; i++) ballast.push({ id: `m-${i}-xxxxxxxxxxxxxxxxxxxxxxxxxxxx`, n: i, body: `{"n":${i}}`, a: undefined, b: 0, c: [], d: { x: i } });
(globalThis as any).__ballast = ballast;
console.log(n, JSON.stringify(await go(n)), (globalThis as any).__maxIF);
