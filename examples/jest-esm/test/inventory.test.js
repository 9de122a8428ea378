import { describe, expect, it } from '@jest/globals';
import { invokeHandler, lambdaMatchers, sqsEvent } from 'lambda-harness';

/** An SQS handler: fails the records whose body is not JSON, logs JSON entries. */
async function handler(event) {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const item = JSON.parse(record.body);
      console.log(JSON.stringify({ event: 'stock.updated', sku: item.sku }));
    } catch {
      console.warn('bad record %s', record.messageId);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

describe('inventory (Jest 30, native ESM, packed lambda-harness)', () => {
  it('reports partial batch failures and logs', async () => {
    const event = sqsEvent({ bodies: [{ sku: 'a-1' }, 'not json', { sku: 'b-2' }] });
    const result = await invokeHandler(handler, event);
    expect(result).toHaveSucceeded();
    expect(result).toHaveBatchItemFailures([event.Records[1]]);
    expect(result).toHaveLoggedJson({ event: 'stock.updated', sku: 'b-2' });
    expect(result).toHaveLoggedInOrder([/a-1/, 'bad record', /b-2/]);
    expect(result).toHaveLogged('bad record', { level: 'WARN' });
  });

  it('reports a thrown error as a failure', async () => {
    const result = await invokeHandler(async () => {
      throw new RangeError('out of stock');
    }, {});
    expect(result).toHaveFailed({ errorType: 'RangeError', errorMessage: 'out of stock' });
    expect(result).not.toHaveSucceeded();
  });

  it('shows the logs and a hint when a matcher fails', async () => {
    const result = await invokeHandler(async () => {
      console.log('about to fail');
      throw new Error('nope');
    }, {});
    expect(() => expect(result).toHaveSucceeded()).toThrow(/about to fail[\s\S]*Hint:/);
  });

  it('exports the matcher object from the main entry', () => {
    expect(typeof lambdaMatchers.toHaveSucceeded).toBe('function');
  });
});
