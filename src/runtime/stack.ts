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

function isHarnessFrame(line: string): boolean {
  return HARNESS.some((prefix) => line.includes(prefix));
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
  // [0, runtime): the runtime's own frames (when the error was made inside the harness);
  // [runtime, called): the called code's frames; from the next harness frame on: the harness, then
  // the test that called it. Frames after the runtime's block with no harness frame below them
  // are that test's.
  let runtime = 0;
  while (runtime < frames.length && isHarnessFrame(frames[runtime] as string)) runtime += 1;
  let called = runtime;
  while (called < frames.length && !isHarnessFrame(frames[called] as string)) called += 1;
  const kept = frames.slice(0, called < frames.length ? called : runtime);
  return [...lines.slice(0, first), ...kept].join('\n');
}
