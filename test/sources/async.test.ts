import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import { createAsyncInvoker } from '../../src/sources/index.js';
import { DLQ_ARN, fnOf, QUEUE_ARN, sleep, T0 } from './helpers.js';

const boom = async () => {
  throw new Error('boom');
};

describe('asynchronous invocation', () => {
  it('accepts with 202 and sends the exact success record to the on-success destination', async () => {
    const fn = fnOf(async (event: { n: number }) => ({ doubled: event.n * 2 }));
    const sim = createAsyncInvoker({
      target: fn,
      DestinationConfig: { OnSuccess: { Destination: QUEUE_ARN } },
    });

    const accepted = sim.invoke({ n: 21 });
    const summary = await sim.run();

    expect(accepted.statusCode).toBe(202);
    expect(summary.byStatus.succeeded).toBe(1);
    const [delivery] = sim.destinations.onSuccess;
    expect(delivery?.kind).toBe('sqs');
    expect(delivery?.record).toEqual({
      version: '1.0',
      timestamp: expect.stringMatching(/^2024-01-15T12:00:00\.\d{3}Z$/),
      requestContext: {
        requestId: accepted.requestId,
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST',
        condition: 'Success',
        approximateInvokeCount: 1,
      },
      requestPayload: { n: 21 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { doubled: 42 },
    });
    expect(JSON.parse((delivery?.payload as { body: string } | undefined)?.body ?? 'null')).toEqual(
      delivery?.record,
    );
    expect(sim.invocations[0]?.requestId).toBe(accepted.requestId);
  });

  it('retries a failing event twice, about 1 and 2 minutes apart, then reports RetriesExhausted', async () => {
    const sim = createAsyncInvoker({
      target: fnOf(boom),
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    const { requestId } = sim.invoke({ id: 'e-1' });
    await sim.run();

    const h = sim.history(requestId);
    expect(h.status).toBe('failure-destination');
    expect(h.condition).toBe('RetriesExhausted');
    expect(h.attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'error']);
    expect(h.attempts.every((a) => a.requestId === requestId)).toBe(true);
    const [a1, a2, a3] = h.attempts;
    expect((a2?.startedAt ?? 0) - (a1?.endedAt ?? 0)).toBe(60_000);
    expect((a3?.startedAt ?? 0) - (a2?.endedAt ?? 0)).toBe(120_000);
    const record = sim.destinations.onFailure[0]?.record;
    expect(record?.requestContext).toMatchObject({
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    });
    expect(record?.responseContext).toEqual({
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    });
    expect(record?.responsePayload).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
    expect(record?.requestPayload).toEqual({ id: 'e-1' });
  });

  it.each([
    [0, 1],
    [1, 2],
    [2, 3],
  ])('MaximumRetryAttempts %i gives %i attempts', async (retries, attempts) => {
    const sim = createAsyncInvoker({ target: fnOf(boom), MaximumRetryAttempts: retries });

    const { requestId } = sim.invoke({});
    await sim.run();

    expect(sim.history(requestId).attempts).toHaveLength(attempts);
    expect(sim.history(requestId).status).toBe('dropped');
  });

  it('succeeds on a retry with the same request id and no failure delivery', async () => {
    let calls = 0;
    const sim = createAsyncInvoker({
      target: fnOf(async () => {
        calls++;
        if (calls === 1) throw new Error('transient');
        return 'ok';
      }),
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN }, OnSuccess: { Destination: DLQ_ARN } },
    });

    const { requestId } = sim.invoke({});
    await sim.run();

    expect(sim.history(requestId).status).toBe('succeeded');
    expect(sim.destinations.onFailure).toHaveLength(0);
    expect(sim.destinations.onSuccess[0]?.record.requestContext.approximateInvokeCount).toBe(2);
  });

  it('discards an event older than MaximumEventAgeInSeconds with EventAgeExceeded', async () => {
    const sim = createAsyncInvoker({
      target: fnOf(boom),
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    const { requestId } = sim.invoke({});
    await sim.run();

    expect(sim.history(requestId).attempts).toHaveLength(1);
    expect(sim.history(requestId).condition).toBe('EventAgeExceeded');
    expect(sim.destinations.onFailure[0]?.record.requestContext).toMatchObject({
      condition: 'EventAgeExceeded',
      approximateInvokeCount: 1,
    });
  });

  it('retries throttled events with backoff from 1 s doubling, without counting them as attempts', async () => {
    const sim = createAsyncInvoker({
      target: fnOf(
        async () => {
          await sleep(10_000);
          return 'done';
        },
        { timeout: 30 },
      ),
      reservedConcurrency: 1,
    });

    const first = sim.invoke({ n: 1 });
    const second = sim.invoke({ n: 2 });
    await sim.run();

    expect(sim.history(first.requestId).attempts).toHaveLength(1);
    const attempts = sim.history(second.requestId).attempts;
    expect(attempts.map((a) => a.outcome)).toEqual([
      'throttled',
      'throttled',
      'throttled',
      'throttled',
      'success',
    ]);
    expect(attempts.map((a) => a.startedAt - T0)).toEqual([0, 1000, 3000, 7000, 15_000]);
    expect(sim.history(second.requestId).status).toBe('succeeded');
  });

  it('caps throttle retries at the maximum event age', async () => {
    // A long invocation holds the only slot for 10 minutes.
    const holder = fnOf(async (e: { hold?: boolean }) => (e.hold ? sleep(600_000) : 'ok'), { timeout: 900 });
    const sim2 = createAsyncInvoker({
      target: holder,
      reservedConcurrency: 1,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
    });

    sim2.invoke({ hold: true });
    const late = sim2.invoke({ hold: false });
    await sim2.run();

    const h = sim2.history(late.requestId);
    expect(h.status).toBe('failure-destination');
    expect(h.condition).toBe('EventAgeExceeded');
    expect(h.attempts.every((a) => a.outcome === 'throttled')).toBe(true);
    expect(sim2.destinations.onFailure[0]?.record.requestContext.approximateInvokeCount).toBe(0);
    expect(sim2.destinations.onFailure[0]?.record.responseContext.statusCode).toBe(429);
    expect(h.settledAt).toBe(T0 + 63_000);
  });

  it('sends events straight to the DLQ when reserved concurrency is 0', async () => {
    const sim = createAsyncInvoker({
      target: fnOf(async () => 'unreachable', { reservedConcurrency: 0 }),
      DeadLetterConfig: { TargetArn: DLQ_ARN },
    });

    const { requestId } = sim.invoke({ order: 1 });
    await sim.run();

    expect(sim.history(requestId).status).toBe('dead-lettered');
    expect(sim.history(requestId).attempts.map((a) => a.outcome)).toEqual(['throttled']);
    expect(sim.deadLetterQueue[0]?.messageAttributes.ErrorCode).toEqual({
      dataType: 'Number',
      stringValue: '429',
    });
    expect(sim.now).toBe(T0);
  });

  it('puts the raw event and RequestID / ErrorCode / ErrorMessage (first 1 KB) on the DLQ', async () => {
    const sim = createAsyncInvoker({
      target: fnOf(async () => {
        throw new Error('é'.repeat(600));
      }),
      MaximumRetryAttempts: 0,
      DeadLetterConfig: { TargetArn: DLQ_ARN },
    });

    const { requestId } = sim.invoke({ raw: [1, 2] });
    await sim.run();

    const msg = sim.deadLetterQueue[0];
    expect(msg?.body).toBe('{"raw":[1,2]}');
    expect(msg?.messageAttributes.RequestID).toEqual({ dataType: 'String', stringValue: requestId });
    expect(msg?.messageAttributes.ErrorCode).toEqual({ dataType: 'Number', stringValue: '200' });
    expect(Buffer.byteLength(msg?.messageAttributes.ErrorMessage.stringValue ?? '')).toBe(1024);
    expect(sim.history(requestId).status).toBe('dead-lettered');
  });

  it('treats a timeout as a function error and retries it', async () => {
    const sim = createAsyncInvoker({
      target: fnOf(() => sleep(10_000), { timeout: 3 }),
      MaximumRetryAttempts: 1,
      DestinationConfig: {
        OnFailure: { Destination: 'arn:aws:events:us-east-1:123456789012:event-bus/default' },
      },
    });

    const { requestId } = sim.invoke({});
    await sim.run();

    const h = sim.history(requestId);
    expect(h.attempts.map((a) => a.outcome)).toEqual(['timeout', 'timeout']);
    expect(h.attempts[0]?.endedAt).toBe(T0 + 3000);
    const d = sim.destinations.onFailure[0];
    expect(d?.payload).toMatchObject({
      source: 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Failure',
      detail: { requestContext: { condition: 'RetriesExhausted' } },
    });
    expect(d?.record.responseContext.functionError).toBe('Unhandled');
  });

  it('rejects events over the 1 MB asynchronous limit with 413 and does not enqueue them', () => {
    const sim = createAsyncInvoker({ target: fnOf(async () => 'x') });

    const r = sim.invoke({ big: 'x'.repeat(1_100_000) });

    expect(r.statusCode).toBe(413);
    expect(sim.accounting().total).toBe(0);
  });

  it('accounts for every event and names unknown ids', async () => {
    let n = 0;
    const sim = createAsyncInvoker({
      target: fnOf(async () => {
        n++;
        if (n % 2 === 0) throw new Error('even');
      }),
      MaximumRetryAttempts: 0,
      DeadLetterConfig: { TargetArn: DLQ_ARN },
    });

    for (let i = 0; i < 10; i++) sim.invoke({ i }, { at: T0 + i * 1000 });
    const a = await sim.run();

    expect(a.total).toBe(10);
    expect(a.balanced).toBe(true);
    expect(a.byStatus.succeeded + a.byStatus['dead-lettered']).toBe(10);
    expect(sim.deadLetterQueue).toHaveLength(a.byStatus['dead-lettered']);
    expect(() => sim.history('nope')).toThrow(HarnessError);
  });

  it('refuses a second run() while one is running', async () => {
    const sim = createAsyncInvoker({ target: fnOf(boom) });
    sim.invoke({});

    const first = sim.run();
    await expect(sim.run()).rejects.toThrow(/already running/);
    await first;

    expect(sim.accounting().byStatus.dropped).toBe(1);
  });

  it('stops at a virtual time and leaves retries in flight', async () => {
    const sim = createAsyncInvoker({ target: fnOf(boom) });

    const { requestId } = sim.invoke({});
    const a = await sim.run({ forMs: 30_000 });

    expect(a.byStatus['in-flight']).toBe(1);
    expect(sim.history(requestId).settledAt).toBeUndefined();
    expect(sim.now).toBe(T0 + 30_000);
  });

  it.each([
    [{ MaximumRetryAttempts: 3 }, 'MaximumRetryAttempts'],
    [{ MaximumEventAgeInSeconds: 59 }, 'MaximumEventAgeInSeconds'],
    [{ MaximumEventAgeInSeconds: 21_601 }, 'MaximumEventAgeInSeconds'],
    [{ MaximumRetries: 1 }, 'MaximumRetries'],
    [
      { DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::bucket' } } },
      'DestinationConfig.OnFailure.Destination',
    ],
    [
      { DeadLetterConfig: { TargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:x' } },
      'DeadLetterConfig.TargetArn',
    ],
  ])('rejects %j', (extra, path) => {
    const make = () => createAsyncInvoker({ target: async () => 'x', ...(extra as object) });
    expect(make).toThrow(HarnessError);
    try {
      make();
    } catch (e) {
      expect((e as HarnessError).code).toBe('INVALID_CONFIGURATION');
      expect((e as HarnessError).path).toBe(path);
    }
  });
});
