// Failure text is a product: every matcher's failure message is snapshot-tested here, colourless
// and with request ids, timestamps, durations and stack frames masked.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { invokeHandler } from '../../src/invoke/index.js';
import { failureOf } from '../matchers/helpers.js';

const clock = { mode: 'virtual', startMs: Date.UTC(2024, 0, 1) } as const;
const success = () =>
  invokeHandler(
    async () => {
      console.log('loaded order %s', 'o-1');
      console.warn('slow downstream');
      return {
        statusCode: 201,
        headers: { 'content-type': 'application/json' },
        cookies: ['sid=abc; HttpOnly'],
        body: '{"id":"o-1","total":12}',
      };
    },
    {},
    { clock, coldStart: true },
  );
const failure = () =>
  invokeHandler(
    async () => {
      console.log('charging card');
      throw new TypeError('card declined');
    },
    {},
    { clock },
  );
const timeout = () =>
  invokeHandler(async () => new Promise((r) => setTimeout(r, 10_000)), {}, { clock, timeout: 2 });

describe('failure messages', () => {
  it('toHaveSucceeded on a failure', async () => {
    const r = await failure();
    expect(failureOf(() => expect(r).toHaveSucceeded())).toMatchSnapshot();
  });

  it('not.toHaveSucceeded on a success', async () => {
    const r = await success();
    expect(failureOf(() => expect(r).not.toHaveSucceeded())).toMatchSnapshot();
  });

  it('toHaveSucceededWith on a different response', async () => {
    const r = await invokeHandler(async () => ({ id: 'o-1', total: 12 }), {}, { clock });
    expect(failureOf(() => expect(r).toHaveSucceededWith({ id: 'o-1', total: 13 }))).toMatchSnapshot();
  });

  it('toHaveSucceededMatching on a timeout', async () => {
    const r = await timeout();
    expect(failureOf(() => expect(r).toHaveSucceededMatching({ id: 'o-1' }))).toMatchSnapshot();
  });

  it('toHaveFailed on a success, and with the wrong errorType', async () => {
    const ok = await success();
    const bad = await failure();
    expect(failureOf(() => expect(ok).toHaveFailed())).toMatchSnapshot();
    expect(failureOf(() => expect(bad).toHaveFailed({ errorType: 'RangeError' }))).toMatchSnapshot();
    expect(failureOf(() => expect(bad).not.toHaveFailed(/declined/))).toMatchSnapshot();
  });

  it('toHaveFailedInit and toHaveTimedOut', async () => {
    const bad = await failure();
    expect(failureOf(() => expect(bad).toHaveFailedInit())).toMatchSnapshot();
    expect(failureOf(() => expect(bad).toHaveTimedOut())).toMatchSnapshot();
    const slow = await timeout();
    expect(failureOf(() => expect(slow).not.toHaveTimedOut())).toMatchSnapshot();
  });

  it('cold/warm start and init budget', async () => {
    const cold = await success();
    expect(failureOf(() => expect(cold).toBeWarmStart())).toMatchSnapshot();
    expect(failureOf(() => expect(cold).not.toBeColdStart())).toMatchSnapshot();
  });

  it('HTTP matchers', async () => {
    const r = await success();
    expect(failureOf(() => expect(r).toHaveStatusCode(200))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveHeader('cache-control', 'no-store'))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveJsonBody({ id: 'o-2' }))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveCookie('theme'))).toMatchSnapshot();
    expect(
      failureOf(() => expect(r).toHaveHttpResponse({ statusCode: 201, json: { total: 99 } })),
    ).toMatchSnapshot();
    const bad = await failure();
    expect(failureOf(() => expect(bad).toHaveStatusCode(200))).toMatchSnapshot();
  });

  it('log matchers', async () => {
    const r = await success();
    expect(failureOf(() => expect(r).toHaveLogged('order o-2'))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveLogged('slow', { level: 'ERROR' }))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveLoggedJson({ orderId: 'o-1' }))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveLoggedInOrder(['slow', 'loaded']))).toMatchSnapshot();
    expect(failureOf(() => expect(r).toHaveReport({ memorySizeMB: 1024 }))).toMatchSnapshot();
    const bad = await failure();
    expect(failureOf(() => expect(bad).toHaveLoggedNoErrors())).toMatchSnapshot();
  });

  it('batch matchers', async () => {
    const r = await invokeHandler(
      async () => ({ batchItemFailures: [{ itemIdentifier: 'm-2' }] }),
      {},
      { clock },
    );
    expect(failureOf(() => expect(r).toHaveBatchItemFailures(['m-1', 'm-2']))).toMatchSnapshot();
  });

  it('a value that is not a result', () => {
    expect(failureOf(() => expect({ statusCode: 200 }).toHaveStatusCode(200))).toMatchSnapshot();
  });
});
