import { type MatcherContext, type MatcherResult, stringifyValue } from './context.js';
import { badArgument, buildResult, describeOutcome, indentRest, requireResult } from './message.js';

/**
 * An item a batch response can name: a message id / sequence number, or the record itself
 * (SQS `messageId`, Kinesis `kinesis.sequenceNumber`, DynamoDB `dynamodb.SequenceNumber`).
 *
 * @example
 * expect(result).toHaveBatchItemFailures([event.Records[1]]);
 */
export type BatchItemRef =
  | string
  | { readonly messageId: string }
  | { readonly kinesis: { readonly sequenceNumber: string } }
  | { readonly dynamodb?: { readonly SequenceNumber?: string | undefined } | undefined }
  | { readonly itemIdentifier: string };

/** The identifier Lambda expects in `batchItemFailures` for a record or id. */
export function batchItemIdentifier(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  if (typeof ref !== 'object' || ref === null) return undefined;
  const r = ref as Record<string, unknown>;
  if (typeof r.messageId === 'string') return r.messageId;
  const kinesis = r.kinesis as Record<string, unknown> | undefined;
  if (kinesis && typeof kinesis.sequenceNumber === 'string') return kinesis.sequenceNumber;
  const ddb = r.dynamodb as Record<string, unknown> | undefined;
  if (ddb && typeof ddb.SequenceNumber === 'string') return ddb.SequenceNumber;
  if (typeof r.itemIdentifier === 'string') return r.itemIdentifier;
  return undefined;
}

/** Reads the ids a handler reported in `{ batchItemFailures: [{ itemIdentifier }] }`. */
function reportedFailures(response: unknown): { ids: string[]; problem?: string } {
  if (response === null || response === undefined) return { ids: [] };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { ids: [], problem: 'the response is not an object (Lambda treats it as complete success)' };
  }
  const list = (response as Record<string, unknown>).batchItemFailures;
  if (list === undefined || list === null) return { ids: [] };
  if (!Array.isArray(list)) return { ids: [], problem: 'batchItemFailures is not an array' };
  const ids: string[] = [];
  for (const [i, item] of list.entries()) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') {
      return {
        ids,
        problem: `batchItemFailures[${i}].itemIdentifier is ${stringifyValue(id)} (Lambda fails the whole batch)`,
      };
    }
    ids.push(id);
  }
  return { ids };
}

/** Matchers over batch responses (SQS, Kinesis, DynamoDB Streams partial batch responses). */
export const batchMatchers = {
  /**
   * Passes when the handler succeeded and reported exactly these batch item failures (order
   * ignored). Items are ids or the records themselves; `[]` asserts a complete success.
   */
  toHaveBatchItemFailures(
    this: MatcherContext,
    received: unknown,
    expected: readonly BatchItemRef[],
  ): MatcherResult {
    const result = requireResult('toHaveBatchItemFailures', received);
    if (!Array.isArray(expected)) {
      badArgument('toHaveBatchItemFailures', 'expected', 'an array of ids or records', expected);
    }
    const expectedIds = expected.map((ref, i) => {
      const id = batchItemIdentifier(ref);
      if (id === undefined) {
        badArgument(
          'toHaveBatchItemFailures',
          `expected[${i}]`,
          'a message id, a sequence number or an SQS/Kinesis/DynamoDB record',
          ref,
        );
      }
      return id;
    });
    const want = [...expectedIds].sort();
    if (result.outcome !== 'success') {
      return buildResult(this, false, {
        name: 'toHaveBatchItemFailures',
        expectedLabel: 'expected',
        expectation: [
          `batch item failures ${this.utils.printExpected(want)}`,
          `batch item failures other than ${this.utils.printExpected(want)}`,
        ],
        received: describeOutcome(this, result),
        logs: result.logs,
        hint: 'A thrown error or timeout fails the whole batch: every record is retried, not only some.',
      });
    }
    const { ids, problem } = reportedFailures(result.response);
    const got = [...ids].sort();
    const pass = problem === undefined && this.equals(got, want);
    return buildResult(this, pass, {
      name: 'toHaveBatchItemFailures',
      expectedLabel: 'expected',
      expectation: [
        `batch item failures ${this.utils.printExpected(want)}`,
        `batch item failures other than ${this.utils.printExpected(want)}`,
      ],
      received: [
        `Received: ${problem ?? `batch item failures ${this.utils.printReceived(got)}`}`,
        `  response: ${indentRest(this.utils.printReceived(result.response))}`,
      ],
      hint: 'Return { batchItemFailures: [{ itemIdentifier }] } with the SQS messageId, or the Kinesis/DynamoDB sequence number; ReportBatchItemFailures must be enabled on the mapping.',
      actual: got,
      expected: want,
    });
  },
};

