// The exported schemas describe real payloads, which vary more than generated ones. These cases are
// the variations seen in captured events (lambda-semantics 9.2); each is built from a generated event.
import { describe, expect, it } from 'vitest';
import {
  ApiGatewayProxyEventSchema,
  apiGatewayProxyEvent,
  DynamoDBStreamEventSchema,
  dynamoDBStreamEvent,
  FunctionUrlEventSchema,
  functionUrlEvent,
  HttpApiEventSchema,
  httpApiEvent,
} from '../../src/events/index.js';

describe('exported schemas accept real payload variations', () => {
  it('REST v1: identity fields a setup does not use may be absent (captured events omit apiKey, clientCert)', () => {
    const event = apiGatewayProxyEvent();
    const { apiKey: _a, apiKeyId: _b, clientCert: _c, ...identity } = event.requestContext.identity;

    expect(
      ApiGatewayProxyEventSchema.safeParse({
        ...event,
        requestContext: { ...event.requestContext, identity },
      }).success,
    ).toBe(true);
  });

  it('REST v1: console test invocations send null headers', () => {
    const event = { ...apiGatewayProxyEvent(), headers: null, multiValueHeaders: null };

    expect(ApiGatewayProxyEventSchema.safeParse(event).success).toBe(true);
  });

  it('HTTP API: a Lambda authorizer without context arrives as { lambda: null }', () => {
    const event = httpApiEvent();
    const withNull = { ...event, requestContext: { ...event.requestContext, authorizer: { lambda: null } } };

    expect(HttpApiEventSchema.safeParse(withNull).success).toBe(true);
  });

  it('Function URL: pathParameters and stageVariables may be null', () => {
    const event = { ...functionUrlEvent(), pathParameters: null, stageVariables: null };

    expect(FunctionUrlEventSchema.safeParse(event).success).toBe(true);
  });

  it('DynamoDB: ApproximateCreationDateTime may be missing (Powertools treats it as optional)', () => {
    const event = dynamoDBStreamEvent();
    const { ApproximateCreationDateTime: _t, ...dynamodb } = event.Records[0]!.dynamodb!;

    expect(
      DynamoDBStreamEventSchema.safeParse({ Records: [{ ...event.Records[0], dynamodb }] }).success,
    ).toBe(true);
  });

  it('still rejects what real payloads never contain', () => {
    const v2 = httpApiEvent();

    expect(HttpApiEventSchema.safeParse({ ...v2, headers: { 'X-Upper': 'a' } }).success).toBe(false);
    expect(HttpApiEventSchema.safeParse({ ...v2, queryStringParameters: null }).success).toBe(false);
    expect(ApiGatewayProxyEventSchema.safeParse({ ...apiGatewayProxyEvent(), body: undefined }).success).toBe(
      false,
    );
  });
});
