import { test } from 'vitest';
import { HttpResponseStream, invokeHandler, streamifyResponse } from '../../src/index.js';
test('x', async () => {
  const handler = streamifyResponse(async (_e: unknown, s: any) => {
    const h = HttpResponseStream.from(s, { statusCode: 201 });
    h.write('a');
    await new Promise((r) => setTimeout(r, 50));
    h.write({ b: 1 });
    h.end();
  });
  for (const clock of ['virtual', 'real'] as const)
    for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
      const r = await invokeHandler(handler, {}, { clock, runtime });
      console.log(clock, runtime, r.outcome, r.durationMs, JSON.stringify(r.stream), (r as any).error, r.logs.map((l) => l.text).join('\n'));
    }
});
