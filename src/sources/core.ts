/**
 * The parts every simulator shares: the item ledger (histories and accounting), the invocation
 * log, the virtual concurrency gate, seeded ids and `run()`.
 */
import { HarnessError } from '../errors/index.js';
import { describeValue, seedSchema } from '../errors/options.js';
import type { ErrorPayload, FunctionInvocationResult, ThrottledResult } from '../invoke/result.js';
import { createRandom, DEFAULT_SEED, type Random } from '../random/index.js';
import { configError, intOption, objectOption, stringOption, timeOption } from './config.js';
import { Scheduler } from './scheduler.js';
import { type InvocationTarget, occupiedMs, resolveTarget, type TargetInput } from './target.js';
import {
  type AccountingSummary,
  type AttemptOutcome,
  type DeliveryAttempt,
  type InvocationLogEntry,
  ITEM_STATUSES,
  type ItemHistory,
  type ItemStatus,
  type RunOptions,
} from './types.js';

/**
 * Default virtual start: 2024-01-15T12:00:00.000Z (the event generators' reference time).
 *
 * @example
 * createSqsEventSource({ target: fn }).now === DEFAULT_START_TIME; // true
 */
export const DEFAULT_START_TIME = Date.UTC(2024, 0, 15, 12, 0, 0, 0);

/**
 * A virtual clock several simulators can share, so an invocation in one (a handler that sends to a
 * simulated queue or stream) happens at the same virtual time in the other, and `run()` on any of
 * them advances them all.
 *
 * @example
 * const clock = createSimulationClock({ startTime: '2024-06-01T00:00:00Z' });
 * const queue = createSqsEventSource({ target: consumer, clock });
 * const ingest = createKinesisEventSource({ target: producer, clock, StartingPosition: 'LATEST' });
 */
export interface SimulationClock {
  /** Virtual epoch ms now. */
  readonly now: number;
  readonly startTime: number;
}

/** The clock as the simulators share it: the scheduler behind `now` (not part of the public type). */
interface SharedClock extends SimulationClock {
  readonly scheduler: Scheduler;
}

/**
 * Creates a {@link SimulationClock} to share between simulators.
 *
 * @example
 * const clock = createSimulationClock();
 * const a = createSqsEventSource({ target: fnA, clock });
 * const b = createSqsEventSource({ target: fnB, clock }); // fnA may call b.send(...) while it runs
 * await a.run(); // runs both until nothing is left
 */
export function createSimulationClock(
  options: { readonly startTime?: number | string | Date } = {},
): SimulationClock {
  const o = objectOption(options, ['startTime'], 'createSimulationClock options', '');
  const startTime =
    timeOption(o.startTime, 'createSimulationClock options', 'startTime') ?? DEFAULT_START_TIME;
  const scheduler = new Scheduler(startTime);
  const clock: SharedClock = {
    startTime,
    scheduler,
    get now() {
      return scheduler.now;
    },
  };
  return clock;
}

/**
 * Options every simulator accepts besides its Lambda configuration.
 *
 * @example
 * const common: SimulationOptions = { target: createFunction({ handler: () => import('./h.js') }), seed: 7, startTime: '2024-06-01T00:00:00Z' };
 */
export interface SimulationOptions {
  /** The function: a createFunction instance (preferred), a bare handler, or an InvocationTarget. */
  readonly target: TargetInput;
  /** Seed of message ids, request ids and receipt handles. Default 1337. */
  readonly seed?: number;
  /** Virtual start time (epoch ms, ISO string or Date). Default 2024-01-15T12:00:00.000Z. */
  readonly startTime?: number | string | Date;
  /** A clock shared with other simulators (then `startTime` comes from the clock). */
  readonly clock?: SimulationClock;
  readonly region?: string;
  readonly accountId?: string;
  /**
   * The function's reserved concurrency, enforced on the virtual clock: an invocation starting
   * while this many are running is throttled (429). 0 throttles everything. Default unlimited.
   */
  readonly reservedConcurrency?: number;
  /**
   * What the simulator keeps for the test to read (see {@link SimulationRetention}). Default `'all'`.
   */
  readonly retain?: SimulationRetention;
}

