import { z } from 'zod';

const attrs = z.record(z.string(), z.string());
const challengeResult = z.strictObject({
  challengeName: z.enum([
    'CUSTOM_CHALLENGE',
    'SRP_A',
    'PASSWORD_VERIFIER',
    'SMS_MFA',
    'EMAIL_OTP',
    'SOFTWARE_TOKEN_MFA',
    'DEVICE_SRP_AUTH',
    'DEVICE_PASSWORD_VERIFIER',
    'ADMIN_NO_SRP_AUTH',
  ]),
  challengeResult: z.boolean(),
  challengeMetadata: z.string().optional(),
});
const nullableAttrs = attrs.nullable();

/**
 * Every Cognito user pool trigger source, grouped by the trigger (the Lambda function) it invokes.
 *
 * @example
 * COGNITO_TRIGGER_SOURCES.preSignUp; // ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider']
 */
export const COGNITO_TRIGGER_SOURCES = {
  preSignUp: ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'],
  postConfirmation: ['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword'],
  preAuthentication: ['PreAuthentication_Authentication'],
  postAuthentication: ['PostAuthentication_Authentication'],
  defineAuthChallenge: ['DefineAuthChallenge_Authentication'],
  createAuthChallenge: ['CreateAuthChallenge_Authentication'],
  verifyAuthChallengeResponse: ['VerifyAuthChallengeResponse_Authentication'],
  preTokenGeneration: [
    'TokenGeneration_HostedAuth',
    'TokenGeneration_Authentication',
    'TokenGeneration_NewPasswordChallenge',
    'TokenGeneration_AuthenticateDevice',
    'TokenGeneration_RefreshTokens',
  ],
  userMigration: ['UserMigration_Authentication', 'UserMigration_ForgotPassword'],
  customMessage: [
    'CustomMessage_SignUp',
    'CustomMessage_AdminCreateUser',
    'CustomMessage_ResendCode',
    'CustomMessage_ForgotPassword',
    'CustomMessage_UpdateUserAttribute',
    'CustomMessage_VerifyUserAttribute',
    'CustomMessage_Authentication',
  ],
  customEmailSender: [
    'CustomEmailSender_SignUp',
    'CustomEmailSender_ResendCode',
    'CustomEmailSender_ForgotPassword',
    'CustomEmailSender_UpdateUserAttribute',
    'CustomEmailSender_VerifyUserAttribute',
    'CustomEmailSender_AdminCreateUser',
    'CustomEmailSender_AccountTakeOverNotification',
  ],
  customSmsSender: [
    'CustomSMSSender_SignUp',
    'CustomSMSSender_ResendCode',
    'CustomSMSSender_ForgotPassword',
    'CustomSMSSender_UpdateUserAttribute',
    'CustomSMSSender_VerifyUserAttribute',
    'CustomSMSSender_Authentication',
    'CustomSMSSender_AdminCreateUser',
  ],
} as const;

/**
 * A Cognito trigger (the function a user pool invokes).
 *
 * @example
 * const trigger: CognitoTrigger = 'preTokenGeneration';
 */
export type CognitoTrigger = keyof typeof COGNITO_TRIGGER_SOURCES;
/**
 * A Cognito `triggerSource` value.
 *
 * @example
 * const source: CognitoTriggerSource = 'CustomMessage_ForgotPassword';
 */
export type CognitoTriggerSource = (typeof COGNITO_TRIGGER_SOURCES)[CognitoTrigger][number];

const groupConfiguration = z.strictObject({
  groupsToOverride: z.array(z.string()),
  iamRolesToOverride: z.array(z.string()),
  preferredRole: z.string().nullable(),
});

