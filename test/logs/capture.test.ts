import { describe, expect, it } from 'vitest';
import { invokeHandler } from '../../src/invoke/index.js';
import { formatLogs } from '../../src/logs/index.js';

const ID = '44444444-4444-4444-8444-444444444444';
const TS = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

function fnLines(result: { logs: readonly { source: string; text: string }[] }) {
  return result.logs.filter((l) => l.source === 'function').map((l) => l.text);
}

describe('text log format', () => {
  it('formats each console call as <ISO>\\t<id>\\t<LEVEL>\\t<util.format>', async () => {
    const result = await invokeHandler(
      async () => {
        console.log('hello %s', 'world', 42);
        console.info({ a: 1, nested: { b: [1, 2, 3] }, s: 'str' });
        console.warn('careful');
        console.error('bad');
        console.debug('dbg');
        console.trace('tracing');
        (console as unknown as { fatal(m: string): void }).fatal('dead');
      },
      {},
      { requestId: ID },
    );
    const lines = fnLines(result);
    expect(lines.map((l) => l.replace(new RegExp(`^${TS}\\t`), ''))).toEqual([
      `${ID}\tINFO\thello world 42`,
      `${ID}\tINFO\t{ a: 1, nested: { b: [ 1, 2, 3 ] }, s: 'str' }`,
      `${ID}\tWARN\tcareful`,
      `${ID}\tERROR\tbad`,
      `${ID}\tDEBUG\tdbg`,
      `${ID}\tTRACE\ttracing`,
      `${ID}\tFATAL\tdead`,
    ]);
    expect(lines[0]).toMatch(new RegExp(`^${TS}\\t`));
  });

  it('turns newlines into \\r so one call is one line; Errors print their stack and own props', async () => {
    const result = await invokeHandler(async () => {
      console.log('line1\nline2');
      const err = Object.assign(new Error('custom'), { code: 'E_CUSTOM' });
      console.error(err);
    }, {});
    const [multi, error] = fnLines(result);
    expect(multi?.endsWith('\tINFO\tline1\rline2')).toBe(true);
    expect(error).toMatch(/\tERROR\tError: custom\r {4}at /);
    expect(error).toContain("{\r  code: 'E_CUSTOM'\r}");
    expect(error).not.toContain('\n');
  });

  it('lines are plain data: toEqual and JSON see every field', async () => {
    const result = await invokeHandler(
      async () => {
        console.warn('careful');
      },
      {},
      { requestId: ID },
    );
    const line = result.logs[1];
    expect(line).toEqual({
      text: expect.stringMatching(new RegExp(`^${TS}\t${ID}\tWARN\tcareful$`)),
      source: 'function',
      level: 'WARN',
      requestId: ID,
      message: 'careful',
      json: undefined,
      timestamp: expect.stringMatching(new RegExp(`^${TS}$`)),
      stream: 'stdout',
    });
    expect(JSON.parse(JSON.stringify(line)).message).toBe('careful');
  });

  it('console.log() and console.log(undefined) print undefined', async () => {
    const result = await invokeHandler(async () => {
      console.log();
      console.log(undefined);
    }, {});
    expect(fnLines(result).map((l) => l.split('\t')[3])).toEqual(['undefined', 'undefined']);
  });

  it('raw stdout/stderr writes are captured verbatim', async () => {
    const result = await invokeHandler(async () => {
      process.stdout.write('raw out\n');
      process.stderr.write('raw err\n');
    }, {});
    const raw = result.logs.filter((l) => l.source === 'raw');
    expect(raw.map((l) => [l.text, l.stream])).toEqual([
      ['raw out', 'stdout'],
      ['raw err', 'stderr'],
    ]);
  });

  it('AWS_LAMBDA_LOG_LEVEL filters in text mode too (raw writes still appear)', async () => {
    const result = await invokeHandler(
      async () => {
        console.log('info');
        console.debug('debug');
        console.trace('trace');
        console.warn('warn');
        console.error('error');
        process.stdout.write('raw\n');
      },
      {},
      { env: { AWS_LAMBDA_LOG_LEVEL: 'WARN' } },
    );
    expect(fnLines(result).map((l) => l.split('\t')[2])).toEqual(['WARN', 'ERROR']);
    expect(result.logs.some((l) => l.source === 'raw' && l.text === 'raw')).toBe(true);
  });

  it('attributes overlapping invocations to their own request ids', async () => {
    const handler = async (e: { name: string; delay: number }) => {
      console.log(`start ${e.name}`);
      await new Promise((r) => setTimeout(r, e.delay));
      console.log(`end ${e.name}`);
      return e.name;
    };
    const [a, b] = await Promise.all([
      invokeHandler(handler, { name: 'a', delay: 30 }),
      invokeHandler(handler, { name: 'b', delay: 5 }),
    ]);
    expect(a.logs.filter((l) => l.source === 'function').map((l) => [l.requestId, l.message])).toEqual([
      [a.requestId, 'start a'],
      [a.requestId, 'end a'],
    ]);
    expect(b.logs.filter((l) => l.source === 'function').map((l) => l.message)).toEqual(['start b', 'end b']);
  });

  it('console calls outside any invocation pass through', async () => {
    const seen: string[] = [];
    const original = console.log;
    console.log = (m: string) => {
      seen.push(m);
    };
    try {
      const result = await invokeHandler(async () => {
        console.log('inside');
      }, {});
      console.log('outside');
      expect(fnLines(result)).toHaveLength(1);
      expect(seen).toEqual(['outside']);
    } finally {
      console.log = original;
    }
  });
});

