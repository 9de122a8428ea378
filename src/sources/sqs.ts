/**
 * The SQS event source mapping: a simulated queue (standard or FIFO) polled in batches, with
 * visibility timeouts, ApproximateReceiveCount, redrive to a dead-letter queue after
 * maxReceiveCount, ReportBatchItemFailures, batching windows, maximum concurrency and FIFO
 * message-group blocking.
 */
import { hash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { HarnessError } from '../errors/index.js';
import { type SqsMessageInput, sqsRecord } from '../events/index.js';
import type { Random } from '../random/index.js';
import { readBatchResponse } from './batch-response.js';
import {
  arnOption,
  boolOption,
  configError,
  intOption,
  objectOption,
  responseTypesOption,
  stringOption,
  timeOption,
} from './config.js';
import {
  type Invocation,
  type MutableItem,
  resultError,
  SIMULATION_KEYS,
  SimulationCore,
  type SimulationOptions,
} from './core.js';
import { compileFilterCriteria, type FilterCriteria, sqsFilterView } from './filter.js';
import type { AttemptOutcome, ItemStatus, SimulatorReadSide } from './types.js';

/**
 * The source queue's attributes (as in SQS CreateQueue).
 *
 * @example
 * const queue: SqsQueueOptions = { QueueName: 'orders', VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 5 } };
 */
export interface SqsQueueOptions {
  /** Default `test-queue` (`test-queue.fifo` for FIFO). FIFO names end in `.fifo`. */
  readonly QueueName?: string;
  /** Default: true when QueueName ends in `.fifo`. */
  readonly FifoQueue?: boolean;
  /** Seconds, 0-43200, default 30. */
  readonly VisibilityTimeout?: number;
  /** Seconds, 60-1209600, default 345600 (4 days). */
  readonly MessageRetentionPeriod?: number;
  /** Seconds, 0-900, default 0. */
  readonly DelaySeconds?: number;
  /** Redrive to a dead-letter queue after maxReceiveCount receives (1-1000). */
  readonly RedrivePolicy?: { readonly maxReceiveCount: number; readonly deadLetterTargetArn?: string };
  /**
   * FIFO only: deduplicate by the SHA-256 of the body when a message has no MessageDeduplicationId.
   * Default true here (SQS defaults to false and then requires an explicit id on every message).
   */
  readonly ContentBasedDeduplication?: boolean;
}

/**
 * An SQS event source mapping and its queue. Mapping settings are named as in
 * CreateEventSourceMapping.
 *
 * @example
 * const options: SqsEventSourceOptions = {
 *   target: fn,
 *   Queue: { VisibilityTimeout: 30, RedrivePolicy: { maxReceiveCount: 3 } },
 *   BatchSize: 10,
 *   FunctionResponseTypes: ['ReportBatchItemFailures'],
 * };
 */
export interface SqsEventSourceOptions extends SimulationOptions {
  readonly Queue?: SqsQueueOptions;
  /** 1-10000 (standard) or 1-10 (FIFO), default 10. Above 10 needs MaximumBatchingWindowInSeconds >= 1. */
  readonly BatchSize?: number;
  /** 0-300, default 0. Standard queues only. */
  readonly MaximumBatchingWindowInSeconds?: number;
  /** `['ReportBatchItemFailures']` to honour partial batch responses. */
  readonly FunctionResponseTypes?: readonly 'ReportBatchItemFailures'[];
  /** Maximum concurrent batches (2-1000); default up to 1000, ramping from 5 by 300 a minute. */
  readonly ScalingConfig?: { readonly MaximumConcurrency?: number };
  /** Event filtering: messages matching none of the (at most 5) patterns are deleted without an invocation (status `filtered`). */
  readonly FilterCriteria?: FilterCriteria;
}

/**
 * A message to send: the generator's message input (body, attributes, FIFO group ...) plus delay.
 *
 * @example
 * const msg: SqsSendInput = { body: { orderId: 'o-1' }, messageGroupId: 'customer-1', delaySeconds: 5 };
 */
export interface SqsSendInput extends Omit<SqsMessageInput, 'receiveCount'> {
  /** Per-message delay, 0-900 s (standard queues). */
  readonly delaySeconds?: number;
  /** Send at this virtual time instead of now (epoch ms, ISO string or Date). */
  readonly at?: number | string | Date;
}

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

/**
 * A simulated SQS queue with its Lambda event source mapping.
 *
 * @example
 * const sim = createSqsEventSource({ target: fn, Queue: { RedrivePolicy: { maxReceiveCount: 3 } } });
 * const id = sim.send({ body: 'hello' });
 * await sim.run();
 * sim.history(id).attempts.map((a) => a.receiveCount); // [1, 2, 3] when the handler always throws
 * sim.deadLetterQueue.map((m) => m.messageId); // [id]
 */
export interface SqsEventSourceSimulator extends SimulatorReadSide {
  /** SendMessage: returns the message id. A string or non-object body may be passed directly. */
  send(message: SqsSendInput | string): string;
  /** SendMessage for each input; returns the message ids in order. */
  sendBatch(messages: readonly (SqsSendInput | string)[]): string[];
  readonly deadLetterQueue: readonly SqsDeadLetteredMessage[];
  readonly queueArn: string;
}

const QUEUE_KEYS = [
  'QueueName',
  'FifoQueue',
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'RedrivePolicy',
  'ContentBasedDeduplication',
];
const KEYS = [
  ...SIMULATION_KEYS,
  'Queue',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'FunctionResponseTypes',
  'ScalingConfig',
  'FilterCriteria',
];
const SEND_KEYS = [
  'body',
  'messageAttributes',
  'messageGroupId',
  'messageDeduplicationId',
  'messageId',
  'senderId',
  'traceHeader',
  'delaySeconds',
  'at',
];
const WHERE = 'createSqsEventSource options';
const MAX_BATCH_BYTES = 6 * 1024 * 1024;

type MsgState = 'delayed' | 'visible' | 'inflight' | 'waiting' | 'done';

interface Msg {
  readonly id: string;
  readonly seq: number;
  readonly base: SQSRecord;
  readonly group: string | undefined;
  readonly sentAt: number;
  readonly size: number;
  state: MsgState;
  receiveCount: number;
  firstReceiveAt: number | undefined;
  receivedAt: number;
  lastRecord: SQSRecord | undefined;
  item: MutableItem | undefined;
}

interface Group {
  readonly id: string;
  readonly queue: Msg[];
  inflight: number;
}

function md5(s: string): string {
  return hash('md5', s, 'hex');
}

/**
 * Creates a simulated SQS queue with a Lambda event source mapping. Throws HarnessError
 * INVALID_CONFIGURATION for settings Lambda or SQS rejects (batch size over the limit, a batch
 * size above 10 without a batching window, FIFO batch above 10, values out of range, unknown keys).
 *
 * @example
 * import { createFunction, createSqsEventSource } from 'lambda-harness';
 * const fn = createFunction({ handler: () => import('./worker.js'), timeout: 10 });
 * const sim = createSqsEventSource({
 *   target: fn,
 *   Queue: { VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 3 } },
 *   FunctionResponseTypes: ['ReportBatchItemFailures'],
 * });
 * sim.sendBatch([{ body: { id: 1 } }, { body: { id: 2 } }]);
 * const summary = await sim.run();
 * summary.byStatus.succeeded; // 2
 */
export function createSqsEventSource(options: SqsEventSourceOptions): SqsEventSourceSimulator {
  if (options === undefined) throw configError(WHERE, '', 'expected an object with a target');
  const o = objectOption(options, KEYS, WHERE, '');
  const core = new SimulationCore(o, WHERE);
  const q = objectOption(o.Queue, QUEUE_KEYS, WHERE, 'Queue');
  const nameIn = stringOption(
    q,
    'QueueName',
    /^[\w-]{1,75}(\.fifo)?$/,
    'a queue name of 1-80 letters, digits, - and _',
    WHERE,
    'Queue.',
  );
  const fifo = boolOption(q, 'FifoQueue', nameIn?.endsWith('.fifo') ?? false, WHERE, 'Queue.');
  const queueName = nameIn ?? (fifo ? 'test-queue.fifo' : 'test-queue');
  if (fifo !== queueName.endsWith('.fifo')) {
    throw configError(
      WHERE,
      'Queue.QueueName',
      `"${queueName}": FIFO queue names, and only they, end in ".fifo"`,
    );
  }
  const vtMs = intOption(q, 'VisibilityTimeout', 0, 43_200, 30, WHERE, 'Queue.') * 1000;
  const retentionMs = intOption(q, 'MessageRetentionPeriod', 60, 1_209_600, 345_600, WHERE, 'Queue.') * 1000;
  const queueDelay = intOption(q, 'DelaySeconds', 0, 900, 0, WHERE, 'Queue.');
  const redrive =
    q.RedrivePolicy === undefined
      ? undefined
      : objectOption(
          q.RedrivePolicy,
          ['maxReceiveCount', 'deadLetterTargetArn'],
          WHERE,
          'Queue.RedrivePolicy',
        );
  if (redrive && redrive.maxReceiveCount === undefined) {
    throw configError(WHERE, 'Queue.RedrivePolicy.maxReceiveCount', 'required (1-1000)');
  }
  const maxReceiveCount = redrive
    ? intOption(redrive, 'maxReceiveCount', 1, 1000, 1, WHERE, 'Queue.RedrivePolicy.')
    : undefined;
  const arnPrefix = `arn:aws:sqs:${core.region}:${core.accountId}:`;
  const queueArn = arnPrefix + queueName;
  const dlqArn = redrive
    ? (arnOption(redrive.deadLetterTargetArn, ['sqs'], WHERE, 'Queue.RedrivePolicy.deadLetterTargetArn') ??
      `${arnPrefix}${queueName.replace(/\.fifo$/, '')}-dlq${fifo ? '.fifo' : ''}`)
    : undefined;

  const batchSize = intOption(o, 'BatchSize', 1, fifo ? 10 : 10_000, 10, WHERE);
  const windowS = intOption(o, 'MaximumBatchingWindowInSeconds', 0, 300, 0, WHERE);
  if (fifo && windowS > 0) {
    throw configError(
      WHERE,
      'MaximumBatchingWindowInSeconds',
      'batching windows are not supported for FIFO queues',
    );
  }
  if (batchSize > 10 && windowS < 1) {
    throw configError(
      WHERE,
      'BatchSize',
      `${batchSize} requires MaximumBatchingWindowInSeconds >= 1`,
      'Lambda accepts a batch size above 10 for standard queues only with a batching window of at least 1 second.',
    );
  }
  const reportFailures = responseTypesOption(o, WHERE);
  const filter = compileFilterCriteria(o.FilterCriteria, WHERE);
  const scaling = objectOption(o.ScalingConfig, ['MaximumConcurrency'], WHERE, 'ScalingConfig');
  const maxConcurrency = intOption(scaling, 'MaximumConcurrency', 2, 1000, 1000, WHERE, 'ScalingConfig.');
  const timeoutS = core.target.timeoutSeconds;
  if (timeoutS !== undefined && vtMs < timeoutS * 1000) {
    throw configError(
      WHERE,
      'Queue.VisibilityTimeout',
      `${vtMs / 1000} s is less than the function timeout (${timeoutS} s)`,
      'Lambda rejects an SQS trigger whose queue visibility timeout is shorter than the function timeout.',
    );
  }
  const windowMs = windowS * 1000;
  const contentDedup = boolOption(q, 'ContentBasedDeduplication', true, WHERE, 'Queue.');
  if (!fifo && q.ContentBasedDeduplication !== undefined) {
    throw configError(
      WHERE,
      'Queue.ContentBasedDeduplication',
      'only FIFO queues have ContentBasedDeduplication',
    );
  }
  const dedup = new Map<string, { id: string; at: number }>();
  const effectiveVtMs =
    timeoutS !== undefined && windowMs + timeoutS * 1000 > vtMs ? windowMs + timeoutS * 1000 + 30_000 : vtMs;

  // Template record from the event generators: queue ARN, region, sender id, key order.
  const template = sqsRecord({
    seed: core.rng.seed,
    queueName,
    fifo,
    region: core.region,
    accountId: core.accountId,
    time: core.startTime,
    body: '',
    ...(fifo ? { messageGroupId: 'g' } : {}),
  });
  const msgIds: Random = core.rng.fork('message-ids');
  // Receipt handles: a seeded random block with a per-receive counter stamped in, base64-encoded.
  const receiptBytes = Buffer.from(core.rng.fork('receipts').base64Chars(172), 'base64');
  let receiptCounter = 0;
  const receiptHandle = (): string => {
    receiptCounter++;
    receiptBytes.writeUInt32BE(receiptCounter >>> 0, 0);
    receiptBytes.writeUInt32BE(Math.floor(receiptCounter / 2 ** 32), 4);
    return `AQEB${receiptBytes.toString('base64')}`;
  };
  const seqBase = 18_849_496_460_467_696_128n;
  let ready: Msg[] = []; // standard queue: visible messages in order
  let readyHead = 0;
  const groups = new Map<string, Group>();
  let seq = 0;
  let batchesInFlight = 0;
  let firstSendAt: number | undefined;
  let windowStart: number | undefined;
  let pollAt: number | undefined;
  const deadLetterQueue: SqsDeadLetteredMessage[] = [];

  const requestPoll = (at: number): void => {
    if (pollAt !== undefined && pollAt <= at && pollAt >= core.now) return;
    pollAt = at;
    core.scheduler.at(at, () => {
      if (pollAt === at) pollAt = undefined;
      return poll();
    });
  };

  const concurrencyLimit = (): number => {
    const ramp = 5 + Math.floor(((core.now - (firstSendAt ?? core.now)) / 60_000) * 300);
    return Math.min(maxConcurrency, ramp);
  };

  const makeVisible = (m: Msg): void => {
    if (m.state === 'done') return;
    m.state = 'visible';
    if (!fifo) ready.push(m);
    requestPoll(core.now);
  };

  const settle = (m: Msg, status: ItemStatus): void => {
    m.state = 'done';
    core.settle(m.item ?? m.id, status);
    if (m.group !== undefined) {
      const g = groups.get(m.group);
      if (g) {
        const i = g.queue.indexOf(m);
        if (i >= 0) g.queue.splice(i, 1);
      }
    }
  };

  /** Checks retention, redrive and the mapping's filter before a receive; false when the message left the queue. */
  const receivable = (m: Msg): boolean => {
    if (core.now - m.sentAt >= retentionMs) {
      settle(m, 'expired');
      return false;
    }
    if (maxReceiveCount !== undefined && dlqArn !== undefined && m.receiveCount >= maxReceiveCount) {
      deadLetterQueue.push({
        messageId: m.id,
        arn: dlqArn,
        body: m.base.body,
        receiveCount: m.receiveCount,
        movedAt: core.now,
        lastRecord: m.lastRecord,
      });
      settle(m, 'dead-lettered');
      return false;
    }
    if (filter && !filter.matches(sqsFilterView(m.base))) {
      settle(m, 'filtered');
      return false;
    }
    return true;
  };

  const availableCount = (): number => {
    if (!fifo) return ready.length - readyHead;
    let n = 0;
    for (const g of groups.values()) {
      if (g.inflight > 0) continue;
      for (const m of g.queue) {
        if (m.state !== 'visible') break;
        n++;
      }
    }
    return n;
  };

  const takeBatch = (): Msg[] => {
    const batch: Msg[] = [];
    let bytes = 0;
    if (!fifo) {
      while (batch.length < batchSize && readyHead < ready.length) {
        const m = ready[readyHead] as Msg;
        if (m.state !== 'visible') {
          readyHead++;
          continue;
        }
        if (batch.length > 0 && bytes + m.size > MAX_BATCH_BYTES) break;
        readyHead++;
        if (!receivable(m)) continue;
        batch.push(m);
        bytes += m.size;
      }
      if (readyHead > 4096 && readyHead * 2 > ready.length) {
        ready = ready.slice(readyHead);
        readyHead = 0;
      }
      return batch;
    }
    // FIFO: oldest groups first, one in-flight batch per group, in order within a group.
    const eligible = [...groups.values()]
      .filter((g) => g.inflight === 0 && g.queue.length > 0 && g.queue[0]?.state === 'visible')
      .sort((a, b) => (a.queue[0] as Msg).seq - (b.queue[0] as Msg).seq);
    for (const g of eligible) {
      if (batch.length >= batchSize) break;
      let taken = 0;
      while (batch.length < batchSize) {
        const m = g.queue.find((x) => x.state !== 'inflight');
        if (m === undefined || m.state !== 'visible') break;
        if (batch.length > 0 && bytes + m.size > MAX_BATCH_BYTES) break;
        if (!receivable(m)) continue;
        m.state = 'inflight';
        batch.push(m);
        bytes += m.size;
        taken++;
      }
      if (taken > 0) g.inflight += taken;
    }
    return batch;
  };

  const recordFor = (m: Msg): SQSRecord => {
    const a = m.base.attributes;
    const attributes: SQSRecord['attributes'] = {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: a.SentTimestamp,
      SenderId: a.SenderId,
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
    };
    if (a.AWSTraceHeader !== undefined) attributes.AWSTraceHeader = a.AWSTraceHeader;
    if (fifo) {
      attributes.SequenceNumber = a.SequenceNumber as string;
      attributes.MessageGroupId = a.MessageGroupId as string;
      attributes.MessageDeduplicationId = a.MessageDeduplicationId as string;
    }
    return { ...m.base, receiptHandle: receiptHandle(), attributes };
  };

  const returnToQueue = (m: Msg): void => {
    m.state = 'waiting';
    const at = Math.max(m.receivedAt + effectiveVtMs, core.now);
    core.scheduler.at(at, () => makeVisible(m));
  };

  const deliver = async (batch: Msg[]): Promise<void> => {
    const Records: SQSRecord[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i] as Msg;
      m.state = 'inflight';
      m.receiveCount++;
      m.firstReceiveAt ??= core.now;
      m.receivedAt = core.now;
      const r = recordFor(m);
      m.lastRecord = r;
      Records[i] = r;
    }
    const ids = batch.map((m) => m.id);
    const event: SQSEvent = { Records };
    batchesInFlight++;
    const inv = await core.invoke(event, ids);
    core.scheduler.at(inv.endedAt, () => complete(batch, inv));
  };

  const complete = (batch: Msg[], inv: Invocation): void => {
    core.release(inv);
    batchesInFlight--;
    const r = inv.result;
    let failed: ReadonlySet<string> | 'all';
    let batchOutcome: AttemptOutcome = r.outcome === 'success' ? 'success' : r.outcome;
    let error = resultError(r);
    if (r.outcome === 'success') {
      const reading = reportFailures
        ? readBatchResponse(r.response, new Set(batch.map((m) => m.id)), true)
        : ({ kind: 'success' } as const);
      if (reading.kind === 'success') failed = new Set();
      else if (reading.kind === 'partial') failed = new Set(reading.failed);
      else {
        failed = 'all';
        batchOutcome = 'invalid-response';
        error = { errorType: 'InvalidBatchItemFailuresResponse', errorMessage: reading.reason };
      }
    } else failed = 'all';
    for (const m of batch) {
      const itemFailed = failed === 'all' || failed.has(m.id);
      core.recordAttempt(m.item ?? m.id, {
        invocation: inv.invocation,
        requestId: inv.requestId,
        startedAt: inv.startedAt,
        endedAt: inv.endedAt,
        batchSize: batch.length,
        outcome: failed === 'all' ? batchOutcome : itemFailed ? 'item-failure' : 'success',
        error: itemFailed ? error : undefined,
        receiveCount: m.receiveCount,
      });
      if (m.group !== undefined) {
        const g = groups.get(m.group);
        if (g) g.inflight--;
      }
      if (itemFailed) returnToQueue(m);
      else settle(m, 'succeeded');
    }
    requestPoll(core.now);
  };

  const poll = async (): Promise<void> => {
    while (batchesInFlight < concurrencyLimit()) {
      const available = availableCount();
      if (available === 0) {
        windowStart = undefined;
        return;
      }
      if (windowMs > 0 && available < batchSize) {
        windowStart ??= core.now;
        if (core.now < windowStart + windowMs) {
          requestPoll(windowStart + windowMs);
          return;
        }
      }
      windowStart = undefined;
      const batch = takeBatch();
      if (batch.length === 0) continue;
      await deliver(batch);
    }
    if (concurrencyLimit() < maxConcurrency && availableCount() > 0) {
      // Concurrency is still ramping up (300 more a minute): look again when the next slot opens.
      requestPoll(core.now + 60_000 / 300);
    }
  };

  const send = (input: SqsSendInput | string): string => {
    const where = 'sim.send';
    const msg: SqsSendInput =
      typeof input === 'string'
        ? { body: input }
        : (objectOption(input, SEND_KEYS, where, '') as SqsSendInput);
    const at = Math.max(timeOption(msg.at, where, 'at') ?? core.sendTime(), core.now);
    const delay = intOption(msg as Record<string, unknown>, 'delaySeconds', 0, 900, queueDelay, where);
    if (fifo && msg.delaySeconds !== undefined) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${where}.delaySeconds: FIFO queues support only the queue-level DelaySeconds`,
        {
          path: 'delaySeconds',
        },
      );
    }
    if (fifo && (typeof msg.messageGroupId !== 'string' || msg.messageGroupId.length === 0)) {
      throw new HarnessError('INVALID_OPTIONS', `${where}.messageGroupId: required for a FIFO queue`, {
        path: 'messageGroupId',
        hint: "SQS rejects FIFO messages without a MessageGroupId, e.g. send({ body, messageGroupId: 'customer-1' }).",
      });
    }
    const body =
      typeof msg.body === 'string' ? msg.body : msg.body === undefined ? '' : JSON.stringify(msg.body);
    if (body.length === 0) {
      throw new HarnessError('INVALID_OPTIONS', `${where}.body: SQS messages need a non-empty body`, {
        path: 'body',
      });
    }
    let dedupId: string | undefined;
    if (fifo) {
      dedupId = msg.messageDeduplicationId ?? (contentDedup ? hash('sha256', body, 'hex') : undefined);
      if (dedupId === undefined) {
        throw new HarnessError('INVALID_OPTIONS', `${where}.messageDeduplicationId: required`, {
          path: 'messageDeduplicationId',
          hint: 'The queue has ContentBasedDeduplication off, so every FIFO message needs a MessageDeduplicationId.',
        });
      }
      // Within 5 minutes, a message with the same deduplication id is accepted but not delivered.
      const previous = dedup.get(dedupId);
      if (previous !== undefined && at - previous.at < 300_000) return previous.id;
    }
    const n = seq++;
    const id = msg.messageId ?? msgIds.uuid();
    if (dedupId !== undefined) dedup.set(dedupId, { id, at });
    let base: SQSRecord;
    if (msg.messageAttributes !== undefined) {
      // Attributes need the generator's conversion and md5OfMessageAttributes.
      base = sqsRecord({
        seed: core.rng.seed,
        index: n,
        queueName,
        fifo,
        region: core.region,
        accountId: core.accountId,
        time: at,
        body,
        messageId: id,
        messageAttributes: msg.messageAttributes,
        ...(msg.messageGroupId !== undefined ? { messageGroupId: msg.messageGroupId } : {}),
        ...(msg.senderId !== undefined ? { senderId: msg.senderId } : {}),
        ...(msg.traceHeader !== undefined ? { traceHeader: msg.traceHeader } : {}),
      });
    } else {
      base = { ...template, messageId: id, body, md5OfBody: md5(body), messageAttributes: {} };
    }
    const attributes: SQSRecord['attributes'] = {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(at),
      SenderId: msg.senderId ?? template.attributes.SenderId,
      ApproximateFirstReceiveTimestamp: String(at),
    };
    if (msg.traceHeader !== undefined) attributes.AWSTraceHeader = msg.traceHeader;
    if (fifo) {
      attributes.SequenceNumber = (seqBase + BigInt(n) * 1000n).toString();
      attributes.MessageGroupId = msg.messageGroupId as string;
      attributes.MessageDeduplicationId = dedupId as string;
    }
    base.attributes = attributes;
    const m: Msg = {
      id,
      seq: n,
      base,
      group: fifo ? msg.messageGroupId : undefined,
      sentAt: at,
      size: Buffer.byteLength(body, 'utf8') + 600,
      state: 'delayed',
      receiveCount: 0,
      firstReceiveAt: undefined,
      receivedAt: 0,
      lastRecord: undefined,
      item: undefined,
    };
    m.item = core.addItem(
      id,
      at,
      fifo ? { messageGroupId: m.group as string } : undefined,
      msg.messageId !== undefined,
    );
    if (m.group !== undefined) {
      let g = groups.get(m.group);
      if (!g) {
        g = { id: m.group, queue: [], inflight: 0 };
        groups.set(m.group, g);
      }
      g.queue.push(m);
    }
    firstSendAt ??= at;
    if (delay === 0 && at === core.now) makeVisible(m);
    else core.scheduler.at(at + delay * 1000, () => makeVisible(m));
    return id;
  };

  return {
    send,
    sendBatch: (list) => list.map(send),
    run: (runOptions) => core.run(runOptions, 'sqsEventSource'),
    accounting: () => core.accounting(),
    history: (id) => core.history(id, 'sqsEventSource'),
    histories: () => core.histories(),
    ids: (status) => core.idsWithStatus(status),
    invocations: core.invocations,
    deadLetterQueue,
    queueArn,
    get now() {
      return core.now;
    },
  };
}
