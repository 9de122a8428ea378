/**
 * Kinesis Data Streams and DynamoDB Streams event source mappings, built from one primitive:
 * shards (split into ParallelizationFactor lanes by partition key) with ordered records, batches
 * from a single shard, the shard blocked while a batch retries, BisectBatchOnFunctionError,
 * MaximumRetryAttempts, MaximumRecordAgeInSeconds, ReportBatchItemFailures checkpointing and
 * on-failure destination records in the real batch-info shape.
 */
import { hash } from 'node:crypto';
import { describeValue } from '../errors/describe.js';
import { type DestinationDelivery, destinationPayload } from './async.js';
import { readBatchResponse } from './batch-response.js';
import {
  arnKind,
  arnOption,
  boolOption,
  configError,
  intOption,
  objectOption,
  responseTypesOption,
  timeOption,
} from './config.js';
import { type Invocation, type MutableItem, resultError, type SimulationCore } from './core.js';
import {
  type CompiledFilter,
  compileFilterCriteria,
  type FilterCriteria,
  streamFilterView,
} from './filter.js';
import type { AttemptOutcome, DeliveryAttempt, ItemStatus, SimulatorReadSide } from './types.js';

/**
 * `RetryAttemptsExhausted` or `RecordAgeExceeded` (the stream on-failure record's condition).
 *
 * @example
 * const condition: StreamFailureCondition = sim.history(sequenceNumber).condition as StreamFailureCondition;
 */
export type StreamFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * The batch description in a stream on-failure record (`KinesisBatchInfo` / `DDBStreamBatchInfo`).
 *
 * @example
 * const info: StreamBatchInfo = sim.destinations.onFailure[0].record.KinesisBatchInfo!;
 * info.batchSize; // 1
 */
export interface StreamBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  /** ISO time. */
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/**
 * The on-failure record Lambda sends for a stream batch it gives up on (no records inside).
 *
 * @example
 * const rec: StreamFailureRecord = sim.destinations.onFailure[0].record;
 * rec.requestContext.condition; // 'RetryAttemptsExhausted'
 */
export interface StreamFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: StreamFailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: 'Unhandled';
  };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KinesisBatchInfo?: StreamBatchInfo;
  readonly DDBStreamBatchInfo?: StreamBatchInfo;
}

/**
 * The read side the Kinesis and DynamoDB Streams simulators share.
 *
 * @example
 * const sim: StreamSimulatorReadSide = createKinesisEventSource({ target: fn });
 * sim.shardIds; // ['shardId-000000000000']
 */
export interface StreamSimulatorReadSide extends SimulatorReadSide {
  /** Stream mappings have only an on-failure destination; `onSuccess` is always empty. */
  readonly destinations: {
    readonly onSuccess: readonly DestinationDelivery<StreamFailureRecord>[];
    readonly onFailure: readonly DestinationDelivery<StreamFailureRecord>[];
  };
  readonly shardIds: readonly string[];
  readonly streamArn: string;
}

/**
 * Settings shared by the Kinesis and DynamoDB Streams mappings (names as in CreateEventSourceMapping).
 *
 * @example
 * const mapping: StreamMappingOptions = { StartingPosition: 'TRIM_HORIZON', BatchSize: 100, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 2 };
 */
export interface StreamMappingOptions {
  /** Required: `TRIM_HORIZON`, `LATEST`, or (Kinesis) `AT_TIMESTAMP`. */
  readonly StartingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  /** With AT_TIMESTAMP: Unix seconds (or epoch ms / ISO / Date). */
  readonly StartingPositionTimestamp?: number | string | Date;
  /** 1-10000, default 100. */
  readonly BatchSize?: number;
  /** 0-300, default 0. */
  readonly MaximumBatchingWindowInSeconds?: number;
  /** 1-10 concurrent batches per shard (order kept per partition key), default 1. */
  readonly ParallelizationFactor?: number;
  /** Split a failed batch in two (splits do not count as retries). Default false. */
  readonly BisectBatchOnFunctionError?: boolean;
  /** -1 (until the records expire, the default) or 0-10000. */
  readonly MaximumRetryAttempts?: number;
  /** -1 (no limit, the default) or 60-604800. */
  readonly MaximumRecordAgeInSeconds?: number;
  readonly FunctionResponseTypes?: readonly 'ReportBatchItemFailures'[];
  /** On-failure destination: an SQS queue, SNS topic or S3 bucket ARN. */
  readonly DestinationConfig?: { readonly OnFailure?: { readonly Destination: string } };
  /** Event filtering: records matching none of the (at most 5) patterns are skipped without an invocation (status `filtered`). */
  readonly FilterCriteria?: FilterCriteria;
}

