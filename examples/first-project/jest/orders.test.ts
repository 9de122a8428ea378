import { existsSync } from 'node:fs';
import { HarnessError, httpApiEvent, invokeHandler } from 'lambda-harness';
import { handler } from '../src/orders';

// Copied into a fresh project set up as docs/matchers.md says (scripts/ci-lanes.d/lib/fresh-project.sh).
describe('a first test with the matchers', () => {
  it('answers with the order', async () => {
    const result = await invokeHandler(handler, httpApiEvent({ seed: 1, pathParameters: { id: 'o-1' } }));

    expect(result).toHaveSucceeded();
    expect(result).toHaveStatusCode(200);
    expect(result).toHaveJsonBody({ id: 'o-1' });
    expect(result).toHaveLogged('looking up o-1', { level: 'INFO' });
    expect(result).not.toHaveStatusCode(500);
  });

  it("shows the handler's frames, as Lambda does, not the harness's", async () => {
    const result = await invokeHandler(handler, httpApiEvent({ seed: 1 }));

    expect(result).toHaveFailed({ errorType: 'TypeError', errorMessage: 'order id missing' });
    if (result.outcome !== 'error') throw new Error(`expected an error, got ${result.outcome}`);
    const frames = result.error.trace?.slice(1) ?? [];
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatch(/src[\\/]orders\.ts:\d+:\d+\)?$/);
  });

  it('names the bad option, and its stack points at files that exist', async () => {
    const error = await invokeHandler(handler, {}, { timeout: -1 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HarnessError);
    const files = [
      ...String((error as Error).stack).matchAll(/\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?$/gm),
    ].map((m) => (m[1] as string).replace(/^file:\/\//, ''));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !existsSync(file))).toEqual([]);
  });

  it('types the matchers: tsc --noEmit fails on a misuse', async () => {
    const result = await invokeHandler(handler, {});

    // @ts-expect-error toHaveStatusCode takes a number
    expect(() => expect(result).toHaveStatusCode('200')).toThrow(HarnessError);
    // @ts-expect-error there is no such matcher
    expect(() => expect(result).toHaveSucceededSomehow()).toThrow();
  });
});