/**
 * What a simulator keeps once an item (message, record, event) has reached its final place:
 * - `'all'` (default): every item's history and the invocation log with each event and result;
 * - `'histories'`: every item's history and fate; `sim.invocations` stays empty (the attempts still
 *   carry request ids and errors), so a finished item costs well under 1 KB;
 * - `'summary'`: counts, plus the histories of items that did not succeed (dead-lettered, sent to
 *   a failure destination, dropped, expired); succeeded and skipped items are only counted, so a
 *   run of millions holds memory for the failures alone. `history(id)` of a succeeded item throws.
 *
 * @example
 * const sim = createSqsEventSource({ target: fn, retain: 'summary' });
 * for (let i = 0; i < 1_000_000; i++) sim.send(`{"n":${i}}`);
 * const a = await sim.run();
 * a.byStatus.succeeded; // counted
 * sim.ids('dead-lettered').map((id) => sim.history(id)); // the failures, in full
 */
export type SimulationRetention = 'all' | 'histories' | 'summary';

const RETENTIONS: readonly SimulationRetention[] = ['all', 'histories', 'summary'];

/** Keys of {@link SimulationOptions}. */
export const SIMULATION_KEYS = [
  'target',
  'seed',
  'startTime',
  'clock',
  'region',
  'accountId',
  'reservedConcurrency',
  'retain',
];

/**
 * A ledger entry; simulators keep it to avoid id lookups on hot paths. A run of a million items
 * holds a million of these, so times are kept as ms since the simulation's start (small integers
 * stay unboxed, where an epoch ms would be a separate heap number in each field), and an item that
 * was never delivered shares one empty attempt list. `history()` gives the public shape.
 */
export interface MutableItem {
  readonly id: string;
  status: ItemStatus;
  /** ms after the simulation's start time. */
  readonly enqueued: number;
  /** ms after the simulation's start time; -1 while in flight. */
  settled: number;
  attempts: DeliveryAttempt[];
  condition?: string;
  shardId?: string;
  messageGroupId?: string;
  partitionKey?: string;
}

/** The attempt list of every item not delivered yet; recordAttempt replaces it, never pushes to it. */
const NO_ATTEMPTS = Object.freeze([]) as unknown as DeliveryAttempt[];

/**
 * What a model keeps of an invocation until its batch completes at `endedAt`: no event, no result
 * (a mapping ramped up to a thousand concurrent batches would otherwise hold a thousand results
 * with their logs, and the garbage collector would copy them all on every young collection).
 */
export interface InvocationBrief {
  readonly invocation: number;
  readonly requestId: string | undefined;
  readonly startedAt: number;
  readonly endedAt: number;
  /** Rejected with 429 before it ran (it took no concurrency). */
  readonly throttled: boolean;
}

/** One finished invocation as the models see it. */
export interface Invocation extends InvocationBrief {
  readonly result: FunctionInvocationResult;
}

/** The error payload of a failed invocation, or undefined on success. */
export function resultError(result: FunctionInvocationResult): ErrorPayload | undefined {
  return result.outcome === 'success' ? undefined : result.error;
}

/** Shared machinery of a simulator. */
export class SimulationCore {
  readonly scheduler: Scheduler;
  readonly target: InvocationTarget;
  readonly rng: Random;
  readonly region: string;
  readonly accountId: string;
  readonly startTime: number;
  readonly reservedConcurrency: number | undefined;
  readonly retain: SimulationRetention;
  private readonly items = new Map<string, MutableItem>();
  private readonly counts: Record<ItemStatus, number>;
  /** Items ever added (in summary mode more than `items` holds). */
  private total = 0;
  /** The invocation log; empty unless `retain` is `'all'`. */
  readonly invocations: InvocationLogEntry[] = [];
  /** Invocations made, logged or not. */
  invocationCount = 0;
  deliveries = 0;
  /** Invocations running on the virtual clock right now. */
  inFlight = 0;
  private readonly ids: Random;

