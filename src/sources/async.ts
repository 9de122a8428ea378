/**
 * Asynchronous invocation (InvocationType=Event): Lambda's internal queue per function, retries
 * on function errors (about 1 and 2 minutes apart), retries after throttles (1 s doubling to
 * 5 min, up to the maximum event age), on-success / on-failure destinations with the real
 * invocation record, and a dead-letter queue with RequestID / ErrorCode / ErrorMessage.
 */
import { HarnessError } from '../errors/index.js';
import { describeValue, isJsonSerialisable } from '../errors/options.js';
import type { ErrorPayload, FunctionInvocationResult } from '../invoke/result.js';
import {
  type ArnKind,
  arnKind,
  arnOption,
  configError,
  intOption,
  objectOption,
  timeOption,
} from './config.js';
import {
  type Invocation,
  resultError,
  SIMULATION_KEYS,
  SimulationCore,
  type SimulationOptions,
  truncateUtf8,
} from './core.js';
import type { ItemStatus, SimulatorReadSide } from './types.js';

/**
 * Asynchronous invocation settings, named as in PutFunctionEventInvokeConfig and the function's
 * DeadLetterConfig.
 *
 * @example
 * const options: AsyncInvocationOptions = {
 *   target: createFunction({ handler: () => import('./handler.js') }),
 *   MaximumRetryAttempts: 1,
 *   MaximumEventAgeInSeconds: 3600,
 *   DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
 *   DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
 * };
 */
export interface AsyncInvocationOptions extends SimulationOptions {
  /** 0-2, default 2 (three attempts in all). */
  readonly MaximumRetryAttempts?: number;
  /** 60-21600, default 21600 (6 hours). */
  readonly MaximumEventAgeInSeconds?: number;
  /** Destinations: SQS queue, SNS topic, Lambda function or EventBridge bus ARNs. */
  readonly DestinationConfig?: {
    readonly OnSuccess?: { readonly Destination: string };
    readonly OnFailure?: { readonly Destination: string };
  };
  /** The function's dead-letter queue: an SQS queue or SNS topic ARN. */
  readonly DeadLetterConfig?: { readonly TargetArn: string };
}

/**
 * `Success`, `RetriesExhausted` or `EventAgeExceeded` (the record's `requestContext.condition`).
 *
 * @example
 * const condition: AsyncCondition = sim.destinations.onFailure[0].record.requestContext.condition;
 */
export type AsyncCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/**
 * The invocation record Lambda sends to a destination (the message body for SQS and SNS, the
 * payload for Lambda, `detail` for EventBridge).
 *
 * @example
 * const record: AsyncInvocationRecord = sim.destinations.onFailure[0].record;
 * record.requestContext.condition; // 'RetriesExhausted'
 * record.requestContext.approximateInvokeCount; // 3
 */
export interface AsyncInvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: AsyncCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: 'Unhandled';
  };
  /** The function's response (success) or error object; absent when the function never ran. */
  readonly responsePayload?: unknown;
}

/**
 * A delivery to a destination: the record and what the destination service receives.
 *
 * @example
 * const d = sim.destinations.onSuccess[0];
 * d.kind; // 'sqs'
 * JSON.parse((d.payload as { body: string }).body); // the invocation record
 */
export interface DestinationDelivery<R = AsyncInvocationRecord> {
  readonly destination: 'OnSuccess' | 'OnFailure';
  readonly arn: string;
  readonly kind: ArnKind;
  /** Virtual epoch ms of the delivery. */
  readonly at: number;
  /** The event id / request id, or for streams the sequence numbers of the batch. */
  readonly itemIds: readonly string[];
  readonly record: R;
  /**
   * What the destination receives: `{ body }` (SQS), `{ Message }` (SNS), the record itself
   * (Lambda), or `{ source: 'lambda', 'detail-type', detail }` (EventBridge).
   */
  readonly payload: unknown;
}

/**
 * A message in the function's dead-letter queue: the original event unchanged plus attributes.
 *
 * @example
 * const m = sim.deadLetterQueue[0];
 * m.messageAttributes.ErrorCode.stringValue; // '200'
 * m.messageAttributes.ErrorMessage.stringValue; // first 1 KB of the error message
 */
