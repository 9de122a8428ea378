import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvent } from '../../src/events/index.js';
import { buildCli, removeBuild } from './build.js';
import { cliTimeout, oneLineFailure, runCli, runMain } from './run.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/cli');
const fx = (name: string) => join(FIXTURES, name);

// Built at collection so that the tests' timeout can come from a CLI run measured under the
// machine's present load (see cliTimeout).
const { cli, dir } = await buildCli();
const timeout = await cliTimeout(cli, fx('echo.mjs'));
let tmp = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'lh-invoke-'));
  writeFileSync(join(tmp, 'bad.json'), '{"a":');
});

afterAll(() => {
  removeBuild(dir);
  rmSync(tmp, { recursive: true, force: true });
});

const REQUEST_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

describe.concurrent('lambda-harness invoke', { timeout }, () => {
  it('runs a handler with an event file and prints START/END/REPORT and the response', async () => {
    const event = join(tmp, 'event.json');
    writeFileSync(event, '{"orderId":"o-1"}');
    const { code, stdout, stderr } = await runCli(cli, ['invoke', fx('echo.mjs'), '--event', event]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ok: true, invocations: 1, echo: { orderId: 'o-1' } });
    const lines = stderr.replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(/^INIT_START Runtime Version: nodejs:24\./);
    expect(lines[1]).toMatch(/\t-\tINFO\tmodule loaded$/);
    expect(lines[2]).toMatch(new RegExp(`^START RequestId: ${REQUEST_ID} Version: \\$LATEST$`));
    expect(lines[3]).toMatch(/\tINFO\tgot event \{"orderId":"o-1"\}$/);
    expect(lines[4]).toMatch(new RegExp(`^END RequestId: ${REQUEST_ID}$`));
    expect(lines[5]).toMatch(
      /^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t$/,
    );
    expect(lines).toHaveLength(6);
  });

  it('reads the event from stdin with --event -', async () => {
    const { code, stdout } = await runCli(cli, ['invoke', fx('echo.mjs'), '--event', '-'], {
      input: '[1,2,3]',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ echo: [1, 2, 3] });
  });

  it('defaults the event to {}', async () => {
    const { stdout } = await runCli(cli, ['invoke', fx('echo.mjs'), '-q']);
    expect(JSON.parse(stdout)).toMatchObject({ echo: {} });
  });

  it('generates the event with --generate source:variant, --seed and --records', async () => {
    const { code, stdout } = await runCli(cli, [
      'invoke',
      fx('echo.mjs'),
      '--generate',
      'sqs:fifo',
      '--seed',
      '3',
      '--records',
      '2',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).echo).toEqual(generateEvent('sqs', 'fifo', { seed: 3, records: 2 }));
  });

  it('applies --set to the generated event', async () => {
    const { code, stdout } = await runCli(cli, [
      'invoke',
      fx('echo.mjs'),
      '-g',
      'sqs',
      '--set',
      'Records[0].body={"id":7}',
      '-q',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).echo.Records[0].body).toBe('{"id":7}');
  });

  it('picks a nested export with file:export', async () => {
    const { code, stdout } = await runCli(cli, ['invoke', `${fx('echo.mjs')}:handlers.get`]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ via: 'handlers.get' });
  });

  it('runs a TypeScript handler', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', fx('typed.ts'), '--event', '-'], {
      input: '{"orderId":"o-9"}',
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ orderId: 'o-9', typed: true });
    expect(stderr).toContain('typed handler got o-9');
  });

  it('runs a CommonJS handler on nodejs20.x with --env and --env-file (--env wins)', async () => {
    const envFile = join(tmp, '.env');
    writeFileSync(envFile, 'GREETING=from-file\nOTHER=x\n');
    const fromFile = await runCli(cli, [
      'invoke',
      fx('commonjs/index.js'),
      '-r',
      'nodejs20.x',
      '--env-file',
      envFile,
    ]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual({ greeting: 'from-file' });
    expect(fromFile.stderr).toMatch(/^INIT_START Runtime Version: nodejs:20\./);
    const both = await runCli(
      cli,
      [
        'invoke',
        fx('commonjs/index.js'),
        '--runtime',
        'nodejs20.x',
        '--env-file',
        envFile,
        '--env',
        'GREETING=hi',
        '--event',
        '-',
      ],
      { input: '{"name":"ana"}' },
    );
    expect(JSON.parse(both.stdout)).toEqual({ greeting: 'hi', name: 'ana' });
  });

  it('reports --memory in the REPORT line and --function-name in the result', async () => {
    const { stderr, stdout } = await runCli(cli, [
      'invoke',
      fx('echo.mjs'),
      '-m',
      '512',
      '--function-name',
      'orders',
      '--json',
      '-q',
    ]);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout);
    expect(result.report.memorySizeMB).toBe(512);
    expect(result.functionName).toBe('orders');
    const logs = await runCli(cli, ['invoke', fx('echo.mjs'), '--memory', '512']);
    expect(logs.stderr).toContain('\tMemory Size: 512 MB\t');
  });

  it('prints the whole result with --json', async () => {
    const { code, stdout } = await runCli(cli, ['invoke', fx('echo.mjs'), '--json', '--quiet']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ outcome: 'success', coldStart: true, runtime: 'nodejs24.x' });
    expect(result.initDurationMs).toBeGreaterThan(0);
    expect(result.logs.map((l: { text: string }) => l.text.split(' ')[0])).toContain('REPORT');
  });

  it('keeps the exit code with --json on failure and puts the logs in the JSON only', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', fx('fails.mjs'), '--json']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      outcome: 'error',
      phase: 'invoke',
      error: { errorType: 'ValidationError' },
    });
    expect(result.logs.some((l: { text: string }) => l.text.includes('about to fail'))).toBe(true);
    expect(stderr).toBe('lambda-harness: fails.mjs:handler failed: ValidationError: order id missing\n');
  });

  it('prints no log lines with --quiet', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', fx('echo.mjs'), '--quiet']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).ok).toBe(true);
  });

  it('exits 1 with the error payload when the handler throws', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', fx('fails.mjs')]);
    expect(code).toBe(1);
    const payload = JSON.parse(stdout);
    expect(payload).toMatchObject({ errorType: 'ValidationError', errorMessage: 'order id missing' });
    expect(Array.isArray(payload.trace)).toBe(true);
    expect(stderr).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"ValidationError"/);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(
      'lambda-harness: fails.mjs:handler failed: ValidationError: order id missing',
    );
  });

  it('exits 1 with Runtime.ExitError when the handler calls process.exit', async () => {
    const { code, stdout } = await runCli(cli, ['invoke', fx('exits.mjs')]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(JSON.parse(stdout).errorMessage).toMatch(/exit status 2$/);
  });

  it('exits 4 on a timeout (async wait)', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', fx('slow.mjs'), '--timeout', '0.2']);
    expect(code).toBe(4);
    expect(JSON.parse(stdout)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(JSON.parse(stdout).errorMessage).toMatch(/Task timed out after 0\.20 seconds$/);
    expect(stderr).toContain('Status: timeout');
  });

  it('exits 4 when a handler blocks the event loop past its timeout (the process is killed)', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', `${fx('slow.mjs')}:busy`, '-t', '0.2']);
    expect(code).toBe(4);
    expect(JSON.parse(stdout).errorMessage).toMatch(/Task timed out after 0\.20 seconds$/);
    expect(stderr).toMatch(/Task timed out after 0\.20 seconds\n/);
  });

  it('shows help', async () => {
    const { code, stdout } = await runMain(['invoke', '-h']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: lambda-harness invoke <file>[:export]');
    expect(stdout).toContain('Exit codes: 0 success, 1 handler error, 2 bad usage, 3 init error, 4 timeout.');
  });
});

