// A Function URL handler with InvokeMode RESPONSE_STREAM, written as deployed: `awslambda` is the
// global the Lambda Node.js runtime installs (lambda-harness installs it for init and each invoke).
import type { HttpResponseStream, ResponseStream, streamifyResponse } from 'lambda-harness';

declare const awslambda: {
  streamifyResponse: typeof streamifyResponse;
  HttpResponseStream: typeof HttpResponseStream;
};

/** Streams one server-sent event per step, a second apart, then closes the stream. */
export const handler = awslambda.streamifyResponse(
  async (event: { steps?: number }, responseStream: ResponseStream) => {
    const http = awslambda.HttpResponseStream.from(responseStream, {
      statusCode: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
    const steps = event.steps ?? 3;
    for (let step = 1; step <= steps; step++) {
      http.write(`data: {"step":${step},"of":${steps}}\n\n`);
      if (step < steps) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    http.end();
  },
);
