/**
 * DynamoDB Streams events: plain-object images marshalled to AttributeValues, Keys taken from the
 * key schema, SizeBytes computed with DynamoDB's item-size rules.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import { type Random, WORDS } from '../random/index.js';
import {
  DynamoDBStreamEventSchema,
  DynamoDBStreamRecordSchema,
  type StreamAttributeValue,
} from '../schemas/dynamodb.js';
import { batchFamily } from './batch.js';
import {
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  type EventOverrides,
  hasOverride,
  isoWithMs,
  parseOptions,
  recordsCountSchema,
  resolveCommon,
  type TumblingWindowInput,
  tumblingWindowFields,
  tumblingWindowSchema,
} from './core.js';

/**
 * What a stream record carries.
 *
 * @example
 * const view: StreamViewType = 'NEW_AND_OLD_IMAGES';
 */
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
/**
 * The kind of change.
 *
 * @example
 * const name: DynamoDBEventName = 'MODIFY';
 */
export type DynamoDBEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/**
 * One item change as a user thinks of it: plain JS images (marshalled for you).
 *
 * @example
 * const change: DynamoDBChangeInput = { eventName: 'MODIFY', oldImage: { id: 'a', n: 1 }, newImage: { id: 'a', n: 2 } };
 */
export interface DynamoDBChangeInput {
  /** Default: the event's `eventName` option (INSERT). */
  eventName?: DynamoDBEventName;
  /** The item after the change (INSERT, MODIFY). */
  newImage?: Record<string, unknown>;
  /**
   * The item before the change (MODIFY, REMOVE). A MODIFY given only `newImage` uses a copy of it
   * as the old image; pass `oldImage` to control what changed.
   */
  oldImage?: Record<string, unknown>;
  /** A REMOVE done by TTL expiry: adds the `userIdentity` of the DynamoDB service. */
  ttl?: boolean;
}

/**
 * The table's key attribute names.
 *
 * @example
 * const keys: DynamoDBKeySchema = { partitionKey: 'pk', sortKey: 'sk' };
 */
export interface DynamoDBKeySchema {
  partitionKey: string;
  sortKey?: string;
}

/**
 * Options of {@link dynamoDBStreamEvent}.
 *
 * @example
 * const options: DynamoDBStreamEventOptions = { tableName: 'Orders', keySchema: { partitionKey: 'orderId' }, changes: [{ newImage: { orderId: 'o-1', total: 12.5 } }] };
 */
export interface DynamoDBStreamEventOptions extends CommonEventOptions {
  records?: number;
  tableName?: string;
  /** Key attribute names; `Keys` are taken from the images with them. Default `{ partitionKey: 'id' }`. */
  keySchema?: DynamoDBKeySchema;
  /** Default `NEW_AND_OLD_IMAGES`. */
  streamViewType?: StreamViewType;
  /** Event name of records without their own; default `INSERT`. */
  eventName?: DynamoDBEventName;
  /** Make REMOVE records TTL deletions (default false). */
  ttl?: boolean;
  /** Changes of records 0..n-1. */
  changes?: DynamoDBChangeInput[];
  /** A tumbling-window invocation: adds `window`, `state`, `shardId`, `eventSourceARN` and the flags. */
  tumblingWindow?: TumblingWindowInput;
  overrides?: EventOverrides<DynamoDBStreamEvent>;
}

/**
 * A DynamoDB Streams event of a tumbling-window invocation (@types/aws-lambda has no such type).
 *
 * @example
 * const event: DynamoDBStreamTumblingWindowEvent = dynamoDBStreamEvent({ tumblingWindow: { seconds: 60 } });
 */
export type DynamoDBStreamTumblingWindowEvent = DynamoDBStreamEvent & {
  window: { start: string; end: string };
  state: Record<string, unknown>;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
};

/**
 * Options of {@link dynamoDBStreamRecord}.
 *
 * @example
 * const options: DynamoDBStreamRecordOptions = { eventName: 'REMOVE', ttl: true, oldImage: { id: 'x' } };
 */
export interface DynamoDBStreamRecordOptions
  extends CommonEventOptions,
    Omit<DynamoDBChangeInput, 'eventName'> {
  tableName?: string;
  keySchema?: DynamoDBKeySchema;
  streamViewType?: StreamViewType;
  eventName?: DynamoDBEventName;
  index?: number;
  overrides?: DeepPartial<DynamoDBRecord>;
}

