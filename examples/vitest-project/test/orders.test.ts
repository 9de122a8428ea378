import { functionUrlEvent, invokeHandler, normalizeResult, sqsEvent } from 'lambda-harness';
import { describe, expect, it } from 'vitest';
import { handler, sqsHandler } from '../src/orders.js';

const post = (body: unknown) =>
  functionUrlEvent({ method: 'POST', path: '/orders', body: JSON.stringify(body) });

describe('orders (Vitest, packed lambda-harness)', () => {
  it('creates an order', async () => {
    const result = await invokeHandler(handler, post({ id: 'o-1', total: 12 }));
    expect(result).toHaveSucceeded();
    expect(result).toHaveStatusCode(201);
    expect(result).toHaveHeader('Location', '/orders/o-1');
    expect(result).toHaveJsonBody({ id: 'o-1', total: expect.any(Number) });
    expect(result).toHaveCookie('last-order', 'o-1');
    expect(result).toHaveLoggedJson({ event: 'order.received', id: 'o-1' });
    expect(result).toHaveLoggedNoErrors();
    expect(result).toHaveReport({ memorySizeMB: 128 });
  });

  it('fails on bad input', async () => {
    const result = await invokeHandler(handler, post({}));
    expect(result).toHaveFailed({ errorType: 'TypeError', errorMessage: /id missing/ });
    expect(result).not.toHaveLoggedNoErrors();
  });

  it('reports partial batch failures', async () => {
    const event = sqsEvent({ bodies: ['ok', 'poison'] });
    const poison = event.Records[1]!;
    expect(await invokeHandler(sqsHandler, event)).toHaveBatchItemFailures([poison]);
  });

  it('snapshots a result with volatile fields masked', async () => {
    const result = await invokeHandler(handler, post({ id: 'o-snap' }));
    if (result.outcome !== 'success') throw new Error('expected a success');
    expect(result.response).toMatchInlineSnapshot(`
      {
        "body": "{"id":"o-snap","total":0}",
        "cookies": [
          "last-order=o-snap; Path=/; HttpOnly",
        ],
        "headers": {
          "content-type": "application/json",
          "location": "/orders/o-snap",
        },
        "statusCode": 201,
      }
    `);
    const masked = normalizeResult(result) as { requestId: string; logs: { text: string }[] };
    expect(masked.requestId).toBe('<request-id>');
    expect(masked.logs.map((l) => l.text)).toContain('START RequestId: <request-id> Version: $LATEST');
  });

  it('prints a helpful failure message', async () => {
    const result = await invokeHandler(handler, post({}));
    expect(() => expect(result).toHaveSucceeded()).toThrow(/order id missing[\s\S]*Hint:/);
  });
});
