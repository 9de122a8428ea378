// nodejs24.x's runtime error objects carry an own "name" member in their Init Error / Invoke Error
// log lines (runtime-client-observations.md: issue 12, item 3); v3 keeps the name on the class.
import { describe, expect, it } from 'vitest';
import type { RuntimeName } from '../../src/invoke/result.js';
import type { LogLine } from '../../src/logs/types.js';
import { ALL, ID1, parseRuntimeErrorLine, run, runtimeLines, V4 } from './helpers.js';

function errorLine(logs: readonly LogLine[], prefix: string, runtime: RuntimeName) {
  const line = runtimeLines({ logs }).find((l) => l.text.includes(`\t${prefix} \t`));
  if (!line) expect.fail(`no ${prefix} line in ${JSON.stringify(logs.map((l) => l.text))}`);
  const id = prefix === 'Invoke Error' ? ID1 : runtime === 'nodejs24.x' ? '-' : 'undefined';
  return parseRuntimeErrorLine(line.text, id, prefix);
}

describe('"name" member of the runtime\'s own errors', () => {
  it.each(ALL)('Runtime.MalformedHandlerName [%s]: name in the log line on v4 only', async (runtime) => {
    const result = await run(async () => 1, {}, runtime, { handler: 'index', coldStart: true });
    const prefix = runtime === 'nodejs24.x' ? 'Init Error' : 'Uncaught Exception';
    const logged = errorLine(result.logs, prefix, runtime);
    expect(logged.errorType).toBe('Runtime.MalformedHandlerName');
    if (runtime === 'nodejs24.x') {
      expect(Object.keys(logged)).toEqual(['errorType', 'errorMessage', 'name', 'stack']);
      expect(logged.name).toBe('Runtime.MalformedHandlerName');
    } else expect(Object.keys(logged)).toEqual(['errorType', 'errorMessage', 'stack']);
  });

  it.each(V4)('Runtime.CallbackHandlerDeprecated [%s]: Init Error line carries name', async (runtime) => {
    const result = await run((_e: unknown, _c: unknown, cb: () => void) => cb(), {}, runtime, {
      coldStart: true,
    });
    const logged = errorLine(result.logs, 'Init Error', runtime);
    expect(logged).toMatchObject({
      errorType: 'Runtime.CallbackHandlerDeprecated',
      name: 'Runtime.CallbackHandlerDeprecated',
    });
  });

  it.each(V4)('Runtime.JSONStringifyError [%s]: Invoke Error line carries name', async (runtime) => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const result = await run(async () => circular, {}, runtime);
    const logged = errorLine(result.logs, 'Invoke Error', runtime);
    expect(Object.keys(logged)).toEqual(['errorType', 'errorMessage', 'name', 'stack']);
    expect(logged.name).toBe('Runtime.JSONStringifyError');
  });

  it.each(V4)('a user error keeps its own shape (no name member added) [%s]', async (runtime) => {
    const result = await run(
      async () => {
        throw new TypeError('user');
      },
      {},
      runtime,
    );
    expect(Object.keys(errorLine(result.logs, 'Invoke Error', runtime))).toEqual([
      'errorType',
      'errorMessage',
      'stack',
    ]);
  });
});
