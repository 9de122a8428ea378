/**
 * `lambda-harness/engine`: the two steps `invokeHandler` and `createFunction` are built on, for
 * library authors who build their own invocation model (see "For library authors" in
 * docs/invoke.md). Users testing handlers need only the main entry.
 *
 * @example
 * import { handlerLoader, initFunction, invokeFunction, resolveFunctionSettings } from 'lambda-harness/engine';
 * const settings = resolveFunctionSettings({ timeout: 3 }, 'myRunner');
 * const init = await initFunction({ settings, loader: handlerLoader(handler), logStreamName: 'stream' });
 * if (init.ok) {
 *   const { result } = await invokeFunction({ settings, handler: init.handler, event: {}, logStreamName: 'stream' });
 * }
 */
export {
  addEngineHooks,
  type ClockOption,
  createEnvironment,
  type EngineBoundary,
  type EngineEnvironment,
  type EngineHooks,
  type EnvironmentEnd,
  type FunctionOptions,
  type FunctionSettings,
  handlerLoader,
  type InitOutcome,
  type InitRequest,
  type InvokeOutcome,
  type InvokeRequest,
  initFunction,
  initFunctionNow,
  invokeFunction,
  resolveFunctionSettings,
} from './invoke/index.js';
export { type CognitoIdentityInput, type ContextInput, createLambdaContext } from './runtime/index.js';