describe('JSON log format', () => {
  it('single argument: the value itself; several: util.format plus error fields', async () => {
    const result = await invokeHandler(
      async () => {
        console.log({ a: 1 });
        console.log('plain');
        console.log('%o', { x: 1 });
        console.info('two', 'args');
        console.error(new RangeError('bad'));
        console.warn('with', new TypeError('err'));
        console.log();
      },
      {},
      { logFormat: 'JSON', requestId: ID },
    );
    const json = result.logs
      .filter((l) => l.source === 'function')
      .map((l) => l.json as Record<string, unknown>);
    expect(json[0]).toMatchObject({ level: 'INFO', requestId: ID, message: { a: 1 } });
    expect(Object.keys(json[0] ?? {})).toEqual(['timestamp', 'level', 'requestId', 'message']);
    expect(json[1]?.message).toBe('plain');
    expect(json[2]?.message).toBe('{ x: 1 }');
    expect(json[3]?.message).toBe('two args');
    expect(json[4]).toMatchObject({
      level: 'ERROR',
      message: { errorType: 'RangeError', errorMessage: 'bad' },
    });
    expect(json[5]).toMatchObject({ level: 'WARN', errorType: 'TypeError', errorMessage: 'err' });
    expect(typeof json[5]?.message).toBe('string');
    expect('message' in (json[6] ?? {})).toBe(false);
  });

  it('a circular single argument falls back to util.format', async () => {
    const result = await invokeHandler(
      async () => {
        const c: Record<string, unknown> = {};
        c.self = c;
        console.log(c);
      },
      {},
      { logFormat: 'JSON' },
    );
    expect(result.logs.find((l) => l.source === 'function')?.json?.message).toBe(
      '<ref *1> { self: [Circular *1] }',
    );
  });

  it('level filtering drops lower levels', async () => {
    const result = await invokeHandler(
      async () => {
        console.info('no');
        console.error('yes');
      },
      {},
      { logFormat: 'JSON', logLevel: 'ERROR' },
    );
    expect(result.logs.filter((l) => l.source === 'function').map((l) => l.message)).toEqual(['yes']);
  });

  it('platform lines are JSON platform events', async () => {
    const result = await invokeHandler(async () => 'ok', {}, { logFormat: 'JSON', requestId: ID });
    const types = result.logs.filter((l) => l.source === 'platform').map((l) => l.json?.type);
    expect(types).toEqual(['platform.start', 'platform.runtimeDone', 'platform.report']);
    const report = result.logs.at(-1)?.json?.record as { status: string; metrics: Record<string, number> };
    expect(report.status).toBe('success');
    expect(Object.keys(report.metrics)).toEqual([
      'durationMs',
      'billedDurationMs',
      'memorySizeMB',
      'maxMemoryUsedMB',
    ]);
  });
});

describe('platform lines', () => {
  it('START, END and REPORT exactly, with the trailing tab', async () => {
    const result = await invokeHandler(async () => 'ok', {}, { requestId: ID, memorySize: 512 });
    const texts = result.logs.map((l) => l.text);
    expect(texts[0]).toBe(`START RequestId: ${ID} Version: $LATEST`);
    expect(texts.at(-2)).toBe(`END RequestId: ${ID}`);
    expect(texts.at(-1)).toMatch(
      new RegExp(
        `^REPORT RequestId: ${ID}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB\\t$`,
      ),
    );
    expect(result.report.billedDurationMs).toBe(Math.max(1, Math.ceil(result.durationMs)));
  });

  it('a cold start carries Init Duration last and bills ceil(init + duration)', async () => {
    const result = await invokeHandler(async () => 'ok', {}, { requestId: ID, coldStart: true });
    expect(result.coldStart).toBe(true);
    expect(result.initDurationMs).toBeGreaterThanOrEqual(0);
    expect(result.billedDurationMs).toBe(
      Math.max(1, Math.ceil((result.initDurationMs ?? 0) + result.durationMs)),
    );
    expect(result.logs[0]?.text).toMatch(
      /^INIT_START Runtime Version: nodejs:24\.v\d+\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/,
    );
    expect(result.logs.at(-1)?.text).toMatch(/\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/);
  });

  it('formatLogs prints every line for a failure message', async () => {
    const result = await invokeHandler(async () => {
      console.log('visible');
      throw new Error('x');
    }, {});
    const text = formatLogs(result);
    expect(text.split('\n').filter(Boolean)).toHaveLength(result.logs.length);
    expect(text).toContain('\tINFO\tvisible\n');
  });

  it("logs: 'echo' also prints captured lines to the terminal", async () => {
    const written: string[] = [];
    const original = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await invokeHandler(
        async () => {
          console.log('echoed');
        },
        {},
        { logs: 'echo' },
      );
      await invokeHandler(async () => {
        console.log('silent');
      }, {});
    } finally {
      process.stdout.write = original;
    }
    expect(written.some((w) => w.includes('\tINFO\techoed'))).toBe(true);
    expect(written.some((w) => w.includes('silent'))).toBe(false);
  });
});
