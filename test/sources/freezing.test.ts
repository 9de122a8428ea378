import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { InvocationResult } from '../../src/invoke/result.js';
import { createSqsEventSource } from '../../src/sources/index.js';
import { fnOf, T0 } from './helpers.js';

// Issue 12: on the simulators' virtual timeline an environment is frozen between batches; the
// clock runs on, so a timer a batch left fires at the thaw of the next batch in that environment.

const ran = (r: unknown): InvocationResult => {
  if ((r as { outcome: string }).outcome === 'throttled') expect.fail('throttled');
  return r as InvocationResult;
};

const handler = async (e: SQSEvent) => {
  for (const r of e.Records)
    setTimeout(() => console.log(`flushed ${r.body} at ${new Date().toISOString()}`), 5_000);
  return {};
};

describe('freezing on the SQS mapping timeline', () => {
  it('a timer left by one batch fires at the thaw of the next batch in the same environment, tagged with the earlier request id', async () => {
    const fn = fnOf(handler as never, { timeout: 10 });
    const sim = createSqsEventSource({ target: fn, BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 } });
    sim.send({ body: 'first', at: T0 });
    sim.send({ body: 'second', at: T0 + 20_000 });
    sim.send({ body: 'third', at: T0 + 21_000 });
    await sim.run();

    const [first, second, third] = sim.invocations.map((i) => ran(i.result));
    expect(sim.invocations.map((i) => i.startedAt - T0)).toEqual([0, 20_000, 21_000]);
    expect([first, second, third].map((r) => r?.coldStart)).toEqual([true, false, false]);
    const flushed = (r: InvocationResult | undefined) =>
      (r?.logs ?? []).filter((l) => String(l.message).startsWith('flushed'));
    // Nothing runs while frozen: batch 1's timer did not fire in its own invocation.
    expect(flushed(first)).toEqual([]);
    // It fell due at T0 + 5 s, while frozen: it fires right after the thaw of batch 2, at the thaw time.
    expect(flushed(second).map((l) => [l.message, l.requestId])).toEqual([
      [`flushed first at ${new Date(T0 + 20_000).toISOString()}`, first?.requestId],
    ]);
    expect(second?.logs[1]).toBe(flushed(second)[0]);
    // Batch 2's own timer is not due 1 s later: it keeps its due time (T0 + 25 s).
    expect(flushed(third)).toEqual([]);
    expect(third?.pendingWork.descriptions).toEqual([
      `setTimeout 5000 ms (virtual, scheduled by invocation ${second?.requestId})`,
      'setTimeout 5000 ms (virtual)',
    ]);
  });
});