/** Keys of {@link StreamMappingOptions}. */
export const STREAM_MAPPING_KEYS = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'ParallelizationFactor',
  'BisectBatchOnFunctionError',
  'MaximumRetryAttempts',
  'MaximumRecordAgeInSeconds',
  'FunctionResponseTypes',
  'DestinationConfig',
  'FilterCriteria',
];

/** One record in a shard. */
export interface ShardRecord {
  readonly id: string;
  readonly arrival: number;
  readonly partitionKey: string;
  /**
   * What the stream kind builds the event record from ({@link StreamKind.record}). Kept small: a
   * run may hold a million records before the first poll, and the garbage collector walks them all.
   */
  readonly source: unknown;
  readonly size: number;
  /** Set by the engine: the ledger entry. */
  item?: MutableItem;
}

interface Lane {
  readonly shardId: string;
  readonly records: ShardRecord[];
  pos: number;
  busy: boolean;
  current: Range | undefined;
  stack: Range[];
  windowStart: number | undefined;
  pumpAt: number | undefined;
}

interface Range {
  start: number;
  end: number;
  retries: number;
  invokes: number;
  failures: number;
}

/** The engine's view of a stream kind. */
export interface StreamKind {
  readonly name: 'kinesis' | 'dynamodb';
  readonly where: string;
  readonly streamArn: string;
  readonly retentionMs: number;
  readonly batchInfoKey: 'KinesisBatchInfo' | 'DDBStreamBatchInfo';
  readonly allowAtTimestamp: boolean;
  /** The event record of a shard record, built when it is delivered (or filtered). */
  record(rec: ShardRecord, shardId: string): unknown;
}

const MAX_BATCH_BYTES = 6 * 1024 * 1024;
const SHARD_CACHE_SIZE = 4096;

/** Parsed mapping settings. */
interface Mapping {
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  readonly startingTimestamp: number | undefined;
  readonly batchSize: number;
  readonly windowMs: number;
  readonly parallelization: number;
  readonly bisect: boolean;
  readonly maxRetries: number;
  readonly maxAgeMs: number;
  readonly reportFailures: boolean;
  readonly onFailureArn: string | undefined;
  readonly filter: CompiledFilter | undefined;
}

function parseMapping(o: Record<string, unknown>, kind: StreamKind): Mapping {
  const where = kind.where;
  const sp = o.StartingPosition;
  const allowed = kind.allowAtTimestamp
    ? ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']
    : ['TRIM_HORIZON', 'LATEST'];
  if (sp === undefined) {
    throw configError(
      where,
      'StartingPosition',
      `required: one of ${allowed.join(', ')}`,
      'Lambda requires a starting position for stream sources.',
    );
  }
  if (typeof sp !== 'string' || !allowed.includes(sp)) {
    throw configError(
      where,
      'StartingPosition',
      `expected one of ${allowed.join(', ')}, received ${describeValue(sp)}`,
    );
  }
  let startingTimestamp: number | undefined;
  if (sp === 'AT_TIMESTAMP') {
    const ts = o.StartingPositionTimestamp;
    if (ts === undefined) throw configError(where, 'StartingPositionTimestamp', 'required with AT_TIMESTAMP');
    // Unix seconds as in the API; larger numbers are taken as epoch ms.
    startingTimestamp =
      typeof ts === 'number' && ts < 1e11 ? ts * 1000 : timeOption(ts, where, 'StartingPositionTimestamp');
  } else if (o.StartingPositionTimestamp !== undefined) {
    throw configError(where, 'StartingPositionTimestamp', 'only allowed with StartingPosition AT_TIMESTAMP');
  }
  const maxAge = intOption(o, 'MaximumRecordAgeInSeconds', 60, 604_800, -1, where, '', [-1]);
  const dc = objectOption(o.DestinationConfig, ['OnFailure'], where, 'DestinationConfig');
  const onFailureArn = arnOption(
    objectOption(dc.OnFailure, ['Destination'], where, 'DestinationConfig.OnFailure').Destination,
    ['sqs', 'sns', 's3'],
    where,
    'DestinationConfig.OnFailure.Destination',
  );
  return {
    startingPosition: sp as Mapping['startingPosition'],
    startingTimestamp,
    batchSize: intOption(o, 'BatchSize', 1, 10_000, 100, where),
    windowMs: intOption(o, 'MaximumBatchingWindowInSeconds', 0, 300, 0, where) * 1000,
    parallelization: intOption(o, 'ParallelizationFactor', 1, 10, 1, where),
    bisect: boolOption(o, 'BisectBatchOnFunctionError', false, where),
    maxRetries: intOption(o, 'MaximumRetryAttempts', 0, 10_000, -1, where, '', [-1]),
    maxAgeMs: maxAge === -1 ? Number.POSITIVE_INFINITY : maxAge * 1000,
    reportFailures: responseTypesOption(o, where),
    onFailureArn,
    filter: compileFilterCriteria(o.FilterCriteria, where),
  };
}

