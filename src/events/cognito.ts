/**
 * Cognito user pool trigger events: every `triggerSource`, with the request Cognito sends and the
 * response object it pre-fills for the function to complete.
 */
import { z } from 'zod';
import { HarnessError } from '../errors/index.js';
import {
  COGNITO_TRIGGER_SOURCES,
  type CognitoTrigger,
  type CognitoTriggerSource,
  cognitoTriggerSchema,
} from '../schemas/cognito.js';
import {
  applyEventOverrides,
  type CommonEventOptions,
  commonOptionsShape,
  parseOptions,
  resolveCommon,
} from './core.js';

/**
 * A Cognito trigger event as this harness generates it (the union of @types/aws-lambda's
 * per-trigger event types is too wide to narrow by `triggerSource`; cast to the one your handler takes).
 *
 * @example
 * const event = cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp' }) as import('aws-lambda').PreSignUpTriggerEvent;
 */
export interface CognitoTriggerEvent {
  version: string;
  triggerSource: CognitoTriggerSource;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/**
 * Options of {@link cognitoTriggerEvent}.
 *
 * @example
 * const options: CognitoTriggerEventOptions = { triggerSource: 'CustomMessage_ForgotPassword', userAttributes: { email: 'a@example.com' } };
 */
export interface CognitoTriggerEventOptions extends CommonEventOptions {
  /** Which trigger invocation. Default `PreSignUp_SignUp`. */
  triggerSource?: CognitoTriggerSource;
  /** Default generated (`sub`, `email`, `email_verified`, `cognito:user_status`). */
  userAttributes?: Record<string, string>;
  /** `userName`. Default the generated `sub`. */
  userName?: string;
  /** `clientMetadata` passed by the app. Default none. */
  clientMetadata?: Record<string, string>;
  /** Pre token generation event version `1`, `2` or `3`. Default `1` (`2` and `3` add `scopes`). */
  version?: '1' | '2' | '3';
  /** App client id. Default generated. */
  clientId?: string;
  /** User pool id suffix. Default generated. */
  userPoolId?: string;
  /** Deep-merged over the event; `request` and `response` are validated for the trigger. */
  overrides?: {
    request?: Record<string, unknown>;
    response?: Record<string, unknown>;
    [key: string]: unknown;
  };
}

const ALL_SOURCES = Object.values(COGNITO_TRIGGER_SOURCES).flat() as CognitoTriggerSource[];
const strings = z.record(z.string(), z.string());
const optionsSchema = z.strictObject({
  ...commonOptionsShape,
  triggerSource: z.enum(ALL_SOURCES as [CognitoTriggerSource, ...CognitoTriggerSource[]]).optional(),
  userAttributes: strings.optional(),
  userName: z.string().min(1).max(128).optional(),
  clientMetadata: strings.optional(),
  version: z.enum(['1', '2', '3']).optional(),
  clientId: z
    .string()
    .regex(/^[\w+]{1,128}$/, 'expected an app client id')
    .optional(),
  userPoolId: z
    .string()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'expected a user pool id such as "us-east-1_AbC123"')
    .optional(),
});

/**
 * The trigger (function) that a trigger source invokes.
 *
 * @example
 * cognitoTriggerOf('TokenGeneration_RefreshTokens'); // 'preTokenGeneration'
 */
export function cognitoTriggerOf(source: string): CognitoTrigger {
  for (const [trigger, sources] of Object.entries(COGNITO_TRIGGER_SOURCES)) {
    if ((sources as readonly string[]).includes(source)) return trigger as CognitoTrigger;
  }
  throw new HarnessError('INVALID_OPTIONS', `unknown Cognito triggerSource "${source}"`, {
    path: 'triggerSource',
    hint: `Use one of: ${ALL_SOURCES.join(', ')}.`,
  });
}

/**
 * Generates a Cognito user pool trigger event for any `triggerSource`: the request fields that
 * trigger receives and the response Cognito pre-fills (`autoConfirmUser: false`, `null` message
 * fields, ...). `userName`, `sub` and the pool id agree.
 *
 * @example
 * const event = cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp', userAttributes: { email: 'a@example.com' } });
 * event.response; // { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }
 */
