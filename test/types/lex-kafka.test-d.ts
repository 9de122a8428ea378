import { expect as jestExpect } from '@jest/globals';
import { describe, expect, expectTypeOf, it } from 'vitest';
import '../../src/vitest/index.js';
import '../../src/jest/index.js';
import type {
  CodeCommitTriggerEvent,
  CodePipelineEvent,
  ConnectContactFlowEvent,
  LexEvent,
  LexV2Event,
  TransferFamilyAuthorizerEvent,
} from 'aws-lambda';
import {
  type ConfigRuleEvent,
  codeCommitEvent,
  codePipelineEvent,
  configRuleEvent,
  connectContactFlowEvent,
  lexV1Event,
  lexV2Event,
  mskEvent,
  transferFamilyAuthorizerEvent,
} from '../../src/events/index.js';
import type { InvocationResult } from '../../src/invoke/result.js';

declare const result: InvocationResult;

describe('Lex and Kafka matcher types, and the new generators', () => {
  it('types the matchers on Vitest and Jest expect, and under .not', () => {
    const record = Object.values(mskEvent().records)[0]?.[0];
    if (!record) return;
    expect(result).toHaveKafkaBatchItemFailures([record, { partition: 'orders-0', offset: 3 }]);
    expect(result).not.toBeValidLexV1Response(lexV1Event());
    expect(result).toBeValidLexV2Response();
    jestExpect(result).toHaveKafkaBatchItemFailures([]);
    jestExpect(result).toBeValidLexV2Response(lexV2Event());
    expectTypeOf(expect(result).toBeValidLexV1Response()).toEqualTypeOf<void>();
  });

  it('rejects misuse', () => {
    // @ts-expect-error Kafka identifiers are objects, not strings
    expect(result).toHaveKafkaBatchItemFailures(['orders-0@3']);
    // @ts-expect-error the partition of an identifier is the topic-partition string
    expect(result).toHaveKafkaBatchItemFailures([{ partition: 0, offset: 3 }]);
    // @ts-expect-error unknown option
    lexV2Event({ slot: {} });
    // @ts-expect-error unknown dialog mode
    lexV1Event({ outputDialogMode: 'Audio' });
  });

  it('returns the @types/aws-lambda types (Config has none there: a harness type)', () => {
    expectTypeOf(transferFamilyAuthorizerEvent()).toEqualTypeOf<TransferFamilyAuthorizerEvent>();
    expectTypeOf(connectContactFlowEvent()).toEqualTypeOf<ConnectContactFlowEvent>();
    expectTypeOf(codePipelineEvent()).toEqualTypeOf<CodePipelineEvent>();
    expectTypeOf(codeCommitEvent()).toEqualTypeOf<CodeCommitTriggerEvent>();
    expectTypeOf(lexV1Event()).toEqualTypeOf<LexEvent>();
    expectTypeOf(lexV2Event()).toEqualTypeOf<LexV2Event>();
    expectTypeOf(configRuleEvent()).toEqualTypeOf<ConfigRuleEvent>();
    configRuleEvent({ overrides: { invokingEvent: { configurationItem: { tags: { a: 'b' } } } } });
  });
});
