import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';

const HINT = '(Use `node --trace-warnings ...` to show where the warning was created)';

describe('process warnings inside an invocation', () => {
  it('go through the runtime console as one ERROR line per warning (hint once), and other listeners still see them', async () => {
    const seen: string[] = [];
    const listener = (w: Error) => seen.push(w.message);
    process.on('warning', listener);
    try {
      const result = await invokeHandler(
        async () => {
          process.emitWarning('careful', { code: 'X_CAREFUL', detail: 'more detail' });
          process.emitWarning('again');
          await new Promise((r) => setImmediate(r));
          return 'ok';
        },
        {},
        { requestId: '11111111-1111-4111-8111-111111111111', runtime: 'nodejs22.x' },
      );
      const lines = result.logs.filter((l) => l.source === 'function').map((l) => l.text);
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `\\t11111111-1111-4111-8111-111111111111\\tERROR\\t\\(node:${process.pid}\\) \\[X_CAREFUL\\] Warning: careful\\rmore detail\\r${HINT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `\\t11111111-1111-4111-8111-111111111111\\tERROR\\t\\(node:${process.pid}\\) Warning: again$`,
          ),
        ),
      ]);
      expect(result.logs.filter((l) => l.stream === 'stderr')).toEqual([]);
      expect(seen).toEqual(['careful', 'again']);
    } finally {
      process.off('warning', listener);
    }
  });

  it("leaves Node's own warning printer in place for the test process's warnings", async () => {
    const printers = () => process.rawListeners('warning').filter((l) => l.name === 'onWarning');
    const before = printers();
    await invokeHandler(
      async () => {
        process.emitWarning('inside');
        await new Promise((r) => setImmediate(r));
      },
      {},
      { runtime: 'nodejs24.x' },
    );
    expect(printers()).toEqual(before);
    expect(before).toHaveLength(1);
    expect(process.rawListeners('warning')[0]).toBe(before[0]);
  });
});
