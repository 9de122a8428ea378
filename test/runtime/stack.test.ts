import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';
import { formatCrashPrint } from '../../src/runtime/crash-print.js';
import { handlerStack } from '../../src/runtime/stack.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO = path.resolve(path.dirname(THIS_FILE), '../..');
const SRC = path.join(REPO, 'src');

const framesOf = (lines: readonly string[]) => lines.filter((line) => /^\s+at /.test(line));

function errorOf(result: InvocationResult) {
  if (result.outcome !== 'error') throw new Error(`expected an error, got ${result.outcome}`);
  return result.error;
}

describe('error stacks show the code the harness ran, not the harness or the test runner', () => {
  it("a handler's error: its trace and its Invoke Error line hold the handler's frames only", async () => {
    const handler = async () => {
      throw new TypeError('order id missing');
    };

    const result = await invokeHandler(handler, {});

    const frames = framesOf(errorOf(result).trace ?? []);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toContain(THIS_FILE);
    const logged = result.logs.find((line) => line.text.includes('Invoke Error'))?.text ?? '';
    expect(logged).toContain(THIS_FILE);
    expect(logged).not.toContain(SRC);
    expect(logged).not.toContain('node_modules');
  });

  it('an error made by the simulated runtime keeps the runtime frames, never the calling test', async () => {
    // nodejs24.x rejects a callback handler at init (Runtime.CallbackHandlerDeprecated).
    const result = await invokeHandler(
      (_event: unknown, _context: unknown, _callback: unknown) => undefined,
      {},
      {
        runtime: 'nodejs24.x',
      },
    );

    const error = errorOf(result);
    expect(error.errorType).toBe('Runtime.CallbackHandlerDeprecated');
    const frames = framesOf(error.trace ?? []);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toContain(SRC);
    // The crash print on stderr: the same frames, nothing of this test or of Vitest.
    const printed = result.logs.filter((line) => line.stream === 'stderr').map((line) => line.text);
    expect(framesOf(printed)).toEqual(frames);
  });

  it("an uncaught exception from the handler's timer prints the timer's frames", async () => {
    const result = await invokeHandler(
      async () => {
        setTimeout(() => {
          throw new RangeError('late failure');
        }, 0);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return 'done';
      },
      {},
      { runtime: 'nodejs24.x' },
    );

    const printed = result.logs.filter((line) => line.stream === 'stderr').map((line) => line.text);
    expect(printed.join('\n')).toContain('RangeError: late failure');
    const frames = framesOf(printed);
    expect(frames[0]).toContain(THIS_FILE);
    expect(frames.some((frame) => frame.includes(SRC))).toBe(false);
  });
});

describe('handlerStack', () => {
  const harness = (name: string) => `    at ${name} (${path.join(REPO, 'dist', 'chunk-ABC.js')}:10:5)`;
  const harnessUrl = (name: string) => `    at ${name} (${pathToFileURL(path.join(SRC, 'x.ts')).href}:1:1)`;
  const user = (name: string) => `    at ${name} (/app/src/${name}.ts:3:9)`;
  const runner = '    at runTest (/app/node_modules/vitest/dist/runner.js:1:1)';

  it("cuts a handler's stack at the first harness frame", () => {
    const stack = [
      'Error: boom',
      user('handler'),
      user('helper'),
      harness('run'),
      harnessUrl('invoke'),
      runner,
    ];
    expect(handlerStack(stack.join('\n'))).toBe(['Error: boom', user('handler'), user('helper')].join('\n'));
  });

  it('keeps the runtime frames and the handler frames that called into them', () => {
    const stack = ['Error: stream closed', harness('write'), user('handler'), harness('run'), runner];
    expect(handlerStack(stack.join('\n'))).toBe(
      ['Error: stream closed', harness('write'), user('handler')].join('\n'),
    );
  });

  it('drops the frames of the test that called the harness', () => {
    const stack = ['Runtime.HandlerNotFound: x', harness('load'), harness('init'), user('myTest'), runner];
    expect(handlerStack(stack.join('\n'))).toBe(
      ['Runtime.HandlerNotFound: x', harness('load'), harness('init')].join('\n'),
    );
  });

  it('keeps multi-line messages and stacks without harness frames as they are', () => {
    const excerpt = [
      '/app/index.js:2',
      'const x = ;',
      '          ^',
      '',
      "SyntaxError: Unexpected token ';'",
    ];
    expect(handlerStack([...excerpt, user('a'), harness('load')].join('\n'))).toBe(
      [...excerpt, user('a')].join('\n'),
    );
    const plain = [
      'Error: x',
      user('a'),
      '    at process.processTicksAndRejections (node:internal/x:1:1)',
    ].join('\n');
    expect(handlerStack(plain)).toBe(plain);
    expect(handlerStack('Error: no frames')).toBe('Error: no frames');
  });

  it('the crash print shows the trimmed stack and leaves the error untouched', () => {
    const error = new Error('boom');
    const stack = ['Error: boom', user('handler'), harness('run'), runner].join('\n');
    error.stack = stack;
    const lines = formatCrashPrint(error, 'uncaughtException');
    expect(framesOf(lines)).toEqual([user('handler')]);
    expect(error.stack).toBe(stack);
  });
});
