/**
 * The one primitive every batch family is built from (SQS-like sources, streams, S3, SNS, SES,
 * Firehose, MQ, Kafka, S3 Batch Operations): a context resolved once per event, a record factory
 * `build(ctx, i, input)` whose record `i` draws from its own random stream, the record count, the
 * overrides merged element by element over the generated records, validated, then the derived
 * fields recomputed. The option handling is the house's: `recordCount`, `applyEventOverrides` and
 * `applyRecordOverrides` from core.ts.
 */
import type { z } from 'zod';
import {
  applyEventOverrides,
  applyRecordOverrides,
  deepMerge,
  isPlainObject,
  recordCount,
  validateEvent,
} from './core.js';

/**
 * What a batch family declares once; {@link batchFamily} turns it into the event and record factories.
 *
 * @example
 * const family = batchFamily({
 *   eventSchema: SnsEventSchema,
 *   recordSchema: SnsRecordSchema,
 *   inputsOption: 'messages',
 *   build: (ctx: TopicContext, i, msg: SnsMessageInput | undefined) => buildRecord(ctx, i, msg),
 * });
 */
export interface BatchFamilySpec<Ctx, In, R> {
  /** Schema of the whole event (validated after event overrides). */
  readonly eventSchema: z.ZodType;
  /** Schema of one record (validated after record overrides). */
  readonly recordSchema: z.ZodType;
  /**
   * The key holding the records. `Records` (the default) merges through core's
   * `applyEventOverrides`; another key (Firehose's `records`) merges the same way, element by element.
   */
  readonly recordsKey?: string;
  /** Name of the per-record input option, used in error paths (`options.changes[2]`). */
  readonly inputsOption: string;
  /** Builds record `i`; `where` names the input in errors (`sqsEvent() options.messages[1]`). */
  build(ctx: Ctx, i: number, input: In | undefined, where: string): R;
  /** Recomputes derived fields of a merged record; `override` is what the user set on it. */
  rederive?(record: R, override: unknown, ctx: Ctx, i: number): void;
}

/**
 * The event and record factories of a batch family.
 *
 * @example
 * const event = family.event('snsEvent', ctx, { records: 2, inputs: messages, overrides });
 * const record = family.record('snsRecord', ctx, { index: 0, input: msg, overrides });
 */
export interface BatchFamily<Ctx, In, R> {
  /**
   * Builds `records` records (default: one per input, at least one, at least as many as the
   * record overrides), wraps them (default `{ Records }`), merges and validates the overrides.
   */
  event<E extends object>(
    fn: string,
    ctx: Ctx,
    input: {
      records?: number | undefined;
      inputs?: readonly (In | undefined)[];
      overrides?: object | undefined;
    },
    wrap?: (records: R[]) => E,
  ): E;
  /** Builds one record at `index` and merges and validates its overrides. */
  record(
    fn: string,
    ctx: Ctx,
    input: { index?: number | undefined; input?: In | undefined; overrides?: object | undefined },
  ): R;
}

/**
 * Declares a batch family (see {@link BatchFamilySpec}).
 *
 * @example
 * const family = batchFamily({ eventSchema, recordSchema, inputsOption: 'bodies', build });
 * export const fooEvent = (o: FooOptions = {}) => family.event('fooEvent', context(o), { inputs: o.bodies });
 */
export function batchFamily<Ctx, In, R>(spec: BatchFamilySpec<Ctx, In, R>): BatchFamily<Ctx, In, R> {
  const key = spec.recordsKey ?? 'Records';
  return {
    event(fn, ctx, { records, inputs = [], overrides }, wrap) {
      const count = recordsCountFor(fn, key, records, inputs.length, overrides);
      const built: R[] = new Array(count);
      for (let i = 0; i < count; i++) {
        built[i] = spec.build(ctx, i, inputs[i], `${fn}() options.${spec.inputsOption}[${i}]`);
      }
      const event = wrap ? wrap(built) : ({ [key]: built } as never);
      const rederive = spec.rederive
        ? (merged: object, given: object) => {
            const list = (merged as Record<string, R[]>)[key] ?? [];
            const overrideList = (given as Record<string, unknown>)[key];
            list.forEach((record, i) => {
              spec.rederive?.(record, Array.isArray(overrideList) ? overrideList[i] : undefined, ctx, i);
            });
          }
        : undefined;
      if (key === 'Records') return applyEventOverrides(event, overrides, spec.eventSchema, fn, rederive);
      return mergeKeyed(key, event, overrides, spec.eventSchema, fn, rederive);
    },
    record(fn, ctx, { index = 0, input, overrides }) {
      const record = spec.build(ctx, index, input, `${fn}() options`);
      return applyRecordOverrides(record, overrides, spec.recordSchema, fn, (merged, given) =>
        spec.rederive?.(merged, given, ctx, index),
      );
    },
  };
}

/** `recordCount`, counting record overrides under `key` rather than `Records`. */
function recordsCountFor(
  fn: string,
  key: string,
  explicit: number | undefined,
  inputs: number,
  overrides: object | undefined,
): number {
  const list = (overrides as Record<string, unknown> | undefined)?.[key];
  return recordCount(fn, explicit, inputs, Array.isArray(list) ? { Records: list } : undefined);
}

/** `applyEventOverrides` for records kept under another key: that array merges element by element. */
function mergeKeyed<E>(
  key: string,
  event: E,
  overrides: object | undefined,
  schema: z.ZodType,
  fn: string,
  rederive: ((merged: object, given: object) => void) | undefined,
): E {
  if (!overrides) return event;
  const { [key]: listOverride, ...rest } = overrides as Record<string, unknown>;
  const merged = deepMerge(event, rest) as Record<string, unknown>;
  const base = (event as Record<string, unknown>)[key];
  if (Array.isArray(listOverride) && Array.isArray(base)) {
    merged[key] = base.map((record, i) =>
      i < listOverride.length ? deepMerge(record, listOverride[i]) : record,
    );
  } else if (listOverride !== undefined) {
    merged[key] = isPlainObject(listOverride) ? deepMerge(base, listOverride) : listOverride;
  }
  validateEvent(schema, merged, fn);
  rederive?.(merged, overrides);
  return merged as E;
}
