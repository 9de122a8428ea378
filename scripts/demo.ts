// The demo (`npm run demo`): example handlers from examples/demo/handlers invoked through the
// harness, printing the runtime's log lines (START/END/REPORT included) and each result.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as legacyCallback from '../examples/demo/handlers/legacy-callback.js';
import * as ordersApi from '../examples/demo/handlers/orders-api.js';
import * as slowReport from '../examples/demo/handlers/slow-report.js';
import * as sqsBatch from '../examples/demo/handlers/sqs-batch.js';
import {
  createFunction,
  createSqsEventSource,
  type FunctionInvocationResult,
  httpApiEvent,
  invokeHandler,
  sqsEvent,
} from '../src/index.js';

function title(text: string): void {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`);
}

function show(result: FunctionInvocationResult): void {
  if (result.outcome === 'throttled') {
    console.log(`  => ${JSON.stringify({ outcome: result.outcome, error: result.error })}`);
    return;
  }
  for (const line of result.logs) console.log(`  | ${line.text}`);
  const summary =
    result.outcome === 'success'
      ? { outcome: result.outcome, coldStart: result.coldStart, response: result.response }
      : {
          outcome: result.outcome,
          error: { errorType: result.error.errorType, errorMessage: result.error.errorMessage },
        };
  console.log(`  => ${JSON.stringify(summary)}`);
}

async function main(): Promise<void> {
  title('1. HTTP API handler, GET /orders/o-42 (httpApiEvent, seed 1)');
  console.log(
    '  (invokeHandler has no function instance, so it reports coldStart: false unless given { coldStart: true };\n' +
      '   section 5 shows real cold and warm starts with createFunction)',
  );
  const get = httpApiEvent({
    seed: 1,
    method: 'GET',
    path: '/orders/o-42',
    routeKey: 'GET /orders/{id}',
    pathParameters: { id: 'o-42' },
  });
  show(await invokeHandler(ordersApi.handler, get, { functionName: 'orders-api' }));

  title('2. SQS batch handler with one poison message (sqsEvent, seed 7, 3 records)');
  const batch = sqsEvent({
    seed: 7,
    bodies: [{ orderId: 'o-1' }, { orderId: 'o-2', poison: true }, { orderId: 'o-3' }],
  });
  show(await invokeHandler(sqsBatch.handler, batch, { functionName: 'orders-worker' }));

  title('3. A ten-minute wait against a 30 s timeout, on the virtual clock (finishes at once)');
  const started = performance.now();
  show(
    await invokeHandler(slowReport.handler, {}, { functionName: 'reports', timeout: 30, clock: 'virtual' }),
  );
  console.log(`  (wall time ${(performance.now() - started).toFixed(1)} ms)`);

  title('4. A callback handler on nodejs20.x, then on nodejs24.x (rejected at init)');
  console.log(
    "  (nodejs24.x rejects the handler before calling it: the crash print's frames are the runtime's, as on\n" +
      "   Lambda; an error a handler throws shows the handler's frames only, never the harness's or the test's)",
  );
  const greeter = { functionName: 'greeter' } as const;
  show(await invokeHandler(legacyCallback.handler, { name: 'Ada' }, { ...greeter, runtime: 'nodejs20.x' }));
  show(await invokeHandler(legacyCallback.handler, { name: 'Ada' }, { ...greeter, runtime: 'nodejs24.x' }));

  title('5. Function instances: cold start, warm start, then a forced cold start (module state reset)');
  const counter = createFunction({
    functionName: 'counter',
    // Plain Node: pass the file, so each cold start re-evaluates the module graph (tests use a loader).
    handler: new URL('../examples/demo/handlers/counter.ts', import.meta.url),
  });
  show(await counter.invoke({}));
  show(await counter.invoke({}));
  await counter.forceColdStart();
  show(await counter.invoke({}));
  await counter.dispose();

  title('6. SQS event source mapping on the virtual clock: a poison message redriven to the DLQ');
  const worker = createFunction({ functionName: 'orders-worker', timeout: 10, handler: () => sqsBatch });
  const queue = createSqsEventSource({
    target: worker,
    Queue: { VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 3 } },
    BatchSize: 10,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  });
  const orders = [{ orderId: 'o-1' }, { orderId: 'o-2', poison: true }, { orderId: 'o-3' }];
  const ids = queue.sendBatch(orders.map((order) => JSON.stringify(order)));
  const summary = await queue.run();
  for (const id of ids) {
    const story = queue.history(id);
    const attempts = story.attempts.map(
      (a) => `receive ${a.receiveCount} at +${(a.startedAt - story.enqueuedAt) / 1000}s ${a.outcome}`,
    );
    console.log(`  ${id}: ${story.status} (${attempts.join('; ')})`);
  }
  const { total, byStatus, balanced } = summary;
  console.log(`  => accounting ${JSON.stringify({ total, byStatus, balanced })}`);
  await worker.dispose();

  title('7. The CLI: generate an event, invoke a handler with it, measure cold starts');
  const generateArgs = [
    'generate',
    'sqs',
    '--records',
    '2',
    '--seed',
    '7',
    '--compact',
    '--set',
    'Records[0].body={"orderId":"o-1"}',
    '--set',
    'Records[1].body={"orderId":"o-2","poison":true}',
  ];
  const batchJson = runCli(generateArgs).stdout;
  console.log(
    `\n  $ lambda-harness ${generateArgs.map((a) => (/[{"]/.test(a) ? `'${a}'` : a)).join(' ')} > event.json`,
  );
  console.log(`  | ${batchJson.length > 160 ? `${batchJson.slice(0, 157)}...` : batchJson.trimEnd()}`);
  cli(['invoke', 'examples/demo/handlers/sqs-batch.ts', '--event', '-'], batchJson);
  // (the command above reads event.json from stdin)
  cli(['invoke', 'examples/demo/handlers/orders-api.ts:nope']);
  cli(['cold-start', 'examples/demo/handlers/orders-api.ts', '--runs', '5', '--slowest', '3']);
}

// The CLI from source (no build needed): what `npx lambda-harness ...` runs once installed.
function runCli(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    input,
    encoding: 'utf8',
  });
}

function cli(args: string[], input?: string): void {
  console.log(`\n  $ lambda-harness ${args.join(' ')}${input ? ' < event.json' : ''}`);
  const run = runCli(args, input);
  for (const line of run.stderr.trimEnd().split('\n')) if (line) console.log(`  | ${line}`);
  for (const line of run.stdout.trimEnd().split('\n')) if (line) console.log(`  > ${line}`);
  console.log(`  (exit code ${run.status})`);
}

await main();
