import type { KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FunctionInvocationResult } from '../../src/invoke/result.js';
import {
  createKinesisEventSource,
  createSqsEventSource,
  type InvocationTarget,
  type ItemHistory,
} from '../../src/sources/index.js';
import { fnOf } from './helpers.js';

/** A cheap InvocationTarget calling a plain function: fast enough for hundreds of runs. */
function plainTarget(handler: (event: never) => unknown, durationMs = 100): InvocationTarget {
  return {
    functionName: 'prop',
    timeoutSeconds: 10,
    async invoke(event, { requestId = 'r' }) {
      const base = {
        requestId,
        functionName: 'prop',
        runtime: 'nodejs22.x' as const,
        coldStart: false,
        durationMs,
        billedDurationMs: durationMs,
        initDurationMs: undefined,
        logs: [],
        report: {
          requestId,
          durationMs,
          billedDurationMs: durationMs,
          memorySizeMB: 128,
          maxMemoryUsedMB: 64,
          initDurationMs: undefined,
          status: undefined,
        },
        pendingWork: { timers: 0, intervals: 0, immediates: 0, descriptions: [] },
      };
      try {
        const response = JSON.parse(JSON.stringify((await handler(event as never)) ?? null));
        return {
          ...base,
          outcome: 'success',
          response,
          responseJson: JSON.stringify(response),
        } as FunctionInvocationResult;
      } catch (e) {
        return {
          ...base,
          outcome: 'error',
          phase: 'invoke',
          error: { errorType: 'Error', errorMessage: String((e as Error).message) },
        } as FunctionInvocationResult;
      }
    },
  };
}

const successes = (h: ItemHistory) => h.attempts.filter((a) => a.outcome === 'success').length;

/** Deliveries of one item never overlap and never happen after it settled. */
function checkDeliveries(h: ItemHistory): void {
  for (let i = 1; i < h.attempts.length; i++) {
    expect(h.attempts[i]?.startedAt).toBeGreaterThanOrEqual(h.attempts[i - 1]?.endedAt ?? 0);
  }
  if (h.settledAt !== undefined)
    for (const a of h.attempts) expect(a.endedAt).toBeLessThanOrEqual(h.settledAt);
}