function itemOf(rec: ShardRecord): MutableItem | string {
  return rec.item ?? rec.id;
}

function hash32(s: string): number {
  return hash('md5', s, 'buffer').readUInt32BE(0);
}

/**
 * The shard/lane engine shared by Kinesis and DynamoDB Streams.
 */
export class StreamEngine {
  readonly onFailure: DestinationDelivery<StreamFailureRecord>[] = [];
  private readonly mapping: Mapping;
  private readonly lanes: Lane[][];
  private readonly shardCache = new Map<string, number>();

  constructor(
    private readonly core: SimulationCore,
    private readonly kind: StreamKind,
    options: Record<string, unknown>,
    readonly shardIds: readonly string[],
  ) {
    this.mapping = parseMapping(options, kind);
    this.lanes = shardIds.map((shardId) =>
      Array.from({ length: this.mapping.parallelization }, () => ({
        shardId,
        records: [],
        pos: 0,
        busy: false,
        current: undefined,
        stack: [],
        windowStart: undefined,
        pumpAt: undefined,
      })),
    );
  }

  /** The shard index for a partition key (MD5 hash key ranges split evenly). */
  shardFor(partitionKey: string): number {
    let shard = this.shardCache.get(partitionKey);
    if (shard === undefined) {
      shard = Math.floor((hash32(partitionKey) / 2 ** 32) * this.shardIds.length);
      // A small cache, emptied when full: keys often repeat (users, devices), but a table keyed
      // by order id would otherwise keep one entry per record for the whole run.
      if (this.shardCache.size >= SHARD_CACHE_SIZE) this.shardCache.clear();
      this.shardCache.set(partitionKey, shard);
    }
    return shard;
  }

  /** Adds a record to a shard; records before the starting position are settled as skipped. */
  add(shard: number, rec: ShardRecord): void {
    const p = this.mapping.parallelization;
    const laneIndex = p === 1 ? 0 : hash32(`lane:${rec.partitionKey}`) % p;
    const lane = (this.lanes[shard] as Lane[])[laneIndex] as Lane;
    const core = this.core;
    rec.item = core.addItem(
      rec.id,
      rec.arrival,
      { shardId: lane.shardId, partitionKey: rec.partitionKey },
      false,
    );
    const m = this.mapping;
    const skipped =
      (m.startingPosition === 'LATEST' && rec.arrival < core.startTime) ||
      (m.startingPosition === 'AT_TIMESTAMP' && rec.arrival < (m.startingTimestamp as number));
    if (skipped) {
      core.settle(rec.item ?? rec.id, 'skipped');
      return;
    }
    if (m.filter && !m.filter.matches(streamFilterView(this.kind.record(rec, lane.shardId)))) {
      core.settle(rec.item ?? rec.id, 'filtered');
      return;
    }
    if (rec.arrival > core.now) {
      // Not in the stream yet: it arrives at its time (arrivals are in order per shard).
      core.scheduler.at(rec.arrival, () => {
        lane.records.push(rec);
        this.requestPump(lane, core.now);
      });
      return;
    }
    lane.records.push(rec);
    this.requestPump(lane, core.now);
  }

  private requestPump(lane: Lane, at: number): void {
    if (lane.busy || lane.current) return;
    if (lane.pumpAt !== undefined && lane.pumpAt <= at && lane.pumpAt >= this.core.now) return;
    lane.pumpAt = at;
    this.core.scheduler.at(at, () => {
      if (lane.pumpAt === at) lane.pumpAt = undefined;
      return this.pump(lane);
    });
  }

