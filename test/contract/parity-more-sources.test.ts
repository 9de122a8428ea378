// Transfer Family, Connect, CodePipeline, CodeCommit, Config, Lex V1/V2: generator output over
// >= 1,000 seeds and random option/override shapes parses with our schema of the real shape and,
// where Powertools has one (Transfer Family), with the Powertools parser schema written by AWS.
import { TransferFamilySchema } from '@aws-lambda-powertools/parser/schemas/transfer-family';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CodeCommitEventSchema,
  CodePipelineEventSchema,
  ConfigInvokingEventSchema,
  ConfigRuleEventSchema,
  ConnectContactFlowEventSchema,
  codeCommitEvent,
  codePipelineEvent,
  configRuleEvent,
  connectContactFlowEvent,
  LexV1EventSchema,
  LexV2EventSchema,
  lexV1Event,
  lexV2Event,
  TransferFamilyAuthorizerEventSchema,
  transferFamilyAuthorizerEvent,
} from '../../src/events/index.js';
import { checkParity, commonOptions, parses } from './parity.js';

const check = checkParity;

const common = commonOptions;
const text = fc.string({ maxLength: 40 });
const name = fc.stringMatching(/^[A-Za-z][\w]{0,15}$/);
const strings = fc.dictionary(name, text, { maxKeys: 3 });
const own = (schema: z.ZodType): [z.ZodType, string] => [schema, 'own schema'];

