// Observation table: "Logging" and the "Output formats" section (runtime-client-observations.md).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RuntimeName } from '../../src/invoke/result.js';
import type { LogLine } from '../../src/logs/types.js';
import {
  ALL,
  errorPosted,
  expectCrashPrint,
  expectedCrashHead,
  functionLines,
  ID1,
  posted,
  run,
  runtimeLines,
  TS,
  V3,
  V4,
} from './helpers.js';

const consoleAny = console as Console & { fatal?: (...args: unknown[]) => void };

function textLine(level: string, message: string): RegExp {
  return new RegExp(`^${TS}\\t${ID1}\\t${level}\\t${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

async function logged(
  runtime: RuntimeName,
  body: () => void,
  options: { logFormat?: 'Text' | 'JSON'; logLevel?: 'WARN' } = {},
): Promise<LogLine[]> {
  const result = await run(
    async () => {
      body();
      return 'ok';
    },
    {},
    runtime,
    options,
  );
  expect(posted(result)).toBe('"ok"');
  return functionLines(result);
}

describe('Text log lines', () => {
  it.each(ALL)('logging (text) [%s]: levels of console.*', async (runtime) => {
    const lines = await logged(runtime, () => {
      console.log('via log');
      console.info('via info');
      console.warn('via warn');
      console.error('via error');
      console.debug('via debug');
      console.trace('via trace');
      consoleAny.fatal?.('via fatal');
    });
    expect(lines.map((l) => l.text)).toEqual([
      expect.stringMatching(textLine('INFO', 'via log')),
      expect.stringMatching(textLine('INFO', 'via info')),
      expect.stringMatching(textLine('WARN', 'via warn')),
      expect.stringMatching(textLine('ERROR', 'via error')),
      expect.stringMatching(textLine('DEBUG', 'via debug')),
      expect.stringMatching(textLine('TRACE', 'via trace')),
      expect.stringMatching(textLine('FATAL', 'via fatal')),
    ]);
    expect(lines.every((l) => l.stream === 'stdout')).toBe(true);
    expect(lines.map((l) => l.level)).toEqual(['INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG', 'TRACE', 'FATAL']);
  });

  it.each(ALL)(
    'logging (text) [%s]: util.format, newlines become \\r, objects as util.inspect',
    async (runtime) => {
      const lines = await logged(runtime, () => {
        console.log('hello %s, %d items', 'world', 3);
        console.log('line one\nline two\nline three');
        console.log({ a: 1, nested: { b: [1, 2, 3] }, s: 'str' });
        console.log('multi', 'args', 42, true, null);
        console.log();
        console.log(undefined);
      });
      expect(lines.map((l) => l.text)).toEqual([
        expect.stringMatching(textLine('INFO', 'hello world, 3 items')),
        expect.stringMatching(textLine('INFO', 'line one\rline two\rline three')),
        expect.stringMatching(textLine('INFO', "{ a: 1, nested: { b: [ 1, 2, 3 ] }, s: 'str' }")),
        expect.stringMatching(textLine('INFO', 'multi args 42 true null')),
        expect.stringMatching(textLine('INFO', 'undefined')),
        expect.stringMatching(textLine('INFO', 'undefined')),
      ]);
      expect(lines.every((l) => !l.text.includes('\n'))).toBe(true);
    },
  );

  it.each(ALL)(
    'logging (text) [%s]: an Error prints as its stack with \\r, own props appended',
    async (runtime) => {
      const lines = await logged(runtime, () => {
        console.error(Object.assign(new Error('custom failure'), { code: 'E_CUSTOM' }));
      });
      expect(lines).toHaveLength(1);
      const text = lines[0]?.text ?? '';
      expect(text).toMatch(new RegExp(`^${TS}\\t${ID1}\\tERROR\\tError: custom failure\\r {4}at `));
      expect(text.endsWith(" {\r  code: 'E_CUSTOM'\r}")).toBe(true);
      expect(text).not.toContain('\n');
    },
  );

  it.each(ALL)(
    'logging (text) [%s]: console.trace logs only the message (no "Trace:", no stack)',
    async (runtime) => {
      const lines = await logged(runtime, () => {
        console.trace('tracing %s', 'here');
      });
      expect(lines.map((l) => l.text)).toEqual([expect.stringMatching(textLine('TRACE', 'tracing here'))]);
    },
  );

  it.each(ALL)(
    'logging (text) [%s]: raw process.stdout/stderr writes bypass the formatter',
    async (runtime) => {
      const lines = await logged(runtime, () => {
        process.stdout.write('raw to stdout\n');
        process.stderr.write('raw to stderr\n');
      });
      expect(lines.map((l) => `${l.source}|${l.stream}|${l.text}`)).toEqual([
        'raw|stdout|raw to stdout',
        'raw|stderr|raw to stderr',
      ]);
    },
  );
});

describe('JSON log lines (AWS_LAMBDA_LOG_FORMAT=JSON)', () => {
  const json = (l: LogLine | undefined) => JSON.parse(l?.text ?? 'null') as Record<string, unknown>;

  it.each(ALL)(
    'logging.jsonlog [%s]: {timestamp, level, requestId, message}; single argument kept as a value',
    async (runtime) => {
      const lines = await logged(
        runtime,
        () => {
          console.log('plain');
          console.info({ a: 1, nested: { b: [1, 2] } });
          console.warn(42);
          console.log('%o', { x: 1 });
          console.log('several', { y: 2 }, 3);
          console.log();
          console.log(undefined);
          console.debug('dbg');
          console.trace('trc');
          consoleAny.fatal?.('fat');
        },
        { logFormat: 'JSON' },
      );
      const parsed = lines.map(json);
      for (const p of parsed) {
        expect(p.timestamp).toMatch(new RegExp(`^${TS}$`));
        expect(p.requestId).toBe(ID1);
      }
      expect(parsed.map((p) => Object.keys(p))).toEqual([
        ...Array.from({ length: 5 }, () => ['timestamp', 'level', 'requestId', 'message']),
        ['timestamp', 'level', 'requestId'],
        ['timestamp', 'level', 'requestId'],
        ...Array.from({ length: 3 }, () => ['timestamp', 'level', 'requestId', 'message']),
      ]);
      expect(parsed.map((p) => [p.level, p.message])).toEqual([
        ['INFO', 'plain'],
        ['INFO', { a: 1, nested: { b: [1, 2] } }],
        ['WARN', 42],
        ['INFO', '{ x: 1 }'],
        ['INFO', 'several { y: 2 } 3'],
        ['INFO', undefined],
        ['INFO', undefined],
        ['DEBUG', 'dbg'],
        ['TRACE', 'trc'],
        ['FATAL', 'fat'],
      ]);
    },
  );

  it.each(ALL)(
    'logging.jsonlog [%s]: a single Error becomes {errorType: constructor.name, errorMessage, stackTrace, …own props}',
    async (runtime) => {
      class Renamed extends Error {
        code = 'E_CODE';
        constructor(message: string) {
          super(message);
          this.name = 'OtherName';
        }
      }
      const lines = await logged(runtime, () => console.error(new Renamed('json error')), {
        logFormat: 'JSON',
      });
      const p = json(lines[0]);
      expect(p.level).toBe('ERROR');
      const message = p.message as Record<string, unknown>;
      expect(message).toMatchObject({ errorType: 'Renamed', errorMessage: 'json error', code: 'E_CODE' });
      const stackTrace = message.stackTrace as string[];
      expect(stackTrace[0]).toBe('OtherName: json error');
      expect(stackTrace[1]).toMatch(/^ {4}at /);
    },
  );

  it.each(ALL)(
    'logging.jsonlog [%s]: several arguments with an Error add top-level errorType/errorMessage/stackTrace',
    async (runtime) => {
      const lines = await logged(runtime, () => console.error('failed:', new Error('inner')), {
        logFormat: 'JSON',
      });
      const p = json(lines[0]);
      expect(typeof p.message).toBe('string');
      expect(p.message as string).toMatch(/^failed: Error: inner\n {4}at /);
      expect(p).toMatchObject({ errorType: 'Error', errorMessage: 'inner' });
      expect((p.stackTrace as string[])[0]).toBe('Error: inner');
    },
  );
});

describe('Level filtering (AWS_LAMBDA_LOG_LEVEL=WARN)', () => {
  const body = () => {
    console.trace('t');
    console.debug('d');
    console.info('i');
    console.log('l');
    console.warn('w');
    console.error('e');
    consoleAny.fatal?.('f');
    process.stdout.write('raw still here\n');
  };

  it.each(ALL)(
    'logging.text-warn [%s]: only WARN, ERROR, FATAL remain; raw writes still appear',
    async (runtime) => {
      const lines = await logged(runtime, body, { logLevel: 'WARN' });
      expect(lines.map((l) => l.text)).toEqual([
        expect.stringMatching(textLine('WARN', 'w')),
        expect.stringMatching(textLine('ERROR', 'e')),
        expect.stringMatching(textLine('FATAL', 'f')),
        'raw still here',
      ]);
    },
  );

  it.each(ALL)(
    'logging.jsonlog-warn [%s]: only WARN, ERROR, FATAL remain; raw writes still appear',
    async (runtime) => {
      const lines = await logged(runtime, body, { logFormat: 'JSON', logLevel: 'WARN' });
      expect(lines.map((l) => (l.json ? `${l.json.level}:${String(l.json.message)}` : l.text))).toEqual([
        'WARN:w',
        'ERROR:e',
        'FATAL:f',
        'raw still here',
      ]);
    },
  );

  it.each(ALL)(
    'level from env AWS_LAMBDA_LOG_LEVEL=WARN [%s]: the same filtering in text mode',
    async (runtime) => {
      const result = await run(
        async () => {
          body();
          return 'ok';
        },
        {},
        runtime,
        { env: { AWS_LAMBDA_LOG_LEVEL: 'WARN' } },
      );
      expect(functionLines(result).map((l) => l.level ?? l.text)).toEqual([
        'WARN',
        'ERROR',
        'FATAL',
        'raw still here',
      ]);
    },
  );
});

describe('Runtime error lines in JSON mode', () => {
  it.each(ALL)(
    'throw-error.jsonlog [%s]: {"level":"ERROR","message":{errorType, errorMessage, stackTrace}}, no "Invoke Error"',
    async (runtime) => {
      const result = await run(
        async () => {
          throw new Error('boom');
        },
        {},
        runtime,
        { logFormat: 'JSON' },
      );
      const error = errorPosted(result);
      const lines = runtimeLines(result);
      expect(lines).toHaveLength(1);
      const p = JSON.parse(lines[0]?.text ?? '{}') as Record<string, unknown>;
      expect(Object.keys(p)).toEqual(['timestamp', 'level', 'requestId', 'message']);
      expect(p).toMatchObject({
        level: 'ERROR',
        requestId: ID1,
        message: { errorType: 'Error', errorMessage: 'boom', stackTrace: error.trace },
      });
      expect(lines[0]?.text).not.toContain('Invoke Error');
    },
  );

  it.each(ALL)('throw-string.jsonlog [%s]: the string is logged as an Error', async (runtime) => {
    const result = await run(
      async () => {
        throw 'plain string thrown';
      },
      {},
      runtime,
      { logFormat: 'JSON' },
    );
    expect(errorPosted(result)).toEqual({
      errorType: 'string',
      errorMessage: 'plain string thrown',
      trace: [],
    });
    const p = JSON.parse(runtimeLines(result)[0]?.text ?? '{}') as {
      level: string;
      message: Record<string, unknown>;
    };
    expect(p.level).toBe('ERROR');
    expect(p.message).toMatchObject({ errorType: 'Error', errorMessage: 'plain string thrown' });
    expect((p.message.stackTrace as string[])[0]).toBe('Error: plain string thrown');
  });

  const floating = async () => {
    Promise.reject(new Error('floating rejection'));
    await new Promise((r) => setTimeout(r, 30));
    return 'late';
  };
  it.each(V3)(
    'unhandled-rejection-during.jsonlog [%s]: message.errorType is the constructor name UnhandledPromiseRejection, plus reason and promise',
    async (runtime) => {
      const result = await run(floating, {}, runtime, { logFormat: 'JSON' });
      expect(errorPosted(result).errorType).toBe('Runtime.UnhandledPromiseRejection');
      const lines = runtimeLines(result);
      expect(lines).toHaveLength(1);
      const p = JSON.parse(lines[0]?.text ?? '{}') as {
        level: string;
        requestId: string;
        message: Record<string, unknown>;
      };
      expect(p.level).toBe('ERROR');
      expect(p.requestId).toBe(ID1);
      expect(p.message).toMatchObject({
        errorType: 'UnhandledPromiseRejection',
        errorMessage: 'Error: floating rejection',
        promise: {},
      });
      expect(p.message.reason).toMatchObject({ errorType: 'Error', errorMessage: 'floating rejection' });
    },
  );

  it.each(V4)(
    'unhandled-rejection-during.jsonlog [%s]: no log line; crash print on stderr',
    async (runtime) => {
      const result = await run(floating, {}, runtime, { logFormat: 'JSON' });
      expect(errorPosted(result).errorType).toBe('Runtime.ExitError');
      const lines = runtimeLines(result);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => l.stream === 'stderr' && l.json === undefined)).toBe(true);
      expectCrashPrint(
        lines.map((l) => l.text),
        expectedCrashHead(
          fileURLToPath(import.meta.url),
          "Promise.reject(new Error('floating rejection'));",
          'new Error',
        ),
        'Error: floating rejection',
      );
    },
  );
});
