/**
 * The SQS event source mapping: Lambda's poller over a simulated queue (sqs-queue.ts). It polls
 * batches (BatchSize, the 6 MB payload limit, MaximumBatchingWindowInSeconds), runs up to the
 * maximum concurrency of batches (ramping as Lambda does), invokes the function and then deletes
 * what succeeded, honouring ReportBatchItemFailures; the rest returns to the queue when its
 * visibility timeout runs out.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { HarnessError } from '../errors/index.js';
import { payloadText } from '../errors/options.js';
import type { SqsMessageInput } from '../events/index.js';
import type { ErrorPayload } from '../invoke/result.js';
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
  type InvocationBrief,
  resultError,
  SIMULATION_KEYS,
  SimulationCore,
  type SimulationOptions,
} from './core.js';
import { compileFilterCriteria, type FilterCriteria, sqsFilterView } from './filter.js';
import { groupOf, type QueuedMessage, type SqsDeadLetteredMessage, SqsQueue } from './sqs-queue.js';
import type { AttemptOutcome, DeliveryAttempt, SimulatorReadSide } from './types.js';

export type { SqsDeadLetteredMessage } from './sqs-queue.js';

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
   * Default false, as in SQS: then every FIFO message needs a `messageDeduplicationId`.
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

/** Keys of {@link SqsQueueOptions} (the `Queue` option). */
export const SQS_QUEUE_KEYS = [
  'QueueName',
  'FifoQueue',
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'RedrivePolicy',
  'ContentBasedDeduplication',
];
/** The mapping's own keys of {@link SqsEventSourceOptions} (besides the simulation's and `Queue`). */
export const SQS_MAPPING_KEYS = [
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'FunctionResponseTypes',
  'ScalingConfig',
  'FilterCriteria',
];
const KEYS = [...SIMULATION_KEYS, 'Queue', ...SQS_MAPPING_KEYS];
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