  /** Records with age over the limit at the head of the lane leave before a batch forms. */
  private trimHead(lane: Lane): void {
    const core = this.core;
    const m = this.mapping;
    let aged = lane.pos;
    while (lane.pos < lane.records.length) {
      const rec = lane.records[lane.pos] as ShardRecord;
      const age = core.now - rec.arrival;
      if (age > this.kind.retentionMs) {
        core.settle(rec.item ?? rec.id, 'expired');
        lane.pos++;
        aged = lane.pos;
      } else if (age > m.maxAgeMs) {
        lane.pos++;
      } else break;
    }
    if (aged < lane.pos) {
      // Records older than MaximumRecordAgeInSeconds are discarded without an invocation.
      this.giveUp(
        lane,
        { start: aged, end: lane.pos, retries: 0, invokes: 0, failures: 0 },
        'RecordAgeExceeded',
        undefined,
      );
    }
  }

  private async pump(lane: Lane): Promise<void> {
    if (lane.busy || lane.current) return;
    if (lane.pos > 256 && lane.pos * 2 > lane.records.length) {
      // Checkpointed records are finished: drop them (no range points into them while idle), so
      // the lane holds only what is still to be read.
      lane.records.splice(0, lane.pos);
      lane.pos = 0;
    }
    this.trimHead(lane);
    const available = lane.records.length - lane.pos;
    if (available <= 0) {
      lane.windowStart = undefined;
      return;
    }
    const m = this.mapping;
    if (m.windowMs > 0 && available < m.batchSize) {
      lane.windowStart ??= this.core.now;
      if (this.core.now < lane.windowStart + m.windowMs) {
        this.requestPump(lane, lane.windowStart + m.windowMs);
        return;
      }
    }
    lane.windowStart = undefined;
    let end = lane.pos;
    let bytes = 0;
    while (end < lane.records.length && end - lane.pos < m.batchSize) {
      const size = (lane.records[end] as ShardRecord).size;
      if (end > lane.pos && bytes + size > MAX_BATCH_BYTES) break;
      bytes += size;
      end++;
    }
    lane.current = { start: lane.pos, end, retries: 0, invokes: 0, failures: 0 };
    await this.attempt(lane);
  }

  private async attempt(lane: Lane): Promise<void> {
    const b = lane.current;
    if (!b || lane.busy) return;
    const core = this.core;
    const first = lane.records[b.start] as ShardRecord;
    const age = core.now - first.arrival;
    if (age > this.kind.retentionMs) {
      // The records left the stream while the batch was retrying.
      let i = b.start;
      while (i < b.end && core.now - (lane.records[i] as ShardRecord).arrival > this.kind.retentionMs) {
        core.settle(itemOf(lane.records[i] as ShardRecord), 'expired');
        i++;
      }
      b.start = i;
      if (b.start >= b.end) {
        this.nextRange(lane, b.end);
        return;
      }
    } else if (b.invokes > 0 && age > this.mapping.maxAgeMs) {
      this.giveUp(lane, b, 'RecordAgeExceeded', undefined);
      this.nextRange(lane, b.end);
      return;
    }
    const slice = lane.records.slice(b.start, b.end);
    const ids = slice.map((r) => r.id);
    lane.busy = true;
    const records = slice.map((r) => this.kind.record(r, lane.shardId));
    const inv = await core.invoke({ Records: records }, ids, { shardId: lane.shardId });
    core.scheduler.at(inv.endedAt, () => this.complete(lane, b, inv, slice));
  }

  private retryLater(lane: Lane, b: Range): void {
    const delay = Math.min(60_000, 1000 * 2 ** Math.min(b.failures, 16));
    b.failures++;
    this.core.scheduler.after(delay, () => this.attempt(lane));
  }