const eventNameSchema = z.enum(['INSERT', 'MODIFY', 'REMOVE']);
const imageSchema = z.record(z.string(), z.unknown());
const tableShape = {
  tableName: z
    .string()
    .regex(/^[\w.-]{3,255}$/, 'expected a DynamoDB table name (3-255 letters, digits, _ . -)')
    .optional(),
  keySchema: z
    .strictObject({ partitionKey: z.string().min(1), sortKey: z.string().min(1).optional() })
    .optional(),
  streamViewType: z.enum(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']).optional(),
  eventName: eventNameSchema.optional(),
  ttl: z.boolean().optional(),
};
const changeShape = {
  eventName: eventNameSchema.optional(),
  newImage: imageSchema.optional(),
  oldImage: imageSchema.optional(),
  ttl: z.boolean().optional(),
};
const eventOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...tableShape,
  records: recordsCountSchema,
  changes: z.array(z.strictObject(changeShape)).optional(),
  tumblingWindow: tumblingWindowSchema.optional(),
});
const recordOptionsSchema = z.strictObject({
  ...commonOptionsShape,
  ...tableShape,
  newImage: imageSchema.optional(),
  oldImage: imageSchema.optional(),
  index: z.number().int().min(0).optional(),
});

// The public signatures spell out Record<string, StreamAttributeValue>: users cannot import this name.
type Image = Record<string, StreamAttributeValue>;

function toStreamValue(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(toStreamValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toStreamValue(v);
    return out;
  }
  return value;
}

/**
 * Marshals a plain JS item to the AttributeValue map of a stream record (with
 * `@aws-sdk/util-dynamodb`; binary values become base64 as in stream JSON).
 *
 * @example
 * marshallImage({ id: 101, msg: 'x' }); // { id: { N: '101' }, msg: { S: 'x' } }
 */
export function marshallImage(
  item: Record<string, unknown>,
  where = 'image',
): Record<string, StreamAttributeValue> {
  try {
    return toStreamValue(marshall(item, { removeUndefinedValues: true })) as Image;
  } catch (error) {
    const reason = (error as Error).message.replace(/\s*Pass options\.\w+=true[^.]*\./, '');
    throw new HarnessError('INVALID_OPTIONS', `${where}: cannot be marshalled to DynamoDB (${reason})`, {
      path: where.replace(/^\S+\(\) options\./, ''),
      cause: error,
      hint: 'Images are plain objects of strings, numbers, booleans, null, arrays, Sets, nested objects or bytes; store dates as ISO strings or epoch numbers.',
    });
  }
}

function numberSize(n: string): number {
  const digits = n
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function valueSize(v: StreamAttributeValue): number {
  if ('S' in v) return Buffer.byteLength(v.S, 'utf8');
  if ('N' in v) return numberSize(v.N);
  if ('B' in v) return Buffer.from(v.B, 'base64').length;
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('SS' in v) return v.SS.reduce((s, x) => s + Buffer.byteLength(x, 'utf8'), 0);
  if ('NS' in v) return v.NS.reduce((s, x) => s + numberSize(x), 0);
  if ('BS' in v) return v.BS.reduce((s, x) => s + Buffer.from(x, 'base64').length, 0);
  if ('L' in v) return 3 + v.L.reduce((s, x) => s + 1 + valueSize(x), 0);
  return (
    3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k, 'utf8') + valueSize(x), 0)
  );
}

/**
 * DynamoDB's item size of an AttributeValue map: UTF-8 name lengths plus value sizes (numbers
 * take 1 byte per 2 significant digits + 1). `SizeBytes` of a stream record is the sum over Keys,
 * NewImage and OldImage; this reproduces the guide's samples (26, 59 and 38 bytes).
 *
 * @example
 * imageSize({ Id: { N: '101' } }); // 5
 */
export function imageSize(image: Record<string, StreamAttributeValue> | undefined): number {
  if (!image) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(image))
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return size;
}

