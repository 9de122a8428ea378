import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import {
  albEvent,
  apiGatewayProxyEvent,
  dynamoDBStreamEvent,
  eventSources,
  generateEvent,
  httpApiEvent,
  kinesisEvent,
  sqsEvent,
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

describe('generator error messages (the text is part of the product)', () => {
  it('an invalid override names the path and the expected type', () => {
    const error = thrown(() => sqsEvent({ overrides: { Records: [{ body: 42 as unknown as string }] } }));

    expect(error.code).toBe('INVALID_OVERRIDE');
    expect(error.path).toBe('Records[0].body');
    expect(error.message).toBe(
      '[lambda-harness] sqsEvent() overrides.Records[0].body: expected string, received number\n' +
        'Hint: Overrides are merged over a valid default event (objects merge, arrays replace); the merged event must keep the real AWS shape.',
    );
  });

  it('an unknown option is named', () => {
    const error = thrown(() => kinesisEvent({ streamname: 's' } as never));

    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message.split('\n')[0]).toBe(
      '[lambda-harness] kinesisEvent() options.streamname: unknown option',
    );
  });

  it('a mistyped option names the option and the expectation', () => {
    const error = thrown(() => sqsEvent({ records: 0 }));

    expect(error.path).toBe('records');
    expect(error.message.split('\n')[0]).toBe(
      '[lambda-harness] sqsEvent() options.records: Too small: expected number to be >=1, received number 0',
    );
  });

  it('a nested option error carries the full path', () => {
    const error = thrown(() => sqsEvent({ messages: [{}, { messageGroupId: 7 as unknown as string }] }));

    expect(error.path).toBe('messages[1].messageGroupId');
    expect(error.message.split('\n')[0]).toBe(
      '[lambda-harness] sqsEvent() options.messages[1].messageGroupId: expected string, received number',
    );
  });

  it('an image without the table key says which key and where', () => {
    const error = thrown(() =>
      dynamoDBStreamEvent({ keySchema: { partitionKey: 'pk' }, changes: [{ newImage: { id: 1 } }] }),
    );

    expect(error.message.split('\n')[0]).toBe(
      '[lambda-harness] dynamoDBStreamEvent() options.changes[0].newImage lacks the key attribute "pk" of the key schema',
    );
  });

  it('an invalid AttributeValue override lists the allowed type keys', () => {
    const error = thrown(() =>
      dynamoDBStreamEvent({ overrides: { Records: [{ dynamodb: { NewImage: { id: { N: 'abc' } } } }] } }),
    );

    expect(error.path).toBe('Records[0].dynamodb.NewImage.id');
    expect(error.message).toContain('expected an AttributeValue with exactly one of S, N (a number string)');
  });

  it('mixing ALB modes is reported as an unknown field of the mode', () => {
    const error = thrown(() => albEvent({ overrides: { multiValueHeaders: { a: ['1'] } } }));

    expect(error.message.split('\n')[0]).toBe(
      '[lambda-harness] albEvent() overrides.multiValueHeaders: unknown field',
    );
  });

  it('a path the route does not match names both', () => {
    expect(
      thrown(() => apiGatewayProxyEvent({ path: '/a', resource: '/b/{id}' })).message.split('\n')[0],
    ).toBe('[lambda-harness] apiGatewayProxyEvent() options.path "/a" does not match resource "/b/{id}"');
    expect(thrown(() => httpApiEvent({ path: '/a', routeKey: 'GET /b' })).message.split('\n')[0]).toBe(
      '[lambda-harness] httpApiEvent() options.path "/a" does not match routeKey "GET /b"',
    );
  });

  it('unknown sources and variants list what exists', () => {
    expect(thrown(() => generateEvent('sqs', 'fifoo')).message).toBe(
      '[lambda-harness] unknown variant "fifoo" of source "sqs"; valid variants: standard, fifo\n' +
        'Hint: Pick one of: standard, fifo.',
    );
    expect(thrown(() => generateEvent('dynamo')).message.split('\n')[0]).toBe(
      `[lambda-harness] unknown event source "dynamo"; valid sources: ${Object.keys(eventSources).join(', ')}`,
    );
  });
});
