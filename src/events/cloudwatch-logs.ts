/**
 * CloudWatch Logs subscription-filter events: `awslogs.data` is base64(gzip(JSON)).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import { type Random, WORDS } from '../random/index.js';
import { CloudWatchLogsDecodedSchema } from '../schemas/streams.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  type DeepPartial,
  encodeBody,
  isoWithMs,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * Options of {@link cloudWatchLogsEvent}.
 *
 * @example
 * const options: CloudWatchLogsEventOptions = { logGroup: '/aws/lambda/orders', messages: ['START', { level: 'ERROR' }] };
 */
export interface CloudWatchLogsEventOptions extends CommonEventOptions {
  /** Default `/aws/lambda/<generated>`. */
  logGroup?: string;
  /** Default `2024/01/15/[$LATEST]<32 hex>`. */
  logStream?: string;
  /** Default one generated filter name. */
  subscriptionFilters?: string[];
  /** Log lines (strings, or values JSON-encoded). Default 3 generated lines. */
  messages?: unknown[];
  /** `CONTROL_MESSAGE` is what CloudWatch sends once to check the destination. Default `DATA_MESSAGE`. */
  messageType?: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  /** Overrides of the DECODED payload; `data` is re-encoded from the merged payload. */
  overrides?: DeepPartial<CloudWatchLogsDecodedData>;
}

const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  logGroup: z
    .string()
    .regex(/^[\w#/.-]{1,512}$/, 'expected a log group name')
    .optional(),
  logStream: z
    .string()
    .regex(/^[^:*]{1,512}$/, 'expected a log stream name')
    .optional(),
  subscriptionFilters: z.array(z.string().min(1)).optional(),
  messages: z.array(z.unknown()).min(1).optional(),
  messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']).optional(),
});

/**
 * Encodes a decoded CloudWatch Logs payload the way CloudWatch delivers it: base64(gzip(JSON)).
 *
 * @example
 * const event = { awslogs: { data: encodeCloudWatchLogs({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: 'g', logStream: 's', subscriptionFilters: ['f'], logEvents: [{ id: '1', timestamp: 0, message: 'hi' }] }) } };
 */
export function encodeCloudWatchLogs(payload: CloudWatchLogsDecodedData): string {
  // gzip without a file name or mtime, so the bytes depend on the payload only.
  return gzipSync(Buffer.from(JSON.stringify(payload), 'utf8')).toString('base64');
}

/**
 * Decodes `awslogs.data` of a CloudWatch Logs event (the handler's first step).
 *
 * @example
 * decodeCloudWatchLogs(cloudWatchLogsEvent({ messages: ['hello'] })).logEvents[0]?.message; // 'hello'
 */
export function decodeCloudWatchLogs(event: CloudWatchLogsEvent): CloudWatchLogsDecodedData {
  try {
    return JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
  } catch (error) {
    throw new HarnessError(
      'INVALID_OPTIONS',
      `decodeCloudWatchLogs() awslogs.data is not base64(gzip(JSON))`,
      {
        path: 'awslogs.data',
        hint: 'Pass an event built by cloudWatchLogsEvent() or encoded with encodeCloudWatchLogs().',
        cause: error,
      },
    );
  }
}

/**
 * Generates a CloudWatch Logs subscription event. Log event ids are 56-digit strings, timestamps
 * in ms from the reference time; `overrides` apply to the decoded payload before it is encoded.
 *
 * @example
 * const event = cloudWatchLogsEvent({ logGroup: '/aws/lambda/orders', messages: ['ERROR boom'] });
 * decodeCloudWatchLogs(event).logEvents[0]?.message; // 'ERROR boom'
 */
export function cloudWatchLogsEvent(options: CloudWatchLogsEventOptions = {}): CloudWatchLogsEvent {
  const fn = 'cloudWatchLogsEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const ev = c.rng.fork('group');
  const fnName = `${ev.pick(WORDS.nouns)}-${ev.pick(WORDS.verbs)}`;
  const day = new Date(c.time).toISOString().slice(0, 10).replaceAll('-', '/');
  const control = opts.messageType === 'CONTROL_MESSAGE';
  const idBase = BigInt(`3${ev.digits(55)}`);
  const stamp = (i: number) => Math.round(c.time) + i * 7 + c.rng.fork(i).int(0, 6);
  const messages = opts.messages ?? [0, 1, 2].map((i) => generatedLine(c.rng.fork(`line${i}`), stamp(i)));
  const payload: CloudWatchLogsDecodedData = {
    messageType: control ? 'CONTROL_MESSAGE' : 'DATA_MESSAGE',
    owner: control ? 'CloudwatchLogs' : c.accountId,
    logGroup: opts.logGroup ?? (control ? 'testLogGroup' : `/aws/lambda/${fnName}`),
    logStream: opts.logStream ?? (control ? 'testLogStream' : `${day}/[$LATEST]${ev.hex(32)}`),
    subscriptionFilters: opts.subscriptionFilters ?? [control ? 'testFilter' : `${fnName}-filter`],
    logEvents: control
      ? [
          {
            id: idBase.toString(),
            timestamp: Math.round(c.time),
            message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.',
          },
        ]
      : // Ids grow with the position in the batch, like real ones.
        messages.map((m, i) => ({
          id: (idBase + BigInt(i) * 10n ** 20n).toString(),
          timestamp: stamp(i),
          message: encodeBody(m),
        })),
  };
  const merged = applyEventOverrides(payload, opts.overrides, CloudWatchLogsDecodedSchema, fn);
  return { awslogs: { data: encodeCloudWatchLogs(merged) } };
}

/** A line as the Node.js runtime writes it: time, request id, level, message. */
function generatedLine(r: Random, timestamp: number): string {
  const level = ['INFO', 'WARN', 'ERROR'][r.int(0, 2)];
  return `${isoWithMs(timestamp)}\t${r.uuid()}\t${level}\t${r.pick(WORDS.nouns)} ${r.pick(WORDS.verbs)} ${r.int(1, 999)}\n`;
}
