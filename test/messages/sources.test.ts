// Failure text of the simulator matchers. The simulators' own outputs are exercised in
// test/matchers/sources.test.ts; these hand-built histories only pin the message format.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import type { SimulatorLike } from '../../src/matchers/index.js';
import type { ItemHistory } from '../../src/sources/index.js';
import { failureOf } from '../matchers/helpers.js';

const t0 = Date.UTC(2024, 0, 15, 12);
const error = { errorType: 'Error', errorMessage: 'poison' };
const poison: ItemHistory = {
  id: 'm-2',
  status: 'dead-lettered',
  enqueuedAt: t0,
  settledAt: t0 + 90_000,
  attempts: [1, 2, 3].map((n) => ({
    invocation: n + 1,
    requestId: undefined,
    startedAt: t0 + (n - 1) * 30_000,
    endedAt: t0 + (n - 1) * 30_000,
    batchSize: 1,
    outcome: 'error' as const,
    error,
    receiveCount: n,
  })),
};
const fine: ItemHistory = {
  id: 'm-1',
  status: 'in-flight',
  enqueuedAt: t0,
  settledAt: undefined,
  attempts: [],
};
const sim: SimulatorLike = {
  history: (id) => {
    const h = [poison, fine].find((x) => x.id === id);
    if (!h) throw new Error(`unknown ${id}`);
    return h;
  },
  histories: () => [poison, fine],
  accounting: () => ({
    total: 2,
    byStatus: {
      succeeded: 0,
      'dead-lettered': 1,
      'failure-destination': 0,
      dropped: 0,
      expired: 0,
      skipped: 0,
      filtered: 0,
      'in-flight': 1,
    },
    invocations: 3,
    deliveries: 3,
    balanced: true,
    now: t0 + 90_000,
  }),
  deadLetterQueue: [{ messageId: 'm-2' }],
  destinations: { onSuccess: [], onFailure: [] },
};

describe('simulator matcher messages', () => {
  it('toHaveBeenRetried lists every delivery', () => {
    expect(failureOf(() => expect(sim).toHaveBeenRetried('m-2', 5))).toMatchSnapshot();
    expect(failureOf(() => expect(poison).not.toHaveBeenRetried(2))).toMatchSnapshot();
  });

  it('toHaveBeenDeadLettered, toEndAs and destinations', () => {
    expect(failureOf(() => expect(sim).not.toHaveBeenDeadLettered('m-2'))).toMatchSnapshot();
    expect(failureOf(() => expect(sim).toHaveEndedAs('m-1', 'succeeded'))).toMatchSnapshot();
    expect(failureOf(() => expect(sim).toHaveBeenSentToDestination('m-2', 'OnSuccess'))).toMatchSnapshot();
  });

  it('toHaveAccountedForEveryMessage names what is still in flight', () => {
    expect(failureOf(() => expect(sim).toHaveAccountedForEveryMessage())).toMatchSnapshot();
    expect(
      failureOf(() => expect(sim).toHaveAccountedForEveryMessage({ 'dead-lettered': 2 })),
    ).toMatchSnapshot();
  });

  it('rejects unknown ids and receivers', () => {
    expect(() => expect(sim).toHaveBeenRetried('m-9', 1)).toThrow(
      /no item with id "m-9" \(known: m-2, m-1\)/,
    );
    expect(() => expect({}).toHaveAccountedForEveryMessage()).toThrow(/must be a simulator/);
    expect(() => expect(sim).toHaveEndedAs('m-1', 'gone' as never)).toThrow(/status: expected one of/);
  });
});