  constructor(options: Record<string, unknown>, where: string) {
    this.target = resolveTarget(options.target, where);
    const seed = options.seed;
    if (seed !== undefined && !seedSchema.safeParse(seed).success) {
      throw configError(
        where,
        'seed',
        `expected a non-negative integer seed, received ${describeValue(seed)}`,
      );
    }
    this.rng = createRandom((seed as number | undefined) ?? DEFAULT_SEED);
    this.ids = this.rng.fork('request-ids');
    const clock = options.clock as SharedClock | undefined;
    if (clock !== undefined && !(clock?.scheduler instanceof Scheduler)) {
      throw configError(where, 'clock', 'expected a clock from createSimulationClock()');
    }
    if (clock !== undefined && options.startTime !== undefined) {
      throw configError(
        where,
        'startTime',
        'give the start time to createSimulationClock() when sharing a clock',
      );
    }
    this.startTime =
      clock?.startTime ?? timeOption(options.startTime, where, 'startTime') ?? DEFAULT_START_TIME;
    this.region =
      stringOption(
        options,
        'region',
        /^[a-z]{2}(-[a-z]+)+-\d$/,
        'an AWS region such as "us-east-1"',
        where,
      ) ?? 'us-east-1';
    this.accountId =
      stringOption(options, 'accountId', /^\d{12}$/, 'a 12-digit account id', where) ?? '123456789012';
    const reserved = options.reservedConcurrency;
    this.reservedConcurrency =
      reserved === undefined ? undefined : intOption(options, 'reservedConcurrency', 0, 1_000_000, 0, where);
    const retain = options.retain;
    if (retain !== undefined && !RETENTIONS.includes(retain as SimulationRetention)) {
      throw configError(
        where,
        'retain',
        `expected one of ${RETENTIONS.map((r) => `'${r}'`).join(', ')}, received ${JSON.stringify(retain)}`,
      );
    }
    this.retain = (retain as SimulationRetention | undefined) ?? 'all';
    this.scheduler = clock?.scheduler ?? new Scheduler(this.startTime);
    this.counts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
  }

  get now(): number {
    return this.scheduler.now;
  }

  /**
   * The time of a send/put/write made now: inside a running invocation (a handler feeding another
   * simulator on a shared clock) the handler's virtual Date.now(), otherwise the simulator's now.
   */
  sendTime(): number {
    const now = this.scheduler.now;
    if (this.scheduler.invoking > 0) {
      const inHandler = Date.now();
      if (inHandler >= now && inHandler <= now + 900_000) return inHandler;
    }
    return now;
  }

  /** `arn:aws:lambda:<region>:<account>:function:<name>` (plus `:qualifier` when given). */
  functionArn(qualifier?: string): string {
    const base = `arn:aws:lambda:${this.region}:${this.accountId}:function:${this.target.functionName}`;
    return qualifier ? `${base}:${qualifier}` : base;
  }

  /** A seeded lowercase UUID for request ids. */
  newRequestId(): string {
    return this.ids.uuid();
  }

