// Event generator throughput, measured as ratios against a hand-written baseline in the same process.
// Run: npx tsx bench/events.ts [--quick], or through `npm run bench` (bench/index.ts).
// Baseline: what a developer writes by hand with faker + node:crypto to build an equivalent, valid SQS
// record. Target (issue 2): SQS generation >= 2x the baseline.
import { createHash, randomBytes } from 'node:crypto';
import { base, en, Faker } from '@faker-js/faker';
import type { SQSRecord } from 'aws-lambda';
import { dynamoDBStreamEvent, kinesisEvent, sqsEvent } from '../src/events/index.js';
import { DynamoDBStreamEventSchema, KinesisEventSchema, SqsEventSchema } from '../src/schemas/index.js';
import { type BenchOptions, type BenchRow, isMain, printRows, standaloneOptions } from './support/row.js';

const faker = new Faker({ locale: [en, base], seed: 1 });
const STATUSES = ['PENDING', 'ACTIVE', 'COMPLETED', 'FAILED', 'ARCHIVED'];
const t0 = Date.UTC(2024, 0, 15, 12);

/** The hand-written baseline: one valid SQS record with faker + node:crypto. */
function baselineSqsRecord(i: number): SQSRecord {
  const body = JSON.stringify({
    id: faker.string.hexadecimal({ length: 12, casing: 'lower', prefix: '' }),
    type: `${faker.word.noun()}.${faker.word.verb()}`,
    quantity: faker.number.int({ min: 1, max: 20 }),
    status: faker.helpers.arrayElement(STATUSES),
  });
  const sent = t0 + i * 10 + faker.number.int(9);
  return {
    messageId: faker.string.uuid(),
    receiptHandle: `AQEB${faker.string.alphanumeric(172)}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(sent),
      SenderId: `AIDA${faker.string.alphanumeric({ length: 17, casing: 'upper' })}`,
      ApproximateFirstReceiveTimestamp: String(sent + faker.number.int({ min: 5, max: 40 })),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:bench-queue',
    awsRegion: 'us-east-1',
  };
}

/**
 * A leaner hand-written baseline: node:crypto for the opaque receipt handle, faker for ids and text.
 * The target ratio is measured against whichever baseline is faster.
 */
function leanBaselineSqsRecord(i: number): SQSRecord {
  const body = JSON.stringify({
    id: faker.string.uuid(),
    type: faker.helpers.arrayElement(['order.created', 'order.paid', 'order.shipped']),
    quantity: faker.number.int({ min: 1, max: 20 }),
    status: faker.helpers.arrayElement(STATUSES),
  });
  const sent = t0 + i * 10;
  return {
    messageId: faker.string.uuid(),
    receiptHandle: `AQEB${randomBytes(129).toString('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(sent),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(sent + 7),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:bench-queue',
    awsRegion: 'us-east-1',
  };
}

interface Case {
  name: string;
  batch: number;
  run: (seed: number) => unknown;
  validate: (event: unknown) => boolean;
}

const cases: Case[] = [
  {
    name: 'baseline: faker + node:crypto SQS record',
    batch: 10,
    run: () => ({ Records: Array.from({ length: 10 }, (_, i) => baselineSqsRecord(i)) }),
    validate: (e) => SqsEventSchema.safeParse(e).success,
  },
  {
    name: 'lean baseline: faker ids + crypto handle',
    batch: 10,
    run: () => ({ Records: Array.from({ length: 10 }, (_, i) => leanBaselineSqsRecord(i)) }),
    validate: (e) => SqsEventSchema.safeParse(e).success,
  },
  {
    name: 'sqsEvent (batch of 10)',
    batch: 10,
    run: (seed) => sqsEvent({ seed, records: 10 }),
    validate: (e) => SqsEventSchema.safeParse(e).success,
  },
  {
    name: 'sqsEvent FIFO (batch of 10)',
    batch: 10,
    run: (seed) => sqsEvent({ seed, records: 10, fifo: true }),
    validate: (e) => SqsEventSchema.safeParse(e).success,
  },
  {
    name: 'kinesisEvent (batch of 100)',
    batch: 100,
    run: (seed) => kinesisEvent({ seed, records: 100 }),
    validate: (e) => KinesisEventSchema.safeParse(e).success,
  },
  {
    name: 'dynamoDBStreamEvent MODIFY (batch of 100)',
    batch: 100,
    run: (seed) => dynamoDBStreamEvent({ seed, records: 100, eventName: 'MODIFY' }),
    validate: (e) => DynamoDBStreamEventSchema.safeParse(e).success,
  },
];

/** Records per second over one timed window. */
function measure(c: Case, ms: number): number {
  let records = 0;
  let seed = 1;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 20; k++) {
      c.run(seed++);
      records += c.batch;
    }
    now = performance.now();
  }
  return (records / (now - start)) * 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Generator throughput as ratios of the faster hand-written baseline. */
export async function run(options: BenchOptions): Promise<BenchRow[]> {
  // Only valid records count: check a sample of each case's output against the schema first.
  for (const c of cases) {
    for (let seed = 1; seed <= (options.quick ? 10 : 50); seed++) {
      if (!c.validate(c.run(seed))) throw new Error(`${c.name} produced an invalid event (seed ${seed})`);
    }
  }
  const rounds = options.quick ? 3 : 5;
  const windowMs = options.quick ? 150 : 400;
  for (const c of cases) measure(c, options.quick ? 50 : 200); // warm-up
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) samples.get(c.name)?.push(measure(c, windowMs));
  }
  const rate = (name: string) => median(samples.get(name) ?? [0]);
  const full = rate(cases[0]?.name ?? '');
  const lean = rate(cases[1]?.name ?? '');
  const baseline = Math.max(full, lean);
  const baselineName =
    full >= lean ? 'faker + node:crypto by hand' : 'faker ids + node:crypto handle by hand';
  const fmt = (r: number) => `${Math.round(r).toLocaleString('en-US')} records/s`;
  const targets: Record<string, string> = { 'sqsEvent (batch of 10)': '>= 2x' };
  return cases.slice(2).map((c) => {
    const ratio = rate(c.name) / baseline;
    const target = targets[c.name];
    return {
      area: 'events',
      measure: c.name,
      baseline: `${baselineName} (the faster of two), SQS records`,
      ratio,
      higherIsBetter: true,
      ...(target !== undefined ? { target, met: ratio >= 2 } : {}),
      detail: `${fmt(rate(c.name))} vs ${fmt(baseline)}; median of ${rounds} x ${windowMs} ms windows`,
      headline: target !== undefined,
    };
  });
}

if (isMain(import.meta.url)) printRows(await run(standaloneOptions()));
