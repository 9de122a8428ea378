export { isStreamingHandler } from './awslambda-global.js';
export {
  type ClockOption,
  handlerLoader,
  type InitOutcome,
  type InitRequest,
  type InvokeOutcome,
  type InvokeRequest,
  initFunction,
  initFunctionNow,
  invokeFunction,
} from './engine.js';
export { type InvokeOptions, invokeHandler } from './invoke-handler.js';
export {
  FUNCTION_OPTION_KEYS,
  type FunctionOptions,
  type FunctionSettings,
  resolveFunctionSettings,
} from './settings.js';
