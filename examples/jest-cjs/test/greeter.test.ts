import { describe, it, expect as jestExpect } from '@jest/globals';
import { apiGatewayProxyEvent, invokeHandler } from 'lambda-harness';
import { handler, slowHandler } from '../src/greeter';

describe('greeter (Jest 30, CommonJS, ts-jest, packed lambda-harness)', () => {
  it('greets (global expect, typed by @types/jest)', async () => {
    const result = await invokeHandler(handler, apiGatewayProxyEvent({ query: { name: 'ada' } }));
    expect(result).toHaveSucceeded();
    expect(result).toHaveStatusCode(200);
    expect(result).toHaveJsonBody({ greeting: expect.stringContaining('ada') });
    expect(result).toHaveCookie('greeted', 'ada');
    expect(result).toHaveLogged('greeting ada', { level: 'INFO' });
    expect(result).toHaveLoggedNoErrors();
  });

  it('rejects a missing name (@jest/globals expect)', async () => {
    const result = await invokeHandler(handler, apiGatewayProxyEvent());
    jestExpect(result).toHaveHttpResponse({ statusCode: 400, json: { message: 'name required' } });
    jestExpect(result).not.toHaveLoggedNoErrors();
    jestExpect(result).toHaveLogged(/missing name/, { level: 'ERROR' });
  });

  it('times out', async () => {
    const result = await invokeHandler(slowHandler, {}, { timeout: 1, clock: 'virtual' });
    expect(result).toHaveTimedOut();
    expect(result).not.toHaveSucceeded();
  });

  it('snapshots a result with volatile fields masked', async () => {
    const result = await invokeHandler(handler, apiGatewayProxyEvent({ query: { name: 'snap' } }));
    expect(result.report).toMatchObject({ memorySizeMB: 128 });
    expect(result).toMatchSnapshot();
  });
});
