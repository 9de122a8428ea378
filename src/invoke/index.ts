export { isStreamingHandler } from './awslambda-global.js';
export { type CustomResourceCapture, captureCustomResourceResponse } from './custom-resource.js';
export {
  addEngineHooks,
  buildResult,
  type ClockOption,
  type ClosingInput,
  type ClosingLine,
  closeInvocation,
  type Ending,
  type EngineBoundary,
  type EngineHooks,
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
  FUNCTION_OPTION_KEYS,
  type FunctionOptions,
  type FunctionSettings,
  resolveFunctionSettings,
} from './settings.js';
