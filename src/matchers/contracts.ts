// Response contracts: what the calling service (Firehose, API Gateway, Cognito) accepts back from a
// function. A wrong shape there is a production incident the service reports as its own error.
import { stringifyValue } from './context.js';
import { contractMatcher, problemsJudgement } from './contract-matcher.js';
import { badArgument, indentRest } from './message.js';

const FIREHOSE_RESULTS = ['Ok', 'Dropped', 'ProcessingFailed'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems with a Firehose transformation response, given the record ids of the event. */
export function firehoseResponseProblems(response: unknown, recordIds: readonly string[]): string[] {
  if (!isRecord(response)) return ['the response is not an object { records: [...] }'];
  const records = response.records;
  if (!Array.isArray(records)) return ['response.records is not an array'];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    if (!isRecord(record)) {
      problems.push(`records[${i}] is not an object`);
      return;
    }
    const id = record.recordId;
    if (typeof id !== 'string') problems.push(`records[${i}].recordId is ${stringifyValue(id)}`);
    else if (!recordIds.includes(id))
      problems.push(`records[${i}].recordId "${id}" is not a record of the event`);
    else if (seen.has(id))
      problems.push(`records[${i}].recordId "${id}" answers the same record as records[${seen.get(id)}]`);
    else seen.set(id, i);
    if (typeof record.result !== 'string' || !FIREHOSE_RESULTS.includes(record.result)) {
      problems.push(
        `records[${i}].result is ${stringifyValue(record.result)}, not Ok | Dropped | ProcessingFailed`,
      );
    }
    if (record.data === undefined) {
      if (record.result === 'Ok')
        problems.push(`records[${i}].data is missing (an Ok record must carry base64 data)`);
    } else if (typeof record.data !== 'string' || !BASE64.test(record.data) || record.data.length % 4 !== 0) {
      problems.push(`records[${i}].data is not base64`);
    }
  });
  const missing = recordIds.filter((id) => !seen.has(id));
  if (missing.length > 0)
    problems.push(`no answer for recordId ${missing.map((id) => `"${id}"`).join(', ')}`);
  return problems;
}

/**
 * Matches an IAM-style resource pattern (`*` any run of characters, `?` one character).
 *
 * @example
 * arnMatches('arn:aws:execute-api:*:*:abc123/prod/GET/*', event.methodArn); // true
 */
export function arnMatches(pattern: string, arn: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(arn);
}

const INVOKE_ACTIONS = ['execute-api:Invoke', 'execute-api:*', '*'];

/**
 * How API Gateway reads an authorizer response for one `methodArn`: `allow`, `deny` (explicit or
 * implicit) or `invalid` (API Gateway answers 500).
 *
 * @example
 * authorizerDecision(result.response, event.methodArn); // { decision: 'deny', why: 'no statement allows ...' }
 */
export function authorizerDecision(
  response: unknown,
  methodArn: string,
): { decision: 'allow' | 'deny' | 'invalid'; why: string } {
  if (!isRecord(response)) return { decision: 'invalid', why: 'the response is not an object' };
  if ('isAuthorized' in response) {
    if (typeof response.isAuthorized !== 'boolean') {
      return {
        decision: 'invalid',
        why: `isAuthorized is ${stringifyValue(response.isAuthorized)}, not a boolean`,
      };
    }
    const contextProblem = contextCheck(response.context, true);
    if (contextProblem) return { decision: 'invalid', why: contextProblem };
    return response.isAuthorized
      ? { decision: 'allow', why: 'simple response isAuthorized: true' }
      : { decision: 'deny', why: 'simple response isAuthorized: false' };
  }
  if (typeof response.principalId !== 'string') {
    return {
      decision: 'invalid',
      why: `principalId is ${stringifyValue(response.principalId)}, not a string`,
    };
  }
  const doc = response.policyDocument;
  if (!isRecord(doc) || (!Array.isArray(doc.Statement) && !isRecord(doc.Statement))) {
    return { decision: 'invalid', why: 'policyDocument.Statement is missing' };
  }
  if (doc.Version !== '2012-10-17') {
    return {
      decision: 'invalid',
      why: `policyDocument.Version is ${stringifyValue(doc.Version)}, not "2012-10-17"`,
    };
  }
  const contextProblem = contextCheck(response.context, false);
  if (contextProblem) return { decision: 'invalid', why: contextProblem };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  let allowedBy: string | undefined;
  for (const [i, st] of statements.entries()) {
    if (!isRecord(st)) return { decision: 'invalid', why: `Statement[${i}] is not an object` };
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') {
      return { decision: 'invalid', why: `Statement[${i}].Effect is ${stringifyValue(st.Effect)}` };
    }
    const actions = ([] as unknown[]).concat(st.Action);
    const resources = ([] as unknown[]).concat(st.Resource);
    const actionHit = actions.some((a) => typeof a === 'string' && INVOKE_ACTIONS.includes(a));
    const resourceHit = resources.find((r) => typeof r === 'string' && arnMatches(r, methodArn));
    if (!actionHit || resourceHit === undefined) continue;
    // An explicit Deny wins over any Allow.
    if (st.Effect === 'Deny')
      return { decision: 'deny', why: `Statement[${i}] denies it (Resource ${stringifyValue(resourceHit)})` };
    allowedBy ??= `Statement[${i}] allows it (Resource ${stringifyValue(resourceHit)})`;
  }
  return allowedBy
    ? { decision: 'allow', why: allowedBy }
    : { decision: 'deny', why: 'no statement allows execute-api:Invoke on it (implicit deny)' };
}

