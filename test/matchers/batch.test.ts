import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { failureOf } from './helpers.js';

const records = [
  { messageId: 'm-1', body: 'ok' },
  { messageId: 'm-2', body: 'bad' },
  { messageId: 'm-3', body: 'bad' },
];

describe('toHaveBatchItemFailures', () => {
  it('compares reported ids to ids or records, ignoring order', async () => {
    const result = await invokeHandler(
      async (event: { Records: { messageId: string; body: string }[] }) => ({
        batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({
          itemIdentifier: r.messageId,
        })),
      }),
      { Records: records },
    );
    expect(result).toHaveBatchItemFailures(['m-3', 'm-2']);
    expect(result).toHaveBatchItemFailures([records[1]!, records[2]!]);
    expect(result).not.toHaveBatchItemFailures(['m-2']);
    expect(result).not.toHaveBatchItemFailures([]);
  });

  it('treats null, {} and an empty list as complete success', async () => {
    for (const response of [null, {}, { batchItemFailures: [] }, { batchItemFailures: null }]) {
      expect(await invokeHandler(async () => response, {})).toHaveBatchItemFailures([]);
    }
  });

  it('reads Kinesis and DynamoDB sequence numbers from records', async () => {
    const result = await invokeHandler(
      async () => ({ batchItemFailures: [{ itemIdentifier: '4950' }, { itemIdentifier: '777' }] }),
      {},
    );
    expect(result).toHaveBatchItemFailures([
      { kinesis: { sequenceNumber: '4950' } },
      { dynamodb: { SequenceNumber: '777' } },
    ]);
  });

  it('explains an invalid itemIdentifier (the whole batch would fail)', async () => {
    const result = await invokeHandler(async () => ({ batchItemFailures: [{ itemIdentifier: '' }] }), {});
    expect(result).not.toHaveBatchItemFailures([]);
    expect(failureOf(() => expect(result).toHaveBatchItemFailures([]))).toContain('fails the whole batch');
  });

  it('fails on a thrown error and rejects unknown refs', async () => {
    const thrown = await invokeHandler(async () => {
      throw new Error('x');
    }, {});
    expect(thrown).not.toHaveBatchItemFailures([]);
    expect(() => expect(thrown).toHaveBatchItemFailures([{ nope: 1 } as never])).toThrow(/expected\[0\]/);
  });
});
