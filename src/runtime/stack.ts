/**
 * The handler's part of a stack trace. On Lambda a handler's error shows the handler's frames
 * (above the runtime client's); in the harness the frames below the handler are the harness's own
 * and then the test runner's, which say nothing about the user's code. Every error the harness
 * reports (the response's `trace`, the `Invoke Error` / `Init Error` log lines, the crash print)
 * shows the handler's frames, and the runtime's for an error the runtime itself made.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This module's file, read from V8's structured stack (`import.meta` is a syntax error in the CommonJS build). */
function ownFile(): string | undefined {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, callsites) => callsites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, ownFile);
    const name = (holder.stack as NodeJS.CallSite[] | undefined)?.[0]?.getFileName();
    if (!name) return undefined;
    return name.startsWith('file:') ? fileURLToPath(name) : name;
  } catch {
    return undefined;
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}

/**
 * Where the harness's own code lives, as path prefixes (plain and `file://`): the `src/` and
 * `dist/` folders of the lambda-harness package this module belongs to. Empty when that cannot be
 * told (then nothing is trimmed).
 */
function harnessPrefixes(): string[] {
  const file = ownFile();
  if (!file || !path.isAbsolute(file)) return [];
  let dir = path.dirname(file);
  while (path.basename(dir) !== 'src' && path.basename(dir) !== 'dist') {
    const up = path.dirname(dir);
    if (up === dir) return [];
    dir = up;
  }
  const root = path.dirname(dir);
  // Only the harness's own package: bundled into someone's build, its file says nothing about
  // which frames are the harness's, and nothing is trimmed.
  try {
    if (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).name !== 'lambda-harness')
      return [];
  } catch {
    return [];
  }
  return ['src', 'dist'].flatMap((folder) => {
    const prefix = path.join(root, folder) + path.sep;
    return [prefix, pathToFileURL(prefix).href];
  });
}

const HARNESS = harnessPrefixes();
const FRAME = /^\s+at /;

/** Whether a frame line (or any text) names one of the harness's files. */
function isHarnessFrame(line: string): boolean {
  return HARNESS.some((prefix) => line.includes(prefix));
}

/**
 * The frames to keep, in stack order (`harness` tells the harness's frames apart):
 * [0, runtime) are the runtime's own frames (when the error was made inside the harness);
 * [runtime, called) the called code's; from the next harness frame on, the harness and then the
 * test that called it. Frames after the runtime's block with no harness frame below them are that
 * test's, so then only the runtime's block is kept.
 */
function keptFrames<T>(frames: readonly T[], harness: (frame: T) => boolean): T[] {
  let runtime = 0;
  while (runtime < frames.length && harness(frames[runtime] as T)) runtime += 1;
  let called = runtime;
  while (called < frames.length && !harness(frames[called] as T)) called += 1;
  return frames.slice(0, called < frames.length ? called : runtime);
}

/**
 * Keep a stack's message lines and the frames Lambda would show, without the test runner's:
 * - an error made by the code the harness called (a handler, its module, a timer it set) keeps
 *   that code's frames and loses the harness's and the test runner's below them;
 * - an error the simulated runtime made (`Runtime.HandlerNotFound`, the wrapper of a thrown
 *   string, "Unable to stringify response body"...) keeps the runtime's frames (Lambda shows the
 *   runtime client's there), plus the handler's frames that called it when a handler did (a
 *   callback, a response stream), and loses the frames of the test that called the harness.
 * A stack without harness frames is returned as is.
 *
 * @example
 * handlerStack('Error: boom\n    at handler (/app/index.js:3:9)\n    at run (/app/node_modules/lambda-harness/dist/chunk-A.js:9:1)');
 * // 'Error: boom\n    at handler (/app/index.js:3:9)'
 */
export function handlerStack(stack: string): string {
  if (HARNESS.length === 0 || !stack.includes('\n')) return stack;
  const lines = stack.split('\n');
  const first = lines.findIndex((line) => FRAME.test(line));
  if (first < 0) return stack;
  const frames = lines.slice(first);
  if (!frames.some(isHarnessFrame)) return stack;
  return [...lines.slice(0, first), ...keptFrames(frames, isHarnessFrame)].join('\n');
}

