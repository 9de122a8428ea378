/**
 * Result and history types shared by every invocation model (async invoke, SQS, Kinesis,
 * DynamoDB Streams). Matchers read these objects; they never change after a run except by
 * running the simulator further.
 */
import type { ErrorPayload, FunctionInvocationResult } from '../invoke/result.js';

/**
 * Where a message, record or event is at the end of a run. Every item is in exactly one:
 * - `succeeded`: processed (SQS message deleted, stream record checkpointed, async event succeeded);
 * - `dead-lettered`: in a dead-letter queue (SQS: the source queue's redrive DLQ; async: the function's DLQ);
 * - `failure-destination`: Lambda gave up and sent an on-failure record (async, Kinesis, DynamoDB);
 * - `dropped`: Lambda gave up with nowhere to send it (no DLQ and no on-failure destination);
 * - `expired`: left the source unprocessed (SQS retention period, stream retention);
 * - `skipped`: never read, because it lies before the mapping's StartingPosition;
 * - `filtered`: matched none of the mapping's FilterCriteria, so Lambda discarded it without an
 *   invocation (SQS: deleted; streams: passed over);
 * - `in-flight`: still queued, waiting for a retry or being processed when the run stopped.
 *
 * @example
 * const status: ItemStatus = sim.history(messageId).status; // 'dead-lettered'
 */
export type ItemStatus =
  | 'succeeded'
  | 'dead-lettered'
  | 'failure-destination'
  | 'dropped'
  | 'expired'
  | 'skipped'
  | 'filtered'
  | 'in-flight';

/**
 * Every status, in a stable order (the keys of an {@link AccountingSummary}'s `byStatus`).
 *
 * @example
 * for (const status of ITEM_STATUSES) console.log(status, sim.accounting().byStatus[status]);
 */
export const ITEM_STATUSES: readonly ItemStatus[] = [
  'succeeded',
  'dead-lettered',
  'failure-destination',
  'dropped',
  'expired',
  'skipped',
  'filtered',
  'in-flight',
];

/**
 * How one delivery of an item ended, seen from that item:
 * - `success`: the invocation succeeded and the item counted as processed;
 * - `item-failure`: the invocation succeeded but reported this item in `batchItemFailures`
 *   (for streams: this item is at or after the lowest reported sequence number);
 * - `invalid-response`: ReportBatchItemFailures was on and the response was malformed, so the
 *   whole batch failed;
 * - `error` / `timeout`: the invocation failed (the whole batch failed);
 * - `throttled`: the invocation was rejected with 429 and never ran.
 *
 * @example
 * const attempt: AttemptOutcome = 'item-failure';
 */
export type AttemptOutcome =
  | 'success'
  | 'item-failure'
  | 'invalid-response'
  | 'error'
  | 'timeout'
  | 'throttled';

/**
 * One delivery of an item to the function.
 *
 * @example
 * const [first] = sim.history(id).attempts;
 * first.outcome;   // 'error'
 * first.requestId; // the invocation's request id
 * new Date(first.startedAt).toISOString(); // virtual time
 */
export interface DeliveryAttempt {
  /** 1-based invocation number of the simulator (see `sim.invocations`). */
  readonly invocation: number;
  /** Request id of the invocation (undefined when it was throttled before running). */
  readonly requestId: string | undefined;
  /** Virtual epoch ms the invocation started and ended. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Number of items in the batch (1 for async invocation). */
  readonly batchSize: number;
  readonly outcome: AttemptOutcome;
  /** The error of a failed invocation (error, timeout, throttle), or why the response was invalid. */
  readonly error: ErrorPayload | undefined;
  /** SQS only: the `ApproximateReceiveCount` the record carried on this delivery. */
  readonly receiveCount?: number;
  /** What Lambda did that a test might not expect (e.g. batchItemFailures ignored without ReportBatchItemFailures). */
  readonly note?: string;
}

