// The demo (`npm run demo`): example handlers from examples/demo/handlers invoked through the
// harness, printing the runtime's log lines (START/END/REPORT included) and each result.

import * as legacyCallback from '../examples/demo/handlers/legacy-callback.js';
import * as ordersApi from '../examples/demo/handlers/orders-api.js';
import * as slowReport from '../examples/demo/handlers/slow-report.js';
import * as sqsBatch from '../examples/demo/handlers/sqs-batch.js';
import { httpApiEvent, type InvocationResult, invokeHandler, sqsEvent } from '../src/index.js';

function title(text: string): void {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`);
}

function show(result: InvocationResult): void {
  for (const line of result.logs) console.log(`  | ${line.text}`);
  const summary =
    result.outcome === 'success'
      ? { outcome: result.outcome, response: result.response }
      : {
          outcome: result.outcome,
          error: { errorType: result.error.errorType, errorMessage: result.error.errorMessage },
        };
  console.log(`  => ${JSON.stringify(summary)}`);
}

async function main(): Promise<void> {
  title('1. HTTP API handler, GET /orders/o-42 (httpApiEvent, seed 1)');
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

  title('4. A callback handler on nodejs20.x, then on nodejs24.x');
  show(
    await invokeHandler(
      legacyCallback.handler,
      { name: 'Ada' },
      { runtime: 'nodejs20.x', functionName: 'greeter' },
    ),
  );
  show(
    await invokeHandler(
      legacyCallback.handler,
      { name: 'Ada' },
      { runtime: 'nodejs24.x', functionName: 'greeter' },
    ),
  );
}

await main();
