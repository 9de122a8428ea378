import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFunction, createSqsEventSource, HarnessError, loadTemplate } from '../../src/index.js';

const dir = fileURLToPath(new URL('../fixtures/templates/', import.meta.url));
const app = `${dir}app`;
const fixture = (name: string) => `${dir}${name}`;
const arn = (service: string, rest: string) => `arn:aws:${service}:us-east-1:123456789012:${rest}`;

function thrown(fn: () => unknown): HarnessError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HarnessError) return error;
    throw error;
  }
  throw new Error('expected a HarnessError');
}

describe('SAM template with Globals and every event type', () => {
  const sam = loadTemplate(fixture('sam.yaml'));

  it('lists the functions and reads the format', () => {
    expect(sam.format).toBe('sam');
    expect(sam.functionIds).toEqual(['OrdersFunction', 'TypeScriptFunction', 'LegacyFunction']);
  });

  it('gives the same createFunction options as the hand-written ones (Globals merged, intrinsics resolved)', () => {
    const handWritten = {
      taskRoot: app,
      handler: 'src/orders.handler',
      runtime: 'nodejs22.x',
      functionName: 'OrdersFunction',
      timeout: 10,
      memorySize: 512,
      env: {
        STAGE: 'test',
        POWERTOOLS_SERVICE_NAME: 'orders',
        TABLE_NAME: 'orders-test',
        QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-test',
        TOPIC: 'arn:aws:sns:us-east-1:123456789012:orders-test',
        PARTS: 'orders-test-a',
      },
      logFormat: 'JSON',
      logLevel: 'DEBUG',
      reservedConcurrency: 5,
      layers: [`${dir}layers/shared`],
    };
    expect(sam.functionOptions('OrdersFunction')).toEqual(handWritten);
    expect(sam.describe('OrdersFunction').layers).toEqual([`${dir}layers/shared`]);
  });

  it('parameters and conditions come from the test', () => {
    const prod = loadTemplate(fixture('sam.yaml'), { parameters: { Env: 'prod', Stage: 'live' } });
    expect(prod.functionOptions('OrdersFunction')).toMatchObject({
      memorySize: 1024,
      env: { STAGE: 'live' },
    });
  });

  it('gives the same simulator options as the hand-written ones, per event source', () => {
    const events = sam.describe('OrdersFunction').events;
    expect(events.map((e) => `${e.name}:${e.type}`)).toEqual([
      'Orders:sqs',
      'Clicks:kinesis',
      'Changes:dynamodb',
      'GetOrder:apigateway',
      'ListOrders:http-api',
      'Nightly:scheduled',
      'Hourly:scheduled',
      'Shipped:eventbridge',
      'Uploads:s3',
      'Alerts:sns',
    ]);
    expect(events[0]?.options).toEqual({
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
      FilterCriteria: { Filters: [{ Pattern: '{"body": {"type": ["order"]}}' }] },
      Queue: {
        QueueName: 'orders-test',
        VisibilityTimeout: 60,
        RedrivePolicy: { deadLetterTargetArn: arn('sqs', 'FailuresQueue'), maxReceiveCount: 3 },
      },
    });
    expect(events[1]?.options).toEqual({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 50,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arn('sqs', 'FailuresQueue') } },
      Stream: { StreamName: 'ClickStream', ShardCount: 2 },
    });
    expect(events[2]?.options).toEqual({
      StartingPosition: 'LATEST',
      BatchSize: 10,
      FilterCriteria: { Filters: [{ Pattern: '{"eventName": ["INSERT"]}' }] },
      Table: {
        TableName: 'orders-test',
        KeySchema: { partitionKey: 'pk', sortKey: 'sk' },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(sam.describe('OrdersFunction').asyncInvoke).toEqual({
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnFailure: { Destination: arn('sqs', 'FailuresQueue') } },
      DeadLetterConfig: { TargetArn: arn('sqs', 'FailuresQueue') },
    });
  });

  it('the SQS simulator from the template behaves as the hand-written one', async () => {
    const run = async (sim: ReturnType<typeof createSqsEventSource>) => {
      const ids = ['{"type":"order"}', '"fail"', '{"type":"refund"}'].map((b) => sim.send(b));
      await sim.run();
      return ids.map((id) => sim.history(id).status);
    };
    const fromTemplate = await run(sam.sqsEventSource('OrdersFunction', { seed: 1 }));
    const byHand = await run(
      createSqsEventSource({
        target: createFunction({
          taskRoot: app,
          handler: 'src/orders.handler',
          runtime: 'nodejs22.x',
          timeout: 10,
          memorySize: 512,
        }),
        seed: 1,
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
        FilterCriteria: { Filters: [{ Pattern: '{"body": {"type": ["order"]}}' }] },
        Queue: { QueueName: 'orders-test', VisibilityTimeout: 60, RedrivePolicy: { maxReceiveCount: 3 } },
      }),
    );
    expect(fromTemplate).toEqual(['succeeded', 'filtered', 'filtered']);
    expect(fromTemplate).toEqual(byHand);
  });

  it('invokes the function from its task root and environment', async () => {
    const fn = sam.function('OrdersFunction');
    const result = await fn.invoke({ Records: [] });
    expect(result.outcome).toBe('success');
    expect(result.outcome === 'success' && result.response).toMatchObject({
      table: 'orders-test',
      stage: 'test',
    });
    await fn.dispose();
  });

  it('finds the TypeScript entry of an esbuild-built function, and loads .cjs as the runtime does', async () => {
    expect(sam.describe('TypeScriptFunction').entry).toBe(`${app}/ts/orders.ts`);
    const ts = sam.function('TypeScriptFunction');
    const r = await ts.invoke({ Records: [1, 2] });
    expect(r.outcome === 'success' && r.response).toEqual({ source: 'typescript', count: 2 });
    const legacy = sam.function('LegacyFunction');
    const l = await legacy.invoke({});
    expect(l.outcome === 'success' && l.response).toBe('from commonjs');
    await Promise.all([ts.dispose(), legacy.dispose()]);
  });
});

