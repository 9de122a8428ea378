// Observation tables: "Results and return values" (runtime-client-observations.md).
import { describe, expect, it } from 'vitest';
import {
  ALL,
  errorPosted,
  ID1,
  parseRuntimeErrorLine,
  posted,
  run,
  runtimeLines,
  V3,
  V4,
} from './helpers.js';

describe('Results and return values', () => {
  it.each(ALL)('async-return-object [%s]: resp {"ok":true,"echo":{"hello":"world"}}', async (runtime) => {
    const result = await run(
      async (event: unknown) => ({ ok: true, echo: event }),
      { hello: 'world' },
      runtime,
    );
    expect(posted(result)).toBe('{"ok":true,"echo":{"hello":"world"}}');
    expect(runtimeLines(result)).toEqual([]);
  });

  it.each(ALL)('async-return-undefined [%s]: resp null', async (runtime) => {
    const result = await run(async () => undefined, {}, runtime);
    expect(posted(result)).toBe('null');
  });

  const jsonValues: [string, () => unknown, string][] = [
    ['"hello"', () => 'hello', '"hello"'],
    ['42', () => 42, '42'],
    ['null', () => null, 'null'],
    ['false', () => false, 'false'],
    ['[1,"a",null]', () => [1, 'a', null], '[1,"a",null]'],
    ['Date(0)', () => new Date(0), '"1970-01-01T00:00:00.000Z"'],
    ['{a:undefined,b:1}', () => ({ a: undefined, b: 1 }), '{"b":1}'],
    ['Map', () => new Map([['k', 'v']]), '{}'],
    ['Buffer', () => Buffer.from('hi'), '{"type":"Buffer","data":[104,105]}'],
    ['NaN', () => Number.NaN, 'null'],
    ['toJSON', () => ({ toJSON: () => 'custom' }), '"custom"'],
  ];
  for (const runtime of ALL) {
    it.each(jsonValues)(`return-json-values [${runtime}]: %s is posted as %j`, async (_n, value, body) => {
      const result = await run(async () => value(), {}, runtime);
      expect(posted(result)).toBe(body);
    });
  }

  const unpostable: [string, () => unknown][] = [
    ['a function', () => () => 1],
    ['a Symbol', () => Symbol('s')],
  ];
  for (const runtime of ALL) {
    it.each(unpostable)(
      `return-json-values [${runtime}]: %s result -> err TypeError "Wrong arguments" + Invoke Error log`,
      async (_n, value) => {
        const result = await run(async () => value(), {}, runtime);
        const error = errorPosted(result);
        expect(error.errorType).toBe('TypeError');
        expect(error.errorMessage).toBe('Wrong arguments');
        expect(error.trace?.[0]).toBe('TypeError: Wrong arguments');
        const lines = runtimeLines(result);
        expect(lines).toHaveLength(1);
        const logged = parseRuntimeErrorLine(lines[0]?.text ?? '', ID1, 'Invoke Error');
        expect(logged).toMatchObject({ errorType: 'TypeError', errorMessage: 'Wrong arguments' });
      },
    );
  }

  const events: [string, unknown][] = [
    ['a string', 'just a string'],
    ['a number', 12.5],
    ['null', null],
    ['an array', [1, 'two', { three: 3 }]],
    ['a boolean', true],
  ];
  for (const runtime of ALL) {
    it.each(events)(`event-json-values [${runtime}]: the event can be %s`, async (_n, event) => {
      const result = await run(
        async (e: unknown) => ({ got: e, type: e === null ? 'null' : typeof e }),
        event,
        runtime,
      );
      expect(JSON.parse(posted(result))).toEqual({
        got: event,
        type: event === null ? 'null' : typeof event,
      });
    });
  }

  it.each(V3)('sync-return-value [%s]: the return value is ignored, resp null', async (runtime) => {
    const result = await run(() => ({ sync: true }), {}, runtime);
    expect(posted(result)).toBe('null');
  });

  it.each(V4)('sync-return-value [%s]: resp {"sync":true}', async (runtime) => {
    const result = await run(() => ({ sync: true }), {}, runtime);
    expect(posted(result)).toBe('{"sync":true}');
  });

  it.each(V3)(
    'sync-no-return-pending-timer [%s]: resp null posted after the 300 ms timer fired (beforeExit)',
    async (runtime) => {
      const result = await run(
        () => {
          setTimeout(() => console.log('timer fired'), 300);
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('null');
      expect(result.logs.map((l) => l.message)).toContain('timer fired');
      expect(result.durationMs).toBeGreaterThanOrEqual(290);
      expect(result.pendingWork.timers).toBe(0);
    },
  );

  it.each(V4)(
    'sync-no-return-pending-timer [%s]: resp null at once; the timer is left pending (harness clears it, pendingWork)',
    async (runtime) => {
      const result = await run(
        () => {
          setTimeout(() => console.log('timer fired'), 1000);
        },
        {},
        runtime,
      );
      expect(posted(result)).toBe('null');
      expect(result.logs.map((l) => l.message)).not.toContain('timer fired');
      expect(result.durationMs).toBeLessThan(500);
      expect(result.pendingWork).toMatchObject({ timers: 1, descriptions: ['setTimeout 1000 ms'] });
    },
  );

  it.each(ALL)(
    'sync-return-thenable [%s]: a thenable counts as a promise, resp {"fromThenable":true}',
    async (runtime) => {
      // biome-ignore lint/suspicious/noThenProperty: the observed case returns a hand-made thenable
      const thenable = { then: (ok: (v: unknown) => void) => ok({ fromThenable: true }) };
      const result = await run(() => thenable, {}, runtime);
      expect(posted(result)).toBe('{"fromThenable":true}');
    },
  );
});
