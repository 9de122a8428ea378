import { describe, expect, it } from 'vitest';
import {
  addEngineHooks,
  closeInvocation,
  createEnvironment,
  initFunction,
  invokeFunction,
  invokeHandler,
  resolveFunctionSettings,
  taskTimedOutText,
} from '../../src/invoke/index.js';

const STREAM = '2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef';

describe('engine boundary hooks', () => {
  it('calls begins before user code and ends after it, for init and for each invocation', async () => {
    const seen: string[] = [];
    const environment = createEnvironment('env-1');
    const off = addEngineHooks({
      begins: (b) => seen.push(`begins ${b.phase} ${b.requestId ?? '-'} ${b.environment === environment}`),
      ends: (b) => seen.push(`ends ${b.phase} ${b.requestId ?? '-'}`),
    });
    try {
      const settings = resolveFunctionSettings({}, 'test');
      const init = await initFunction({
        settings,
        loader: async () => {
          seen.push('module code');
          return { handler: async () => seen.push('handler code') };
        },
        logStreamName: STREAM,
        environment,
      });
      expect(init.ok).toBe(true);
      if (!init.ok) return;
      const requestId = '11111111-1111-4111-8111-111111111111';
      await invokeFunction({
        settings,
        handler: init.handler,
        event: {},
        logStreamName: STREAM,
        requestId,
        environment,
      });
      expect(seen).toEqual([
        'begins init - true',
        'module code',
        'ends init -',
        `begins invoke ${requestId} true`,
        'handler code',
        `ends invoke ${requestId}`,
      ]);
    } finally {
      off();
    }
    const before = seen.length;
    await invokeHandler(async () => 1, {});
    expect(seen.length).toBe(before);
  });
});

describe('one closing-lines builder', () => {
  it('writes the timeout line, END and REPORT from one place, billing init and duration', () => {
    const { lines, report, billedDurationMs } = closeInvocation({
      requestId: 'r',
      memorySizeMB: 128,
      logFormat: 'Text',
      durationMs: 3000,
      initDurationMs: 10.5,
      endEpochMs: Date.UTC(2024, 0, 1),
      ending: { kind: 'timeout', timeoutMs: 3000 },
    });
    expect(lines.map((l) => l.text)).toEqual([
      `2024-01-01T00:00:00.000Z r ${taskTimedOutText(3000)}`,
      'END RequestId: r',
      'REPORT RequestId: r\tDuration: 3000.00 ms\tBilled Duration: 3011 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 10.50 ms\tStatus: timeout\t',
    ]);
    expect(report.status).toBe('timeout');
    expect(billedDurationMs).toBe(3011);
  });
});
