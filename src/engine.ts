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
import { createEnvironment as createEngineEnvironment, type EngineEnvironmentView } from './invoke/index.js';

export {
  addEngineHooks,
  type ClockOption,
  type EngineBoundary,
  type EngineEnvironmentView as EngineEnvironment,
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
export {
  type CognitoIdentityInput,
  type ContextInput,
  createLambdaContext,
  type LegacyCompletion,
} from './runtime/index.js';

/**
 * A new execution environment for `initFunction` / `invokeFunction` (one runtime process of a
 * function instance): pass it to the init and to every invoke of that instance, `dispose` it when
 * the instance goes. Without one, each step runs in a one-off environment that keeps nothing.
 *
 * @example
 * const environment = createEnvironment('instance-1');
 * const init = await initFunction({ settings, loader, logStreamName, environment });
 * if (init.ok) await invokeFunction({ settings, handler: init.handler, event: {}, logStreamName, environment });
 * environment.dispose('disposed');
 */
export function createEnvironment(label: string): EngineEnvironmentView {
  return createEngineEnvironment(label);
}