/** Node's `util.inspect` line that stands for the frames an error shares with its `cause`. */
const ELISION = /^(\s*)\.\.\. (\d+) lines matching cause stack trace \.\.\.$/;
/** What `util.inspect` appends to an error's last frame: ` {` before its own props, `,` between items. */
const FRAME_SUFFIX = /(?: \{|,)$/;

/** One entry of a frame run: a frame line, or an elision of frames that could not be expanded. */
interface RunEntry {
  readonly line: string;
  readonly harness: boolean;
}

/**
 * The frames an elision line stands for, read from the cause's stack printed further down (Node
 * elides the frames an error shares with its cause, keeping the first and last of them), or
 * undefined when they cannot be found there.
 */
function elidedFrames(
  lines: readonly string[],
  searchFrom: number,
  first: string,
  count: number,
  last: string,
): string[] | undefined {
  const firstText = first.trimStart();
  const lastText = last.replace(FRAME_SUFFIX, '').trimStart();
  for (let j = searchFrom + count + 1; j < lines.length; j++) {
    if ((lines[j] as string).replace(FRAME_SUFFIX, '').trimStart() !== lastText) continue;
    if ((lines[j - count - 1] as string).trimStart() !== firstText) continue;
    const between = lines.slice(j - count, j);
    if (between.every((line) => FRAME.test(line))) return between.map((line) => line.trimStart());
  }
  return undefined;
}

/**
 * Trim one run of consecutive frame lines of a printed stack as {@link handlerStack} trims a stack,
 * first expanding an elision of frames shared with the cause (the cut may fall inside it) and
 * eliding again what remains shared, as `util.inspect` would print the trimmed stacks.
 */
function trimFrameRun(run: string[], lines: readonly string[], runEnd: number): string[] {
  const lastLine = run[run.length - 1] as string;
  const suffix = FRAME_SUFFIX.exec(lastLine)?.[0] ?? '';
  const body = suffix ? [...run.slice(0, -1), lastLine.slice(0, -suffix.length)] : [...run];
  const entries: RunEntry[] = [];
  // The shared region (first and last shared frame, as indices into entries) when one was expanded.
  let shared: { start: number; end: number; elision: string } | undefined;
  for (let i = 0; i < body.length; i++) {
    const line = body[i] as string;
    const elision = ELISION.exec(line);
    if (!elision) {
      entries.push({ line, harness: isHarnessFrame(line) });
      continue;
    }
    const prev = body[i - 1];
    const next = body[i + 1];
    const count = Number(elision[2]);
    const expanded =
      prev !== undefined && next !== undefined && shared === undefined
        ? elidedFrames(lines, runEnd, prev, count, next)
        : undefined;
    if (expanded) {
      const indent = /^\s*/.exec(prev as string)?.[0] ?? '';
      shared = { start: entries.length - 1, end: entries.length + expanded.length, elision: line };
      for (const frame of expanded) entries.push({ line: indent + frame, harness: isHarnessFrame(frame) });
    } else {
      // Unknown frames: they reach the harness when a harness frame follows them in this run.
      entries.push({ line, harness: body.slice(i + 1).some(isHarnessFrame) });
    }
  }
  if (!entries.some((entry) => entry.harness)) return run as string[];
  const kept = keptFrames(entries, (entry) => entry.harness).map((entry) => entry.line);
  const printed = shared ? reElide(kept, shared) : kept;
  if (suffix && printed.length > 0) printed[printed.length - 1] += suffix;
  return printed;
}

/** Elide the frames still shared with the cause after trimming, the way `util.inspect` does (more than 3). */
function reElide(kept: readonly string[], shared: { start: number; end: number; elision: string }): string[] {
  const sharedKept = Math.min(kept.length - 1, shared.end) - shared.start + 1;
  if (sharedKept <= 3) return [...kept];
  const indent = /^\s*/.exec(shared.elision)?.[0] ?? '';
  const lastShared = shared.start + sharedKept - 1;
  const note =
    lastShared === shared.end
      ? shared.elision
      : `${indent}... ${sharedKept - 2} lines matching cause stack trace ...`;
  return [...kept.slice(0, shared.start + 1), note, ...kept.slice(lastShared)];
}

/**
 * {@link handlerStack} for text that prints stacks, as `util.format` / `util.inspect` print errors
 * (a console call's message): every run of frame lines, at whatever indentation (an error's
 * `cause`, the `errors` of an AggregateError, an error inside an object), loses the harness's and
 * the test runner's frames. The text is returned as is when it names no harness file, so a line
 * without stacks costs one search.
 *
 * @example
 * handlerFramesIn(util.format('failed:', new Error('boom', { cause: new Error('db down') })));
 * // 'failed: Error: boom\n    at handler (/app/index.js:3:9) {\n  [cause]: Error: db down\n      at query (/app/db.js:7:11)\n ...'
 */
export function handlerFramesIn(text: string): string {
  if (HARNESS.length === 0 || !isHarnessFrame(text)) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < lines.length; ) {
    if (!FRAME.test(lines[i] as string)) {
      out.push(lines[i] as string);
      i += 1;
      continue;
    }
    let end = i + 1;
    while (end < lines.length && (FRAME.test(lines[end] as string) || ELISION.test(lines[end] as string)))
      end += 1;
    // A run ends on a frame: an elision line is always followed by the last shared frame.
    while (end - 1 > i && !FRAME.test(lines[end - 1] as string)) end -= 1;
    const run = lines.slice(i, end);
    const trimmed = trimFrameRun(run, lines, end);
    if (trimmed !== run) changed = true;
    out.push(...trimmed);
    i = end;
  }
  return changed ? out.join('\n') : text;
}
