/**
 * Captures the AWS API calls through which a function reports its result to the service that
 * invoked it, when that result is not the function's return value: CodePipeline's
 * PutJobSuccessResult / PutJobFailureResult and AWS Config's PutEvaluations. The AWS SDK (v2 or v3)
 * sends them over HTTPS as JSON-protocol requests (`x-amz-target`); they are answered in-process
 * as the service would, without network or credentials checks. Other requests pass through.
 */
import { HarnessError } from '../errors/index.js';
import { type InterceptedAnswer, interceptHttps } from './intercept.js';

/**
 * One captured API call (`calls` of {@link CodePipelineJobResultCapture} and
 * {@link ConfigEvaluationsCapture}).
 *
 * @example
 * const [call]: readonly CapturedCall<'PutJobSuccessResult' | 'PutJobFailureResult'>[] = capture.calls;
 * expect(call?.operation).toBe('PutJobSuccessResult');
 */
export interface CapturedCall<Op extends string> {
  /** The operation, from `x-amz-target`. */
  readonly operation: Op;
  /** The request's JSON input as the SDK serialised it. */
  readonly input: Record<string, unknown>;
  /** What the capture answered: `ok`, or the service error it returned (e.g. `InvalidJobStateException`). */
  readonly answer: 'ok' | string;
}

const json = (status: number, body: unknown): InterceptedAnswer => ({
  status,
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
  },
  body: JSON.stringify(body),
});
const serviceError = (type: string, message: string) => json(400, { __type: type, message });

/** Starts answering one JSON-protocol service's operations; `handle` decides each call's answer. */
function captureAwsJson<Op extends string>(
  host: RegExp,
  targetPrefix: string,
  operations: readonly Op[],
  handle: (operation: Op, input: Record<string, unknown>) => InterceptedAnswer,
): { calls: CapturedCall<Op>[]; restore(): void } {
  const calls: CapturedCall<Op>[] = [];
  const operationOf = (target: string | undefined) =>
    target?.startsWith(`${targetPrefix}.`) ? (target.slice(targetPrefix.length + 1) as Op) : undefined;
  const { restore } = interceptHttps(
    ({ url, method, headers }) => {
      const op = operationOf(headers['x-amz-target']);
      return method === 'POST' && host.test(url.hostname) && op !== undefined && operations.includes(op);
    },
    ({ headers }, body) => {
      const operation = operationOf(headers['x-amz-target']) as Op;
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        calls.push({ operation, input: {}, answer: 'SerializationException' });
        return serviceError('SerializationException', 'the request body is not JSON');
      }
      const reply = handle(operation, input);
      const type =
        reply.status >= 400 ? (JSON.parse(reply.body ?? '{}') as { __type?: string }).__type : undefined;
      calls.push({ operation, input, answer: type ?? 'ok' });
      return reply;
    },
  );
  return { calls, restore };
}

/**
 * What a CodePipeline Lambda action reported, captured by {@link captureCodePipelineJobResult}.
 *
 * @example
 * const capture = captureCodePipelineJobResult(event);
 * await invokeHandler(handler, event);
 * capture.restore();
 * capture.result?.status; // 'success'
 */
export interface CodePipelineJobResultCapture {
  /** Every PutJobSuccessResult / PutJobFailureResult call, in order, with what it was answered. */
  readonly calls: readonly CapturedCall<'PutJobSuccessResult' | 'PutJobFailureResult'>[];
  /**
   * The result CodePipeline keeps for this event's job: the first accepted call (later ones for the
   * same job are answered InvalidJobStateException, as CodePipeline does), or undefined if none was
   * made: the action then stays in progress until it times out.
   */
  readonly result:
    | {
        status: 'success';
        continuationToken?: string;
        currentRevision?: unknown;
        executionDetails?: unknown;
        outputVariables?: Record<string, string>;
      }
    | { status: 'failure'; failureDetails: { type?: string; message?: string; externalExecutionId?: string } }
    | undefined;
  /** Puts `fetch` and `https.request` back. Idempotent. */
  restore(): void;
}

const FAILURE_TYPES = [
  'JobFailed',
  'ConfigurationError',
  'PermissionError',
  'RevisionOutOfSync',
  'RevisionUnavailable',
  'SystemUnavailable',
];

/**
 * Starts capturing the job result a CodePipeline Lambda action reports through
 * `PutJobSuccessResult` / `PutJobFailureResult` (AWS SDK v2 or v3, any region), answering them
 * as CodePipeline does: the first call for the job is accepted, a second is
 * `InvalidJobStateException`, another job id is `JobNotFoundException`, a failure without
 * `failureDetails.type` / `message` or with an unknown type is `ValidationException`.
 *
 * @example
 * const event = codePipelineEvent({ userParameters: { stage: 'prod' } });
 * const capture = captureCodePipelineJobResult(event);
 * try {
 *   await invokeHandler(handler, event);
 * } finally {
 *   capture.restore();
 * }
 * expect(capture.result).toMatchObject({ status: 'success' });
 */
