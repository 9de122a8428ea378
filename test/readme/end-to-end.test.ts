// The README's end-to-end example, verbatim (the package name resolves to src/ in this repo).
import 'lambda-harness/vitest';
import { createFunction, sqsEvent } from 'lambda-harness';
import { afterEach, describe, expect, it } from 'vitest';

describe('orders worker', () => {
  const fn = createFunction({
    handler: () => import('../../examples/demo/handlers/sqs-batch.js'),
    timeout: 10,
  });
  afterEach(() => fn.dispose());

  it('reports the poison message and keeps the rest', async () => {
    const event = sqsEvent({ seed: 1, bodies: [{ orderId: 'o-1' }, { orderId: 'o-2', poison: true }] });

    const result = await fn.invoke(event);

    expect(result).toHaveSucceeded();
    expect(result).toBeColdStart();
    expect(result).toHaveBatchItemFailures([event.Records[1]!.messageId]);
    expect(result).toHaveLogged(/cannot process order o-2/, { level: 'ERROR' });
    expect(result).toHaveReport({ memorySizeMB: 128 });
  });
});