export interface AsyncDeadLetterMessage {
  readonly arn: string;
  readonly at: number;
  /** The event id (the async request id). */
  readonly eventId: string;
  /** The original event as JSON text (the SQS body / SNS Message). */
  readonly body: string;
  readonly event: unknown;
  readonly messageAttributes: {
    readonly RequestID: { readonly dataType: 'String'; readonly stringValue: string };
    readonly ErrorCode: { readonly dataType: 'Number'; readonly stringValue: string };
    readonly ErrorMessage: { readonly dataType: 'String'; readonly stringValue: string };
  };
}

/**
 * What `sim.invoke()` returns: Lambda's 202 and the request id (the event id).
 *
 * @example
 * const { statusCode, requestId } = sim.invoke({ orderId: 'o-1' }); // 202
 */
export interface AsyncInvokeResponse {
  /** 202 accepted, or 413 when the event exceeds the 1 MB asynchronous payload limit. */
  readonly statusCode: 202 | 413;
  readonly requestId: string;
}

/**
 * A simulated asynchronous invocation queue for one function.
 *
 * @example
 * const sim = createAsyncInvoker({ target: fn, MaximumRetryAttempts: 2 });
 * const { requestId } = sim.invoke({ orderId: 'o-1' });
 * await sim.run();
 * sim.history(requestId).attempts.length; // 3 when the handler always throws
 */
export interface AsyncInvocationSimulator extends SimulatorReadSide {
  /** Enqueue an event (InvocationType=Event) now or at a later virtual time. */
  invoke(event: unknown, options?: { readonly at?: number | string | Date }): AsyncInvokeResponse;
  readonly destinations: {
    readonly onSuccess: readonly DestinationDelivery[];
    readonly onFailure: readonly DestinationDelivery[];
  };
  readonly deadLetterQueue: readonly AsyncDeadLetterMessage[];
}

const KEYS = [
  ...SIMULATION_KEYS,
  'MaximumRetryAttempts',
  'MaximumEventAgeInSeconds',
  'DestinationConfig',
  'DeadLetterConfig',
];
const WHERE = 'createAsyncInvoker options';
/** Delay before retry n (1-based) after a function error. */
const RETRY_DELAYS_MS = [60_000, 120_000];
const MAX_ASYNC_PAYLOAD = 1_048_576;

interface EventState {
  readonly id: string;
  readonly json: string;
  readonly enqueuedAt: number;
  invokes: number;
  throttles: number;
  last: Invocation | undefined;
}

