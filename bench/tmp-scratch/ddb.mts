import { createFunction } from '../../src/lifecycle/index.js';
import { createRandom } from '../../src/random/index.js';
import { createDynamoDBEventSource } from '../../src/sources/index.js';
const n = Number(process.argv[2]); const batch = Number(process.argv[3] ?? 100);
const h = async (event: { Records: { dynamodb?: { NewImage?: Record<string, unknown> } }[] }) => { for (const r of event.Records) if (r.dynamodb?.NewImage?.poison !== undefined) throw new Error('poison'); };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
async function go(count: number) {
  const rng = createRandom(42);
  const fn = createFunction({ handler: () => h, functionName: 'ddb', timeout: 30 });
  const sim = createDynamoDBEventSource({ target: fn, Table: { TableName: 'Orders', ShardCount: 4 }, StartingPosition: 'TRIM_HORIZON', BatchSize: batch, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } }, retain: 'histories' });
  const c0 = cpu();
  for (let i = 0; i < count; i++) sim.write({ eventName: 'INSERT', newImage: rng.float() < 0.001 ? { id: `o-${i}`, n: i, poison: true } : { id: `o-${i}`, n: i } });
  const c1 = cpu();
  const s = await sim.run();
  const c2 = cpu();
  return { write: Math.round(c1 - c0), run: Math.round(c2 - c1), inv: s.invocations };
}
await go(200);
console.log(n, JSON.stringify(await go(n)));