describe.concurrent('lambda-harness invoke: init errors exit 3 with one line and a hint', {
  timeout,
}, () => {
  it('names the exports that exist when the export is missing', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['invoke', `${fx('echo.mjs')}:handlr`]);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
    const { line, hint } = oneLineFailure(stderr);
    expect(line).toBe(
      'lambda-harness: echo.mjs:handlr failed to initialise: Runtime.HandlerNotFound: echo.handlr is undefined or not exported',
    );
    expect(hint).toContain('handler, handlers.get');
  });

  it('reports a syntax error as Runtime.UserCodeSyntaxError', async () => {
    const file = join(tmp, 'broken.mjs');
    writeFileSync(file, 'export const handler = async () => {\n  return { a: 1 ;\n};\n');
    const { code, stdout, stderr } = await runCli(cli, ['invoke', file]);
    expect(code).toBe(3);
    expect(JSON.parse(stdout).errorType).toBe('Runtime.UserCodeSyntaxError');
    const { line, hint } = oneLineFailure(stderr);
    expect(line).toMatch(
      /broken\.mjs:handler failed to initialise: Runtime\.UserCodeSyntaxError: SyntaxError: /,
    );
    expect(hint).toContain('node --check');
  });

  it('reports ESM syntax in a CommonJS package as a syntax error on nodejs22.x, as Lambda does', async () => {
    const pkg = join(tmp, 'cjs-pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{ "type": "commonjs" }');
    writeFileSync(join(pkg, 'index.js'), 'export const handler = async () => 1;\n');
    const { code, stdout, stderr } = await runCli(cli, ['invoke', join(pkg, 'index.js'), '-r', 'nodejs22.x']);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: "SyntaxError: Unexpected token 'export'",
    });
    expect(oneLineFailure(stderr).line).toContain('Runtime.UserCodeSyntaxError');
  });

  it('reports a throw in init code, and prints the init log lines with --verbose', async () => {
    const quiet = await runCli(cli, ['invoke', fx('init-throws.mjs')]);
    expect(quiet.code).toBe(3);
    expect(oneLineFailure(quiet.stderr).line).toContain('TypeError: config missing: TABLE_NAME');
    const verbose = await runCli(cli, ['invoke', fx('init-throws.mjs'), '--verbose']);
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).toMatch(/^INIT_START /);
    expect(verbose.stderr).toContain('INIT_REPORT Init Duration:');
  });

  it('reports a missing package', async () => {
    const file = join(tmp, 'missing-dep.mjs');
    writeFileSync(file, "import 'definitely-not-installed-pkg';\nexport const handler = async () => 1;\n");
    const { code, stderr } = await runCli(cli, ['invoke', file]);
    expect(code).toBe(3);
    const { line, hint } = oneLineFailure(stderr);
    expect(line).toContain("Cannot find package 'definitely-not-installed-pkg'");
    expect(hint).toContain('install it');
  });
});

