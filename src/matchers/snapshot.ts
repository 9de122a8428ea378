import type { LogLine } from '../contract/logs.js';
import type { InvocationResult } from '../contract/result.js';
import { isInvocationResult } from './message.js';

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;
const TEXT_MEASURES =
  /\b(Init Duration|Billed Duration|Duration|Max Memory Used|Restore Duration): \d+(?:\.\d+)? (ms|MB)\b/g;
const JSON_MEASURES =
  /("(?:durationMs|billedDurationMs|initDurationMs|maxMemoryUsedMB|restoreDurationMs|producedBytes)"\s*:\s*)-?\d+(?:\.\d+)?/g;
const JSON_STACK = /"\s+at [^"]*"(?:\s*,\s*"\s+at [^"]*")*/g;
const TEXT_STACK = /(?:(?:\r?\n|\r)[ \t]+at [^\r\n]*)+/g;

const normalised = new WeakSet<object>();

/**
 * Replaces volatile parts of a string: the UUIDs (`<request-id>` for the invocation's own id,
 * `<uuid-1>`, `<uuid-2>`… for others, stable within one call), ISO timestamps, REPORT measures and
 * stack frames.
 */
export class VolatileMasker {
  readonly #ids = new Map<string, string>();
  #next = 1;

  constructor(requestId?: string) {
    if (requestId) this.#ids.set(requestId.toLowerCase(), '<request-id>');
  }

  /** Masks one string. */
  text(value: string): string {
    return value
      .replace(UUID, (id) => {
        const key = id.toLowerCase();
        let label = this.#ids.get(key);
        if (!label) {
          label = `<uuid-${this.#next++}>`;
          this.#ids.set(key, label);
        }
        return label;
      })
      .replace(ISO, '<timestamp>')
      .replace(TEXT_MEASURES, (_m, field: string, unit: string) => `${field}: <n> ${unit}`)
      .replace(JSON_MEASURES, (_m, prefix: string) => `${prefix}"<n>"`)
      .replace(JSON_STACK, '"    at <stack>"')
      .replace(TEXT_STACK, '\n    at <stack>');
  }

  /** Masks every string inside a JSON-like value (and trace arrays), returning a copy. */
  value(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) {
      if (key === 'trace' || key === 'stack' || key === 'stackTrace')
        return collapseFrames(value.map((v) => this.value(v)));
      return value.map((v) => this.value(v));
    }
    if (typeof value === 'number' && key !== undefined && MEASURE_KEYS.has(key)) return '<n>';
    // Streamed bytes: the decoded text sits beside them, so only the size is shown.
    if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.value(v, k);
      return out;
    }
    return value;
  }
}

const MEASURE_KEYS = new Set([
  'durationMs',
  'billedDurationMs',
  'initDurationMs',
  'maxMemoryUsedMB',
  'restoreDurationMs',
  'producedBytes',
  // response streaming: chunk and first-byte times
  'atMs',
  'deliveredAtMs',
  'firstByteAtMs',
]);

function collapseFrames(lines: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const line of lines) {
    const frame = typeof line === 'string' && /^\s+at /.test(line);
    if (frame && out[out.length - 1] === '    at <stack>') continue;
    out.push(frame ? '    at <stack>' : line);
  }
  return out;
}

function normaliseLine(line: LogLine, mask: VolatileMasker): Record<string, unknown> {
  const out: Record<string, unknown> = {
    text: mask.text(line.text),
    source: line.source,
    level: line.level,
    requestId: line.requestId === undefined ? undefined : mask.text(line.requestId),
    message: mask.value(line.message),
    json: line.json === undefined ? undefined : mask.value(line.json),
    timestamp: '<timestamp>',
    stream: line.stream,
  };
  normalised.add(out);
  return out;
}

/**
 * A copy of an invocation result with its volatile fields masked (request id, durations, memory,
 * timestamps, other UUIDs, stack frames), so `toMatchSnapshot()` is stable from run to run. The
 * runner entries register {@link lambdaSnapshotSerializer}, which applies this automatically.
 *
 * @example
 * const result = await invokeHandler(handler, event);
 * expect(normalizeResult(result)).toMatchInlineSnapshot();
 */
export function normalizeResult(result: InvocationResult): Record<string, unknown> {
  const mask = new VolatileMasker(result.requestId);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    if (key === 'logs') continue;
    if (key === 'requestId') out[key] = '<request-id>';
    else if (key === 'report') out[key] = mask.value({ ...(value as object) });
    else if (key === 'responseJson') out[key] = typeof value === 'string' ? mask.text(value) : value;
    else out[key] = mask.value(value, key);
  }
  out.logs = result.logs.map((line) => normaliseLine(line, mask));
  normalised.add(out);
  return out;
}

/**
 * Masks the volatile parts of captured log lines, e.g. to snapshot `result.logs` alone.
 *
 * @example
 * expect(normalizeLogs(result.logs, result.requestId).map((l) => l.text)).toMatchSnapshot();
 */
export function normalizeLogs(logs: readonly LogLine[], requestId?: string): Record<string, unknown>[] {
  const mask = new VolatileMasker(requestId);
  return logs.map((line) => normaliseLine(line, mask));
}

function isLogLine(value: unknown): value is LogLine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.text === 'string' &&
    typeof v.source === 'string' &&
    typeof v.stream === 'string' &&
    'timestamp' in v
  );
}

/**
 * A pretty-format plugin (the snapshot serializer API shared by Vitest and Jest) that prints
 * invocation results and log lines through {@link normalizeResult}. `lambda-harness/vitest` and
 * `lambda-harness/jest` register it; add it yourself with `expect.addSnapshotSerializer()` when
 * you use the matchers one by one.
 *
 * @example
 * expect.addSnapshotSerializer(lambdaSnapshotSerializer);
 * expect(await invokeHandler(handler, event)).toMatchSnapshot();
 */
export const lambdaSnapshotSerializer = {
  test(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || normalised.has(value)) return false;
    return isInvocationResult(value) || isLogLine(value);
  },
  serialize<Config, Refs>(
    value: unknown,
    config: Config,
    indentation: string,
    depth: number,
    refs: Refs,
    printer: (value: unknown, config: Config, indentation: string, depth: number, refs: Refs) => string,
  ): string {
    const copy = isInvocationResult(value)
      ? normalizeResult(value)
      : normaliseLine(value as LogLine, new VolatileMasker((value as LogLine).requestId));
    return printer(copy, config, indentation, depth, refs);
  },
};
