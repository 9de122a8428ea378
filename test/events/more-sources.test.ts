// Transfer Family, Connect, CodePipeline, CodeCommit, Config and Lex: what each generator derives
// from its options and overrides, and how it rejects bad input.
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import {
  type ConfigurationItemChangeNotification,
  codeCommitEvent,
  codePipelineEvent,
  configRuleEvent,
  connectContactFlowEvent,
  lexV1Event,
  lexV2Event,
  transferFamilyAuthorizerEvent,
} from '../../src/events/index.js';

function thrown(fn: () => unknown): HarnessError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('expected a HarnessError');
}

describe('transferFamilyAuthorizerEvent', () => {
  it('sends a password for password logins and none for key logins', () => {
    expect(transferFamilyAuthorizerEvent({ username: 'alice', password: 's3cret' })).toMatchObject({
      username: 'alice',
      password: 's3cret',
      protocol: 'SFTP',
      serverId: expect.stringMatching(/^s-[0-9a-f]{17}$/),
    });
    expect(transferFamilyAuthorizerEvent({ auth: 'public-key' })).not.toHaveProperty('password');
  });

  it('rejects a password or a non-SFTP protocol with key authentication, naming the option', () => {
    const withPassword = thrown(() => transferFamilyAuthorizerEvent({ auth: 'public-key', password: 'x' }));
    const overFtp = thrown(() => transferFamilyAuthorizerEvent({ auth: 'public-key', protocol: 'FTP' }));

    expect(withPassword.path).toBe('password');
    expect(withPassword.message.split('\n')[0]).toBe(
      '[lambda-harness] transferFamilyAuthorizerEvent() options.password: public-key authentication sends no password, received "x"',
    );
    expect(overFtp.path).toBe('protocol');
  });
});

describe('connectContactFlowEvent', () => {
  it('voice contacts carry phone endpoints; chats do not', () => {
    const voice = connectContactFlowEvent({
      customerPhone: '+14255550100',
      parameters: { action: 'lookup' },
    });
    const chat = connectContactFlowEvent({ channel: 'CHAT' });

    expect(voice.Details.ContactData.CustomerEndpoint).toEqual({
      Address: '+14255550100',
      Type: 'TELEPHONE_NUMBER',
    });
    expect(voice.Details.Parameters).toEqual({ action: 'lookup' });
    expect(chat.Details.ContactData.CustomerEndpoint).toBeNull();
    expect(chat.Details.ContactData.SystemEndpoint).toBeNull();
  });

  it('builds the queue ARN under the instance ARN; a transfer points at the previous contact', () => {
    const event = connectContactFlowEvent({
      initiationMethod: 'TRANSFER',
      region: 'eu-west-2',
      accountId: '111122223333',
    });
    const data = event.Details.ContactData;

    expect(data.InstanceARN).toMatch(/^arn:aws:connect:eu-west-2:111122223333:instance\/[0-9a-f-]{36}$/);
    expect(data.Queue?.ARN.startsWith(`${data.InstanceARN}/queue/`)).toBe(true);
    expect(data.PreviousContactId).not.toBe(data.ContactId);
    expect(data.InitialContactId).toBe(data.PreviousContactId);
  });

  it('rejects a phone number that is not E.164', () => {
    expect(thrown(() => connectContactFlowEvent({ customerPhone: '555-0100' })).path).toBe('customerPhone');
  });
});

