/**
 * The SQS queue model behind the event source mapping: messages with visibility timeouts,
 * ApproximateReceiveCount, retention, redrive to a dead-letter queue after maxReceiveCount, FIFO
 * message groups (one batch in flight per group, in order within a group) and FIFO deduplication.
 * It knows nothing about Lambda: the mapping (sqs.ts) receives from it, invokes, and deletes or
 * lets the visibility timeout return what failed.
 *
 * Memory: a queued message holds only what its records are built from (id, body, times, counts);
 * the SQS record is built on each receive. Once a message leaves the queue (deleted, expired,
 * dead-lettered) nothing here refers to it any more, except the dead-letter queue's entry.
 */
import { hash } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { sqsRecord } from '../events/index.js';
import type { Random } from '../random/index.js';
import type { MutableItem } from './core.js';
import type { Scheduler } from './scheduler.js';
import type { ItemStatus } from './types.js';

/**
 * A message moved to the source queue's dead-letter queue by the redrive policy.
 *
 * @example
 * const m = sim.deadLetterQueue[0];
 * m.receiveCount; // equals maxReceiveCount
 */
export interface SqsDeadLetteredMessage {
  readonly messageId: string;
  /** The DLQ ARN (deadLetterTargetArn, default `<queue>-dlq`). */
  readonly arn: string;
  readonly body: string;
  readonly receiveCount: number;
  /** Virtual epoch ms it was moved. */
  readonly movedAt: number;
  /** The record as the function last received it. */
  readonly lastRecord: SQSRecord | undefined;
}

/** The queue's settings, already validated by the mapping's options. */
export interface SqsQueueSettings {
  readonly queueName: string;
  readonly fifo: boolean;
  /** Visibility timeout in ms as the mapping experiences it (see the mapping for the extension). */
  readonly visibilityTimeoutMs: number;
  readonly retentionMs: number;
  /** The redrive policy's maxReceiveCount and DLQ ARN, when there is one. */
  readonly maxReceiveCount: number | undefined;
  readonly deadLetterArn: string | undefined;
  readonly contentBasedDeduplication: boolean;
  readonly seed: number;
  readonly region: string;
  readonly accountId: string;
  readonly startTime: number;
}

/** What a sender gives the queue (already validated). */
export interface SqsMessageToSend {
  readonly body: string;
  readonly messageId?: string;
  readonly messageAttributes?: SQSRecord['messageAttributes'] | Record<string, unknown>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly senderId?: string;
  readonly traceHeader?: string;
}

type MessageState = 'delayed' | 'visible' | 'inflight' | 'waiting' | 'done';

/** What only some messages carry (FIFO, sender, trace header, message attributes). */
interface MessageExtra {
  readonly group: string | undefined;
  readonly dedupId: string | undefined;
  readonly senderId: string | undefined;
  readonly traceHeader: string | undefined;
  /** A record built by the event generator, for messages with message attributes. */
  readonly custom: SQSRecord | undefined;
}

/**
 * One message while it is in the queue. Kept small: a simulation may hold a million of them
 * before the first poll, and the garbage collector walks every one of them on each full collection.
 */
export interface QueuedMessage {
  readonly id: string;
  readonly seq: number;
  readonly body: string;
  /** Send time, ms after the queue's start time (a small integer is stored unboxed). */
  readonly sent: number;
  /** Bytes counted against the 6 MB invocation payload. */
  readonly size: number;
  /** Undefined for a plain standard-queue message. */
  readonly extra: MessageExtra | undefined;
  state: MessageState;
  receiveCount: number;
  /** ms after the queue's start time; -1 before the first receive. */
  firstReceive: number;
  received: number;
  /**
   * The receipt number of the last record built for it (0: none yet). The dead-letter queue's
   * `lastRecord` is rebuilt from it rather than each queued message keeping its last record.
   */
  lastReceipt: number;
  /** The simulator's ledger entry. */
  item: MutableItem | undefined;
}

/** The message group of a FIFO message. */
export function groupOf(m: QueuedMessage): string | undefined {
  return m.extra?.group;
}

/** A FIFO message group: its messages in order, from `head` (a moving head, as shift() is O(n)). */
interface Group {
  queue: QueuedMessage[];
  head: number;
  inflight: number;
}

function groupSize(g: Group): number {
  return g.queue.length - g.head;
}