  private complete(lane: Lane, b: Range, inv: Invocation, slice: ShardRecord[]): void {
    const core = this.core;
    core.release(inv);
    lane.busy = false;
    const r = inv.result;
    const attempts = new Map<string, DeliveryAttempt>();
    const record = (rec: ShardRecord, outcome: AttemptOutcome, failed: boolean, error = resultError(r)) => {
      core.recordAttempt(
        rec.item ?? rec.id,
        core.sharedAttempt(attempts, inv, slice.length, outcome, failed ? error : undefined),
      );
    };
    if (r.outcome === 'throttled') {
      for (const rec of slice) record(rec, 'throttled', true);
      this.retryLater(lane, b);
      return;
    }
    b.invokes++;
    let failedFrom = -1; // index in slice from which records are retried; -1 none
    let outcome: AttemptOutcome = r.outcome === 'success' ? 'success' : r.outcome;
    let error = resultError(r);
    if (r.outcome === 'success') {
      const reading = this.mapping.reportFailures
        ? readBatchResponse(r.response, new Set(slice.map((x) => x.id)), true)
        : ({ kind: 'success' } as const);
      if (reading.kind === 'partial') {
        const failed = new Set(reading.failed);
        failedFrom = slice.findIndex((x) => failed.has(x.id));
      } else if (reading.kind === 'invalid') {
        failedFrom = 0;
        outcome = 'invalid-response';
        error = { errorType: 'InvalidBatchItemFailuresResponse', errorMessage: reading.reason };
      }
    } else failedFrom = 0;

    if (failedFrom === -1) {
      for (const rec of slice) {
        record(rec, 'success', false);
        core.settle(rec.item ?? rec.id, 'succeeded');
      }
      this.nextRange(lane, b.end);
      return;
    }
    for (let i = 0; i < slice.length; i++) {
      const rec = slice[i] as ShardRecord;
      if (i < failedFrom) {
        record(rec, 'success', false);
        core.settle(rec.item ?? rec.id, 'succeeded');
      } else record(rec, failedFrom > 0 || outcome === 'success' ? 'item-failure' : outcome, true, error);
    }
    if (failedFrom > 0 || (outcome === 'success' && failedFrom === 0)) {
      // Partial response: checkpoint before the lowest failed record; retry from it (a retry).
      b.start += failedFrom;
      b.retries++;
      if (this.mapping.maxRetries !== -1 && b.retries > this.mapping.maxRetries) {
        this.giveUp(lane, b, 'RetryAttemptsExhausted', inv);
        this.nextRange(lane, b.end);
        return;
      }
      this.retryLater(lane, b);
      return;
    }
    // The whole batch failed.
    if (this.mapping.bisect && b.end - b.start > 1) {
      const mid = b.start + Math.floor((b.end - b.start) / 2);
      lane.stack.push({ start: mid, end: b.end, retries: b.retries, invokes: b.invokes, failures: 0 });
      b.end = mid;
      core.scheduler.after(0, () => this.attempt(lane));
      return;
    }
    b.retries++;
    if (this.mapping.maxRetries !== -1 && b.retries > this.mapping.maxRetries) {
      this.giveUp(lane, b, 'RetryAttemptsExhausted', inv);
      this.nextRange(lane, b.end);
      return;
    }
    this.retryLater(lane, b);
  }

  /** Moves on after a range: the next bisected half, or the next batch from the checkpoint. */
  private nextRange(lane: Lane, end: number): void {
    lane.pos = Math.max(lane.pos, end);
    const next = lane.stack.pop();
    if (next) {
      lane.current = next;
      this.core.scheduler.after(0, () => this.attempt(lane));
      return;
    }
    lane.current = undefined;
    this.requestPump(lane, this.core.now);
  }

  private giveUp(lane: Lane, b: Range, condition: StreamFailureCondition, inv: Invocation | undefined): void {
    const core = this.core;
    const first = lane.records[b.start] as ShardRecord;
    const last = lane.records[b.end - 1] as ShardRecord;
    const arn = this.mapping.onFailureArn;
    const status: ItemStatus = arn ? 'failure-destination' : 'dropped';
    if (arn) {
      const r = inv?.result;
      const info: StreamBatchInfo = {
        shardId: lane.shardId,
        startSequenceNumber: first.id,
        endSequenceNumber: last.id,
        approximateArrivalOfFirstRecord: new Date(first.arrival).toISOString(),
        approximateArrivalOfLastRecord: new Date(last.arrival).toISOString(),
        batchSize: b.end - b.start,
        streamArn: this.kind.streamArn,
      };
      const record: StreamFailureRecord = {
        requestContext: {
          requestId: inv?.requestId ?? core.newRequestId(),
          functionArn: core.functionArn(),
          condition,
          approximateInvokeCount: b.invokes,
        },
        responseContext:
          r && r.outcome !== 'success' && r.outcome !== 'throttled'
            ? { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }
            : { statusCode: r?.outcome === 'throttled' ? 429 : 200, executedVersion: '$LATEST' },
        version: '1.0',
        timestamp: new Date(core.now).toISOString(),
        [this.kind.batchInfoKey]: info,
      };
      const kind = arnKind(arn);
      const ids: string[] = [];
      for (let i = b.start; i < b.end; i++) ids.push((lane.records[i] as ShardRecord).id);
      this.onFailure.push({
        destination: 'OnFailure',
        arn,
        kind,
        at: core.now,
        itemIds: ids,
        record,
        payload: destinationPayload(kind, record, false),
      });
    }
    for (let i = b.start; i < b.end; i++)
      core.settle(itemOf(lane.records[i] as ShardRecord), status, condition);
  }
}
