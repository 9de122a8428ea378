import { execFileSync } from 'node:child_process';
import { faker } from '@faker-js/faker';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventSources, generateEvent } from '../../src/events/index.js';

const cases = Object.entries(eventSources).flatMap(([source, entry]) =>
  entry.variants.map((variant) => [source, variant] as const),
);

function generateAll(
  seed: number,
  order: readonly (readonly [string, string])[] = cases,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [source, variant] of order)
    out[`${source}/${variant}`] = generateEvent(source, variant, { seed });
  return out;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('determinism', () => {
  it.each([0, 1, 42, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER])(
    'seed %s gives deep-equal events on repeated calls',
    (seed) => {
      expect(generateAll(seed)).toEqual(generateAll(seed));
    },
  );

  it('does not depend on call order (no shared random state between calls)', () => {
    const forward = generateAll(11);
    const backward = generateAll(11, [...cases].reverse());
    const interleaved = generateAll(
      11,
      cases.flatMap((c) => [c, c]),
    );

    expect(backward).toEqual(forward);
    expect(interleaved).toEqual(forward);
  });

  it('gives different events for different seeds', () => {
    const a = generateAll(1);
    const b = generateAll(2);

    for (const key of Object.keys(a)) expect(a[key], key).not.toEqual(b[key]);
  });

  it('never touches the global faker and is not affected by it', () => {
    faker.seed(123);
    const expectedNext = faker.string.uuid();
    const before = generateAll(5);

    faker.seed(123);
    const after = generateAll(5);
    const actualNext = faker.string.uuid();

    expect(actualNext).toBe(expectedNext);
    expect(after).toEqual(before);
  });

  it('ignores the wall clock and faked timers (timestamps come from the pinned reference time)', () => {
    const real = generateAll(9);
    vi.useFakeTimers({ now: new Date('1999-12-31T23:59:59Z') });

    expect(generateAll(9)).toEqual(real);
  });

  it('gives the same events in another process with another time zone and locale', () => {
    const script = `
      import('./src/events/index.ts').then(({ eventSources, generateEvent }) => {
        const out = {};
        for (const [s, e] of Object.entries(eventSources)) for (const v of e.variants) out[s + '/' + v] = generateEvent(s, v, { seed: 77 });
        process.stdout.write(JSON.stringify(out));
      });`;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      encoding: 'utf8',
    });

    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(generateAll(77))));
  });

  it('keeps record i stable when the batch grows (records derive from their own stream)', () => {
    const small = generateEvent('sqs', 'standard', { seed: 3, records: 2 }) as { Records: unknown[] };
    const large = generateEvent('sqs', 'standard', { seed: 3, records: 50 }) as { Records: unknown[] };

    expect(large.Records.slice(0, 2)).toEqual(small.Records);
  });
});

describe('generateEvent', () => {
  it('lists valid sources on an unknown source', () => {
    expect(() => generateEvent('sqss')).toThrow(/unknown event source "sqss"; valid sources: sqs, kinesis/);
  });

  it('lists valid variants on an unknown variant', () => {
    expect(() => generateEvent('dynamodb', 'upsert')).toThrow(
      /unknown variant "upsert" of source "dynamodb"; valid variants: insert, modify, remove, ttl-remove/,
    );
  });

  it('passes JSON-friendly options through to the generator (and rejects unknown ones)', () => {
    const event = generateEvent('sqs', 'fifo', {
      seed: 1,
      records: 2,
      region: 'eu-west-1',
      accountId: '111122223333',
      overrides: { Records: [{ body: 'x' }] },
    }) as { Records: { body: string; awsRegion: string }[] };

    expect(event.Records).toHaveLength(2);
    expect(event.Records[0]?.body).toBe('x');
    expect(event.Records[1]?.awsRegion).toBe('eu-west-1');
    expect(() => generateEvent('scheduled', undefined, { records: 2 })).toThrow(
      /options\.records: unknown option/,
    );
  });
});
