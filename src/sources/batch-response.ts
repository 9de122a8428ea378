/**
 * How Lambda reads a `ReportBatchItemFailures` response (SQS, Kinesis, DynamoDB Streams).
 */

import { describeValue, isJsonSerialisable } from '../errors/options.js';

/**
 * The reading of a batch response:
 * - `success`: every item succeeded (also: setting off, null/empty response, null/empty list);
 * - `partial`: the listed item ids failed (the rest succeeded);
 * - `invalid`: the response is malformed, so the whole batch failed (`reason` says why).
 *
 * @example
 * readBatchResponse({ batchItemFailures: [{ itemIdentifier: 'm1' }] }, new Set(['m1', 'm2']), true);
 * // { kind: 'partial', failed: ['m1'] }
 */
export type BatchResponseReading =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failed: readonly string[] }
  | { readonly kind: 'invalid'; readonly reason: string };

const SUCCESS: BatchResponseReading = { kind: 'success' };

/**
 * Interprets a successful invocation's response for a batch source.
 * Without ReportBatchItemFailures any response is a success. With it: a null or empty response,
 * `{}`, or a null or empty `batchItemFailures` list is a complete success; a response that is not
 * an object, a list that is not an array, an entry without `itemIdentifier` (for example a wrongly
 * named key), an empty or null identifier, or one that is not in the batch fails the whole batch.
 *
 * @example
 * readBatchResponse({ batchItemFailures: [{ itemIdentifier: '' }] }, new Set(['m1']), true).kind; // 'invalid'
 * readBatchResponse('anything', new Set(['m1']), false).kind; // 'success'
 */
export function readBatchResponse(
  response: unknown,
  batchIds: ReadonlySet<string>,
  reportBatchItemFailures: boolean,
): BatchResponseReading {
  if (!reportBatchItemFailures) return SUCCESS;
  if (response === null || response === undefined || response === '') return SUCCESS;
  if (typeof response !== 'object' || Array.isArray(response)) {
    return {
      kind: 'invalid',
      reason: `the response is not a JSON object (${isJsonSerialisable(response) ? JSON.stringify(response).slice(0, 80) : describeValue(response)})`,
    };
  }
  const list = (response as Record<string, unknown>).batchItemFailures;
  if (list === undefined || list === null) return SUCCESS;
  if (!Array.isArray(list)) return { kind: 'invalid', reason: 'batchItemFailures is not an array' };
  if (list.length === 0) return SUCCESS;
  const failed: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as unknown;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return { kind: 'invalid', reason: `batchItemFailures[${i}] is not an object` };
    }
    if (!Object.hasOwn(entry, 'itemIdentifier')) {
      return {
        kind: 'invalid',
        reason: `batchItemFailures[${i}] has no itemIdentifier (keys: ${Object.keys(entry).join(', ') || 'none'})`,
      };
    }
    const id = (entry as { itemIdentifier: unknown }).itemIdentifier;
    if (id === null || id === '' || typeof id !== 'string') {
      return { kind: 'invalid', reason: `batchItemFailures[${i}].itemIdentifier is ${describeValue(id)}` };
    }
    if (!batchIds.has(id)) {
      return {
        kind: 'invalid',
        reason: `batchItemFailures[${i}].itemIdentifier "${id}" is not in the batch`,
      };
    }
    if (!seen.has(id)) {
      seen.add(id);
      failed.push(id);
    }
  }
  return { kind: 'partial', failed };
}
