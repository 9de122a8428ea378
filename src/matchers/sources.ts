import { describeValue } from '../errors/describe.js';
import { HarnessError } from '../errors/index.js';
import type {
  AccountingSummary,
  DestinationDelivery,
  ItemHistory,
  ItemStatus,
  SimulatorReadSide,
} from '../sources/index.js';
import { type MatcherContext, type MatcherResult, stringifyValue } from './context.js';
import { badArgument, buildResult, describeType } from './message.js';

/*
 * Matchers over the invocation-model simulators (async invoke, SQS / Kinesis / DynamoDB event
 * source mappings). They read the simulator's public, read-only surface only (`history(id)`,
 * `histories()`, `accounting()`, `deadLetterQueue`, `destinations`), typed by the simulators' own
 * types (src/sources/types.ts).
 */

/**
 * The read-only surface of a simulator the matchers use: the simulators' own read side, plus the
 * dead-letter queue and destinations where the simulator has them.
 *
 * @example
 * const sim = createSqsEventSource({ target: fn });
 * expect(sim).toHaveAccountedForEveryMessage();
 */
export type SimulatorLike = Pick<SimulatorReadSide, 'history' | 'histories' | 'accounting'> & {
  readonly deadLetterQueue?: readonly unknown[];
  readonly destinations?: {
    readonly onSuccess: readonly Pick<DestinationDelivery<unknown>, 'itemIds' | 'arn'>[];
    readonly onFailure: readonly Pick<DestinationDelivery<unknown>, 'itemIds' | 'arn'>[];
  };
};

// The simulators' statuses in their order (ITEM_STATUSES). Matchers import types only from the
// simulators, so the list is a value here; the record makes the compiler reject a status missing
// from it or not in ItemStatus.
const STATUS_ORDER: Record<ItemStatus, true> = {
  succeeded: true,
  'dead-lettered': true,
  'failure-destination': true,
  dropped: true,
  expired: true,
  skipped: true,
  filtered: true,
  'in-flight': true,
};
const STATUSES = Object.keys(STATUS_ORDER) as readonly ItemStatus[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isSimulator(value: unknown): value is SimulatorLike {
  return (
    isRecord(value) &&
    typeof value.history === 'function' &&
    typeof value.histories === 'function' &&
    typeof value.accounting === 'function'
  );
}

function isHistory(value: unknown): value is ItemHistory {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.status === 'string' &&
    Array.isArray(value.attempts)
  );
}

function isAccounting(value: unknown): value is AccountingSummary {
  return (
    isRecord(value) &&
    typeof value.total === 'number' &&
    isRecord(value.byStatus) &&
    typeof value.balanced === 'boolean'
  );
}

function notASimulator(name: string, received: unknown): never {
  throw new HarnessError(
    'INVALID_OPTIONS',
    `expect(received).${name}(): received must be a simulator (createAsyncInvoker, createSqsEventSource, …) or one of its item histories, received ${describeType(received)}`,
    { path: 'received', hint: 'Pass the simulator (with an item id) or sim.history(id).' },
  );
}

/** Resolves `(sim, id)` or `(history)` to the item's history. */
function resolveHistory(
  name: string,
  received: unknown,
  id: unknown,
): { history: ItemHistory; sim: SimulatorLike | undefined } {
  if (isHistory(received)) return { history: received, sim: undefined };
  if (!isSimulator(received)) notASimulator(name, received);
  if (typeof id !== 'string' || id === '')
    badArgument(name, 'id', 'the item id (message id, sequence number or request id)', id);
  let history: ItemHistory;
  try {
    history = received.history(id);
  } catch (error) {
    const known = received.histories().map((h) => h.id);
    throw new HarnessError(
      'INVALID_OPTIONS',
      `expect(sim).${name}(): no item with id ${describeValue(id)} (known: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})`,
      { path: 'id', cause: error },
    );
  }
  return { history, sim: received };
}

function describeAttempts(history: ItemHistory): string[] {
  const lines = [
    `Received: item ${stringifyValue(history.id)}: ${history.status}${history.condition ? ` (${history.condition})` : ''}, ${history.attempts.length} deliver${history.attempts.length === 1 ? 'y' : 'ies'}`,
  ];
  history.attempts.forEach((a, i) => {
    const offset = a.startedAt - history.enqueuedAt;
    const at = offset >= 1000 ? `+${Number((offset / 1000).toFixed(3))} s` : `+${Math.round(offset)} ms`;
    const receive = a.receiveCount === undefined ? '' : `, receive count ${a.receiveCount}`;
    const error = a.error ? `: ${a.error.errorType}: ${a.error.errorMessage}` : '';
    lines.push(
      `  #${i + 1} ${at} invocation ${a.invocation} (batch of ${a.batchSize}${receive}): ${a.outcome}${error}`,
    );
    if (a.note) lines.push(`     note: ${a.note}`);
  });
  return lines;
}