describe('more sources: parity over >= 1,000 seeds and option/override shapes', () => {
  it('Transfer Family password logins parse with the Powertools schema', () => {
    const arb = fc.record({
      common,
      username: fc.option(fc.stringMatching(/^[\w.@-]{1,32}$/), { nil: undefined }),
      password: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }),
      protocol: fc.constantFrom('SFTP', 'FTP', 'FTPS' as const),
      sourceIp: fc.option(fc.ipV4(), { nil: undefined }),
    });
    check(
      arb,
      (i) =>
        transferFamilyAuthorizerEvent({
          ...i.common,
          protocol: i.protocol,
          ...(i.username ? { username: i.username } : {}),
          ...(i.password ? { password: i.password } : {}),
          ...(i.sourceIp ? { sourceIp: i.sourceIp } : {}),
        }),
      own(TransferFamilyAuthorizerEventSchema),
      [TransferFamilySchema, 'Powertools schema'],
    );
  });

  it('Transfer Family key logins carry no password (Powertools requires one, so only our schema applies)', () => {
    const event = transferFamilyAuthorizerEvent({ auth: 'public-key', seed: 3 });

    expect(event).not.toHaveProperty('password');
    expect(TransferFamilyAuthorizerEventSchema.safeParse(event).success).toBe(true);
    expect(TransferFamilySchema.safeParse(event).success).toBe(false);
    check(
      fc.record({ common, ip: fc.ipV6() }),
      (i) =>
        transferFamilyAuthorizerEvent({ ...i.common, auth: 'public-key', overrides: { sourceIp: i.ip } }),
      own(TransferFamilyAuthorizerEventSchema),
    );
  });

  it('Connect (channels, initiation methods, attributes, parameters, queue, overrides)', () => {
    const arb = fc.record({
      common,
      channel: fc.constantFrom('VOICE', 'CHAT', 'TASK', 'EMAIL' as const),
      initiationMethod: fc.constantFrom('INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK', 'API' as const),
      attributes: strings,
      parameters: strings,
      queueName: fc.option(fc.stringMatching(/^[\w -]{1,20}$/), { nil: null }),
      mediaStreaming: fc.boolean(),
      overrideAttributes: strings,
    });
    check(
      arb,
      (i) =>
        connectContactFlowEvent({
          ...i.common,
          channel: i.channel,
          initiationMethod: i.initiationMethod,
          attributes: i.attributes,
          parameters: i.parameters,
          queueName: i.queueName,
          mediaStreaming: i.mediaStreaming,
          overrides: { Details: { ContactData: { Attributes: i.overrideAttributes } } },
        }),
      own(ConnectContactFlowEventSchema),
    );
  });

  it('CodePipeline (user parameters, artifacts, continuation, KMS, overrides)', () => {
    const artifact = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    const arb = fc.record({
      common,
      userParameters: fc.option(fc.oneof(text, fc.jsonValue({ maxDepth: 2 })), { nil: undefined }),
      inputs: fc.array(
        fc.oneof(
          artifact,
          fc.record({
            name: artifact,
            revision: fc.option(fc.stringMatching(/^[0-9a-f]{40}$/), { nil: null }),
          }),
        ),
        { maxLength: 3 },
      ),
      outputs: fc.array(artifact, { maxLength: 3 }),
      continuationToken: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
      encryptionKey: fc.option(fc.oneof(fc.boolean(), fc.constant('alias/aws/s3')), { nil: undefined }),
      functionName: fc.option(fc.stringMatching(/^[\w-]{1,64}$/), { nil: undefined }),
    });
    check(
      arb,
      (i) =>
        codePipelineEvent({
          ...i.common,
          inputArtifacts: i.inputs,
          outputArtifacts: i.outputs,
          ...(i.userParameters !== undefined ? { userParameters: i.userParameters } : {}),
          ...(i.continuationToken ? { continuationToken: i.continuationToken } : {}),
          ...(i.encryptionKey !== undefined ? { encryptionKey: i.encryptionKey } : {}),
          ...(i.functionName
            ? {
                overrides: {
                  'CodePipeline.job': {
                    data: { actionConfiguration: { configuration: { FunctionName: i.functionName } } },
                  },
                },
              }
            : {}),
        }),
      own(CodePipelineEventSchema),
    );
  });

  it('CodeCommit (references, created/deleted, custom data, test events, record overrides)', () => {
    const arb = fc.record({
      common,
      refs: fc.array(
        fc.record(
          {
            ref: fc.oneof(
              fc.stringMatching(/^[\w.-]{1,20}$/),
              fc.stringMatching(/^refs\/tags\/[\w.-]{1,10}$/),
            ),
            created: fc.boolean(),
            deleted: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      eventName: fc.constantFrom('ReferenceChanges', 'TriggerEventTest' as const),
      customData: fc.option(text, { nil: undefined }),
      trigger: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
    });
    check(
      arb,
      (i) =>
        codeCommitEvent({
          ...i.common,
          references: i.refs,
          eventName: i.eventName,
          ...(i.customData !== undefined ? { customData: i.customData } : {}),
          ...(i.trigger ? { overrides: { Records: [{ eventTriggerName: i.trigger }] } } : {}),
        }),
      own(CodeCommitEventSchema),
    );
  });

  it('Config (every message type, resource types, statuses, parameters, decoded overrides)', () => {
    const arb = fc.record({
      common,
      messageType: fc.constantFrom(
        'ConfigurationItemChangeNotification',
        'OversizedConfigurationItemChangeNotification',
        'ScheduledNotification' as const,
      ),
      resourceType: fc.constantFrom(
        'AWS::EC2::Instance',
        'AWS::S3::Bucket',
        'AWS::IAM::Role',
        'AWS::EC2::SecurityGroup',
        'AWS::DynamoDB::Table',
      ),
      status: fc.constantFrom('OK', 'ResourceDiscovered', 'ResourceDeleted' as const),
      configuration: fc.option(fc.dictionary(name, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), {
        nil: undefined,
      }),
      ruleParameters: fc.option(fc.dictionary(name, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), {
        nil: undefined,
      }),
      tags: strings,
      eventLeftScope: fc.boolean(),
    });
    check(
      arb,
      (i) => {
        const event = configRuleEvent({
          ...i.common,
          messageType: i.messageType,
          resourceType: i.resourceType,
          configurationItemStatus: i.status,
          eventLeftScope: i.eventLeftScope,
          ...(i.configuration ? { configuration: i.configuration } : {}),
          ...(i.ruleParameters ? { ruleParameters: i.ruleParameters } : {}),
          ...(i.messageType === 'ConfigurationItemChangeNotification'
            ? { overrides: { invokingEvent: { configurationItem: { tags: i.tags } } } }
            : {}),
        });
        parses(ConfigInvokingEventSchema, JSON.parse(event.invokingEvent), 'decoded invokingEvent');
        return event;
      },
      own(ConfigRuleEventSchema),
    );
  });

  it('Lex V1 (slots, sources, confirmation, attributes, slot overrides re-derive slotDetails)', () => {
    const arb = fc.record({
      common,
      slots: fc.dictionary(name, fc.option(text, { nil: null }), { maxKeys: 4 }),
      source: fc.constantFrom('DialogCodeHook', 'FulfillmentCodeHook' as const),
      confirmation: fc.constantFrom('None', 'Confirmed', 'Denied' as const),
      mode: fc.constantFrom('Text', 'Voice' as const),
      sessionAttributes: strings,
      requestAttributes: fc.option(strings, { nil: null }),
      overrideSlots: fc.dictionary(name, fc.option(text, { nil: null }), { maxKeys: 2 }),
    });
    check(
      arb,
      (i) => {
        const event = lexV1Event({
          ...i.common,
          slots: i.slots,
          invocationSource: i.source,
          confirmationStatus: i.confirmation,
          outputDialogMode: i.mode,
          sessionAttributes: i.sessionAttributes,
          requestAttributes: i.requestAttributes,
          overrides: { currentIntent: { slots: i.overrideSlots } },
        });
        const filled = Object.entries(event.currentIntent.slots).filter(([, v]) => v !== null);
        expect(Object.keys(event.currentIntent.slotDetails).sort()).toEqual(filled.map(([k]) => k).sort());
        return event;
      },
      own(LexV1EventSchema),
    );
  });

  it('Lex V2 (scalar and list slots, input modes, intent states, attributes, overrides)', () => {
    const arb = fc.record({
      common,
      slots: fc.dictionary(
        name,
        fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }), fc.constant(null)),
        {
          maxKeys: 4,
        },
      ),
      source: fc.constantFrom('DialogCodeHook', 'FulfillmentCodeHook' as const),
      inputMode: fc.constantFrom('DTMF', 'Speech', 'Text' as const),
      state: fc.option(
        fc.constantFrom('Failed', 'Fulfilled', 'InProgress', 'ReadyForFulfillment', 'Waiting' as const),
        {
          nil: undefined,
        },
      ),
      sessionAttributes: strings,
      requestAttributes: fc.option(strings, { nil: undefined }),
      overrideAttributes: strings,
    });
    check(
      arb,
      (i) =>
        lexV2Event({
          ...i.common,
          slots: i.slots,
          invocationSource: i.source,
          inputMode: i.inputMode,
          sessionAttributes: i.sessionAttributes,
          ...(i.state ? { intentState: i.state } : {}),
          ...(i.requestAttributes ? { requestAttributes: i.requestAttributes } : {}),
          overrides: { sessionState: { sessionAttributes: i.overrideAttributes } },
        }),
      own(LexV2EventSchema),
    );
  });
});