describe('codePipelineEvent', () => {
  it('JSON-encodes UserParameters and keeps strings as they are', () => {
    const json = codePipelineEvent({ userParameters: { stage: 'prod' } });
    const text = codePipelineEvent({ userParameters: 'plain' });

    expect(json['CodePipeline.job'].data.actionConfiguration.configuration.UserParameters).toBe(
      '{"stage":"prod"}',
    );
    expect(text['CodePipeline.job'].data.actionConfiguration.configuration.UserParameters).toBe('plain');
    expect(codePipelineEvent()['CodePipeline.job'].data.actionConfiguration.configuration).not.toHaveProperty(
      'UserParameters',
    );
  });

  it('puts every artifact in one artifact store bucket; outputs have no revision', () => {
    const job = codePipelineEvent({
      pipelineName: 'deploy',
      inputArtifacts: ['BuildOutput', { name: 'Config', revision: 'v-1' }],
      outputArtifacts: ['Report'],
      region: 'eu-west-1',
      accountId: '111122223333',
    })['CodePipeline.job'];
    const artifacts = [...job.data.inputArtifacts, ...job.data.outputArtifacts];

    expect(job.accountId).toBe('111122223333');
    expect(new Set(artifacts.map((a) => a.location.s3Location.bucketName)).size).toBe(1);
    expect(artifacts[0]?.location.s3Location.bucketName).toMatch(/^codepipeline-eu-west-1-\d{12}$/);
    expect(artifacts[0]?.location.s3Location.objectKey).toMatch(/^deploy\/BuildOutpu\/\w{7}$/);
    expect(job.data.inputArtifacts.map((a) => a.revision)).toEqual([
      expect.stringMatching(/^[0-9a-f]{40}$/),
      'v-1',
    ]);
    expect(job.data.outputArtifacts[0]?.revision).toBeNull();
  });

  it('adds the continuation token and the KMS key only when given', () => {
    const data = codePipelineEvent({
      continuationToken: 'poll-2',
      encryptionKey: true,
      accountId: '111122223333',
    })['CodePipeline.job'].data;

    expect(data.continuationToken).toBe('poll-2');
    expect(data.encryptionKey).toEqual({
      id: expect.stringMatching(/^arn:aws:kms:us-east-1:111122223333:key\//),
      type: 'KMS',
    });
    expect(codePipelineEvent()['CodePipeline.job'].data).not.toHaveProperty('encryptionKey');
  });
});

describe('codeCommitEvent', () => {
  it('expands branch names to refs and marks created and deleted references', () => {
    const [record] = codeCommitEvent({
      repositoryName: 'shop',
      references: [
        { ref: 'release-1', created: true },
        { ref: 'refs/tags/v1' },
        { ref: 'old', deleted: true },
      ],
      accountId: '111122223333',
      region: 'eu-west-1',
    }).Records;

    expect(record?.eventSourceARN).toBe('arn:aws:codecommit:eu-west-1:111122223333:shop');
    expect(record?.codecommit.references).toEqual([
      { commit: expect.stringMatching(/^[0-9a-f]{40}$/), ref: 'refs/heads/release-1', created: true },
      { commit: expect.any(String), ref: 'refs/tags/v1' },
      { commit: expect.any(String), ref: 'refs/heads/old', deleted: true },
    ]);
    expect(record?.eventTime).toBe('2024-01-15T12:00:00.000+0000');
    expect(record).toMatchObject({ eventPartNumber: 1, eventTotalParts: 1, eventSource: 'aws:codecommit' });
  });

  it('rejects an override that breaks the record shape, naming the path', () => {
    const error = thrown(() => codeCommitEvent({ overrides: { Records: [{ eventSource: 'aws:s3' }] } }));

    expect(error.code).toBe('INVALID_OVERRIDE');
    expect(error.path).toBe('Records[0].eventSource');
  });
});

describe('configRuleEvent', () => {
  const decode = (text: string) => JSON.parse(text) as ConfigurationItemChangeNotification;

  it('encodes the configuration item and the rule parameters as JSON text', () => {
    const event = configRuleEvent({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'logs',
      configuration: { name: 'logs', versioning: 'Enabled' },
      ruleParameters: { maxAgeDays: 90 },
      accountId: '111122223333',
    });
    const item = decode(event.invokingEvent).configurationItem;

    expect(item).toMatchObject({
      resourceType: 'AWS::S3::Bucket',
      resourceId: 'logs',
      ARN: 'arn:aws:s3:::logs',
      awsAccountId: '111122223333',
      configuration: { name: 'logs', versioning: 'Enabled' },
    });
    expect(JSON.parse(event.ruleParameters as string)).toEqual({ maxAgeDays: 90 });
    expect(event.configRuleArn).toBe(
      `arn:aws:config:us-east-1:111122223333:config-rule/${event.configRuleId}`,
    );
  });

  it('periodic rules get a ScheduledNotification; deleted resources a null configuration', () => {
    expect(JSON.parse(configRuleEvent({ messageType: 'ScheduledNotification' }).invokingEvent)).toEqual({
      awsAccountId: '123456789012',
      notificationCreationTime: '2024-01-15T12:00:00.000Z',
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    });
    const deleted = decode(configRuleEvent({ configurationItemStatus: 'ResourceDeleted' }).invokingEvent);
    expect(deleted.configurationItem.configuration).toBeNull();
    expect(deleted.configurationItemDiff?.changeType).toBe('DELETE');
  });

  it('merges object overrides of invokingEvent and ruleParameters over the decoded values; text replaces', () => {
    const merged = configRuleEvent({
      ruleParameters: { a: 1 },
      overrides: { invokingEvent: { configurationItem: { tags: { team: 'x' } } }, ruleParameters: { b: 2 } },
    });
    const replaced = configRuleEvent({ overrides: { ruleParameters: '{"only":true}' } });

    expect(decode(merged.invokingEvent).configurationItem.tags).toEqual({ team: 'x' });
    expect(decode(merged.invokingEvent).configurationItem.resourceType).toBe('AWS::EC2::Instance');
    expect(JSON.parse(merged.ruleParameters as string)).toEqual({ a: 1, b: 2 });
    expect(replaced.ruleParameters).toBe('{"only":true}');
  });

  it('rejects invokingEvent text that is not an invoking event', () => {
    const error = thrown(() => configRuleEvent({ overrides: { invokingEvent: '{"messageType":"Nope"}' } }));

    expect(error.code).toBe('INVALID_OVERRIDE');
    expect(error.path).toBe('invokingEvent');
  });
});

describe('lexV1Event', () => {
  it('derives slotDetails from the filled slots, also after slot overrides', () => {
    const event = lexV1Event({ intentName: 'BookHotel', slots: { City: 'Paris', Nights: null } });
    const overridden = lexV1Event({
      slots: { City: 'Paris' },
      overrides: { currentIntent: { slots: { City: 'Rome' } } },
    });

    expect(event.currentIntent.slotDetails).toEqual({
      City: { resolutions: [{ value: 'Paris' }], originalValue: 'Paris' },
    });
    expect(overridden.currentIntent.slotDetails.City?.originalValue).toBe('Rome');
    expect(event.requestAttributes).toBeNull();
  });

  it('rejects an unknown confirmation status in overrides, naming the path', () => {
    const error = thrown(() =>
      lexV1Event({ overrides: { currentIntent: { confirmationStatus: 'Maybe' as 'None' } } }),
    );

    expect(error.path).toBe('currentIntent.confirmationStatus');
  });
});

describe('lexV2Event', () => {
  it('types slot values as Scalar or List and proposes to elicit the first unfilled slot', () => {
    const event = lexV2Event({ slots: { Size: 'large', Toppings: ['ham', 'olives'], Crust: null } });
    const { slots } = event.sessionState.intent;

    expect(slots.Size).toEqual({
      shape: 'Scalar',
      value: { originalValue: 'large', interpretedValue: 'large', resolvedValues: ['large'] },
    });
    expect(slots.Toppings?.shape).toBe('List');
    expect(slots.Toppings && 'values' in slots.Toppings ? slots.Toppings.values.length : 0).toBe(2);
    expect(event.proposedNextState?.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'Crust' });
    expect(event.interpretations[0]?.intent).toEqual(event.sessionState.intent);
    expect(event).not.toHaveProperty('transcriptions');
  });

  it('fulfillment hooks are ReadyForFulfillment without a proposed next state; speech adds transcriptions', () => {
    const fulfil = lexV2Event({ invocationSource: 'FulfillmentCodeHook', slots: { Crust: null } });
    const speech = lexV2Event({ inputMode: 'Speech', inputTranscript: 'two nights' });

    expect(fulfil.sessionState.intent.state).toBe('ReadyForFulfillment');
    expect(fulfil).not.toHaveProperty('proposedNextState');
    expect(speech.transcriptions?.[0]?.transcription).toBe('two nights');
    expect(speech.responseContentType).toBe('audio/pcm');
  });
});