/** What the queue tells its owner. */
export interface SqsQueueEvents {
  /** A message became visible (a poll may find it). */
  visible(): void;
  /** A message left the queue for good: deleted after success, expired, or dead-lettered. */
  left(message: QueuedMessage, status: ItemStatus): void;
}

const SEQUENCE_BASE = 18_849_496_460_467_696_128n;
const DEDUP_WINDOW_MS = 300_000;

/** A simulated SQS queue (standard or FIFO) on a virtual clock. */
export class SqsQueue {
  readonly deadLetterQueue: SqsDeadLetteredMessage[] = [];
  /**
   * The event source mapping's filter (FilterCriteria): a message it rejects is deleted at receive
   * time without an invocation and leaves with status `filtered`. Undefined: every message passes.
   */
  accepts: ((message: QueuedMessage) => boolean) | undefined;
  private readonly template: SQSRecord;
  /** Standard queue: visible messages in order, consumed from `readyHead`. */
  private ready: QueuedMessage[] = [];
  private readyHead = 0;
  private readonly groups = new Map<string, Group>();
  private readonly dedup = new Map<string, { id: string; at: number }>();
  private seq = 0;
  private readonly receiptBytes: Buffer;
  private receiptCounter = 0;

  constructor(
    private readonly settings: SqsQueueSettings,
    private readonly scheduler: Scheduler,
    private readonly events: SqsQueueEvents,
    private readonly messageIds: Random,
    receipts: Random,
  ) {
    // Template record from the event generators: queue ARN, region, sender id, key order.
    this.template = sqsRecord({
      seed: settings.seed,
      queueName: settings.queueName,
      fifo: settings.fifo,
      region: settings.region,
      accountId: settings.accountId,
      time: settings.startTime,
      body: '',
      ...(settings.fifo ? { messageGroupId: 'g' } : {}),
    });
    // Receipt handles: a seeded random block with a per-receive counter stamped in, base64-encoded.
    this.receiptBytes = Buffer.from(receipts.base64Chars(172), 'base64');
  }

  /**
   * SendMessage at virtual time `at`: returns the new message (not yet in the queue: call
   * `enqueue`), or the id of the message it duplicates (FIFO, same deduplication id within 5
   * minutes: accepted but not delivered).
   */
  accept(input: SqsMessageToSend, at: number): QueuedMessage | string {
    const s = this.settings;
    let dedupId: string | undefined;
    if (s.fifo) {
      dedupId =
        input.messageDeduplicationId ??
        (s.contentBasedDeduplication ? hash('sha256', input.body, 'hex') : undefined);
      const previous = dedupId === undefined ? undefined : this.dedup.get(dedupId);
      if (previous !== undefined && at - previous.at < DEDUP_WINDOW_MS) return previous.id;
    }
    const n = this.seq++;
    const id = input.messageId ?? this.messageIds.uuid();
    if (dedupId !== undefined) this.rememberDedup(dedupId, id, at);
    let custom: SQSRecord | undefined;
    if (input.messageAttributes !== undefined) {
      // Attributes need the generator's conversion and md5OfMessageAttributes.
      custom = sqsRecord({
        seed: s.seed,
        index: n,
        queueName: s.queueName,
        fifo: s.fifo,
        region: s.region,
        accountId: s.accountId,
        time: at,
        body: input.body,
        messageId: id,
        messageAttributes: input.messageAttributes as never,
        ...(input.messageGroupId !== undefined ? { messageGroupId: input.messageGroupId } : {}),
        ...(input.senderId !== undefined ? { senderId: input.senderId } : {}),
        ...(input.traceHeader !== undefined ? { traceHeader: input.traceHeader } : {}),
      });
    }
    const group = s.fifo ? input.messageGroupId : undefined;
    const plain =
      group === undefined &&
      dedupId === undefined &&
      input.senderId === undefined &&
      input.traceHeader === undefined &&
      custom === undefined;
    return {
      id,
      seq: n,
      body: input.body,
      sent: at - s.startTime,
      size: Buffer.byteLength(input.body, 'utf8') + 600,
      extra: plain
        ? undefined
        : { group, dedupId, senderId: input.senderId, traceHeader: input.traceHeader, custom },
      state: 'delayed',
      receiveCount: 0,
      firstReceive: -1,
      received: 0,
      lastReceipt: 0,
      item: undefined,
    };
  }