describe('plain CloudFormation with separate mappings, queues and EventInvokeConfig', () => {
  const cfn = loadTemplate(fixture('cloudformation.yaml'), { parameters: { TableName: 'orders' } });

  it('reads the function, its mappings and the queue settings', () => {
    expect(cfn.format).toBe('cloudformation');
    expect(cfn.functionOptions('OrdersFunction')).toEqual({
      taskRoot: app,
      handler: 'src/orders.handler',
      runtime: 'nodejs20.x',
      functionName: 'orders-worker',
      timeout: 20,
      memorySize: 512,
      env: { TABLE_NAME: 'orders' },
    });
    const [sqs, kinesis] = cfn.describe('OrdersFunction').events;
    expect(sqs).toMatchObject({
      name: 'OrdersMapping',
      type: 'sqs',
      options: {
        BatchSize: 20,
        MaximumBatchingWindowInSeconds: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        Queue: {
          QueueName: 'OrdersQueue',
          VisibilityTimeout: 120,
          RedrivePolicy: { deadLetterTargetArn: arn('sqs', 'DeadLetters'), maxReceiveCount: 5 },
        },
      },
    });
    expect(kinesis).toMatchObject({
      name: 'StreamMapping',
      type: 'kinesis',
      options: {
        StartingPosition: 'LATEST',
        ParallelizationFactor: 2,
        Stream: { StreamName: 'clicks', ShardCount: 1 },
      },
    });
    expect(cfn.describe('OrdersFunction').asyncInvoke).toEqual({
      MaximumRetryAttempts: 0,
      DeadLetterConfig: { TargetArn: arn('sqs', 'DeadLetters') },
    });
  });

  it('a parameter without default and without a value is an error naming the template path', () => {
    const e = thrown(() => loadTemplate(fixture('cloudformation.yaml')).describe('OrdersFunction'));
    expect(e.message).toContain(
      'cloudformation.yaml: Resources.OrdersFunction.Properties.Environment.Variables.TABLE_NAME: !Ref TableName',
    );
    expect(e.message.split('\n')[0]).not.toContain('\n');
  });
});

