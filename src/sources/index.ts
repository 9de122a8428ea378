// Invocation models: asynchronous invocation and the SQS, Kinesis and DynamoDB Streams event
// source mappings, simulated on a virtual clock.
export {
  type AsyncCondition,
  type AsyncDeadLetterMessage,
  type AsyncInvocationOptions,
  type AsyncInvocationRecord,
  type AsyncInvocationSimulator,
  type AsyncInvokeResponse,
  createAsyncInvoker,
  type DestinationDelivery,
} from './async.js';
export { type BatchResponseReading, readBatchResponse } from './batch-response.js';
export type { ArnKind } from './config.js';
export {
  createSimulationClock,
  DEFAULT_START_TIME,
  type SimulationClock,
  type SimulationOptions,
  type SimulationRetention,
} from './core.js';
export {
  createDynamoDBEventSource,
  type DynamoDBEventSourceOptions,
  type DynamoDBEventSourceSimulator,
  type DynamoDBWriteInput,
} from './dynamodb.js';
export {
  type CompiledFilter,
  compileFilterCriteria,
  type FilterCriteria,
  sqsFilterView,
  streamFilterView,
} from './filter.js';
export {
  createKinesisEventSource,
  type KinesisEventSourceOptions,
  type KinesisEventSourceSimulator,
  type KinesisPutInput,
  type KinesisPutResult,
} from './kinesis.js';
export {
  createSqsEventSource,
  SQS_MAPPING_KEYS,
  SQS_QUEUE_KEYS,
  type SqsDeadLetteredMessage,
  type SqsEventSourceOptions,
  type SqsEventSourceSimulator,
  type SqsQueueOptions,
  type SqsSendInput,
} from './sqs.js';
export {
  STREAM_MAPPING_KEYS,
  type StreamBatchInfo,
  type StreamFailureCondition,
  type StreamFailureRecord,
  type StreamMappingOptions,
  type StreamSimulatorReadSide,
} from './stream.js';
export {
  functionTarget,
  handlerTarget,
  type InvocationTarget,
  type TargetInput,
  type TargetInvokeOptions,
} from './target.js';
export {
  type AccountingSummary,
  type AttemptOutcome,
  type DeliveryAttempt,
  type InvocationLogEntry,
  ITEM_STATUSES,
  type ItemHistory,
  type ItemStatus,
  type RunOptions,
  type SimulatorReadSide,
} from './types.js';
