import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import {
  albEvent,
  eventBridgeEvent,
  generateEvent,
  kinesisEvent,
  snsEvent,
  sqsEvent,
} from '../../src/events/index.js';
import { createFunction } from '../../src/lifecycle/index.js';
import { describeType } from '../../src/matchers/message.js';
import { readBatchResponse } from '../../src/sources/batch-response.js';
import {
  createAsyncInvoker,
  createKinesisEventSource,
  createSqsEventSource,
} from '../../src/sources/index.js';

const circular = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};

function thrown(fn: () => unknown): HarnessError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected a HarnessError');
}

const target = () => createFunction({ handler: () => async () => 'ok' });

describe('values JSON cannot encode are a HarnessError naming the path (found by the fuzz lane)', () => {
  it.each([
    ['sqsEvent bodies', () => sqsEvent({ bodies: [1n] as never }), 'bodies[0]'],
    ['sqsEvent circular body', () => sqsEvent({ bodies: [circular()] }), 'bodies[0]'],
    ['kinesisEvent data', () => kinesisEvent({ data: [1n] as never }), 'data[0]'],
    ['albEvent body', () => albEvent({ body: [1n] } as never), 'body'],
    ['eventBridgeEvent detail', () => eventBridgeEvent({ detail: circular() }), 'detail'],
    ['sim.send body', () => createSqsEventSource({ target: target() }).send({ body: 1n } as never), 'body'],
    [
      'sim.put data',
      () =>
        createKinesisEventSource({ target: target(), StartingPosition: 'LATEST' }).put({
          data: circular(),
          partitionKey: 'p',
        }),
      'data',
    ],
    ['sim.invoke event', () => createAsyncInvoker({ target: target() }).invoke(Symbol('s')), 'event'],
  ])('%s', (_name, act, path) => {
    const error = thrown(act);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(/JSON-serialisable/);
  });

  it.each([
    ['snsEvent time 1e308', () => snsEvent({ time: 1e308 })],
    ['generateEvent dynamodb time 1e20', () => generateEvent('dynamodb', undefined, { time: 1e20 })],
    ['sqsEvent time as an invalid Date', () => sqsEvent({ time: new Date(Number.NaN) })],
  ])('rejects an out-of-range time: %s', (_name, act) => {
    const error = thrown(act);
    expect(error.path).toBe('time');
    expect(error.message).toMatch(/from 1970 to year 9999/);
  });

  it('rejects a circular StartingPosition without a TypeError', () => {
    const error = thrown(() =>
      createKinesisEventSource({ target: target(), StartingPosition: circular() as never }),
    );
    expect(error.message).toMatch(/StartingPosition: expected one of .*received an object/);
  });

  it('describes a BigInt for matchers and batch responses without throwing', () => {
    expect(describeType(1n)).toBe('bigint 1n');
    expect(readBatchResponse({ batchItemFailures: [{ itemIdentifier: 1n }] }, new Set(['m1']), true)).toEqual(
      {
        kind: 'invalid',
        reason: 'batchItemFailures[0].itemIdentifier is bigint 1n',
      },
    );
  });
});