function contextCheck(context: unknown, httpApi: boolean): string | undefined {
  if (context === undefined || context === null) return undefined;
  if (!isRecord(context)) return 'context is not an object';
  if (httpApi) return undefined;
  for (const [key, value] of Object.entries(context)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      return `context.${key} is ${stringifyValue(value)}: REST authorizer context values must be strings, numbers or booleans`;
    }
  }
  return undefined;
}

function policyMatcher(name: 'toAllowMethodArn' | 'toDenyMethodArn', want: 'allow' | 'deny') {
  return contractMatcher<string>({
    name,
    argumentLabel: 'methodArn',
    argument: (methodArn) => {
      if (typeof methodArn !== 'string' || !methodArn.startsWith('arn:')) {
        badArgument(name, 'methodArn', 'an execute-api ARN such as event.methodArn', methodArn);
      }
      return methodArn;
    },
    expectation: (methodArn) => [
      `an authorizer response that ${want === 'allow' ? 'allows' : 'denies'} ${methodArn}`,
      `an authorizer response that does not ${want} ${methodArn}`,
    ],
    failedHint:
      'An authorizer that throws makes API Gateway answer 500 (or 401 for an "Unauthorized" error), never 403.',
    judge: (ctx, response, methodArn) => {
      const { decision, why } = authorizerDecision(response, methodArn);
      return {
        pass: decision === want,
        received: [
          `Received: ${decision === 'invalid' ? `an invalid authorizer response (API Gateway answers 500): ${why}` : `${decision === 'allow' ? 'allowed' : 'denied'}: ${why}`}`,
          `  response: ${indentRest(ctx.utils.printReceived(response))}`,
        ],
        hint:
          decision === 'invalid'
            ? 'Return { principalId, policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect, Resource }] } } (REST) or { isAuthorized } (HTTP API simple responses).'
            : 'Resources match with * and ? as IAM does; an explicit Deny wins over any Allow; no matching Allow is an implicit deny (403).',
      };
    },
  });
}

const COGNITO_RESPONSE_KEYS: [prefix: string, allowed: Record<string, string>][] = [
  ['PreSignUp_', { autoConfirmUser: 'boolean', autoVerifyEmail: 'boolean', autoVerifyPhone: 'boolean' }],
  ['PostConfirmation_', {}],
  ['PreAuthentication_', {}],
  ['PostAuthentication_', {}],
  [
    'DefineAuthChallenge_',
    { challengeName: 'string', issueTokens: 'boolean', failAuthentication: 'boolean' },
  ],
  [
    'CreateAuthChallenge_',
    {
      publicChallengeParameters: 'strings',
      privateChallengeParameters: 'strings',
      challengeMetadata: 'string',
    },
  ],
  ['VerifyAuthChallengeResponse_', { answerCorrect: 'boolean' }],
  ['TokenGeneration_', { claimsOverrideDetails: 'object', claimsAndScopeOverrideDetails: 'object' }],
  [
    'UserMigration_',
    {
      userAttributes: 'strings',
      finalUserStatus: 'string',
      messageAction: 'string',
      desiredDeliveryMediums: 'array',
      forceAliasCreation: 'boolean',
      enableSMSMFA: 'boolean',
    },
  ],
  ['CustomMessage_', { smsMessage: 'string', emailMessage: 'string', emailSubject: 'string' }],
  ['CustomEmailSender_', {}],
  ['CustomSMSSender_', {}],
];

