import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { lambdaSnapshotSerializer, normalizeLogs, normalizeResult } from '../../src/matchers/index.js';

const handler = async (event: { id: string }) => {
  console.log('processing %s at %s', event.id, new Date().toISOString());
  console.log(JSON.stringify({ correlationId: crypto.randomUUID(), id: event.id }));
  if (event.id === 'bad') throw new RangeError(`bad id ${event.id}`);
  return { id: event.id, at: new Date().toISOString() };
};

describe('snapshot normaliser', () => {
  it('masks request ids, UUIDs, timestamps and measures so two runs print the same', async () => {
    const a = await invokeHandler(handler, { id: 'x' }, { coldStart: true });
    await new Promise((r) => setTimeout(r, 5));
    const b = await invokeHandler(handler, { id: 'x' }, { coldStart: true });
    expect(a.requestId).not.toBe(b.requestId);
    expect(normalizeResult(a)).toEqual(normalizeResult(b));
    const n = normalizeResult(a) as { requestId: string; durationMs: unknown; logs: { text: string }[] };
    expect(n.requestId).toBe('<request-id>');
    expect(n.durationMs).toBe('<n>');
    expect(n.logs.map((l) => l.text)).toContain('START RequestId: <request-id> Version: $LATEST');
    expect(n.logs.some((l) => l.text.includes('"correlationId":"<uuid-1>"'))).toBe(true);
  });

  it('collapses stack frames in traces and Invoke Error lines', async () => {
    const a = await invokeHandler(handler, { id: 'bad' });
    const n = normalizeResult(a) as { error: { trace: string[] }; logs: { text: string }[] };
    expect(n.error.trace).toEqual(['RangeError: bad id bad', '    at <stack>']);
    const invokeError = n.logs.find((l) => l.text.includes('Invoke Error'));
    expect(invokeError?.text).toContain('"stack":["RangeError: bad id bad","    at <stack>"]');
  });

  it('is registered by the vitest entry and snapshots a result stably', async () => {
    const result = await invokeHandler(
      handler,
      { id: 'snap' },
      { coldStart: true, clock: { mode: 'virtual', startMs: 0 } },
    );
    expect(lambdaSnapshotSerializer.test(result)).toBe(true);
    expect(result).toMatchSnapshot();
    expect(normalizeLogs(result.logs, result.requestId).map((l) => l.text)).toMatchSnapshot();
  });
});