/** How a batch ended, read from the invocation result as soon as it returns. */
interface BatchReading {
  readonly failed: ReadonlySet<string> | 'all';
  readonly outcome: AttemptOutcome;
  readonly error: ErrorPayload | undefined;
  /** Set when Lambda ignored the handler's batchItemFailures (no ReportBatchItemFailures). */
  readonly note: string | undefined;
}
const NONE: ReadonlySet<string> = new Set();
const MAX_BATCH_BYTES = 6 * 1024 * 1024;

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
  const q = objectOption(o.Queue, SQS_QUEUE_KEYS, WHERE, 'Queue');
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
  const contentDedup = boolOption(q, 'ContentBasedDeduplication', false, WHERE, 'Queue.');
  if (!fifo && q.ContentBasedDeduplication !== undefined) {
    throw configError(
      WHERE,
      'Queue.ContentBasedDeduplication',
      'only FIFO queues have ContentBasedDeduplication',
    );
  }
  // Lambda extends the visibility of a message it holds beyond the queue's timeout when the
  // batching window plus the function timeout would outlast it.
  const effectiveVtMs =
    timeoutS !== undefined && windowMs + timeoutS * 1000 > vtMs ? windowMs + timeoutS * 1000 + 30_000 : vtMs;

  const queue = new SqsQueue(
    {
      queueName,
      fifo,
      visibilityTimeoutMs: effectiveVtMs,
      retentionMs,
      maxReceiveCount,
      deadLetterArn: dlqArn,
      contentBasedDeduplication: contentDedup,
      seed: core.rng.seed,
      region: core.region,
      accountId: core.accountId,
      startTime: core.startTime,
    },
    core.scheduler,
    {
      visible: () => requestPoll(core.now),
      left: (m, status) => core.settle(m.item ?? m.id, status),
    },
    core.rng.fork('message-ids'),
    core.rng.fork('receipts'),
  );

  // Lambda filters what it receives, as the function would see it (body parsed when JSON).
  if (filter) queue.accepts = (m) => filter.matches(sqsFilterView(queue.record(m)));

  // The poller's state.
  let batchesInFlight = 0;
  let firstSendAt: number | undefined;
  let windowStart: number | undefined;
  let pollAt: number | undefined;

  const requestPoll = (at: number): void => {
    if (pollAt !== undefined && pollAt <= at && pollAt >= core.now) return;
    pollAt = at;
    core.scheduler.at(at, () => {
      if (pollAt === at) pollAt = undefined;
      return poll();
    });
  };

  /** Lambda starts with 5 concurrent batches and adds up to 300 a minute, up to the maximum. */
  const concurrencyLimit = (): number => {
    const ramp = 5 + Math.floor(((core.now - (firstSendAt ?? core.now)) / 60_000) * 300);
    return Math.min(maxConcurrency, ramp);
  };

  /**
   * One poll: receive up to BatchSize messages (within the 6 MB payload) and build the records
   * the function will see. Everything a poll does to a batch before the invocation belongs here.
   */
  const pollBatch = (): { messages: QueuedMessage[]; records: SQSRecord[] } => {
    const messages = queue.receive(batchSize, MAX_BATCH_BYTES);
    const records = messages.map((m) => queue.record(m));
    return { messages, records };
  };

  const deliver = async (messages: QueuedMessage[], records: SQSRecord[]): Promise<void> => {
    const event: SQSEvent = { Records: records };
    batchesInFlight++;
    const inv = await core.invoke(
      event,
      messages.map((m) => m.id),
    );
    // Read the outcome now and keep only that until the batch completes at endedAt: the event,
    // the records and the result (logs included) become garbage while they are still young.
    const reading = readOutcome(messages, inv);
    const brief: InvocationBrief = {
      invocation: inv.invocation,
      requestId: inv.requestId,
      startedAt: inv.startedAt,
      endedAt: inv.endedAt,
      throttled: inv.throttled,
    };
    core.scheduler.at(inv.endedAt, () => complete(messages, brief, reading));
  };

  /** Which messages of a finished batch failed (a set of ids, or the whole batch), and how. */
  const readOutcome = (batch: readonly QueuedMessage[], inv: Invocation): BatchReading => {
    const r = inv.result;
    if (r.outcome !== 'success') {
      return { failed: 'all', outcome: r.outcome, error: resultError(r), note: undefined };
    }
    if (!reportFailures) {
      return {
        failed: NONE,
        outcome: 'success',
        error: undefined,
        note: ignoredBatchItemFailures(r.response),
      };
    }
    const reading = readBatchResponse(r.response, new Set(batch.map((m) => m.id)), true);
    if (reading.kind === 'success')
      return { failed: NONE, outcome: 'success', error: undefined, note: undefined };
    if (reading.kind === 'partial') {
      return { failed: new Set(reading.failed), outcome: 'success', error: undefined, note: undefined };
    }
    return {
      failed: 'all',
      outcome: 'invalid-response',
      error: { errorType: 'InvalidBatchItemFailuresResponse', errorMessage: reading.reason },
      note: undefined,
    };
  };

  const complete = (batch: QueuedMessage[], inv: InvocationBrief, reading: BatchReading): void => {
    core.release(inv);
    batchesInFlight--;
    const { failed, outcome, error, note } = reading;
    const attempts = new Map<string, DeliveryAttempt>();
    for (const m of batch) {
      const itemFailed = failed === 'all' || failed.has(m.id);
      core.recordAttempt(
        m.item ?? m.id,
        core.sharedAttempt(
          attempts,
          inv,
          batch.length,
          failed === 'all' ? outcome : itemFailed ? 'item-failure' : 'success',
          itemFailed ? error : undefined,
          note === undefined ? { receiveCount: m.receiveCount } : { receiveCount: m.receiveCount, note },
        ),
      );
      queue.endReceive(m);
      if (itemFailed) queue.returnAfterVisibilityTimeout(m);
      else queue.delete(m);
    }
    requestPoll(core.now);
  };

  const poll = async (): Promise<void> => {
    while (batchesInFlight < concurrencyLimit()) {
      const available = queue.available(batchSize);
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
      const { messages, records } = pollBatch();
      if (messages.length === 0) continue;
      await deliver(messages, records);
    }
    if (concurrencyLimit() < maxConcurrency && queue.available(1) > 0) {
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
    const body = msg.body === undefined ? '' : payloadText(msg.body, 'INVALID_OPTIONS', where, 'body');
    if (body.length === 0) {
      throw new HarnessError('INVALID_OPTIONS', `${where}.body: SQS messages need a non-empty body`, {
        path: 'body',
      });
    }
    if (fifo && msg.messageDeduplicationId === undefined && !contentDedup) {
      throw new HarnessError('INVALID_OPTIONS', `${where}.messageDeduplicationId: required`, {
        path: 'messageDeduplicationId',
        hint: "SQS rejects a FIFO message without a MessageDeduplicationId unless the queue has ContentBasedDeduplication (off by default): send({ body, messageGroupId, messageDeduplicationId: 'order-1' }) or set Queue.ContentBasedDeduplication: true.",
      });
    }
    const accepted = queue.accept(
      {
        body,
        ...(msg.messageId !== undefined ? { messageId: msg.messageId } : {}),
        ...(msg.messageAttributes !== undefined ? { messageAttributes: msg.messageAttributes } : {}),
        ...(msg.messageGroupId !== undefined ? { messageGroupId: msg.messageGroupId } : {}),
        ...(msg.messageDeduplicationId !== undefined
          ? { messageDeduplicationId: msg.messageDeduplicationId }
          : {}),
        ...(msg.senderId !== undefined ? { senderId: msg.senderId } : {}),
        ...(msg.traceHeader !== undefined ? { traceHeader: msg.traceHeader } : {}),
      },
      at,
    );
    if (typeof accepted === 'string') return accepted; // a FIFO duplicate: accepted, not delivered
    accepted.item = core.addItem(
      accepted.id,
      at,
      fifo ? { messageGroupId: groupOf(accepted) as string } : undefined,
      msg.messageId !== undefined,
    );
    firstSendAt ??= at;
    queue.enqueue(accepted, at + delay * 1000);
    return accepted.id;
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
    deadLetterQueue: queue.deadLetterQueue,
    queueArn,
    get now() {
      return core.now;
    },
  };
}

/**
 * Why a success may surprise: the handler reported item failures, but without
 * `FunctionResponseTypes: ['ReportBatchItemFailures']` Lambda ignores them and deletes the batch.
 */
function ignoredBatchItemFailures(response: unknown): string | undefined {
  const list = (response as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return `the handler returned ${list.length} batchItemFailures, but the mapping has no FunctionResponseTypes: ['ReportBatchItemFailures'], so Lambda ignored them and counted the whole batch as successful`;
}