/** Request and response shapes per trigger, as Cognito sends them (the response holds the defaults). */
const shapes = {
  preSignUp: {
    request: z.strictObject({
      userAttributes: attrs,
      validationData: nullableAttrs,
      clientMetadata: attrs.optional(),
      userNotFound: z.boolean().optional(),
    }),
    response: z.strictObject({
      autoConfirmUser: z.boolean(),
      autoVerifyEmail: z.boolean(),
      autoVerifyPhone: z.boolean(),
    }),
  },
  postConfirmation: {
    request: z.strictObject({ userAttributes: attrs, clientMetadata: attrs.optional() }),
    response: z.strictObject({}),
  },
  preAuthentication: {
    request: z.strictObject({
      userAttributes: attrs,
      validationData: nullableAttrs.optional(),
      userNotFound: z.boolean().optional(),
    }),
    response: z.strictObject({}),
  },
  postAuthentication: {
    request: z.strictObject({
      userAttributes: attrs,
      newDeviceUsed: z.boolean().optional(),
      clientMetadata: attrs.optional(),
    }),
    response: z.strictObject({}),
  },
  defineAuthChallenge: {
    request: z.strictObject({
      userAttributes: attrs,
      session: z.array(challengeResult),
      clientMetadata: attrs.optional(),
      userNotFound: z.boolean().optional(),
    }),
    response: z.strictObject({
      challengeName: z.string().nullish(),
      issueTokens: z.boolean().nullish(),
      failAuthentication: z.boolean().nullish(),
    }),
  },
  createAuthChallenge: {
    request: z.strictObject({
      userAttributes: attrs,
      challengeName: z.string(),
      session: z.array(challengeResult),
      clientMetadata: attrs.optional(),
      userNotFound: z.boolean().optional(),
    }),
    response: z.strictObject({
      publicChallengeParameters: nullableAttrs.optional(),
      privateChallengeParameters: nullableAttrs.optional(),
      challengeMetadata: z.string().nullish(),
    }),
  },
  verifyAuthChallengeResponse: {
    request: z.strictObject({
      userAttributes: attrs,
      privateChallengeParameters: attrs,
      challengeAnswer: z.string(),
      clientMetadata: attrs.optional(),
      userNotFound: z.boolean().optional(),
    }),
    response: z.strictObject({ answerCorrect: z.boolean().nullable() }),
  },
  preTokenGeneration: {
    request: z.strictObject({
      userAttributes: attrs,
      groupConfiguration,
      scopes: z.array(z.string()).optional(),
      clientMetadata: attrs.optional(),
    }),
    response: z.strictObject({
      claimsOverrideDetails: z.unknown().optional(),
      claimsAndScopeOverrideDetails: z.unknown().optional(),
    }),
  },
  userMigration: {
    request: z.strictObject({
      password: z.string().optional(),
      validationData: attrs.optional(),
      clientMetadata: attrs.optional(),
    }),
    response: z.strictObject({
      userAttributes: nullableAttrs,
      finalUserStatus: z.string().nullable(),
      messageAction: z.string().nullable(),
      desiredDeliveryMediums: z.array(z.string()).nullable(),
      forceAliasCreation: z.boolean().nullable(),
      enableSMSMFA: z.boolean().nullable(),
    }),
  },
  customMessage: {
    request: z.strictObject({
      userAttributes: attrs,
      codeParameter: z.string(),
      linkParameter: z.string().nullable(),
      usernameParameter: z.string().nullable(),
      clientMetadata: attrs.optional(),
    }),
    response: z.strictObject({
      smsMessage: z.string().nullable(),
      emailMessage: z.string().nullable(),
      emailSubject: z.string().nullable(),
    }),
  },
  customEmailSender: {
    request: z.strictObject({
      type: z.literal('customEmailSenderRequestV1'),
      code: z.string().nullable(),
      clientMetadata: attrs.optional(),
      userAttributes: attrs,
    }),
    response: z.strictObject({}),
  },
  customSmsSender: {
    request: z.strictObject({
      type: z.literal('customSMSSenderRequestV1'),
      code: z.string().nullable(),
      clientMetadata: attrs.optional(),
      userAttributes: attrs,
    }),
    response: z.strictObject({}),
  },
} satisfies Record<CognitoTrigger, { request: z.ZodType; response: z.ZodType }>;

/**
 * The zod schema of one trigger's events (request and response included).
 *
 * @example
 * cognitoTriggerSchema('preSignUp').parse(cognitoTriggerEvent({ triggerSource: 'PreSignUp_SignUp' }));
 */
export function cognitoTriggerSchema(trigger: CognitoTrigger): z.ZodType {
  return z.strictObject({
    version: z.string(),
    triggerSource: z.enum(COGNITO_TRIGGER_SOURCES[trigger]),
    region: z.string(),
    userPoolId: z
      .string()
      .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'expected a user pool id such as "us-east-1_AbC123"'),
    userName: z.string(),
    callerContext: z.strictObject({ awsSdkVersion: z.string(), clientId: z.string() }),
    request: shapes[trigger].request,
    response: shapes[trigger].response,
  });
}

/**
 * Any Cognito user pool trigger event (the union over every trigger).
 *
 * @example
 * CognitoTriggerEventSchema.parse(cognitoTriggerEvent({ triggerSource: 'CustomMessage_SignUp' }));
 */
export const CognitoTriggerEventSchema = z.union(
  (Object.keys(shapes) as CognitoTrigger[]).map((t) => cognitoTriggerSchema(t)) as [z.ZodType, z.ZodType],
);