export function cognitoTriggerEvent(options: CognitoTriggerEventOptions = {}): CognitoTriggerEvent {
  const fn = 'cognitoTriggerEvent';
  const opts = parseOptions(optionsSchema, options, fn);
  const c = resolveCommon(opts);
  const r = c.rng.fork('user');
  const source = opts.triggerSource ?? 'PreSignUp_SignUp';
  const trigger = cognitoTriggerOf(source);
  const sub = r.uuid();
  const name = r.faker.person.firstName().toLowerCase();
  const userAttributes = opts.userAttributes ?? {
    sub,
    email_verified: 'true',
    'cognito:user_status': source.startsWith('PreSignUp') ? 'UNCONFIRMED' : 'CONFIRMED',
    email: `${name}@example.com`,
  };
  const base = opts.clientMetadata ? { clientMetadata: opts.clientMetadata } : {};
  const version = opts.version ?? '1';
  const { request, response } = requestAndResponse(trigger, source, userAttributes, base, version, r);
  const event: CognitoTriggerEvent = {
    version,
    triggerSource: source,
    region: c.region,
    userPoolId: opts.userPoolId ?? `${c.region}_${r.alnum(9)}`,
    userName: opts.userName ?? (userAttributes.sub || sub),
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: opts.clientId ?? r.lowerAlnum(26) },
    request,
    response,
  };
  return applyEventOverrides(event, opts.overrides, cognitoTriggerSchema(trigger), fn);
}

function requestAndResponse(
  trigger: CognitoTrigger,
  source: CognitoTriggerSource,
  userAttributes: Record<string, string>,
  base: Record<string, unknown>,
  version: string,
  r: ReturnType<typeof resolveCommon>['rng'],
): { request: Record<string, unknown>; response: Record<string, unknown> } {
  const challenge = [
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CAPTCHA' },
  ];
  switch (trigger) {
    case 'preSignUp':
      return {
        request: { userAttributes, validationData: null, ...base },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      };
    case 'postConfirmation':
      return { request: { userAttributes, ...base }, response: {} };
    case 'preAuthentication':
      return { request: { userAttributes, validationData: null, userNotFound: false }, response: {} };
    case 'postAuthentication':
      return { request: { userAttributes, newDeviceUsed: false, ...base }, response: {} };
    case 'defineAuthChallenge':
      return {
        request: { userAttributes, session: challenge, ...base, userNotFound: false },
        response: { challengeName: null, issueTokens: null, failAuthentication: null },
      };
    case 'createAuthChallenge':
      return {
        request: {
          userAttributes,
          challengeName: 'CUSTOM_CHALLENGE',
          session: challenge,
          ...base,
          userNotFound: false,
        },
        response: {
          publicChallengeParameters: null,
          privateChallengeParameters: null,
          challengeMetadata: null,
        },
      };
    case 'verifyAuthChallengeResponse':
      return {
        request: {
          userAttributes,
          privateChallengeParameters: { answer: String(r.int(1000, 9999)) },
          challengeAnswer: String(r.int(1000, 9999)),
          ...base,
          userNotFound: false,
        },
        response: { answerCorrect: false },
      };
    case 'preTokenGeneration': {
      const request: Record<string, unknown> = {
        userAttributes,
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        ...base,
      };
      if (version !== '1') request.scopes = ['openid', 'email', 'aws.cognito.signin.user.admin'];
      return {
        request,
        response: version === '1' ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
      };
    }
    case 'userMigration':
      return {
        // Cognito sends the password only on sign-in, not on forgot-password.
        request:
          source === 'UserMigration_Authentication'
            ? { password: `P@ss-${r.alnum(12)}`, validationData: {}, ...base }
            : { validationData: {}, ...base },
        response: {
          userAttributes: null,
          finalUserStatus: null,
          messageAction: null,
          desiredDeliveryMediums: null,
          forceAliasCreation: null,
          enableSMSMFA: null,
        },
      };
    case 'customMessage':
      return {
        request: {
          userAttributes,
          codeParameter: '{####}',
          linkParameter: '{##Click Here##}',
          usernameParameter: source === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
          ...base,
        },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      };
    case 'customEmailSender':
    case 'customSmsSender':
      return {
        request: {
          type: trigger === 'customEmailSender' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
          // The code arrives encrypted with the pool's KMS key (an opaque base64 blob).
          code: source.endsWith('AccountTakeOverNotification') ? null : `AYADe${r.base64Chars(200)}`,
          ...base,
          userAttributes,
        },
        response: {},
      };
  }
}
