export {
  type CapturedCall,
  type CodePipelineJobResultCapture,
  type ConfigEvaluationsCapture,
  captureCodePipelineJobResult,
  captureConfigEvaluations,
} from './aws-results.js';
export { HttpResponseStream, isStreamingHandler, streamifyResponse } from './awslambda-global.js';
export { type CustomResourceCapture, captureCustomResourceResponse } from './custom-resource.js';
export {
  addEngineHooks,
  buildResult,
  type ClockOption,
  type ClosingInput,
  type ClosingLine,
  closeInvocation,
  createEnvironment,
  type Ending,
  type EngineBoundary,
  EngineEnvironment,
  type EngineEnvironmentView,
  type EngineHooks,
  type EnvironmentEnd,
  handlerLoader,
  type InitOutcome,
  type InitRequest,
  type InvokeOutcome,
  type InvokeRequest,
  initFunction,
  initFunctionNow,
  invokeFunction,
  type ResultInput,
  taskTimedOutText,
  timedOutLine,
  timeoutPayload,
} from './engine.js';
export { type InvokeOptions, invokeHandler } from './invoke-handler.js';
export {
  captureObjectLambdaResponse,
  decodeAwsChunked,
  type ObjectLambdaCapture,
  type ObjectLambdaResponse,
} from './object-lambda.js';
export {
  FUNCTION_OPTION_KEYS,
  type FunctionOptions,
  type FunctionSettings,
  resolveFunctionSettings,
} from './settings.js';
export {
  DEFAULT_STREAM_CONTENT_TYPE,
  HTTP_INTEGRATION_CONTENT_TYPE,
  onResponseStream,
  type ResponseStream,
  type ResponseStreamEvent,
  STREAM_CAPPED_BYTES_PER_SECOND,
  STREAM_MAX_RESPONSE_BYTES,
  STREAM_UNCAPPED_BYTES,
} from './streaming.js';