/**
 * A Kafka record a batch response can name: the record itself (MSK or self-managed, with `topic`,
 * `partition`, `offset`) or the identifier Lambda reads, `{ partition: 'topic-partition', offset }`.
 *
 * @example
 * const event = mskEvent({ records: 3 });
 * const [first] = Object.values(event.records)[0]!;
 * expect(result).toHaveKafkaBatchItemFailures([first]);
 */
export type KafkaItemRef =
  | { readonly topic: string; readonly partition: number; readonly offset: number }
  | { readonly partition: string; readonly offset: number };

/** `topic-partition@offset` for a Kafka record or identifier; undefined for anything else. */
export function kafkaItemKey(ref: unknown): string | undefined {
  if (typeof ref !== 'object' || ref === null) return undefined;
  const r = ref as Record<string, unknown>;
  if (!Number.isSafeInteger(r.offset) || (r.offset as number) < 0) return undefined;
  if (typeof r.topic === 'string' && Number.isSafeInteger(r.partition))
    return `${r.topic}-${r.partition}@${r.offset}`;
  if (typeof r.partition === 'string' && r.partition !== '' && r.topic === undefined)
    return `${r.partition}@${r.offset}`;
  return undefined;
}

/** Reads `{ batchItemFailures: [{ itemIdentifier: { partition, offset } }] }` as Kafka mappings do. */
function reportedKafkaFailures(response: unknown): { keys: string[]; problem?: string } {
  if (response === null || response === undefined) return { keys: [] };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { keys: [], problem: 'the response is not an object (Lambda treats it as complete success)' };
  }
  const list = (response as Record<string, unknown>).batchItemFailures;
  if (list === undefined || list === null) return { keys: [] };
  if (!Array.isArray(list)) return { keys: [], problem: 'batchItemFailures is not an array' };
  const keys: string[] = [];
  for (const [i, item] of list.entries()) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const key = typeof id === 'object' && id !== null && !('topic' in id) ? kafkaItemKey(id) : undefined;
    if (key === undefined) {
      return {
        keys,
        problem: `batchItemFailures[${i}].itemIdentifier is ${stringifyValue(id)}, not { partition: "<topic>-<partition>", offset } (Lambda fails the whole batch)`,
      };
    }
    keys.push(key);
  }
  return { keys };
}

/** The Kafka partial batch response matcher. */
export const kafkaBatchMatchers = {
  /**
   * Passes when the handler succeeded and reported exactly these Kafka records as failed (order
   * ignored), each as `{ itemIdentifier: { partition: 'topic-partition', offset } }`; `[]` asserts a
   * complete success. Lambda reads it only with ReportBatchItemFailures on the Kafka mapping.
   */
  toHaveKafkaBatchItemFailures(
    this: MatcherContext,
    received: unknown,
    expected: readonly KafkaItemRef[],
  ): MatcherResult {
    const name = 'toHaveKafkaBatchItemFailures';
    const result = requireResult(name, received);
    if (!Array.isArray(expected))
      badArgument(name, 'expected', 'an array of Kafka records or identifiers', expected);
    const want = expected
      .map((ref, i) => {
        const key = kafkaItemKey(ref);
        if (key === undefined) {
          badArgument(
            name,
            `expected[${i}]`,
            'a Kafka record ({ topic, partition, offset }) or an identifier ({ partition: "topic-partition", offset })',
            ref,
          );
        }
        return key;
      })
      .sort();
    const expectation: [string, string] = [
      `Kafka batch item failures ${this.utils.printExpected(want)}`,
      `Kafka batch item failures other than ${this.utils.printExpected(want)}`,
    ];
    if (result.outcome !== 'success') {
      return buildResult(this, false, {
        name,
        expectedLabel: 'expected',
        expectation,
        received: describeOutcome(this, result),
        logs: result.logs,
        hint: 'A thrown error or timeout fails the whole batch: every record is retried, not only some.',
      });
    }
    const { keys, problem } = reportedKafkaFailures(result.response);
    const got = [...keys].sort();
    return buildResult(this, problem === undefined && this.equals(got, want), {
      name,
      expectedLabel: 'expected',
      expectation,
      received: [
        `Received: ${problem ?? `Kafka batch item failures ${this.utils.printReceived(got)}`}`,
        `  response: ${indentRest(this.utils.printReceived(result.response))}`,
      ],
      hint: 'Return { batchItemFailures: [{ itemIdentifier: { partition: record.topic + "-" + record.partition, offset: record.offset } }] }; ReportBatchItemFailures must be enabled on the Kafka mapping (provisioned mode).',
      actual: got,
      expected: want,
    });
  },
};
