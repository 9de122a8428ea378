import { expect } from 'vitest';
import { type InvokeOptions, invokeHandler } from '../../src/invoke/index.js';
import type { ErrorPayload, InvocationResult, RuntimeName } from '../../src/invoke/result.js';
import type { LogLine } from '../../src/logs/types.js';

/** The observation records' request id for invoke 1. */
export const ID1 = '11111111-1111-4111-8111-111111111111';
/** The observation records' request id for invoke 2. */
export const ID2 = '22222222-2222-4222-8222-222222222222';

/** v3 = aws-lambda-ric 3.3.0 (nodejs20.x / nodejs22.x); v4 = aws-lambda-ric 4.0.2 (nodejs24.x). */
export const V3: readonly RuntimeName[] = ['nodejs20.x', 'nodejs22.x'];
export const V4: readonly RuntimeName[] = ['nodejs24.x'];
export const ALL: readonly RuntimeName[] = [...V3, ...V4];

/** `<TIMESTAMP>` of the records. */
export const TS = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

export function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Invoke with the records' request id for invoke 1. */
export function run(
  handler: unknown,
  event: unknown,
  runtime: RuntimeName,
  options: Omit<InvokeOptions, 'runtime'> = {},
): Promise<InvocationResult> {
  return invokeHandler(handler, event, { requestId: ID1, runtime, timeout: 3, ...options });
}

/** The response body as POSTed (`resp X`). */
export function posted(result: InvocationResult): string {
  if (result.outcome !== 'success') {
    expect.fail(`expected a response POST, got ${result.outcome}: ${JSON.stringify(result.error)}`);
  }
  return result.responseJson;
}

/** The error POST body (`err T "M"`). */
export function errorPosted(result: InvocationResult): ErrorPayload {
  if (result.outcome !== 'error') {
    expect.fail(
      `expected an error POST, got ${result.outcome}: ${result.outcome === 'success' ? result.responseJson : JSON.stringify(result.error)}`,
    );
  }
  return result.error;
}

/** Lines the runtime client adds (Invoke Error, Uncaught Exception, Init Error, 413 line, crash print). */
export function runtimeLines(result: { logs: readonly LogLine[] }): LogLine[] {
  return result.logs.filter((l) => l.source === 'runtime');
}

/** The handler's own console.* lines and raw writes. */
export function functionLines(result: { logs: readonly LogLine[] }): LogLine[] {
  return result.logs.filter((l) => l.source === 'function' || l.source === 'raw');
}

/**
 * Match a runtime text error line `<ts>\t<reqId>\tERROR\t<Prefix> \t<JSON>` and return the parsed JSON.
 */
export function parseRuntimeErrorLine(
  text: string,
  requestId: string,
  prefix: string,
): Record<string, unknown> {
  const re = new RegExp(`^${TS}\\t${esc(requestId)}\\tERROR\\t${esc(prefix)} \\t(\\{.*\\})$`);
  const m = re.exec(text);
  if (!m) expect.fail(`not a "${prefix}" line for ${requestId}: ${JSON.stringify(text)}`);
  return JSON.parse(m[1] as string) as Record<string, unknown>;
}

/** An Error POST trace: the `Name: message` header then at most 10 `    at ` frames. */
export function expectStackTrace(trace: readonly string[] | undefined, header: string): void {
  expect(trace?.[0]).toBe(header);
  const frames = (trace ?? []).slice(1);
  expect(frames.length).toBeGreaterThanOrEqual(1);
  expect(frames.length).toBeLessThanOrEqual(10);
  for (const f of frames) expect(f).toMatch(/^ {4}at /);
}