/** Problems with a Cognito trigger response, given the trigger event. */
export function cognitoResponseProblems(event: unknown, response: unknown): string[] {
  if (!isRecord(event) || typeof event.triggerSource !== 'string') return ['the event has no triggerSource'];
  const source = event.triggerSource;
  const rule = COGNITO_RESPONSE_KEYS.find(([prefix]) => source.startsWith(prefix));
  if (!rule) return [`unknown triggerSource "${source}"`];
  if (!isRecord(response))
    return [
      `the function must return the event (with its response filled in), not ${stringifyValue(response)}`,
    ];
  const problems: string[] = [];
  if (response.triggerSource !== source || response.userPoolId !== event.userPoolId) {
    problems.push('the function must return the event it received (triggerSource/userPoolId differ)');
  }
  const body = response.response;
  if (!isRecord(body)) return [...problems, 'response.response is not an object'];
  for (const [key, value] of Object.entries(body)) {
    const type = rule[1][key];
    if (type === undefined) {
      problems.push(
        `response.response.${key} is not a field of the ${rule[0].slice(0, -1)} trigger (allowed: ${Object.keys(rule[1]).join(', ') || 'none'})`,
      );
      continue;
    }
    if (value === null) continue;
    const ok =
      type === 'strings'
        ? isRecord(value) && Object.values(value).every((v) => typeof v === 'string')
        : type === 'array'
          ? Array.isArray(value)
          : type === 'object'
            ? isRecord(value)
            : typeof value === type;
    if (!ok)
      problems.push(
        `response.response.${key} is ${stringifyValue(value)}, expected ${type === 'strings' ? 'a map of strings' : type}`,
      );
  }
  if (source.startsWith('PreSignUp_') && body.autoVerifyEmail === true && body.autoConfirmUser !== true) {
    problems.push('autoVerifyEmail without autoConfirmUser: Cognito rejects it');
  }
  if (source.startsWith('CustomMessage_')) {
    const code = (event.request as Record<string, unknown> | undefined)?.codeParameter;
    for (const key of ['smsMessage', 'emailMessage'] as const) {
      const text = body[key];
      if (typeof text === 'string' && typeof code === 'string' && !text.includes(code)) {
        problems.push(
          `response.response.${key} does not contain the code placeholder ${code} (Cognito rejects it)`,
        );
      }
    }
  }
  return problems;
}

/** Response-contract matchers: Firehose transformation, API Gateway authorizers, Cognito triggers. */
export const contractMatchers = {
  /**
   * Passes when the handler succeeded with a Firehose transformation result that answers every
   * record of `event` exactly once, with `result` Ok | Dropped | ProcessingFailed and base64 `data`.
   */
  toBeFirehoseTransformationResult: contractMatcher<readonly string[]>({
    name: 'toBeFirehoseTransformationResult',
    argumentLabel: 'event',
    argument: (event) => {
      if (!isRecord(event) || !Array.isArray(event.records))
        badArgument(
          'toBeFirehoseTransformationResult',
          'event',
          'the Firehose event the handler was invoked with',
          event,
        );
      return (event.records as readonly { recordId: string }[]).map((r) => r.recordId);
    },
    expectation: (ids) => [
      `a Firehose transformation result answering each of ${ids.length} record(s) once`,
      'a response Firehose would reject',
    ],
    failedHint:
      'A failed invocation makes Firehose retry the whole batch, then deliver it to the error prefix.',
    judge: (ctx, response, ids) =>
      problemsJudgement(ctx, firehoseResponseProblems(response, ids), {
        valid: 'a valid transformation result',
        shown: response,
        hint: 'Return { records: event.records.map(r => ({ recordId: r.recordId, result: "Ok", data: base64 })) }.',
      }),
  }),
  /** Passes when the authorizer's response lets API Gateway invoke `methodArn` (REST policy or HTTP API simple response). */
  toAllowMethodArn: policyMatcher('toAllowMethodArn', 'allow'),
  /** Passes when the authorizer's response is valid and does not allow `methodArn` (explicit or implicit deny: 403). */
  toDenyMethodArn: policyMatcher('toDenyMethodArn', 'deny'),
  /**
   * Passes when the handler returned the Cognito trigger event with a response Cognito accepts for
   * that trigger (known fields, right types, the code placeholder in custom messages).
   */
  toBeValidCognitoResponse: contractMatcher<Record<string, unknown>>({
    name: 'toBeValidCognitoResponse',
    argumentLabel: 'event',
    argument: (event) => {
      if (!isRecord(event))
        badArgument(
          'toBeValidCognitoResponse',
          'event',
          'the Cognito trigger event the handler was invoked with',
          event,
        );
      return event;
    },
    expectation: (event) => [
      `a response Cognito accepts for ${String(event.triggerSource)}`,
      `a response Cognito rejects for ${String(event.triggerSource)}`,
    ],
    failedHint: 'A thrown error fails the user-facing Cognito operation with UserLambdaValidationException.',
    judge: (ctx, response, event) =>
      problemsJudgement(ctx, cognitoResponseProblems(event, response), {
        valid: 'a valid trigger response',
        shown: isRecord(response) ? response.response : response,
        hint: 'Return the event itself with event.response filled in for this trigger.',
      }),
  }),
};