  /** Puts an accepted message in the queue, visible at `visibleAt` (its send time plus delay). */
  enqueue(m: QueuedMessage, visibleAt: number): void {
    const group = groupOf(m);
    if (group !== undefined) {
      let g = this.groups.get(group);
      if (!g) {
        g = { queue: [], head: 0, inflight: 0 };
        this.groups.set(group, g);
      }
      g.queue.push(m);
    }
    if (visibleAt <= this.scheduler.now) this.makeVisible(m);
    else this.scheduler.at(visibleAt, () => this.makeVisible(m));
  }

  /**
   * Messages a receive could return now (FIFO: heads of groups with no batch in flight), counted
   * up to `atMost`: a poll only needs to know whether a full batch is there, and counting a long
   * FIFO group to the end on every poll would make a run quadratic.
   */
  available(atMost = Number.POSITIVE_INFINITY): number {
    if (!this.settings.fifo) return Math.min(atMost, this.ready.length - this.readyHead);
    let n = 0;
    for (const g of this.groups.values()) {
      if (g.inflight > 0) continue;
      for (let i = g.head; i < g.queue.length; i++) {
        if ((g.queue[i] as QueuedMessage).state !== 'visible' || n >= atMost) break;
        n++;
      }
      if (n >= atMost) break;
    }
    return n;
  }

  /**
   * ReceiveMessage: up to `max` visible messages within `maxBytes` (the first always fits), each
   * made in flight with its receive count raised. Messages past retention or past the redrive
   * policy's maxReceiveCount leave the queue instead of being returned.
   */
  receive(max: number, maxBytes: number): QueuedMessage[] {
    const batch = this.settings.fifo ? this.takeFifo(max, maxBytes) : this.takeStandard(max, maxBytes);
    const now = this.scheduler.now - this.settings.startTime;
    for (const m of batch) {
      m.state = 'inflight';
      m.receiveCount++;
      if (m.firstReceive === -1) m.firstReceive = now;
      m.received = now;
    }
    return batch;
  }

  /** The record of a message as received now (a fresh receipt handle each time). */
  record(m: QueuedMessage): SQSRecord {
    m.lastReceipt = ++this.receiptCounter;
    return this.build(m, m.lastReceipt);
  }

  /** The record of a message with receipt number `receipt`, from what the message holds now. */
  private build(m: QueuedMessage, receipt: number): SQSRecord {
    const x = m.extra;
    const attributes: SQSRecord['attributes'] = {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(this.settings.startTime + m.sent),
      SenderId: x?.senderId ?? this.template.attributes.SenderId,
      ApproximateFirstReceiveTimestamp: String(
        m.firstReceive === -1 ? undefined : this.settings.startTime + m.firstReceive,
      ),
    };
    if (x?.traceHeader !== undefined) attributes.AWSTraceHeader = x.traceHeader;
    if (this.settings.fifo) {
      attributes.SequenceNumber = (SEQUENCE_BASE + BigInt(m.seq) * 1000n).toString();
      attributes.MessageGroupId = x?.group as string;
      attributes.MessageDeduplicationId = x?.dedupId as string;
    }
    // The MD5 is computed per receive rather than kept: most messages are received once.
    const base: SQSRecord = x?.custom ?? {
      ...this.template,
      messageId: m.id,
      body: m.body,
      md5OfBody: hash('md5', m.body, 'hex'),
      messageAttributes: {},
    };
    return { ...base, receiptHandle: this.receiptHandle(receipt), attributes };
  }

  /** Ends a receive: the message's group may deliver again (FIFO). */
  endReceive(m: QueuedMessage): void {
    const group = groupOf(m);
    if (group === undefined) return;
    const g = this.groups.get(group);
    if (g) g.inflight--;
  }

  /** DeleteMessage after the function processed it. */
  delete(m: QueuedMessage): void {
    this.leave(m, 'succeeded');
  }

  /** The visibility timeout runs out on a message that was not deleted: visible again then. */
  returnAfterVisibilityTimeout(m: QueuedMessage): void {
    m.state = 'waiting';
    const at = Math.max(
      this.settings.startTime + m.received + this.settings.visibilityTimeoutMs,
      this.scheduler.now,
    );
    this.scheduler.at(at, () => this.makeVisible(m));
  }

  private makeVisible(m: QueuedMessage): void {
    if (m.state === 'done') return;
    m.state = 'visible';
    if (!this.settings.fifo) this.ready.push(m);
    this.events.visible();
  }

