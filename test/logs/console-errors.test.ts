import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';
import { handlerFramesIn } from '../../src/runtime/stack.js';

// On Lambda, console.error(err) prints util.inspect(err): the handler's frames above the runtime
// client's. In the harness the frames below the handler are the harness's and the test runner's;
// a captured line shows the handler's frames only, as the error's trace in the result does.
const THIS_FILE = fileURLToPath(import.meta.url);
const SRC = path.join(path.resolve(path.dirname(THIS_FILE), '../..'), 'src');
const RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;

function query(): never {
  throw new Error('db down');
}

function loadOrder(): never {
  try {
    query();
  } catch (cause) {
    throw new Error('load failed', { cause });
  }
}

function caught(run: () => void): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected run to throw');
}

function functionLines(result: InvocationResult): string[] {
  return result.logs.filter((line) => line.source === 'function').map((line) => line.text);
}

/** The frame lines of a printed text line (its newlines are `\r`) or of a JSON string. */
function framesIn(text: string): string[] {
  return text.split(/[\r\n]/).filter((line) => /^\s+at /.test(line));
}

function expectHandlerFramesOnly(printed: string): void {
  const frames = framesIn(printed);
  expect(frames.length).toBeGreaterThan(0);
  for (const frame of frames) expect(frame).toContain(THIS_FILE);
  expect(printed).not.toContain(SRC);
  expect(printed).not.toContain('node_modules');
}

describe.each(RUNTIMES)(
  '%s text format: an Error in console arguments prints its handler frames',
  (runtime) => {
    it('console.error(err) and console.warn(text, err): handler frames, the error object untouched', async () => {
      let before: string | undefined;
      let after: string | undefined;
      const result = await invokeHandler(
        async () => {
          const err = Object.assign(new TypeError('order id missing'), { code: 'E_ORDER' });
          before = err.stack;
          console.error(err);
          console.warn('retrying after', err);
          after = err.stack;
        },
        {},
        { runtime },
      );

      const [alone, withText] = functionLines(result);
      expect(alone).toMatch(/\tERROR\tTypeError: order id missing\r {4}at /);
      expect(withText).toMatch(/\tWARN\tretrying after TypeError: order id missing\r {4}at /);
      for (const line of [alone, withText]) {
        expectHandlerFramesOnly(line ?? '');
        // The own props still follow the last kept frame, as util.inspect prints them.
        expect(line).toMatch(/\d\) \{\r {2}code: 'E_ORDER'\r\}$/);
      }
      expect(after).toBe(before);
      expect(before).toContain(SRC);
    });

    it("an error's cause, made in helpers: both stacks trimmed, no elision pointing below the handler", async () => {
      const result = await invokeHandler(
        async () => {
          console.error(caught(loadOrder));
        },
        {},
        { runtime },
      );

      const [line] = functionLines(result);
      expect(line).toContain('Error: load failed');
      expect(line).toContain('[cause]: Error: db down');
      expectHandlerFramesOnly(line ?? '');
      const causeFrames = framesIn((line ?? '').slice((line ?? '').indexOf('[cause]')));
      expect(causeFrames[0]).toContain('at query ');
      expect(causeFrames[1]).toContain('at loadOrder ');
    });

    it('AggregateError errors and errors inside objects and arrays', async () => {
      const result = await invokeHandler(
        async () => {
          console.error(new AggregateError([new Error('first'), new RangeError('second')], 'all failed'));
          console.log('state', { request: { id: 7, failure: new Error('nested') } }, [new Error('in array')]);
        },
        {},
        { runtime },
      );

      const [aggregate, nested] = functionLines(result);
      expect(aggregate).toContain('AggregateError: all failed');
      expect(aggregate).toContain('[errors]: [');
      expect(aggregate).toContain('RangeError: second');
      expectHandlerFramesOnly(aggregate ?? '');
      expect(nested).toContain('failure: Error: nested');
      expect(nested).toContain('Error: in array');
      expectHandlerFramesOnly(nested ?? '');
    });
  },
);

