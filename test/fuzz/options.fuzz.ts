import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { generateWithSets } from '../../src/cli/generate.js';
import * as lib from '../../src/index.js';
import { fuzz, nasty, only, optionsOf, RUNS, SEED } from './fuzz.js';

const UUID = 'c793869b-ee49-415b-a5b6-4fd21e8dedac';
const T = [0, 253370764800000, '2024-01-15T12:00:00Z', new Date(0)];
const echo = async (event: unknown) => event;

const functionOptions = {
  runtime: ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'],
  functionName: ['orders'],
  functionVersion: ['1', '$LATEST'],
  qualifier: ['prod'],
  memorySize: [128, 10240],
  timeout: [0.05, 1, 900],
  region: ['eu-west-1'],
  accountId: ['111122223333'],
  env: [{ A: '1' }, { AWS_LAMBDA_LOG_LEVEL: 'warn', B: undefined }, { AWS_LAMBDA_LOG_FORMAT: 'json' }],
  logFormat: ['JSON', 'Text'],
  logLevel: ['INFO', 'debug'],
  logGroupName: ['/aws/lambda/x'],
  logs: ['silent'],
};
const invocationOptions = {
  clock: [
    'real',
    'virtual',
    { mode: 'virtual' },
    { mode: 'virtual', startMs: 0 },
    { mode: 'virtual', startMs: T[1] },
  ],
  requestId: [UUID],
  traceId: [null, 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'],
  identity: [{ cognitoIdentityId: 'us-east-1:a', cognitoIdentityPoolId: 'us-east-1:p' }],
  clientContext: [{ client: { installation_id: 'i' } }],
  tenantId: ['tenant-1'],
};

beforeAll(() => {
  // Printed once per file so any failure can be replayed.
  console.log(`fuzz seed: ${SEED} (runs per property: ${RUNS})`);
});

afterAll(() => {
  delete process.env.LAMBDA_HARNESS_LOGS;
});

describe('fuzz: only the library error escapes', { timeout: 600_000 }, () => {
  it('invokeHandler options and events', async () => {
    const arb = fc.tuple(
      nasty(),
      optionsOf({
        ...functionOptions,
        ...invocationOptions,
        handler: ['index.handler'],
        coldStart: [true, false],
      }),
    );
    await fuzz('invokeHandler options and events', arb, async ([event, options]) => {
      await only(() => lib.invokeHandler(echo, event, options as never));
    });
  });

  it('createFunction options, fn.invoke options and events', async () => {
    const arb = fc.tuple(
      optionsOf({
        ...functionOptions,
        clock: invocationOptions.clock,
        handlerName: ['index.handler'],
        reservedConcurrency: [0, 1, 2],
        provisionedConcurrency: [0, 1],
        accountConcurrency: [1, 1000],
        idleTimeout: [1, 300],
        initTimeout: [0.5, 10, 900],
      }),
      nasty(),
      optionsOf(invocationOptions),
    );
    await fuzz(
      'createFunction options, fn.invoke options and events',
      arb,
      async ([options, event, invokeOptions]) => {
        let fn: lib.LambdaFunction | undefined;
        await only(async () => {
          fn = lib.createFunction({ ...options, handler: () => echo } as never);
          await fn.invoke(event, invokeOptions as never);
        });
        await fn?.dispose();
      },
    );
  });

  const generators = Object.entries(lib).filter(
    (e): e is [string, (o?: unknown) => unknown] =>
      typeof e[1] === 'function' &&
      /^[a-z]\w*(Event|Record|Notification)$/.test(e[0]) &&
      e[0] !== 'generateEvent',
  );
  const overrides = [{}, { Records: [{}] }, { Records: [{ body: 1n }] }, { detail: { a: 1 } }, { body: 'x' }];
  const eventOptions = optionsOf({
    seed: [0, 1, 2 ** 31 - 1],
    region: ['eu-west-1'],
    accountId: ['111122223333'],
    time: T,
    records: [1, 3],
    overrides,
    bodies: [['a', { b: 1 }]],
    body: ['x', { a: 1 }, new Uint8Array([1, 2])],
    data: [['a'], [{ b: 1 }]],
    message: ['m', { a: 1 }],
    detail: [{ a: 1 }],
    fifo: [true, false],
    method: ['POST'],
    path: ['/items'],
    headers: [{ 'content-type': 'application/json' }],
    eventName: ['INSERT', 'MODIFY', 'REMOVE'],
    keySchema: [{ partitionKey: 'id' }, { partitionKey: 'pk', sortKey: 'sk' }],
    changes: [
      [{ newImage: { id: 'a' } }],
      [{ eventName: 'MODIFY', oldImage: { id: 'a' }, newImage: { id: 'b' } }],
    ],
    tumblingWindow: [{ seconds: 60 }],
  });

  it.each(generators.map(([name]) => name))('event generator %s', async (name) => {
    const generate = generators.find(([n]) => n === name)?.[1] as (o?: unknown) => unknown;
    await fuzz(`event generator ${name}`, eventOptions, async (options) => {
      await only(() => generate(options));
    });
  });

  it('generateEvent over every source and variant', async () => {
    const sources = Object.entries(
      lib.eventSources as Record<string, { variants: readonly string[] }>,
    ).flatMap(
      ([source, { variants }]) =>
        [[source, undefined], ...variants.map((v) => [source, v])] as [string, string?][],
    );
    await fuzz(
      'generateEvent over every source and variant',
      fc.tuple(fc.constantFrom(...sources), eventOptions),
      async ([[source, variant], options]) => {
        await only(() => lib.generateEvent(source, variant, options as never));
      },
    );
  });

  it('CLI --set paths', async () => {
    const segment = fc.constantFrom(
      'Records',
      '[0]',
      '[1]',
      '[99]',
      '__proto__',
      'constructor',
      'prototype',
      'body',
      'messageAttributes',
      '["x"]',
      '["__proto__"]',
      'attributes',
      'detail',
    );
    const path = fc
      .array(segment, { minLength: 1, maxLength: 5 })
      .map((parts) => parts.map((p, i) => (i === 0 || p.startsWith('[') ? p : `.${p}`)).join(''));
    const value = fc.constantFrom('x', '1', '{"a":1}', 'null', '[]', '-5', '1e400', '"s"', '');
    const sets = fc.array(
      fc.tuple(path, value).map(([p, v]) => `${p}=${v}`),
      { minLength: 1, maxLength: 3 },
    );
    const source = fc.constantFrom('sqs', 'sns', 'kinesis', 'dynamodb', 'eventbridge', 's3');
    await fuzz('CLI --set paths', fc.tuple(source, sets), async ([src, list]) => {
      await only(() => generateWithSets('generate', src, undefined, {}, list));
    });
  });

  const simulation = {
    seed: [0, 7],
    startTime: T,
    region: ['eu-west-1'],
    accountId: ['111122223333'],
    reservedConcurrency: [1, 5],
  };
  const streamMapping = {
    StartingPosition: ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'],
    StartingPositionTimestamp: T,
    BatchSize: [1, 100, 10000],
    MaximumBatchingWindowInSeconds: [0, 1, 300],
    ParallelizationFactor: [1, 10],
    BisectBatchOnFunctionError: [true, false],
    MaximumRetryAttempts: [-1, 0, 2],
    MaximumRecordAgeInSeconds: [-1, 60],
    FunctionResponseTypes: [['ReportBatchItemFailures'], []],
    DestinationConfig: [{ OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:dlq' } }],
  };
  const run = optionsOf({ forMs: [0, 60_000], maxInvocations: [1, 20], until: T });

  it('simulators: createSqsEventSource, send and run', async () => {
    const arb = fc.tuple(
      optionsOf({
        ...simulation,
        Queue: [
          { QueueName: 'q.fifo', FifoQueue: true },
          { QueueName: 'q.fifo', FifoQueue: true, ContentBasedDeduplication: true },
          { VisibilityTimeout: 30, DelaySeconds: 1 },
          {
            RedrivePolicy: {
              maxReceiveCount: 2,
              deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq',
            },
          },
        ],
        BatchSize: [1, 10, 10000],
        MaximumBatchingWindowInSeconds: [0, 1, 300],
        FunctionResponseTypes: [['ReportBatchItemFailures'], []],
        ScalingConfig: [{ MaximumConcurrency: 2 }],
      }),
      optionsOf({
        body: ['x', { a: 1 }],
        messageGroupId: ['g'],
        messageDeduplicationId: ['d'],
        delaySeconds: [0, 5],
        at: T,
        messageAttributes: [{ k: { dataType: 'String', stringValue: 'v' } }],
      }),
      run,
    );
    await fuzz(
      'simulators: createSqsEventSource, send and run',
      arb,
      async ([options, message, runOptions]) => {
        const fn = lib.createFunction({ handler: () => echo });
        await only(async () => {
          const sim = lib.createSqsEventSource({ ...options, target: fn } as never);
          sim.send(message as never);
          await sim.run(runOptions as never);
        });
        await fn.dispose();
      },
    );
  });

  it('simulators: createKinesisEventSource, put and run', async () => {
    const arb = fc.tuple(
      optionsOf({ ...simulation, ...streamMapping, Stream: [{ ShardCount: 2 }, { StreamName: 's' }] }),
      optionsOf({ data: ['x', { a: 1 }], partitionKey: ['p'], at: T }),
      run,
    );
    await fuzz(
      'simulators: createKinesisEventSource, put and run',
      arb,
      async ([options, record, runOptions]) => {
        const fn = lib.createFunction({ handler: () => echo });
        await only(async () => {
          const sim = lib.createKinesisEventSource({ ...options, target: fn } as never);
          sim.put(record as never);
          await sim.run(runOptions as never);
        });
        await fn.dispose();
      },
    );
  });

  it('simulators: createDynamoDBEventSource, write and run', async () => {
    const arb = fc.tuple(
      optionsOf({
        ...simulation,
        ...streamMapping,
        Table: [{ TableName: 'Orders', KeySchema: { partitionKey: 'id' } }, { StreamViewType: 'KEYS_ONLY' }],
      }),
      optionsOf({
        eventName: ['INSERT', 'MODIFY', 'REMOVE'],
        newImage: [{ id: 'a', n: 1 }, { id: 1n }],
        oldImage: [{ id: 'a', n: 0 }, { id: 'b' }],
        ttl: [true],
        at: T,
      }),
      run,
    );
    await fuzz(
      'simulators: createDynamoDBEventSource, write and run',
      arb,
      async ([options, change, runOptions]) => {
        const fn = lib.createFunction({ handler: () => echo });
        await only(async () => {
          const sim = lib.createDynamoDBEventSource({ ...options, target: fn } as never);
          sim.write(change as never);
          await sim.run(runOptions as never);
        });
        await fn.dispose();
      },
    );
  });

  it('simulators: createAsyncInvoker, invoke and run', async () => {
    const arb = fc.tuple(
      optionsOf({
        ...simulation,
        MaximumRetryAttempts: [0, 2],
        MaximumEventAgeInSeconds: [60, 21600],
        DestinationConfig: [{ OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:dlq' } }],
        DeadLetterConfig: [{ TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' }],
      }),
      nasty(),
      optionsOf({ at: T }),
      run,
    );
    await fuzz(
      'simulators: createAsyncInvoker, invoke and run',
      arb,
      async ([options, event, invokeOptions, runOptions]) => {
        const fn = lib.createFunction({ handler: () => echo });
        await only(async () => {
          const sim = lib.createAsyncInvoker({ ...options, target: fn } as never);
          sim.invoke(event, invokeOptions as never);
          await sim.run(runOptions as never);
        });
        await fn.dispose();
      },
    );
  });
});
