import { randomBytes, randomUUID } from 'node:crypto';

/**
 * A new request id: a lowercase UUID v4, as Lambda assigns.
 *
 * @example
 * newRequestId(); // 'c793869b-ee49-415b-a5b6-4fd21e8dedac'
 */
export function newRequestId(): string {
  return randomUUID();
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * A log stream name in Lambda's format `YYYY/MM/DD/[<version>]<32 hex>` (one per environment).
 *
 * @example
 * newLogStreamName('$LATEST', Date.UTC(2024, 0, 2)); // '2024/01/02/[$LATEST]3f1c...'
 */
export function newLogStreamName(version: string, nowMs: number): string {
  const d = new Date(nowMs);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/[${version}]${randomBytes(16).toString('hex')}`;
}

/**
 * An X-Ray trace header in the format Lambda passes (`Root=1-<8 hex epoch s>-<24 hex>;Parent=<16 hex>;Sampled=0`).
 *
 * @example
 * newTraceId(Date.now()); // 'Root=1-6571c2a0-0e6f...;Parent=53995c3f42cd8ad8;Sampled=0'
 */
export function newTraceId(nowMs: number, parentSource?: string): string {
  const seconds = Math.floor(nowMs / 1000);
  if (seconds !== lastTraceSecond) {
    lastTraceSecond = seconds;
    lastTraceEpoch = seconds.toString(16).padStart(8, '0');
  }
  const epoch = lastTraceEpoch;
  traceCounter = (traceCounter + 1) % 0x1_0000_0000;
  // Parent: 16 hex digits of a random UUID (the request id when given, which already is one).
  const parent = parentSource ?? randomUUID();
  return `Root=1-${epoch}-${tracePrefix}${traceCounter.toString(16).padStart(8, '0')};Parent=${parent.slice(0, 8)}${parent.slice(24, 32)};Sampled=0`;
}

/** 16 random hex digits per process, then an 8-digit counter: unique trace roots without 20 random bytes each. */
const tracePrefix = randomBytes(8).toString('hex');
let traceCounter = Math.floor(Math.random() * 0x1_0000_0000);
/** The hex epoch second of the last trace id (consecutive ids mostly share it). */
let lastTraceSecond = Number.NaN;
let lastTraceEpoch = '';