interface TableContext {
  region: string;
  tableArn: string;
  streamArn: string;
  keySchema: DynamoDBKeySchema;
  viewType: StreamViewType;
  eventName: DynamoDBEventName;
  ttl: boolean;
  time: number;
  seqBase: bigint;
  rng: Random;
}

function tableContext(options: {
  seed?: number | undefined;
  region?: string | undefined;
  accountId?: string | undefined;
  time?: string | number | Date | undefined;
  tableName?: string | undefined;
  keySchema?: DynamoDBKeySchema | undefined;
  streamViewType?: StreamViewType | undefined;
  eventName?: DynamoDBEventName | undefined;
  ttl?: boolean | undefined;
}): TableContext {
  const c = resolveCommon(options);
  const ev = c.rng.fork('table');
  const table = options.tableName ?? `${ev.pick(WORDS.adjectives)}-${ev.pick(WORDS.nouns)}s`;
  const tableArn = `arn:aws:dynamodb:${c.region}:${c.accountId}:table/${table}`;
  // The stream label is the stream's creation time (ISO without the zone), some days before the events.
  const label = isoWithMs(c.time - ev.int(1, 400) * 86_400_000 - ev.int(0, 86_399_999)).slice(0, -1);
  return {
    region: c.region,
    tableArn,
    streamArn: `${tableArn}/stream/${label}`,
    keySchema: options.keySchema ?? { partitionKey: 'id' },
    viewType: options.streamViewType ?? 'NEW_AND_OLD_IMAGES',
    eventName: options.eventName ?? 'INSERT',
    ttl: options.ttl ?? false,
    time: c.time,
    seqBase: BigInt(`${ev.digits(1, true)}${ev.digits(20)}`),
    rng: c.rng,
  };
}

function defaultItem(r: Random, keys: DynamoDBKeySchema): Record<string, unknown> {
  const item: Record<string, unknown> = { [keys.partitionKey]: `${r.pick(WORDS.nouns)}-${r.hex(8)}` };
  if (keys.sortKey) item[keys.sortKey] = `${r.pick(WORDS.verbs)}#${r.digits(6)}`;
  item.name = r.pick(WORDS.firstNames);
  item.status = r.pick(WORDS.statuses);
  item.count = r.int(0, 500);
  item.active = r.bool();
  return item;
}

function keysOf(image: Image, keys: DynamoDBKeySchema, where: string): Image {
  const out: Image = {};
  for (const name of keys.sortKey ? [keys.partitionKey, keys.sortKey] : [keys.partitionKey]) {
    const value = image[name];
    if (value === undefined) {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${where} lacks the key attribute "${name}" of the key schema`,
        {
          path: where.replace(/^\S+\(\) options\./, ''),
          hint: `Every image must contain the table's keys (${[keys.partitionKey, keys.sortKey].filter(Boolean).join(', ')}); set keySchema to match your table.`,
        },
      );
    }
    const type = Object.keys(value as object)[0];
    const raw = (value as Record<string, unknown>)[type as string];
    // AWS key attributes are scalars: S, N or B, and never empty.
    if (type !== 'S' && type !== 'N' && type !== 'B') {
      throw new HarnessError(
        'INVALID_OPTIONS',
        `${where}.${name}: a key attribute must be a string, number or binary (S, N or B), received type ${type}`,
        {
          path: `${where.replace(/^\S+\(\) options\./, '')}.${name}`,
          hint: 'DynamoDB rejects BOOL, NULL, M, L and set types as key attributes.',
        },
      );
    }
    if ((typeof raw === 'string' && raw.length === 0) || (raw instanceof Uint8Array && raw.length === 0)) {
      throw new HarnessError('INVALID_OPTIONS', `${where}.${name}: a key attribute cannot be empty`, {
        path: `${where.replace(/^\S+\(\) options\./, '')}.${name}`,
        hint: 'DynamoDB rejects an empty string or binary as a key value.',
      });
    }
    out[name] = value;
  }
  return out;
}

function sameKeyValue(a: unknown, b: unknown): boolean {
  const [ta, va] = Object.entries(a as object)[0] ?? [];
  const [tb, vb] = Object.entries(b as object)[0] ?? [];
  if (ta !== tb) return false;
  if (va instanceof Uint8Array && vb instanceof Uint8Array) return Buffer.from(va).equals(Buffer.from(vb));
  return va === vb;
}

