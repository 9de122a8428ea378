import { readFileSync } from 'node:fs';
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

/**
 * Node's crash print for an error created at `marker` (a unique source text) in `file`: the `file:line`
 * excerpt, the source line, a caret under `caretAt` (the `throw` for an uncaught throw, the `new Error`
 * for a rejection), an empty line, then the caller's stack lines, an empty line and `Node.js <version>`.
 */
export function expectedCrashHead(file: string, marker: string, caretAt: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(marker));
  if (index < 0) expect.fail(`marker ${marker} not in ${file}`);
  const text = lines[index] as string;
  return [`${file}:${index + 1}`, text, `${' '.repeat(text.indexOf(caretAt))}^`, ''];
}

/** The observed init crash print head (nodejs24.x re-throws the init error from a promise). */
export const INIT_CRASH_HEAD = [
  'node:internal/process/promises:394',
  '    triggerUncaughtException(err, true /* fromPromise */);',
  '    ^',
  '',
];

/** Check a crash print: exact head, the error's stack (first line `header`), empty line, `Node.js <process.version>`. */
export function expectCrashPrint(lines: readonly string[], head: readonly string[], header: string): void {
  expect(lines.slice(0, head.length)).toEqual(head);
  expect(lines[head.length]).toBe(header);
  expect(lines.slice(head.length + 1, -2).some((f) => f.startsWith('    at '))).toBe(true);
  expect(lines.slice(-2)).toEqual(['', `Node.js ${process.version}`]);
}

/**
 * nodejs24.x init failure (observed): right after each `Init Error` line, Node's crash print on stderr
 * with the `promises:394` head and that line's logged stack; `prints` is how many inits ran (the
 * service's suppressed init inside the invoke adds one). Other generations print nothing on stderr.
 */
export function expectInitCrashPrints(
  result: { logs: readonly LogLine[] },
  runtime: RuntimeName,
  prints: number,
): void {
  const stderr = runtimeLines(result).filter((l) => l.stream === 'stderr');
  if (runtime !== 'nodejs24.x') {
    expect(stderr).toEqual([]);
    return;
  }
  let seen = 0;
  let printed = 0;
  result.logs.forEach((l, i) => {
    const at = l.text.indexOf('\tInit Error \t');
    if (l.source !== 'runtime' || l.stream !== 'stdout' || at < 0) return;
    seen++;
    const stack = (JSON.parse(l.text.slice(at + '\tInit Error \t'.length)) as { stack: string[] }).stack;
    const after = result.logs.slice(i + 1);
    const end = after.findIndex((x) => x.text.startsWith('Node.js v'));
    const print = after.slice(0, end + 1);
    expect(print.every((x) => x.source === 'runtime' && x.stream === 'stderr')).toBe(true);
    const texts = print.map((x) => x.text);
    expectCrashPrint(texts, INIT_CRASH_HEAD, stack[0] ?? '');
    // util.inspect: the stack, then own properties (` {` on the last frame, `  code: …`, `}`).
    const body = texts.slice(INIT_CRASH_HEAD.length, -2).join('\n');
    expect(body === stack.join('\n') || body.startsWith(`${stack.join('\n')} {\n`)).toBe(true);
    printed += print.length;
  });
  expect(seen).toBe(prints);
  expect(printed).toBe(stderr.length);
}