function describeAccounting(a: AccountingSummary): string[] {
  const lines = [
    `Received: ${a.total} item${a.total === 1 ? '' : 's'}, ${a.invocations} invocation${a.invocations === 1 ? '' : 's'}, ${a.deliveries} deliver${a.deliveries === 1 ? 'y' : 'ies'}${a.balanced ? '' : ' (NOT balanced: some item is in no place or in two)'}`,
  ];
  for (const status of STATUSES) {
    const n = a.byStatus[status] ?? 0;
    if (n > 0) lines.push(`  ${status}: ${n}`);
  }
  return lines;
}

/** Matchers over simulated invocation models: retries, DLQ, destinations, accounting. */
export const sourceMatchers = {
  /**
   * Passes when the item was delivered `times + 1` times (retried `times` times). Call it on the
   * simulator with the item id, or on `sim.history(id)` with the count alone.
   */
  toHaveBeenRetried(
    this: MatcherContext,
    received: unknown,
    idOrTimes: unknown,
    maybeTimes?: unknown,
  ): MatcherResult {
    const onHistory = isHistory(received);
    const times = onHistory ? idOrTimes : maybeTimes;
    const { history } = resolveHistory('toHaveBeenRetried', received, onHistory ? undefined : idOrTimes);
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 0) {
      badArgument('toHaveBeenRetried', 'times', 'a whole number of retries (0 or more)', times);
    }
    // A throttled attempt never reached the function: it is a wait, not a retry.
    const delivered = history.attempts.filter((attempt) => attempt.outcome !== 'throttled').length;
    const retries = Math.max(0, delivered - 1);
    return buildResult(this, retries === times, {
      name: 'toHaveBeenRetried',
      receivedLabel: onHistory ? 'history' : 'sim',
      expectedLabel: onHistory ? 'times' : 'id, times',
      expectation: [
        `${times} retr${times === 1 ? 'y' : 'ies'} (${times + 1} deliveries)`,
        `a number of retries other than ${times}`,
      ],
      received: describeAttempts(history),
      hint: 'Retries are deliveries to the function after the first (throttled attempts, which never ran, are not counted). Async invoke retries twice by default; SQS redelivers after the visibility timeout until maxReceiveCount; streams retry until MaximumRetryAttempts.',
      actual: retries,
      expected: times,
    });
  },

  /** Passes when the item ended in a dead-letter queue (the SQS source queue's redrive DLQ, or the function's async DLQ). */
  toHaveBeenDeadLettered(this: MatcherContext, received: unknown, id?: string): MatcherResult {
    const { history, sim } = resolveHistory('toHaveBeenDeadLettered', received, id);
    const dlq = sim?.deadLetterQueue;
    return buildResult(this, history.status === 'dead-lettered', {
      name: 'toHaveBeenDeadLettered',
      receivedLabel: sim ? 'sim' : 'history',
      expectedLabel: sim ? 'id' : '',
      expectation: ['the item to be in the dead-letter queue', 'the item not to be in the dead-letter queue'],
      received: [
        ...describeAttempts(history),
        ...(dlq ? [`Dead-letter queue: ${dlq.length} message${dlq.length === 1 ? '' : 's'}`] : []),
      ],
      hint:
        history.status === 'dropped'
          ? 'Lambda gave up with nowhere to send it: configure a DLQ (SQS RedrivePolicy, async DeadLetterConfig) or an on-failure destination.'
          : "SQS moves a message to the source queue's DLQ once its receive count exceeds maxReceiveCount; async invoke sends an event to the function's DeadLetterConfig target after the last retry.",
    });
  },

  /** Passes when the item was sent to the function's OnSuccess or OnFailure destination. */
  toHaveBeenSentToDestination(
    this: MatcherContext,
    received: unknown,
    id: string,
    destination: 'OnSuccess' | 'OnFailure',
  ): MatcherResult {
    if (!isSimulator(received)) notASimulator('toHaveBeenSentToDestination', received);
    if (destination !== 'OnSuccess' && destination !== 'OnFailure') {
      badArgument('toHaveBeenSentToDestination', 'destination', '"OnSuccess" or "OnFailure"', destination);
    }
    const { history } = resolveHistory('toHaveBeenSentToDestination', received, id);
    const deliveries =
      destination === 'OnSuccess' ? received.destinations?.onSuccess : received.destinations?.onFailure;
    const sent = deliveries?.filter((d) => d.itemIds.includes(id)) ?? [];
    const pass = sent.length > 0 || (destination === 'OnFailure' && history.status === 'failure-destination');
    return buildResult(this, pass, {
      name: 'toHaveBeenSentToDestination',
      receivedLabel: 'sim',
      expectedLabel: 'id, destination',
      expectation: [
        `the item to be sent to the ${destination} destination`,
        `the item not to be sent to the ${destination} destination`,
      ],
      received: [
        ...describeAttempts(history),
        `${destination} deliveries: ${deliveries === undefined ? '(this simulator has no destinations)' : deliveries.length}`,
      ],
      hint: 'Destinations come from DestinationConfig: OnSuccess after a successful (async) invocation, OnFailure once retries or the event age are exhausted.',
    });
  },

  /** Passes when the item ended with this status (`succeeded`, `dead-lettered`, `failure-destination`, `dropped`, `expired`, `skipped`, `in-flight`). */
  toHaveEndedAs(
    this: MatcherContext,
    received: unknown,
    idOrStatus: unknown,
    maybeStatus?: unknown,
  ): MatcherResult {
    const onHistory = isHistory(received);
    const status = onHistory ? idOrStatus : maybeStatus;
    if (typeof status !== 'string' || !STATUSES.includes(status as ItemStatus)) {
      badArgument('toHaveEndedAs', 'status', `one of ${STATUSES.join(', ')}`, status);
    }
    const { history } = resolveHistory('toHaveEndedAs', received, onHistory ? undefined : idOrStatus);
    return buildResult(this, history.status === status, {
      name: 'toHaveEndedAs',
      receivedLabel: onHistory ? 'history' : 'sim',
      expectedLabel: onHistory ? 'status' : 'id, status',
      expectation: [`the item to end as ${status}`, `the item not to end as ${status}`],
      received: describeAttempts(history),
      hint: 'Run the simulator to completion (await sim.run()) before asserting where items ended.',
      actual: history.status,
      expected: status,
    });
  },

  /**
   * Passes when every item is in exactly one final place and none is still in flight; with
   * `expected`, the counts per status must also match (only the statuses given).
   */
  toHaveAccountedForEveryMessage(
    this: MatcherContext,
    received: unknown,
    expected?: Partial<Record<ItemStatus, number>>,
  ): MatcherResult {
    let accounting: AccountingSummary;
    let inFlight: readonly string[] = [];
    if (isAccounting(received)) accounting = received;
    else if (isSimulator(received)) {
      accounting = received.accounting();
      inFlight = received
        .histories()
        .filter((h) => h.status === 'in-flight')
        .map((h) => h.id);
    } else notASimulator('toHaveAccountedForEveryMessage', received);
    if (expected !== undefined) {
      if (!isRecord(expected) || Array.isArray(expected)) {
        badArgument('toHaveAccountedForEveryMessage', 'expected', 'counts per status', expected);
      }
      for (const key of Object.keys(expected)) {
        if (!STATUSES.includes(key as ItemStatus)) {
          badArgument(
            'toHaveAccountedForEveryMessage',
            `expected.${key}`,
            `one of ${STATUSES.join(', ')}`,
            key,
          );
        }
      }
    }
    const counts = Object.fromEntries(
      Object.keys(expected ?? {}).map((k) => [k, accounting.byStatus[k as ItemStatus] ?? 0]),
    );
    const countsMatch = expected === undefined || this.equals(counts, expected);
    const pass = accounting.balanced && (accounting.byStatus['in-flight'] ?? 0) === 0 && countsMatch;
    return buildResult(this, pass, {
      name: 'toHaveAccountedForEveryMessage',
      receivedLabel: 'sim',
      expectedLabel: expected === undefined ? '' : 'expected',
      expectation: [
        expected === undefined
          ? 'every item in exactly one final place, none in flight'
          : `every item accounted for, with ${stringifyValue(expected)}`,
        'some item unaccounted for or still in flight',
      ],
      received: [
        ...describeAccounting(accounting),
        ...(inFlight.length > 0
          ? [`  still in flight: ${inFlight.slice(0, 10).join(', ')}${inFlight.length > 10 ? ', …' : ''}`]
          : []),
      ],
      hint:
        (accounting.byStatus['in-flight'] ?? 0) > 0
          ? 'Items are still queued or waiting for a retry: await sim.run() without `until`/`forMs` to run until nothing is left.'
          : 'Each item ends succeeded, dead-lettered, at a failure destination, dropped, expired or skipped.',
      ...(expected !== undefined ? { actual: counts, expected } : {}),
    });
  },
};