describe('CDK synth output', () => {
  it('runs the bundled asset the template points at', async () => {
    const cdk = loadTemplate(fixture('cdk.out/OrdersStack.template.json'));
    expect(cdk.format).toBe('cdk');
    expect(cdk.functionIds).toEqual(['OrdersHandler5E6F7A8B']);
    expect(cdk.functionOptions('OrdersHandler5E6F7A8B')).toMatchObject({
      taskRoot: `${dir}cdk.out/asset.4f2a9c`,
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      timeout: 30,
      memorySize: 1024,
      env: { QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/OrdersQueueB1A2C3D4' },
    });
    expect(cdk.describe('OrdersHandler5E6F7A8B').events[0]?.options).toEqual({
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      Queue: { QueueName: 'OrdersQueueB1A2C3D4', VisibilityTimeout: 90 },
    });
    const sim = cdk.sqsEventSource('OrdersHandler5E6F7A8B');
    sim.send('x');
    const summary = await sim.run();
    expect(summary.byStatus.succeeded).toBe(1);
  });
});

describe('serverless.yml with variables', () => {
  it('resolves self/env/opt/sls variables and reads provider defaults, functions and events', () => {
    const sls = loadTemplate(fixture('serverless.yml'), { env: { ORDERS_TABLE: 'orders-ci' }, stage: 'ci' });
    expect(sls.format).toBe('serverless');
    expect(sls.functionOptions('processOrders')).toEqual({
      taskRoot: dir.replace(/\/$/, ''),
      handler: 'src/orders.handler',
      runtime: 'nodejs22.x',
      functionName: 'orders-ci-processOrders',
      timeout: 30,
      memorySize: 256,
      env: { STAGE: 'ci', TABLE_NAME: 'orders-ci', QUEUE: 'orders-ci' },
      reservedConcurrency: 3,
    });
    const events = sls.describe('processOrders').events;
    expect(events.map((e) => e.type)).toEqual([
      'sqs',
      'kinesis',
      'apigateway',
      'http-api',
      'scheduled',
      'sns',
      's3',
      'eventbridge',
    ]);
    expect(events[0]?.options).toEqual({
      BatchSize: 4,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"type":["order"]}}' }] },
      Queue: { QueueName: 'orders-ci', VisibilityTimeout: 180 },
    });
    expect(events[1]?.options).toEqual({ StartingPosition: 'LATEST', BatchSize: 100 });
    expect(sls.describe('processOrders').asyncInvoke).toEqual({ MaximumRetryAttempts: 1 });
  });

  it('falls back to the defaults written in the file', () => {
    const sls = loadTemplate(fixture('serverless.yml'), { env: {} });
    expect(sls.functionOptions('processOrders')).toMatchObject({
      functionName: 'orders-dev-processOrders',
      env: { STAGE: 'dev', TABLE_NAME: 'orders-local' },
    });
  });
});

describe('bad input: one line naming the file and the path', () => {
  it('a template that does not parse', () => {
    const e = thrown(() => loadTemplate(fixture('broken.yaml')));
    expect(e.code).toBe('INVALID_TEMPLATE');
    expect(e.message).toMatch(/broken\.yaml: does not parse: .*line 4/);
  });

  it('an unknown logical id lists the functions the file has', () => {
    const e = thrown(() => loadTemplate(fixture('sam.yaml')).function('OrderFunction'));
    expect(e.message).toContain(
      'sam.yaml: no function "OrderFunction"; the file has: OrdersFunction, TypeScriptFunction, LegacyFunction',
    );
  });

  it('a resource that is not a function, an unsupported event and an unsupported intrinsic', () => {
    expect(thrown(() => loadTemplate(fixture('sam.yaml')).function('OrdersQueue')).message).toContain(
      'sam.yaml: Resources.OrdersQueue: AWS::SQS::Queue is not a function resource',
    );
    const bad = thrown(() => loadTemplate(fixture('unsupported.yaml')).describe('KafkaFunction'));
    expect(bad.code).toBe('UNSUPPORTED');
    expect(bad.message).toContain(
      'unsupported.yaml: Resources.KafkaFunction.Properties.Events.Stream.Type: event type "MSK"',
    );
    const cidr = thrown(() => loadTemplate(fixture('unsupported.yaml')).describe('CidrFunction'));
    expect(cidr.message).toContain(
      'unsupported.yaml: Resources.CidrFunction.Properties.Environment.Variables.RANGE.Fn::Cidr: Fn::Cidr is not supported',
    );
  });

  it('a queue RedrivePolicy string that is not JSON names its template path', () => {
    const e = thrown(() => loadTemplate(fixture('unsupported.yaml')).describe('BadRedriveFunction'));
    expect(e).toBeInstanceOf(HarnessError);
    expect(e.code).toBe('INVALID_TEMPLATE');
    expect(e.message).toContain(
      'unsupported.yaml: Resources.BadRedriveQueue.Properties.RedrivePolicy: expected a JSON object (or its JSON text)',
    );
  });

  it('a handler string pointing nowhere fails init with the runtime error', async () => {
    const fn = loadTemplate(fixture('unsupported.yaml')).function('NowhereFunction');
    const r = await fn.invoke({});
    expect(r.outcome).toBe('error');
    expect(r.outcome === 'error' && r.error).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: expect.stringMatching(/^Error: Cannot find module 'nosuchfile'\nRequire stack:/),
    });
    await fn.dispose();
  });

  it('unknown options and parameters the template does not declare', () => {
    expect(thrown(() => loadTemplate(fixture('sam.yaml'), { parameter: {} } as never)).message).toContain(
      'loadTemplate options.parameter: unknown option',
    );
    expect(thrown(() => loadTemplate(fixture('sam.yaml'), { parameters: { Stag: 'x' } })).message).toContain(
      'declares no parameter Stag',
    );
  });
});