function buildRecord(
  ctx: TableContext,
  i: number,
  change: DynamoDBChangeInput | undefined,
  where: string,
): DynamoDBRecord {
  const r = ctx.rng.fork(i);
  const eventName = change?.eventName ?? ctx.eventName;
  let newItem: Record<string, unknown> | undefined;
  let oldItem: Record<string, unknown> | undefined;
  if (eventName !== 'REMOVE')
    newItem = change?.newImage ?? (change?.oldImage ? { ...change.oldImage } : defaultItem(r, ctx.keySchema));
  if (eventName !== 'INSERT') {
    oldItem = change?.oldImage;
    if (!oldItem) {
      if (newItem && change?.newImage) oldItem = { ...newItem };
      else if (newItem) oldItem = { ...newItem, status: r.pick(WORDS.statuses), count: r.int(0, 500) };
      else if (change?.newImage)
        oldItem = { ...change.newImage }; // REMOVE given the item as newImage
      else oldItem = defaultItem(r, ctx.keySchema);
    }
  }
  const newImage = newItem ? marshallImage(newItem, `${where}.newImage`) : undefined;
  const oldImage = oldItem ? marshallImage(oldItem, `${where}.oldImage`) : undefined;
  const Keys = keysOf(
    (newImage ?? oldImage) as Image,
    ctx.keySchema,
    newImage ? `${where}.newImage` : `${where}.oldImage`,
  );
  if (newImage && oldImage) {
    const oldKeys = keysOf(oldImage, ctx.keySchema, `${where}.oldImage`);
    for (const name of Object.keys(Keys)) {
      if (!sameKeyValue(Keys[name], oldKeys[name])) {
        throw new HarnessError(
          'INVALID_OPTIONS',
          `${where}: a MODIFY cannot change the key attribute "${name}" (oldImage and newImage differ)`,
          {
            path: `${where.replace(/^\S+\(\) options\./, '')}.newImage.${name}`,
            hint: 'DynamoDB cannot change a key: changing it is a delete and a put, i.e. a REMOVE record and an INSERT record.',
          },
        );
      }
    }
  }
  const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {
    ApproximateCreationDateTime: Math.floor((ctx.time + i * 10 + r.int(0, 9)) / 1000),
    Keys,
  };
  const view = ctx.viewType;
  if (newImage && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb.NewImage = newImage;
  if (oldImage && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) dynamodb.OldImage = oldImage;
  dynamodb.SequenceNumber = (
    ctx.seqBase +
    BigInt(i) * 1_000_000_000n +
    BigInt(r.int(0, 999_999_999))
  ).toString();
  dynamodb.SizeBytes =
    imageSize(Keys) + imageSize(dynamodb.NewImage as Image) + imageSize(dynamodb.OldImage as Image);
  dynamodb.StreamViewType = view;
  const record: DynamoDBRecord = {
    eventID: r.hex(32),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: ctx.region,
    dynamodb,
    eventSourceARN: ctx.streamArn,
  };
  if (eventName === 'REMOVE' && (change?.ttl ?? ctx.ttl)) {
    record.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  }
  return record;
}

function rederive(record: DynamoDBRecord, override: unknown, keys: DynamoDBKeySchema): void {
  const d = record.dynamodb as NonNullable<DynamoDBRecord['dynamodb']>;
  if (!hasOverride(override, ['dynamodb', 'Keys'])) {
    const source = (d.NewImage ?? d.OldImage) as Image | undefined;
    if (source) d.Keys = keysOf(source, keys, 'overrides.dynamodb image');
  }
  if (!hasOverride(override, ['dynamodb', 'SizeBytes'])) {
    d.SizeBytes =
      imageSize(d.Keys as Image) + imageSize(d.NewImage as Image) + imageSize(d.OldImage as Image);
  }
}

const dynamoDBFamily = batchFamily({
  eventSchema: DynamoDBStreamEventSchema,
  recordSchema: DynamoDBStreamRecordSchema,
  inputsOption: 'changes',
  build: buildRecord,
  rederive: (record: DynamoDBRecord, override, ctx: TableContext) =>
    rederive(record, override, ctx.keySchema),
});

/**
 * Generates a DynamoDB Streams event: plain-object images marshalled, Keys from the key schema,
 * SizeBytes computed, sequence numbers increasing, the StreamViewType deciding which images appear.
 *
 * @example
 * const event = dynamoDBStreamEvent({
 *   keySchema: { partitionKey: 'pk', sortKey: 'sk' },
 *   changes: [{ eventName: 'MODIFY', oldImage: { pk: 'u#1', sk: 'profile', name: 'Ada' }, newImage: { pk: 'u#1', sk: 'profile', name: 'Grace' } }],
 * });
 * event.Records[0]!.dynamodb!.Keys; // { pk: { S: 'u#1' }, sk: { S: 'profile' } }
 */
export function dynamoDBStreamEvent(
  options: DynamoDBStreamEventOptions & { tumblingWindow: TumblingWindowInput },
): DynamoDBStreamTumblingWindowEvent;
export function dynamoDBStreamEvent(options?: DynamoDBStreamEventOptions): DynamoDBStreamEvent;
export function dynamoDBStreamEvent(options: DynamoDBStreamEventOptions = {}): DynamoDBStreamEvent {
  const fn = 'dynamoDBStreamEvent';
  const opts = parseOptions(eventOptionsSchema, options, fn);
  const ctx = tableContext(opts);
  const changes = opts.changes ?? [];
  const window = opts.tumblingWindow;
  return dynamoDBFamily.event(
    fn,
    ctx,
    { records: opts.records, inputs: changes, overrides: opts.overrides },
    (Records): DynamoDBStreamEvent =>
      window
        ? {
            Records,
            ...tumblingWindowFields(
              window,
              ctx.time,
              `shardId-${String(ctx.seqBase % 10n ** 20n).padStart(20, '0')}-${ctx.rng.fork('shard').hex(8)}`,
              ctx.streamArn,
            ),
          }
        : { Records },
  );
}

const changeOptionsSchema = z.strictObject(changeShape);

/**
 * The records of one table, for the DynamoDB Streams simulator: the table's options are checked
 * and resolved once, and each call returns what `dynamoDBStreamRecord({ ...table, index, ...change })`
 * returns, the change checked as that function checks it (errors name `fn`). Resolving the table
 * for every write was most of a write's cost. Not part of the package's public entry.
 *
 * @example
 * const make = dynamoDBRecordMaker({ seed: 1, tableName: 'Orders' }, 'sim.write');
 * make(0, { eventName: 'INSERT', newImage: { id: 'o-1' } }); // deep-equals dynamoDBStreamRecord({ seed: 1, tableName: 'Orders', index: 0, eventName: 'INSERT', newImage: { id: 'o-1' } })
 */
export function dynamoDBRecordMaker(
  table: Omit<DynamoDBStreamRecordOptions, 'newImage' | 'oldImage' | 'index' | 'overrides'>,
  fn: string,
): (index: number, change: DynamoDBChangeInput) => DynamoDBRecord {
  const ctx = tableContext(parseOptions(recordOptionsSchema, table, fn));
  return (index, change) => {
    // The change's eventName and ttl take the place of the table's defaults, as in buildRecord.
    const input = parseOptions<DynamoDBChangeInput>(changeOptionsSchema, change, fn);
    return dynamoDBFamily.record(fn, ctx, { index, input, overrides: undefined });
  };
}

/**
 * Generates one DynamoDB Streams record (the record factory behind {@link dynamoDBStreamEvent}).
 *
 * @example
 * const record = dynamoDBStreamRecord({ eventName: 'REMOVE', ttl: true, oldImage: { id: 'session-1' } });
 * record.userIdentity; // { type: 'Service', principalId: 'dynamodb.amazonaws.com' }
 */
export function dynamoDBStreamRecord(options: DynamoDBStreamRecordOptions = {}): DynamoDBRecord {
  const fn = 'dynamoDBStreamRecord';
  const opts = parseOptions(recordOptionsSchema, options, fn);
  const ctx = tableContext(opts);
  const change: DynamoDBChangeInput = {};
  if (opts.newImage) change.newImage = opts.newImage;
  if (opts.oldImage) change.oldImage = opts.oldImage;
  return dynamoDBFamily.record(fn, ctx, { index: opts.index, input: change, overrides: opts.overrides });
}