/** Builds the invocation record of §6. */
function invocationRecord(
  sim: SimulationCore,
  ev: EventState,
  condition: AsyncCondition,
  last: FunctionInvocationResult | undefined,
): AsyncInvocationRecord {
  const ran = last !== undefined && last.outcome !== 'throttled';
  const responseContext: AsyncInvocationRecord['responseContext'] = !last
    ? { statusCode: 202, executedVersion: '$LATEST' }
    : last.outcome === 'throttled'
      ? { statusCode: 429, executedVersion: '$LATEST' }
      : last.outcome === 'success'
        ? { statusCode: 200, executedVersion: '$LATEST' }
        : { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' };
  const record: AsyncInvocationRecord = {
    version: '1.0',
    timestamp: new Date(sim.now).toISOString(),
    requestContext: {
      requestId: ev.id,
      functionArn: sim.functionArn('$LATEST'),
      condition,
      approximateInvokeCount: ev.invokes,
    },
    requestPayload: JSON.parse(ev.json),
    responseContext,
  };
  if (!ran) return record;
  return {
    ...record,
    responsePayload: last.outcome === 'success' ? last.response : { ...last.error },
  };
}

/** Wraps a record for the destination service. */
export function destinationPayload(kind: ArnKind, record: unknown, success: boolean): unknown {
  const json = JSON.stringify(record);
  switch (kind) {
    case 'sqs':
      return { body: json };
    case 'sns':
      return { Message: json };
    case 'events':
      return {
        source: 'lambda',
        'detail-type': `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
        detail: JSON.parse(json),
      };
    default:
      return JSON.parse(json);
  }
}

/**
 * Creates an asynchronous invocation simulator (the internal queue Lambda keeps per function).
 * Throws HarnessError INVALID_CONFIGURATION for settings Lambda rejects or unknown keys.
 *
 * @example
 * import { createAsyncInvoker, createFunction } from 'lambda-harness';
 * const fn = createFunction({ handler: () => async () => { throw new Error('boom'); } });
 * const sim = createAsyncInvoker({
 *   target: fn,
 *   DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failed' } },
 * });
 * const { requestId } = sim.invoke({ id: 1 });
 * await sim.run();
 * sim.destinations.onFailure[0].record.requestContext.condition; // 'RetriesExhausted'
 * sim.history(requestId).attempts.map((a) => a.startedAt); // t0, t0 + ~1 min, t0 + ~3 min
 */
export function createAsyncInvoker(options: AsyncInvocationOptions): AsyncInvocationSimulator {
  const o = objectOption(options, KEYS, WHERE, '');
  if (options === undefined) throw configError(WHERE, '', 'expected an object with a target');
  const core = new SimulationCore(o, WHERE);
  const maxRetries = intOption(o, 'MaximumRetryAttempts', 0, 2, 2, WHERE);
  const maxAgeMs = intOption(o, 'MaximumEventAgeInSeconds', 60, 21_600, 21_600, WHERE) * 1000;
  const dc = objectOption(o.DestinationConfig, ['OnSuccess', 'OnFailure'], WHERE, 'DestinationConfig');
  const onSuccessArn = arnOption(
    objectOption(dc.OnSuccess, ['Destination'], WHERE, 'DestinationConfig.OnSuccess').Destination,
    ['sqs', 'sns', 'lambda', 'events'],
    WHERE,
    'DestinationConfig.OnSuccess.Destination',
  );
  const onFailureArn = arnOption(
    objectOption(dc.OnFailure, ['Destination'], WHERE, 'DestinationConfig.OnFailure').Destination,
    ['sqs', 'sns', 'lambda', 'events'],
    WHERE,
    'DestinationConfig.OnFailure.Destination',
  );
  const dlqArn = arnOption(
    objectOption(o.DeadLetterConfig, ['TargetArn'], WHERE, 'DeadLetterConfig').TargetArn,
    ['sqs', 'sns'],
    WHERE,
    'DeadLetterConfig.TargetArn',
  );
  const onSuccess: DestinationDelivery[] = [];
  const onFailure: DestinationDelivery[] = [];
  const deadLetterQueue: AsyncDeadLetterMessage[] = [];

  const fail = (ev: EventState, condition: AsyncCondition): void => {
    const last = ev.last?.result;
    let status: ItemStatus = 'dropped';
    if (dlqArn) {
      const error: ErrorPayload | undefined = last ? resultError(last) : undefined;
      deadLetterQueue.push({
        arn: dlqArn,
        at: core.now,
        eventId: ev.id,
        body: ev.json,
        event: JSON.parse(ev.json),
        messageAttributes: {
          RequestID: { dataType: 'String', stringValue: ev.id },
          ErrorCode: {
            dataType: 'Number',
            stringValue: String(last?.outcome === 'throttled' ? 429 : 200),
          },
          ErrorMessage: {
            dataType: 'String',
            stringValue: truncateUtf8(
              error?.errorMessage ?? (condition === 'EventAgeExceeded' ? 'Event age exceeded' : ''),
              1024,
            ),
          },
        },
      });
      status = 'dead-lettered';
    }
    if (onFailureArn) {
      const record = invocationRecord(core, ev, condition, last);
      const kind = arnKind(onFailureArn);
      onFailure.push({
        destination: 'OnFailure',
        arn: onFailureArn,
        kind,
        at: core.now,
        itemIds: [ev.id],
        record,
        payload: destinationPayload(kind, record, false),
      });
      status = 'failure-destination';
    }
    core.settle(ev.id, status, condition);
  };

  const attempt = async (ev: EventState): Promise<void> => {
    if (core.now - ev.enqueuedAt >= maxAgeMs) {
      fail(ev, 'EventAgeExceeded');
      return;
    }
    if (core.reservedConcurrency === 0) {
      // Reserved concurrency 0: straight to the DLQ / on-failure destination, no retries.
      ev.last = await core.invoke(JSON.parse(ev.json), [ev.id], { requestId: ev.id });
      recordAttempt(ev, ev.last);
      fail(ev, 'RetriesExhausted');
      return;
    }
    const inFlightBefore = core.inFlight;
    const inv = await core.invoke(JSON.parse(ev.json), [ev.id], { requestId: ev.id });
    ev.last = inv;
    const result = inv.result;
    if (result.outcome === 'throttled') {
      recordAttempt(ev, inv);
      if (inFlightBefore === 0 && core.reservedConcurrency === undefined) {
        // The function throttled with nothing of ours running: its reserved concurrency is 0.
        fail(ev, 'RetriesExhausted');
        return;
      }
      const backoff = Math.min(300_000, 1000 * 2 ** ev.throttles);
      ev.throttles++;
      core.scheduler.after(backoff, () => attempt(ev));
      return;
    }
    ev.invokes++;
    core.scheduler.at(inv.endedAt, () => {
      core.release(inv);
      recordAttempt(ev, inv);
      if (result.outcome === 'success') {
        if (onSuccessArn) {
          const record = invocationRecord(core, ev, 'Success', result);
          const kind = arnKind(onSuccessArn);
          onSuccess.push({
            destination: 'OnSuccess',
            arn: onSuccessArn,
            kind,
            at: core.now,
            itemIds: [ev.id],
            record,
            payload: destinationPayload(kind, record, true),
          });
        }
        core.settle(ev.id, 'succeeded');
        return;
      }
      const retriesDone = ev.invokes - 1;
      if (retriesDone >= maxRetries) {
        fail(ev, 'RetriesExhausted');
        return;
      }
      core.scheduler.after(RETRY_DELAYS_MS[retriesDone] ?? 120_000, () => attempt(ev));
    });
  };

  const recordAttempt = (ev: EventState, inv: Invocation): void => {
    const r = inv.result;
    core.recordAttempt(ev.id, {
      invocation: inv.invocation,
      requestId: inv.requestId,
      startedAt: inv.startedAt,
      endedAt: inv.endedAt,
      batchSize: 1,
      outcome: r.outcome,
      error: resultError(r),
    });
  };

  const sim: AsyncInvocationSimulator = {
    invoke(event, invokeOptions) {
      const io = objectOption(invokeOptions, ['at'], 'sim.invoke options', '');
      const at = timeOption(io.at, 'sim.invoke options', 'at') ?? core.sendTime();
      const payload = event === undefined ? {} : event;
      if (!isJsonSerialisable(payload)) {
        throw new HarnessError(
          'INVALID_EVENT',
          `sim.invoke: the event is not JSON-serialisable (received ${describeValue(payload)})`,
          {
            path: 'event',
            hint: 'Lambda payloads are JSON: BigInt, circular references, functions and symbols cannot be sent.',
          },
        );
      }
      const json = JSON.stringify(payload);
      const requestId = core.newRequestId();
      if (Buffer.byteLength(json, 'utf8') > MAX_ASYNC_PAYLOAD) return { statusCode: 413, requestId };
      const enqueuedAt = Math.max(at, core.now);
      core.addItem(requestId, enqueuedAt);
      const ev: EventState = {
        id: requestId,
        json,
        enqueuedAt,
        invokes: 0,
        throttles: 0,
        last: undefined,
      };
      core.scheduler.at(enqueuedAt, () => attempt(ev));
      return { statusCode: 202, requestId };
    },
    run: (runOptions) => core.run(runOptions, 'asyncInvoker'),
    accounting: () => core.accounting(),
    history: (id) => core.history(id, 'asyncInvoker'),
    histories: () => core.histories(),
    ids: (status) => core.idsWithStatus(status),
    invocations: core.invocations,
    destinations: { onSuccess, onFailure },
    deadLetterQueue,
    get now() {
      return core.now;
    },
  };
  return sim;
}