export function captureCodePipelineJobResult(event: {
  'CodePipeline.job'?: { id?: unknown };
}): CodePipelineJobResultCapture {
  const jobId = event?.['CodePipeline.job']?.id;
  if (typeof jobId !== 'string' || jobId === '') {
    throw new HarnessError(
      'INVALID_OPTIONS',
      "captureCodePipelineJobResult(): event['CodePipeline.job'].id is missing",
      {
        path: "['CodePipeline.job'].id",
        hint: 'Pass the CodePipeline job event the handler is invoked with, e.g. codePipelineEvent().',
      },
    );
  }
  let result: CodePipelineJobResultCapture['result'];
  const { calls, restore } = captureAwsJson(
    /^codepipeline(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/,
    'CodePipeline_20150709',
    ['PutJobSuccessResult', 'PutJobFailureResult'] as const,
    (operation, input) => {
      if (input.jobId !== jobId) {
        return serviceError(
          'JobNotFoundException',
          `The job with the specified ID (${String(input.jobId)}) was not found.`,
        );
      }
      if (result !== undefined) {
        return serviceError(
          'InvalidJobStateException',
          `Job ${jobId} is not in a state that accepts a result (it already reported ${result.status}).`,
        );
      }
      if (operation === 'PutJobFailureResult') {
        const details = (input.failureDetails ?? {}) as {
          type?: string;
          message?: string;
          externalExecutionId?: string;
        };
        if (
          typeof details.type !== 'string' ||
          !FAILURE_TYPES.includes(details.type) ||
          typeof details.message !== 'string'
        ) {
          return serviceError(
            'ValidationException',
            `failureDetails needs type (${FAILURE_TYPES.join(' | ')}) and message`,
          );
        }
        result = { status: 'failure', failureDetails: details };
      } else {
        const { jobId: _id, ...rest } = input;
        result = { status: 'success', ...(rest as object) };
      }
      return json(200, {});
    },
  );
  return {
    calls,
    get result() {
      return result;
    },
    restore,
  };
}

/**
 * What an AWS Config rule reported, captured by {@link captureConfigEvaluations}.
 *
 * @example
 * const capture = captureConfigEvaluations(event);
 * await invokeHandler(handler, event);
 * capture.restore();
 * capture.evaluations[0]?.ComplianceType; // 'COMPLIANT'
 */
export interface ConfigEvaluationsCapture {
  /** Every PutEvaluations call, in order, with what it was answered. */
  readonly calls: readonly CapturedCall<'PutEvaluations'>[];
  /** The evaluations of every accepted call for this event's `resultToken`, in order. */
  readonly evaluations: readonly {
    ComplianceResourceType: string;
    ComplianceResourceId: string;
    ComplianceType: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'INSUFFICIENT_DATA';
    Annotation?: string;
    OrderingTimestamp: unknown;
  }[];
  restore(): void;
}

const COMPLIANCE = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'INSUFFICIENT_DATA'];

/**
 * Starts capturing the evaluations an AWS Config rule reports through `PutEvaluations`,
 * answering as Config does: a `ResultToken` other than the event's is
 * `InvalidResultTokenException`; more than 100 evaluations, a missing resource type/id/ordering
 * timestamp or an unknown ComplianceType is `InvalidParameterValueException`; `TestMode` calls are
 * recorded but not kept in `evaluations`.
 *
 * @example
 * const event = configRuleEvent({ resourceType: 'AWS::S3::Bucket' });
 * const capture = captureConfigEvaluations(event);
 * try {
 *   await invokeHandler(handler, event);
 * } finally {
 *   capture.restore();
 * }
 * expect(capture.evaluations).toMatchObject([{ ComplianceType: 'NON_COMPLIANT' }]);
 */
export function captureConfigEvaluations(event: { resultToken?: unknown }): ConfigEvaluationsCapture {
  const token = event?.resultToken;
  if (typeof token !== 'string' || token === '') {
    throw new HarnessError('INVALID_OPTIONS', 'captureConfigEvaluations(): event.resultToken is missing', {
      path: 'resultToken',
      hint: 'Pass the AWS Config rule event the handler is invoked with, e.g. configRuleEvent().',
    });
  }
  const evaluations: ConfigEvaluationsCapture['evaluations'][number][] = [];
  const { calls, restore } = captureAwsJson(
    /^config(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/,
    'StarlingDoveService',
    ['PutEvaluations'] as const,
    (_operation, input) => {
      if (input.ResultToken !== token) {
        return serviceError('InvalidResultTokenException', 'The specified ResultToken is not valid.');
      }
      const list = Array.isArray(input.Evaluations) ? (input.Evaluations as Record<string, unknown>[]) : [];
      if (list.length > 100) {
        return serviceError(
          'InvalidParameterValueException',
          `${list.length} evaluations: at most 100 per call`,
        );
      }
      const bad = list.findIndex(
        (e) =>
          typeof e?.ComplianceResourceType !== 'string' ||
          typeof e.ComplianceResourceId !== 'string' ||
          !COMPLIANCE.includes(String(e.ComplianceType)) ||
          e.OrderingTimestamp === undefined,
      );
      if (bad >= 0) {
        return serviceError(
          'InvalidParameterValueException',
          `Evaluations[${bad}] needs ComplianceResourceType, ComplianceResourceId, ComplianceType (${COMPLIANCE.join(' | ')}) and OrderingTimestamp`,
        );
      }
      if (input.TestMode !== true)
        evaluations.push(...(list as ConfigEvaluationsCapture['evaluations'][number][]));
      return json(200, { FailedEvaluations: [] });
    },
  );
  return { calls, evaluations, restore };
}