/**
 * The story of one item (message, record or event).
 *
 * @example
 * const h = sim.history(messageId);
 * h.status;           // 'succeeded'
 * h.attempts.length;  // 3
 * h.settledAt;        // virtual epoch ms it reached its final place
 */
export interface ItemHistory {
  /** Message id (SQS), sequence number (Kinesis, DynamoDB) or event id (async). */
  readonly id: string;
  readonly status: ItemStatus;
  /** Virtual epoch ms the item entered the source (sent, put, invoked). */
  readonly enqueuedAt: number;
  /** Virtual epoch ms it reached its final status; undefined while in flight. */
  readonly settledAt: number | undefined;
  readonly attempts: readonly DeliveryAttempt[];
  /** Why Lambda gave up, for `failure-destination`, `dead-lettered` and `dropped` items. */
  readonly condition?: string;
  /** Stream records: the shard; SQS FIFO: the message group. */
  readonly shardId?: string;
  readonly messageGroupId?: string;
  readonly partitionKey?: string;
}

/**
 * Counts of items per final place. `total` always equals the sum of `byStatus`, so a test can
 * assert that nothing was lost (`balanced` says so explicitly).
 *
 * @example
 * const a = sim.accounting();
 * a.total;                      // 1000
 * a.byStatus.succeeded;         // 990
 * a.byStatus['dead-lettered'];  // 10
 * a.balanced;                   // true
 */
export interface AccountingSummary {
  readonly total: number;
  readonly byStatus: Readonly<Record<ItemStatus, number>>;
  /** Invocations made (throttled ones included). */
  readonly invocations: number;
  /** Deliveries of items (an item delivered three times counts three). */
  readonly deliveries: number;
  /** True when every item is in exactly one place (sum of byStatus === total). */
  readonly balanced: boolean;
  /** Virtual epoch ms at the end of the run. */
  readonly now: number;
}

/**
 * One invocation the simulator made.
 *
 * @example
 * for (const inv of sim.invocations) console.log(inv.requestId, inv.itemIds.length, inv.result.outcome);
 */
export interface InvocationLogEntry {
  /** 1-based. */
  readonly invocation: number;
  readonly requestId: string | undefined;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The items delivered (message ids, sequence numbers or the event id). */
  readonly itemIds: readonly string[];
  /** The event passed to the handler. */
  readonly event: unknown;
  /** The invocation result, as the function layer returned it (logs included). */
  readonly result: FunctionInvocationResult;
  /** Stream mappings: the shard. */
  readonly shardId?: string;
}

/**
 * Options of `sim.run()`.
 *
 * @example
 * await sim.run({ forMs: 5 * 60_000 }); // five virtual minutes
 * await sim.run({ until: '2024-01-15T13:00:00Z', maxInvocations: 10_000 });
 */
export interface RunOptions {
  /** Stop at this virtual epoch ms (or ISO date); default: run until nothing is left to do. */
  readonly until?: number | string | Date;
  /** Stop after this much virtual time, in ms. */
  readonly forMs?: number;
  /** Safety net: stop after this many invocations from this call (default 1,000,000). */
  readonly maxInvocations?: number;
}

/**
 * What every simulator lets a test read: run the virtual clock, then see where each item went.
 *
 * @example
 * async function drain(sim: SimulatorReadSide): Promise<boolean> {
 *   return (await sim.run()).balanced;
 * }
 */
export interface SimulatorReadSide {
  /** Run the virtual clock until nothing is left to do (or `until` / `forMs`). */
  run(options?: RunOptions): Promise<AccountingSummary>;
  accounting(): AccountingSummary;
  /** One item's history, by the id the simulator returned for it (message id, sequence number, request id). */
  history(id: string): ItemHistory;
  histories(): ItemHistory[];
  /** Item ids with a given final status. */
  ids(status: ItemStatus): string[];
  /** Every invocation with its event and result; empty unless the simulator retains `'all'`. */
  readonly invocations: readonly InvocationLogEntry[];
  /** Virtual epoch ms now. */
  readonly now: number;
}