describe('invocation model properties', () => {
  it('SQS standard: nothing lost, receive counts 1..n, successes exactly once, DLQ after maxReceiveCount', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        fc.boolean(),
        async (failFor, batchSize, maxReceiveCount, partial) => {
          const plan = new Map<string, number>();
          const handler = (e: SQSEvent) => {
            const failing = e.Records.filter(
              (r) => Number(r.attributes.ApproximateReceiveCount) <= (plan.get(r.body) ?? 0),
            );
            if (partial) return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.messageId })) };
            if (failing.length > 0) throw new Error('batch failed');
            return undefined;
          };
          const sim = createSqsEventSource({
            target: plainTarget(handler as never),
            BatchSize: batchSize,
            ...(partial ? { FunctionResponseTypes: ['ReportBatchItemFailures' as const] } : {}),
            Queue: maxReceiveCount ? { RedrivePolicy: { maxReceiveCount } } : {},
          });
          const ids = failFor.map((k, i) => {
            plan.set(`m${i}`, k);
            return sim.send(`m${i}`);
          });
          const a = await sim.run();

          expect(a).toMatchObject({ total: ids.length, balanced: true });
          expect(a.byStatus['in-flight']).toBe(0);
          expect(a.byStatus.succeeded + a.byStatus['dead-lettered']).toBe(ids.length);
          expect(new Set(sim.deadLetterQueue.map((m) => m.messageId))).toEqual(
            new Set(sim.ids('dead-lettered')),
          );
          ids.forEach((id, i) => {
            const h = sim.history(id);
            checkDeliveries(h);
            expect(h.attempts.map((x) => x.receiveCount)).toEqual(h.attempts.map((_, j) => j + 1));
            const k = failFor[i] as number;
            if (h.status === 'succeeded') {
              expect(successes(h)).toBe(1);
              expect(h.attempts.at(-1)?.outcome).toBe('success');
              if (partial) expect(h.attempts).toHaveLength(k + 1);
              else expect(h.attempts.length).toBeGreaterThanOrEqual(k + 1);
            } else {
              expect(h.status).toBe('dead-lettered');
              expect(successes(h)).toBe(0);
              expect(h.attempts).toHaveLength(maxReceiveCount as number);
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('SQS FIFO: per-group order and one in-flight batch per group', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 10 }),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        async (messages, batchSize, maxReceiveCount) => {
          const plan = new Map<string, number>();
          const processed: string[] = [];
          // The recommended FIFO handler: stop at the first failure, report it and everything after it.
          const handler = (e: SQSEvent) => {
            const idx = e.Records.findIndex(
              (r) => Number(r.attributes.ApproximateReceiveCount) <= (plan.get(r.body) ?? 0),
            );
            const done = idx === -1 ? e.Records : e.Records.slice(0, idx);
            for (const r of done) processed.push(r.body);
            const rest = idx === -1 ? [] : e.Records.slice(idx);
            return { batchItemFailures: rest.map((r) => ({ itemIdentifier: r.messageId })) };
          };
          const sim = createSqsEventSource({
            target: plainTarget(handler as never, 1000),
            Queue: {
              QueueName: 'p.fifo',
              ContentBasedDeduplication: true,
              ...(maxReceiveCount ? { RedrivePolicy: { maxReceiveCount } } : {}),
            },
            BatchSize: batchSize,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
          });
          const groupOf = new Map<string, string>();
          messages.forEach(([g, k], i) => {
            plan.set(`m${i}`, k);
            groupOf.set(`m${i}`, `g${g}`);
            sim.send({ body: `m${i}`, messageGroupId: `g${g}` });
          });
          const a = await sim.run();

          expect(a).toMatchObject({ total: messages.length, balanced: true });
          expect(a.byStatus['in-flight']).toBe(0);
          for (const g of new Set(groupOf.values())) {
            const sent = [...groupOf].filter(([, gg]) => gg === g).map(([b]) => b);
            const ok = processed.filter((b) => groupOf.get(b) === g);
            const expected = sent.filter((b) => ok.includes(b));
            expect(ok).toEqual(expected);
          }
          const groupsOf = (ids: readonly string[]) =>
            new Set(ids.map((id) => sim.histories().find((h) => h.id === id)?.messageGroupId));
          const invs = sim.invocations;
          for (let i = 0; i < invs.length; i++) {
            for (let j = i + 1; j < invs.length; j++) {
              const x = invs[i];
              const y = invs[j];
              if (!x || !y || y.startedAt >= x.endedAt || x.startedAt >= y.endedAt) continue;
              const gx = groupsOf(x.itemIds);
              for (const g of groupsOf(y.itemIds)) expect(gx.has(g)).toBe(false);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('Kinesis: nothing lost, each record settled once, order kept per partition key, failures reported once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 4 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.record({
          shards: fc.integer({ min: 1, max: 3 }),
          parallelization: fc.integer({ min: 1, max: 3 }),
          batchSize: fc.integer({ min: 1, max: 12 }),
          bisect: fc.boolean(),
          partial: fc.boolean(),
          retries: fc.integer({ min: -1, max: 3 }),
        }),
        async (records, cfg) => {
          const plan = new Map<string, number>();
          const deliveries = new Map<string, number>();
          const processed: string[] = [];
          const handler = (e: KinesisStreamEvent) => {
            const failing: string[] = [];
            for (const r of e.Records) {
              const seq = r.kinesis.sequenceNumber;
              const n = (deliveries.get(seq) ?? 0) + 1;
              deliveries.set(seq, n);
              if (n <= (plan.get(seq) ?? 0)) failing.push(seq);
            }
            if (cfg.partial) {
              const first = e.Records.findIndex((r) => failing.includes(r.kinesis.sequenceNumber));
              for (const r of first === -1 ? e.Records : e.Records.slice(0, first))
                processed.push(r.kinesis.sequenceNumber);
              return { batchItemFailures: failing.map((itemIdentifier) => ({ itemIdentifier })) };
            }
            if (failing.length > 0) throw new Error('batch failed');
            for (const r of e.Records) processed.push(r.kinesis.sequenceNumber);
            return undefined;
          };
          const sim = createKinesisEventSource({
            target: plainTarget(handler as never),
            Stream: { ShardCount: cfg.shards },
            StartingPosition: 'TRIM_HORIZON',
            BatchSize: cfg.batchSize,
            ParallelizationFactor: cfg.parallelization,
            BisectBatchOnFunctionError: cfg.bisect,
            MaximumRetryAttempts: cfg.retries,
            ...(cfg.retries === -1 ? { MaximumRecordAgeInSeconds: 60 } : {}),
            ...(cfg.partial ? { FunctionResponseTypes: ['ReportBatchItemFailures' as const] } : {}),
            DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:f' } },
          });
          const keyOf = new Map<string, string>();
          const puts = records.map(([key, k]) => {
            const p = sim.put({ data: 'x', partitionKey: `pk${key}` });
            plan.set(p.sequenceNumber, k);
            keyOf.set(p.sequenceNumber, `pk${key}`);
            return p;
          });
          const a = await sim.run();

          expect(a).toMatchObject({ total: puts.length, balanced: true });
          expect(a.byStatus['in-flight']).toBe(0);
          expect(a.byStatus.succeeded + a.byStatus['failure-destination']).toBe(puts.length);
          const reported = sim.destinations.onFailure.flatMap((d) => d.itemIds);
          expect(reported).toHaveLength(new Set(reported).size);
          expect(new Set(reported)).toEqual(new Set(sim.ids('failure-destination')));
          for (const p of puts) {
            const h = sim.history(p.sequenceNumber);
            checkDeliveries(h);
            expect(successes(h)).toBe(h.status === 'succeeded' ? 1 : 0);
          }
          // Per partition key, records settle in put order, and successes are processed in put order.
          for (const key of new Set(keyOf.values())) {
            const seqs = puts.map((p) => p.sequenceNumber).filter((s) => keyOf.get(s) === key);
            const settled = seqs.map((s) => sim.history(s).settledAt ?? Number.NaN);
            expect(settled).toEqual([...settled].sort((x, y) => x - y));
            const ok = seqs.filter((s) => sim.history(s).status === 'succeeded');
            const firstOk = processed.filter((s) => keyOf.get(s) === key && ok.includes(s));
            expect([...new Set(firstOk)].filter((s) => ok.includes(s))).toEqual(ok);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('SQS through real function instances: nothing lost for random failures', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 25 }), async (poison) => {
        const sim = createSqsEventSource({
          target: fnOf(
            (async (e: SQSEvent) => ({
              batchItemFailures: e.Records.filter((r) => r.body.startsWith('poison')).map((r) => ({
                itemIdentifier: r.messageId,
              })),
            })) as never,
            { timeout: 10 },
          ),
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          Queue: { RedrivePolicy: { maxReceiveCount: 2 } },
        });
        sim.sendBatch(poison.map((p, i) => (p ? `poison-${i}` : `ok-${i}`)));
        const a = await sim.run();

        expect(a.balanced).toBe(true);
        expect(a.byStatus['dead-lettered']).toBe(poison.filter(Boolean).length);
        expect(a.byStatus.succeeded).toBe(poison.filter((p) => !p).length);
      }),
      { numRuns: 15 },
    );
  });
});