describe.concurrent('lambda-harness invoke: bad usage exits 2 with one line and a hint', {
  timeout,
}, () => {
  const cases: [string, (t: string) => string[], RegExp, string?][] = [
    [
      'a missing handler file',
      () => ['invoke', 'nope/handler.js'],
      /cannot find handler file nope\/handler\.js/,
    ],
    ['a missing file argument', () => ['invoke'], /missing <file>\[:export\]/],
    [
      'an unreadable event file',
      (t) => ['invoke', fx('echo.mjs'), '--event', join(t, 'none.json')],
      /cannot read event file .*none\.json \(ENOENT\)/,
    ],
    [
      'an event file that is not JSON',
      (t) => ['invoke', fx('echo.mjs'), '--event', join(t, 'bad.json')],
      /event file .*bad\.json is not valid JSON/,
    ],
    [
      'stdin that is not JSON',
      () => ['invoke', fx('echo.mjs'), '--event', '-'],
      /the event on stdin is not valid JSON/,
      '{oops',
    ],
    [
      'stdin text that is not JSON, with a newline (one line, quotes balanced)',
      () => ['invoke', fx('echo.mjs'), '--event', '-'],
      /the event on stdin is not valid JSON \(Unexpected token '?o'?[^"]*; it starts "not json\\nat all"\)$/,
      'not json\nat all\n',
    ],
    [
      'a negative -t (named by its range, not as a missing value)',
      () => ['invoke', fx('echo.mjs'), '-t', '-5'],
      /--timeout expects a number from 0\.001 to 900, got "-5"/,
    ],
    [
      '--event and --generate together',
      () => ['invoke', fx('echo.mjs'), '--event', 'x', '--generate', 'sqs'],
      /either --event or --generate/,
    ],
    [
      'an unknown --generate source',
      () => ['invoke', fx('echo.mjs'), '--generate', 'sqz'],
      /invoke: unknown event source "sqz"/,
    ],
    [
      '--seed without --generate',
      () => ['invoke', fx('echo.mjs'), '--seed', '1'],
      /only apply with --generate/,
    ],
    [
      'an unknown runtime',
      () => ['invoke', fx('echo.mjs'), '--runtime', 'nodejs18.x'],
      /unknown runtime "nodejs18\.x"/,
    ],
    [
      'a bad --timeout',
      () => ['invoke', fx('echo.mjs'), '--timeout', '901'],
      /--timeout expects a number from 0\.001 to 900/,
    ],
    [
      'a bad --memory',
      () => ['invoke', fx('echo.mjs'), '--memory', '64'],
      /--memory expects an integer from 128 to 10240/,
    ],
    ['a bad --env', () => ['invoke', fx('echo.mjs'), '--env', 'NOEQUALS'], /bad --env "NOEQUALS"/],
    [
      'a bad export name',
      () => ['invoke', `${fx('echo.mjs')}:not-valid`],
      /"not-valid" is not an export name/,
    ],
    ['an unknown flag', () => ['invoke', fx('echo.mjs'), '--evnt', 'x'], /invoke: unknown option --evnt/],
  ];
  it('rejects a missing --env-file (on Node 20, node itself checks the path first and exits 9)', async () => {
    const { code, stdout, stderr } = await runCli(cli, [
      'invoke',
      fx('echo.mjs'),
      '--env-file',
      join(tmp, 'none.env'),
    ]);
    expect(code === 2 || code === 9).toBe(true);
    expect(stdout).toBe('');
    expect(stderr).toContain('none.env');
    expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  });

  // The CLI's own checks, run in-process; the first case also through the built binary.
  for (const [index, [name, args, message, input]] of cases.entries()) {
    it(`rejects ${name}`, async () => {
      const options = input === undefined ? {} : { input };
      const { code, stdout, stderr } =
        index === 0 ? await runCli(cli, args(tmp), options) : await runMain(args(tmp), options);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(oneLineFailure(stderr).line).toMatch(message);
    });
  }
});
