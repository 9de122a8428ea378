// SES, Amazon MQ, AppSync, IoT, VPC Lattice and S3 Object Lambda generators: derived fields, the
// override vocabulary and the errors bad input gets.
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors/index.js';
import {
  activeMqEvent,
  appSyncBatchResolverEvent,
  appSyncResolverEvent,
  appSyncSelectionSet,
  iotRuleEvent,
  rabbitMqEvent,
  rabbitTimestamp,
  s3ObjectLambdaEvent,
  sesEvent,
  vpcLatticeEvent,
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

const decode = (data: string) => Buffer.from(data, 'base64').toString('utf8');

describe('sesEvent', () => {
  it('derives envelope, common headers, header list and recipients from from/to/cc/subject', () => {
    const event = sesEvent({
      from: 'Jane Doe <jane@example.com>',
      to: ['orders@example.org', 'Ops <ops@example.org>'],
      cc: ['audit@example.org'],
      subject: 'Invoice 42',
      region: 'eu-west-1',
      accountId: '111122223333',
      functionName: 'mail-in',
    });
    const { mail, receipt } = event.Records[0]!.ses;
    const header = (name: string) => mail.headers.find((h) => h.name === name)?.value;

    expect(mail.source).toBe('jane@example.com');
    expect(mail.destination).toEqual(['orders@example.org', 'ops@example.org', 'audit@example.org']);
    expect(receipt.recipients).toEqual(mail.destination);
    expect(mail.commonHeaders).toMatchObject({
      returnPath: 'jane@example.com',
      from: ['Jane Doe <jane@example.com>'],
      to: ['orders@example.org', 'Ops <ops@example.org>'],
      cc: ['audit@example.org'],
      subject: 'Invoice 42',
    });
    expect(header('Subject')).toBe('Invoice 42');
    expect(header('To')).toBe('orders@example.org, Ops <ops@example.org>');
    expect(header('Message-ID')).toBe(mail.commonHeaders.messageId);
    expect(header('Received')).toContain(
      `by inbound-smtp.eu-west-1.amazonaws.com with SMTP id ${mail.messageId}`,
    );
    expect(receipt.action).toEqual({
      type: 'Lambda',
      functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:mail-in',
      invocationType: 'Event',
    });
    expect(mail.timestamp).toBe('2024-01-15T12:00:00.000Z');
  });

  it('sends dmarcPolicy only with a failed DMARC verdict, and rejects it otherwise', () => {
    expect(sesEvent().Records[0]!.ses.receipt).not.toHaveProperty('dmarcPolicy');
    expect(
      sesEvent({ verdicts: { dmarc: 'FAIL' }, dmarcPolicy: 'reject' }).Records[0]!.ses.receipt.dmarcPolicy,
    ).toBe('reject');
    expect(thrown(() => sesEvent({ dmarcPolicy: 'reject' })).message.split('\n')[0]).toBe(
      '[lambda-harness] sesEvent() options.dmarcPolicy: SES sends dmarcPolicy only when the DMARC verdict fails: add verdicts: { dmarc: \'FAIL\' }, received "reject"',
    );
  });

  it('an overridden common header updates its entry in the header list, unless headers are overridden too', () => {
    const follows = sesEvent({
      overrides: { Records: [{ ses: { mail: { commonHeaders: { subject: 'Changed' } } } }] },
    });
    const pinned = sesEvent({
      overrides: {
        Records: [
          {
            ses: {
              mail: { commonHeaders: { subject: 'Changed' }, headers: [{ name: 'Subject', value: 'Kept' }] },
            },
          },
        ],
      },
    });

    expect(follows.Records[0]!.ses.mail.headers.find((h) => h.name === 'Subject')?.value).toBe('Changed');
    expect(pinned.Records[0]!.ses.mail.headers).toEqual([{ name: 'Subject', value: 'Kept' }]);
  });

  it('rejects a bad address and a bad override with their paths', () => {
    expect(thrown(() => sesEvent({ from: 'not an address' })).path).toBe('from');
    const error = thrown(() =>
      sesEvent({
        overrides: { Records: [{ ses: { receipt: { spamVerdict: { status: 'MAYBE' as 'PASS' } } } }] },
      }),
    );
    expect(error.code).toBe('INVALID_OVERRIDE');
    expect(error.path).toBe('Records[0].ses.receipt.spamVerdict.status');
  });
});

describe('activeMqEvent', () => {
  it('base64-encodes bodies: text messages for strings and JSON, bytes messages for bytes', () => {
    const event = activeMqEvent({
      queue: 'orders',
      bodies: ['plain', { id: 1 }, new Uint8Array([0xff, 0x00])],
    });

    expect(event.messages.map((m) => m.messageType)).toEqual([
      'jms/text-message',
      'jms/text-message',
      'jms/bytes-message',
    ]);
    expect(decode(event.messages[0]!.data)).toBe('plain');
    expect(decode(event.messages[1]!.data)).toBe('{"id":1}');
    expect([...Buffer.from(event.messages[2]!.data, 'base64')]).toEqual([0xff, 0x00]);
    expect(event.messages.every((m) => m.destination.physicalName === 'orders')).toBe(true);
  });

  it('keeps broker ARN, message ids and times consistent', () => {
    const event = activeMqEvent({ records: 3, region: 'eu-central-1', brokerName: 'shop' });
    const brokerId = event.eventSourceArn.split(':').pop()!;

    expect(event.eventSourceArn).toMatch(
      /^arn:aws:mq:eu-central-1:123456789012:broker:shop:b-[0-9a-f-]{36}$/,
    );
    for (const [i, m] of event.messages.entries()) {
      expect(m.messageID).toMatch(
        new RegExp(`^ID:${brokerId}-1\\.mq\\.eu-central-1\\.amazonaws\\.com-.+:1:1:1:${i + 1}$`),
      );
      expect(m.brokerInTime).toBe(m.timestamp);
      expect(m.brokerOutTime).toBeGreaterThan(m.brokerInTime);
    }
  });

  it('merges messages[i] overrides and validates them', () => {
    const event = activeMqEvent({ records: 2, overrides: { messages: [{ redelivered: true }] } });

    expect(event.messages.map((m) => m.redelivered)).toEqual([true, false]);
    expect(thrown(() => activeMqEvent({ overrides: { messages: [{ deliveryMode: 3 as 1 }] } })).path).toBe(
      'messages[0].deliveryMode',
    );
  });
});

describe('rabbitMqEvent', () => {
  it('groups messages by queue::virtual-host, with string headers as bytes and bodySize from the body', () => {
    const event = rabbitMqEvent({
      queue: 'orders',
      virtualHost: 'shop',
      messages: [
        { body: { id: 1 }, headers: { tenant: 'ab', retries: 2, urgent: true } },
        { body: 'x', queue: 'audit' },
      ],
    });
    const [first] = event.rmqMessagesByQueue['orders::shop']!;

    expect(Object.keys(event.rmqMessagesByQueue)).toEqual(['orders::shop', 'audit::shop']);
    expect(first!.basicProperties.headers).toEqual({ tenant: { bytes: [97, 98] }, retries: 2, urgent: true });
    expect(first!.basicProperties.bodySize).toBe(8);
    expect(first!.basicProperties.contentType).toBe('application/json');
    expect(event.rmqMessagesByQueue['audit::shop']![0]!.basicProperties.contentType).toBe('text/plain');
    expect(event.eventSource).toBe('aws:rmq');
  });

  it('uses the default virtual host "/" and renders the AMQP timestamp as Lambda does', () => {
    const event = rabbitMqEvent({ queue: 'q' });

    expect(Object.keys(event.rmqMessagesByQueue)).toEqual(['q::/']);
    expect(event.rmqMessagesByQueue['q::/']![0]!.basicProperties.timestamp).toBe('Jan 15, 2024, 12:00:00 PM');
    expect(rabbitTimestamp(Date.UTC(1970, 0, 1, 0, 33, 41))).toBe('Jan 1, 1970, 12:33:41 AM');
  });

  it('recomputes bodySize when data is overridden, and rejects a bodySize that disagrees', () => {
    const event = rabbitMqEvent({
      queue: 'q',
      overrides: { rmqMessagesByQueue: { 'q::/': [{ data: Buffer.from('hello').toString('base64') }] } },
    });

    expect(event.rmqMessagesByQueue['q::/']![0]!.basicProperties.bodySize).toBe(5);
    const error = thrown(() =>
      rabbitMqEvent({
        queue: 'q',
        overrides: { rmqMessagesByQueue: { 'q::/': [{ data: 'aGk=', basicProperties: { bodySize: 9 } }] } },
      }),
    );
    expect(error.path).toBe('rmqMessagesByQueue["q::/"][0].basicProperties.bodySize');
    expect(thrown(() => rabbitMqEvent({ overrides: { rmqMessagesByQueue: 5 as never } })).path).toBe(
      'rmqMessagesByQueue',
    );
  });
});

describe('appSyncResolverEvent / appSyncBatchResolverEvent', () => {
  it('renders selectionSetGraphQL from the selection, adding implied parents', () => {
    expect(appSyncSelectionSet(['id', 'items/sku', 'items/qty', 'owner/address/city'])).toEqual({
      list: ['id', 'items', 'items/sku', 'items/qty', 'owner', 'owner/address', 'owner/address/city'],
      graphql:
        '{\n  id\n  items {\n    sku\n    qty\n  }\n  owner {\n    address {\n      city\n    }\n  }\n}',
    });
  });

  it('shapes identity and the credential header per authorization mode', () => {
    const cognito = appSyncResolverEvent({
      authorization: { type: 'AMAZON_COGNITO_USER_POOLS', username: 'ada', groups: ['admin'] },
      region: 'eu-west-1',
    });
    const apiKey = appSyncResolverEvent({ authorization: { type: 'API_KEY' } });
    const iam = appSyncResolverEvent({
      authorization: { type: 'AWS_IAM', roleName: 'app' },
      accountId: '111122223333',
    });
    const lambda = appSyncResolverEvent({
      authorization: { type: 'AWS_LAMBDA', resolverContext: { tenant: 'acme' } },
    });

    expect(cognito.identity).toMatchObject({
      username: 'ada',
      groups: ['admin'],
      claims: { 'cognito:username': 'ada' },
    });
    expect((cognito.identity as { issuer: string }).issuer).toMatch(
      /^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_/,
    );
    expect(apiKey.identity).toBeNull();
    expect(apiKey.request.headers['x-api-key']).toMatch(/^da2-/);
    expect((iam.identity as { userArn: string }).userArn).toMatch(
      /^arn:aws:sts::111122223333:assumed-role\/app\//,
    );
    expect(lambda.identity).toEqual({ resolverContext: { tenant: 'acme' } });
    expect(cognito.request.headers.host).toMatch(/\.appsync-api\.eu-west-1\.amazonaws\.com$/);
  });

  it('a batch shares request, identity and info and carries one source per item; overrides[i] merges over item i', () => {
    const batch = appSyncBatchResolverEvent({
      typeName: 'Post',
      fieldName: 'author',
      sources: [{ authorId: 'a-1' }, { authorId: 'a-2' }],
      overrides: [{ stash: { first: true } }],
    });

    expect(batch.map((b) => b.source)).toEqual([{ authorId: 'a-1' }, { authorId: 'a-2' }]);
    expect(batch[1]!.identity).toEqual(batch[0]!.identity);
    expect(batch[0]!.info).toMatchObject({ parentTypeName: 'Post', fieldName: 'author' });
    expect(batch.map((b) => b.stash)).toEqual([{ first: true }, {}]);
    expect(batch[0]!.identity).not.toBe(batch[1]!.identity);
  });

  it('rejects a bad field name and a bad override', () => {
    expect(thrown(() => appSyncResolverEvent({ fieldName: 'get-order' })).path).toBe('fieldName');
    expect(thrown(() => appSyncResolverEvent({ overrides: { info: { fieldName: 3 as never } } })).path).toBe(
      'info.fieldName',
    );
  });
});

describe('iotRuleEvent', () => {
  it('delivers the payload as selected, with the SQL function values the rule adds', () => {
    const event = iotRuleEvent({
      topic: 'sensors/kitchen',
      clientId: 'dev-1',
      payload: { celsius: 21.5 },
      select: ['topic', 'clientid', 'timestamp'],
      time: '2024-03-01T00:00:00Z',
    });

    expect(event).toEqual({
      celsius: 21.5,
      topic: 'sensors/kitchen',
      clientid: 'dev-1',
      timestamp: Date.UTC(2024, 2, 1),
    });
    expect(iotRuleEvent({ payload: 42 as never })).toBe(42);
    expect(iotRuleEvent({ payload: new Uint8Array([1, 2]) })).toEqual({ data: 'AQI=' });
  });

  it('refuses SQL function values or overrides on a bare value', () => {
    expect(thrown(() => iotRuleEvent({ payload: 42 as never, select: ['topic'] })).path).toBe('select');
    expect(thrown(() => iotRuleEvent({ payload: 'x' as never, overrides: { a: 1 } as never })).path).toBe(
      'overrides',
    );
  });
});

describe('vpcLatticeEvent', () => {
  it('V2: lists of values, lowercase names, X-Forwarded-For, ARNs and microsecond time', () => {
    const event = vpcLatticeEvent({
      method: 'POST',
      path: '/orders',
      query: 'tag=a&tag=b',
      headers: { 'X-Trace': ['1', '2'] },
      body: { qty: 2 },
      sourceIp: '10.0.0.7',
      region: 'eu-west-1',
      auth: 'AWS_IAM',
    });

    expect(event.queryStringParameters).toEqual({ tag: ['a', 'b'] });
    expect(event.headers['x-trace']).toEqual(['1', '2']);
    expect(event.headers['x-forwarded-for']).toEqual(['10.0.0.7']);
    expect(event.headers['content-length']).toEqual(['9']);
    expect(event.body).toBe('{"qty":2}');
    expect(event.requestContext.timeEpoch).toMatch(/^1705320000000\d{3}$/);
    expect(event.requestContext.serviceArn).toMatch(
      /^arn:aws:vpc-lattice:eu-west-1:123456789012:service\/svc-/,
    );
    expect(event.requestContext.identity).toMatchObject({
      type: 'AWS_IAM',
      principal: expect.stringMatching(/^arn:aws:sts::/),
    });
    expect(vpcLatticeEvent().requestContext.identity).not.toHaveProperty('type');
  });

  it('V1: snake_case, repeated headers joined with ", ", last query value wins, bytes base64', () => {
    const event = vpcLatticeEvent({
      version: '1.0',
      query: 'tag=a&tag=b',
      headers: { 'X-Trace': ['1', '2'] },
      body: new Uint8Array([1, 2, 3]),
    });

    expect(event.query_string_parameters).toEqual({ tag: 'b' });
    expect(event.headers['x-trace']).toBe('1, 2');
    expect(event).toMatchObject({ raw_path: '/', body: 'AQID', is_base64_encoded: true });
  });
});

describe('s3ObjectLambdaEvent', () => {
  it('agrees on key, region and account across inputS3Url, the access points and the user request', () => {
    const event = s3ObjectLambdaEvent({
      key: 'docs/my report.txt',
      region: 'eu-west-1',
      accountId: '111122223333',
      range: 'bytes=0-9',
    });
    const input = new URL(event.getObjectContext.inputS3Url);
    const user = new URL(event.userRequest.url);

    expect(input.hostname).toMatch(/^[a-z0-9-]+-111122223333\.s3-accesspoint\.eu-west-1\.amazonaws\.com$/);
    expect(input.pathname).toBe('/docs/my%20report.txt');
    expect(user.pathname).toBe(input.pathname);
    expect(event.userRequest.headers.Host).toBe(user.hostname);
    expect(event.userRequest.headers.Range).toBe('bytes=0-9');
    expect(event.configuration.accessPointArn).toMatch(
      /^arn:aws:s3-object-lambda:eu-west-1:111122223333:accesspoint\//,
    );
    expect(event.getObjectContext.outputRoute).toMatch(/^io-euw1-c\d{3}$/);
    expect(input.searchParams.get('X-Amz-Date')).toBe('20240115T120000Z');
  });

  it('rejects a bad range', () => {
    expect(thrown(() => s3ObjectLambdaEvent({ range: '0-9' })).path).toBe('range');
  });
});