  private leave(m: QueuedMessage, status: ItemStatus): void {
    m.state = 'done';
    const group = groupOf(m);
    if (group !== undefined) {
      const g = this.groups.get(group);
      if (g) {
        // A group is served in order, so the message is nearly always at the head.
        if (g.queue[g.head] === m) {
          g.head++;
          if (g.head > 256 && g.head * 2 > g.queue.length) {
            g.queue = g.queue.slice(g.head);
            g.head = 0;
          }
        } else {
          const i = g.queue.indexOf(m, g.head);
          if (i >= 0) g.queue.splice(i, 1);
        }
        if (groupSize(g) === 0 && g.inflight === 0) this.groups.delete(group);
      }
    }
    this.events.left(m, status);
  }

  /** Checks retention, redrive and the mapping's filter before a receive; false when the message left the queue. */
  private receivable(m: QueuedMessage): boolean {
    const s = this.settings;
    const now = this.scheduler.now;
    if (now - (s.startTime + m.sent) >= s.retentionMs) {
      this.leave(m, 'expired');
      return false;
    }
    if (
      s.maxReceiveCount !== undefined &&
      s.deadLetterArn !== undefined &&
      m.receiveCount >= s.maxReceiveCount
    ) {
      this.deadLetterQueue.push({
        messageId: m.id,
        arn: s.deadLetterArn,
        body: m.body,
        receiveCount: m.receiveCount,
        movedAt: now,
        // Receive count and first receive are as they were at the last receive: the same record.
        lastRecord: m.lastReceipt === 0 ? undefined : this.build(m, m.lastReceipt),
      });
      this.leave(m, 'dead-lettered');
      return false;
    }
    if (this.accepts !== undefined && !this.accepts(m)) {
      this.leave(m, 'filtered');
      return false;
    }
    return true;
  }

  private takeStandard(max: number, maxBytes: number): QueuedMessage[] {
    const batch: QueuedMessage[] = [];
    let bytes = 0;
    while (batch.length < max && this.readyHead < this.ready.length) {
      const m = this.ready[this.readyHead] as QueuedMessage;
      if (m.state !== 'visible') {
        this.readyHead++;
        continue;
      }
      if (batch.length > 0 && bytes + m.size > maxBytes) break;
      this.readyHead++;
      if (!this.receivable(m)) continue;
      batch.push(m);
      bytes += m.size;
    }
    // Drop the consumed prefix now and then, so the array does not hold finished messages.
    if (this.readyHead > 256 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    return batch;
  }

  /** FIFO: oldest groups first, one in-flight batch per group, in order within a group. */
  private takeFifo(max: number, maxBytes: number): QueuedMessage[] {
    const batch: QueuedMessage[] = [];
    let bytes = 0;
    const eligible = [...this.groups.values()]
      .filter((g) => g.inflight === 0 && groupSize(g) > 0 && g.queue[g.head]?.state === 'visible')
      .sort((a, b) => (a.queue[a.head] as QueuedMessage).seq - (b.queue[b.head] as QueuedMessage).seq);
    for (const g of eligible) {
      if (batch.length >= max) break;
      let taken = 0;
      while (batch.length < max) {
        let m: QueuedMessage | undefined;
        for (let i = g.head; i < g.queue.length && m === undefined; i++) {
          const x = g.queue[i] as QueuedMessage;
          if (x.state !== 'inflight') m = x;
        }
        if (m === undefined || m.state !== 'visible') break;
        if (batch.length > 0 && bytes + m.size > maxBytes) break;
        if (!this.receivable(m)) continue;
        m.state = 'inflight';
        batch.push(m);
        bytes += m.size;
        taken++;
      }
      if (taken > 0) g.inflight += taken;
    }
    return batch;
  }

  /** Deduplication ids live 5 minutes; older ones are swept as new ones arrive. */
  private rememberDedup(dedupId: string, id: string, at: number): void {
    this.dedup.delete(dedupId);
    this.dedup.set(dedupId, { id, at });
    // Insertion order is roughly time order: sweep from the oldest while they are out of the
    // window for any send from now on (sends are never earlier than now).
    const now = this.scheduler.now;
    for (const [key, entry] of this.dedup) {
      if (now - entry.at < DEDUP_WINDOW_MS) break;
      this.dedup.delete(key);
    }
  }

  private receiptHandle(receipt: number): string {
    this.receiptBytes.writeUInt32BE(receipt >>> 0, 0);
    this.receiptBytes.writeUInt32BE(Math.floor(receipt / 2 ** 32), 4);
    return `AQEB${this.receiptBytes.toString('base64')}`;
  }
}