  addItem(
    id: string,
    enqueuedAt: number,
    extra?: Partial<Pick<MutableItem, 'shardId' | 'messageGroupId' | 'partitionKey'>>,
    checkDuplicate = true,
  ): MutableItem {
    if (checkDuplicate && this.items.has(id)) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `duplicate id "${id}": every message or event needs its own id`,
        {
          path: 'messageId',
        },
      );
    }
    const item: MutableItem = {
      id,
      status: 'in-flight',
      enqueued: enqueuedAt - this.startTime,
      settled: -1,
      attempts: NO_ATTEMPTS,
    };
    if (extra?.shardId !== undefined) item.shardId = extra.shardId;
    if (extra?.partitionKey !== undefined) item.partitionKey = extra.partitionKey;
    if (extra?.messageGroupId !== undefined) item.messageGroupId = extra.messageGroupId;
    this.items.set(id, item);
    this.total++;
    this.counts['in-flight']++;
    return item;
  }

  hasItem(id: string): boolean {
    return this.items.has(id);
  }

  /** Moves an item to its final place (once). */
  settle(id: string | MutableItem, status: ItemStatus, condition?: string): void {
    const item = typeof id === 'string' ? this.items.get(id) : id;
    if (item?.status !== 'in-flight') return;
    this.counts['in-flight']--;
    this.counts[status]++;
    item.status = status;
    item.settled = status === 'in-flight' ? -1 : this.now - this.startTime;
    if (condition !== undefined) item.condition = condition;
    // Summary mode keeps the failures only: a success is counted and forgotten.
    if (this.retain === 'summary' && (status === 'succeeded' || status === 'skipped')) {
      this.items.delete(item.id);
    }
  }

  recordAttempt(id: string | MutableItem, attempt: DeliveryAttempt): void {
    const item = typeof id === 'string' ? this.items.get(id) : id;
    if (!item) return;
    // Most items are delivered once: a one-element array, not an empty one grown by push (17 slots).
    if (item.attempts.length === 0) item.attempts = [attempt];
    else item.attempts.push(attempt);
    this.deliveries++;
  }

  statusOf(id: string): ItemStatus | undefined {
    return this.items.get(id)?.status;
  }

  /**
   * Invokes the target at the current virtual time (or synthesises a 429 when the reserved
   * concurrency is in use). The caller schedules its follow-up at `endedAt` and calls `release()`.
   */
  async invoke(
    event: unknown,
    itemIds: readonly string[],
    extra: { requestId?: string; shardId?: string } = {},
  ): Promise<Invocation> {
    const startedAt = this.now;
    const invocation = ++this.invocationCount;
    let result: FunctionInvocationResult;
    if (this.reservedConcurrency !== undefined && this.inFlight >= this.reservedConcurrency) {
      result = throttle(this.target.functionName, extra.requestId ?? this.newRequestId());
    } else {
      const requestId = extra.requestId ?? this.newRequestId();
      this.scheduler.invoking++;
      try {
        result = await this.target.invoke(event, { now: startedAt, requestId });
      } finally {
        this.scheduler.invoking--;
      }
      if (result.outcome !== 'throttled') this.inFlight++;
    }
    const requestId = result.outcome === 'throttled' ? undefined : result.requestId;
    const endedAt = startedAt + occupiedMs(result);
    if (this.retain === 'all') {
      this.invocations.push({
        invocation,
        requestId,
        startedAt,
        endedAt,
        itemIds,
        event,
        result,
        ...(extra.shardId !== undefined ? { shardId: extra.shardId } : {}),
      });
    }
    return { invocation, requestId, startedAt, endedAt, throttled: result.outcome === 'throttled', result };
  }

  /** Marks a non-throttled invocation finished (frees its concurrency). */
  release(inv: InvocationBrief): void {
    if (!inv.throttled) this.inFlight--;
  }

  /**
   * The attempt record a batch gives its items, shared by every item with the same outcome and
   * receive count: at batch 10 that is one small object per batch instead of one per item.
   * Attempts are frozen, as a history's readers must not change them.
   */
  sharedAttempt(
    cache: Map<string, DeliveryAttempt>,
    inv: InvocationBrief,
    batchSize: number,
    outcome: AttemptOutcome,
    error: ErrorPayload | undefined,
    extra?: { readonly receiveCount?: number; readonly note?: string },
  ): DeliveryAttempt {
    const key = `${outcome}:${error === undefined ? 0 : 1}:${extra?.receiveCount ?? ''}`;
    let attempt = cache.get(key);
    if (attempt === undefined) {
      attempt = Object.freeze({
        invocation: inv.invocation,
        requestId: inv.requestId,
        startedAt: inv.startedAt,
        endedAt: inv.endedAt,
        batchSize,
        outcome,
        error,
        ...(extra?.receiveCount !== undefined ? { receiveCount: extra.receiveCount } : {}),
        ...(extra?.note !== undefined ? { note: extra.note } : {}),
      });
      cache.set(key, attempt);
    }
    return attempt;
  }

  history(id: string, where: string): ItemHistory {
    const item = this.items.get(id);
    if (!item) {
      const known: string[] = [];
      for (const key of this.items.keys()) {
        if (known.length === 5) break;
        known.push(key);
      }
      const summary =
        this.retain === 'summary'
          ? "With retain: 'summary' only items that did not succeed keep a history. "
          : '';
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${where}.history("${id}"): no such message, record or event`,
        {
          hint: `${summary}${known.length > 0 ? `Known ids include: ${known.join(', ')}.` : 'Nothing was sent yet.'}`,
        },
      );
    }
    return this.snapshot(item);
  }

  histories(): ItemHistory[] {
    return Array.from(this.items.values(), (item) => this.snapshot(item));
  }

  /** The public, detached history of a ledger entry (same keys and order as ever). */
  private snapshot(item: MutableItem): ItemHistory {
    const h: Record<string, unknown> = {
      id: item.id,
      status: item.status,
      enqueuedAt: this.startTime + item.enqueued,
      settledAt: item.settled === -1 ? undefined : this.startTime + item.settled,
      attempts: [...item.attempts],
    };
    if (item.shardId !== undefined) h.shardId = item.shardId;
    if (item.partitionKey !== undefined) h.partitionKey = item.partitionKey;
    if (item.messageGroupId !== undefined) h.messageGroupId = item.messageGroupId;
    if (item.condition !== undefined) h.condition = item.condition;
    return h as unknown as ItemHistory;
  }

  idsWithStatus(status: ItemStatus): string[] {
    const out: string[] = [];
    for (const item of this.items.values()) if (item.status === status) out.push(item.id);
    return out;
  }

  accounting(): AccountingSummary {
    const byStatus = { ...this.counts };
    const total = this.total;
    let sum = 0;
    for (const s of ITEM_STATUSES) sum += byStatus[s];
    return {
      total,
      byStatus,
      invocations: this.invocationCount,
      deliveries: this.deliveries,
      balanced: sum === total,
      now: this.now,
    };
  }

  async run(options: RunOptions | undefined, where: string): Promise<AccountingSummary> {
    const o = objectOption(options, ['until', 'forMs', 'maxInvocations'], `${where}.run options`, '');
    let until = timeOption(o.until, `${where}.run options`, 'until') ?? Number.POSITIVE_INFINITY;
    if (o.forMs !== undefined) {
      if (typeof o.forMs !== 'number' || !(o.forMs >= 0)) {
        throw configError(`${where}.run options`, 'forMs', 'expected a number of ms >= 0');
      }
      until = Math.min(until, this.now + o.forMs);
    }
    const max = intOption(o, 'maxInvocations', 1, Number.MAX_SAFE_INTEGER, 1_000_000, `${where}.run options`);
    const stopAt = this.invocationCount + max;
    if (this.scheduler.running) {
      throw new HarnessError('INVALID_OPTIONS', `${where}.run(): already running`, {
        hint: 'Await the previous run() before starting another.',
      });
    }
    this.scheduler.running = true;
    try {
      await this.scheduler.run(until, () => this.invocationCount >= stopAt);
    } finally {
      this.scheduler.running = false;
    }
    return this.accounting();
  }
}

/** A 429 like the function layer's, for the simulator's own concurrency gate. */
export function throttle(functionName: string, requestId: string): ThrottledResult {
  return {
    outcome: 'throttled',
    requestId,
    functionName,
    statusCode: 429,
    error: {
      errorType: 'TooManyRequestsException',
      errorMessage: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
    },
  };
}

/** Truncates a UTF-8 string to at most `bytes` bytes without splitting a character. */
export function truncateUtf8(s: string, bytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= bytes) return s;
  let end = bytes;
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return buf.toString('utf8', 0, end);
}