describe.each(RUNTIMES)('%s JSON format: stackTrace and message show the handler frames', (runtime) => {
  function jsonLines(result: InvocationResult): Record<string, unknown>[] {
    return result.logs
      .filter((line) => line.source === 'function')
      .map((line) => line.json as Record<string, unknown>);
  }

  it('one Error argument, an Error among several, a nested cause and a circular object', async () => {
    const result = await invokeHandler(
      async () => {
        const err = caught(loadOrder);
        console.error(err);
        console.warn('retrying after', err);
        const circular: Record<string, unknown> = { err };
        circular.self = circular;
        console.log(circular);
        console.info({ wrapped: new Error('inside') });
      },
      {},
      { runtime, logFormat: 'JSON' },
    );

    const [single = {}, several = {}, circular = {}, wrapped = {}] = jsonLines(result);
    const singleMessage = single.message as { errorType: string; stackTrace: string[] };
    expect(singleMessage.errorType).toBe('Error');
    expectHandlerFramesOnly(singleMessage.stackTrace.join('\n'));

    expect(several.errorMessage).toBe('load failed');
    expectHandlerFramesOnly((several.stackTrace as string[]).join('\n'));
    expect(several.message).toContain('[cause]: Error: db down');
    expectHandlerFramesOnly(several.message as string);

    expect(circular.message).toContain('<ref *1>');
    expectHandlerFramesOnly(circular.message as string);

    const inner = (wrapped.message as { wrapped: { stackTrace: string[] } }).wrapped;
    expectHandlerFramesOnly(inner.stackTrace.join('\n'));
  });
});

describe('handlerFramesIn: the printed stacks of util.inspect output', () => {
  const harness = (name: string, indent = '    ') =>
    `${indent}at ${name} (${path.join(SRC, 'invoke', 'run.ts')}:10:5)`;
  const harnessUrl = (name: string, indent = '    ') =>
    `${indent}at ${name} (${pathToFileURL(path.join(SRC, 'x.ts')).href}:1:1)`;
  const user = (name: string, indent = '    ') => `${indent}at ${name} (/app/src/${name}.ts:3:9)`;
  const runner = (indent = '    ') => `${indent}at runTest (/app/node_modules/vitest/dist/runner.js:1:1)`;

  it('expands an elision whose shared frames reach the harness, trims both stacks, elides what stays shared', () => {
    const sharedBelow = ['a', 'b', 'c', 'd'].map((name) => user(name, '      '));
    const printed = [
      'Error: outer',
      user('wrap'),
      user('a'),
      // a, b, c, d, run, invoke, runTest are shared: Node keeps the first and the last.
      '    ... 5 lines matching cause stack trace ...',
      runner(),
      '  [cause]: Error: inner',
      user('inner', '      '),
      ...sharedBelow,
      harness('run', '      '),
      harnessUrl('invoke', '      '),
      runner('      '),
      '}',
    ];
    printed[4] += ' {';
    expect(handlerFramesIn(printed.join('\n')).split('\n')).toEqual([
      'Error: outer',
      user('wrap'),
      user('a'),
      '    ... 2 lines matching cause stack trace ...',
      `${user('d')} {`,
      '  [cause]: Error: inner',
      user('inner', '      '),
      ...sharedBelow,
      '}',
    ]);
  });

  it('lists shared frames again when 3 or fewer remain, and cuts at an elision it cannot expand', () => {
    const expandable = [
      'Error: outer',
      user('wrap'),
      user('a'),
      '    ... 3 lines matching cause stack trace ...',
      runner(),
      '  [cause]: Error: inner',
      user('a', '      '),
      harness('run', '      '),
      harness('run2', '      '),
      harness('run3', '      '),
      runner('      '),
    ].join('\n');
    expect(handlerFramesIn(expandable).split('\n').slice(0, 4)).toEqual([
      'Error: outer',
      user('wrap'),
      user('a'),
      '  [cause]: Error: inner',
    ]);
    const orphan = [
      'Error: x',
      user('f'),
      '    ... 4 lines matching cause stack trace ...',
      harness('run'),
    ].join('\n');
    expect(handlerFramesIn(orphan)).toBe(['Error: x', user('f')].join('\n'));
  });

  it('returns text without harness frames as it is', () => {
    const text = ['failed:', 'Error: x', user('f'), runner()].join('\n');
    expect(handlerFramesIn(text)).toBe(text);
  });
});
