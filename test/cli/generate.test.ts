import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvent } from '../../src/events/index.js';
import { buildCli, removeBuild } from './build.js';
import { oneLineFailure, runCli, runMain } from './run.js';

let cli = '';
let dir = '';
let tmp = '';

beforeAll(async () => {
  ({ cli, dir } = await buildCli());
  tmp = mkdtempSync(join(tmpdir(), 'lh-generate-'));
}, 60_000);

afterAll(() => {
  removeBuild(dir);
  rmSync(tmp, { recursive: true, force: true });
});

interface SqsLike {
  Records: {
    body: string;
    md5OfBody: string;
    messageId: string;
    eventSourceARN: string;
    awsRegion: string;
  }[];
}

// Most cases run the CLI's main() in-process (runMain); the default event, -o and the first bad
// input also run through the built binary, as a user's shell would.
describe.concurrent('lambda-harness generate', { timeout: 60_000 }, () => {
  it('prints the default variant of a source as the library generates it', async () => {
    const { code, stdout, stderr } = await runCli(cli, ['generate', 'sqs']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(generateEvent('sqs'));
  });

  it('honours variant, --records and --seed', async () => {
    const { code, stdout } = await runMain(['generate', 'sqs', 'fifo', '--records', '3', '--seed', '7']);
    expect(code).toBe(0);
    const event = JSON.parse(stdout) as SqsLike;
    expect(event).toEqual(generateEvent('sqs', 'fifo', { records: 3, seed: 7 }));
    expect(event.Records).toHaveLength(3);
  });

  it('accepts source:variant', async () => {
    const { code, stdout } = await runMain(['generate', 'sqs:fifo', '--seed', '7']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(generateEvent('sqs', 'fifo', { seed: 7 }));
  });

  it('gives a different event for a different seed and the same event for the same seed', async () => {
    const a = await runMain(['generate', 'sqs', '-s', '1']);
    const b = await runMain(['generate', 'sqs', '-s', '1']);
    const c = await runMain(['generate', 'sqs', '-s', '2']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('puts --region and --account in ARNs', async () => {
    const { stdout } = await runMain([
      'generate',
      'sqs',
      '--region',
      'eu-west-1',
      '--account',
      '111122223333',
    ]);
    const record = (JSON.parse(stdout) as SqsLike).Records[0];
    expect(record?.awsRegion).toBe('eu-west-1');
    expect(record?.eventSourceARN).toMatch(/^arn:aws:sqs:eu-west-1:111122223333:/);
  });

  it('applies --set with a JSON value and recomputes derived fields', async () => {
    const { code, stdout } = await runMain(['generate', 'sqs', '--set', 'Records[0].body={"a":1}']);
    expect(code).toBe(0);
    const record = (JSON.parse(stdout) as SqsLike).Records[0];
    expect(record?.body).toBe('{"a":1}');
    expect(record?.md5OfBody).toBe(createHash('md5').update('{"a":1}').digest('hex'));
  });

  it('takes a non-JSON --set value as a string, repeats --set, and leaves other records alone', async () => {
    const plain = JSON.parse((await runMain(['generate', 'sqs', '-n', '2'])).stdout) as SqsLike;
    const { code, stdout } = await runMain([
      'generate',
      'sqs',
      '-n',
      '2',
      '--set',
      'Records[1].body=hello world',
      '--set',
      'Records[1].messageId=m-2',
    ]);
    expect(code).toBe(0);
    const event = JSON.parse(stdout) as SqsLike;
    expect(event.Records[0]).toEqual(plain.Records[0]);
    expect(event.Records[1]?.body).toBe('hello world');
    expect(event.Records[1]?.messageId).toBe('m-2');
  });

  it('lists sources and variants with --list', async () => {
    const { code, stdout } = await runMain(['generate', '--list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+sqs\s+standard, fifo$/m);
  });

  it('writes to a file with -o and prints a replay line on stderr', async () => {
    const file = join(tmp, 'event.json');
    const { code, stdout, stderr } = await runCli(cli, ['generate', 'sqs', '-o', file, '--seed', '5']);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('seed: 5');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(generateEvent('sqs', undefined, { seed: 5 }));
  });

  it('prints one line with --compact', async () => {
    const { stdout } = await runMain(['generate', 'sqs', '--compact']);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('shows help', async () => {
    const { code, stdout } = await runMain(['generate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: lambda-harness generate <source> [variant]');
    expect(stdout).toContain('--set <path=value>');
  });
});

describe.concurrent('lambda-harness generate: bad input', { timeout: 60_000 }, () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown source', ['generate', 'sqz'], /unknown event source "sqz"/],
    ['an unknown variant', ['generate', 'sqs', 'lifo'], /unknown variant "lifo"/],
    ['a missing source', ['generate'], /missing <source>/],
    ['an unknown flag', ['generate', 'sqs', '--sed', '1'], /unknown option --sed/],
    ['a flag without its value', ['generate', 'sqs', '--seed'], /option --seed needs a value/],
    [
      '--records on a source that is not a batch (names the flag, not the internal function)',
      ['generate', 'apigateway', '--records', '2'],
      /^lambda-harness: generate: --records does not apply to apigateway events$/,
    ],
    [
      'a --set index past the generated records',
      ['generate', 'sqs', '--set', 'Records[99].body=x'],
      /Records has 1 item, so \[99\] does not exist/,
    ],
    [
      'a bad --records',
      ['generate', 'sqs', '--records', '0'],
      /--records expects an integer from 1 to 10000, got "0"/,
    ],
    [
      'a --set without "="',
      ['generate', 'sqs', '--set', 'Records[0].body'],
      /bad --set "Records\[0\]\.body": missing "="/,
    ],
    [
      'a --set with a bad index',
      ['generate', 'sqs', '--set', 'Records[x].body=1'],
      /"\[x\]" is not an array index/,
    ],
    ['a --set on an unknown field', ['generate', 'sqs', '--set', 'Records[0].bdy=1'], /bad --set: .*bdy/],
    [
      'a --set with a wrong type',
      ['generate', 'sqs', '--set', 'Records[0].messageAttributes=[1]'],
      /bad --set: .*messageAttributes/,
    ],
    ['a bad --region', ['generate', 'sqs', '--region', 'mars'], /--region/],
    [
      'an unwritable -o',
      ['generate', 'sqs', '-o', '/nonexistent-dir/x/event.json'],
      /cannot write \/nonexistent-dir/,
    ],
  ];
  // The CLI's own logic, run in-process; the first case also through the built binary (exit code,
  // the two streams).
  for (const [index, [name, args, message]] of cases.entries()) {
    it(`rejects ${name} with one line, a hint and exit code 2`, async () => {
      const { code, stdout, stderr } = index === 0 ? await runCli(cli, args) : await runMain(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      const { line } = oneLineFailure(stderr);
      expect(line).toMatch(message);
    });
  }

  it('creates no file when generation fails', async () => {
    const file = join(tmp, 'never.json');
    await runMain(['generate', 'nope', '-o', file]);
    expect(existsSync(file)).toBe(false);
  });
});
