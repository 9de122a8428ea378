export {
  createFunction,
  type FunctionInstanceInfo,
  type FunctionResult,
  type FunctionStats,
  type InstanceState,
  type LambdaFunction,
} from './function.js';
export * from './isolated/index.js';
export {
  getModuleIsolation,
  type ModuleIsolation,
  nodeModuleIsolation,
  setModuleIsolation,
} from './isolation.js';
export type { CreateFunctionOptions, EnvironmentKind, FunctionInvokeOptions } from './options.js';
export { type ModuleImporter, resolveHandlerFile, taskRootLoader } from './task-root.js';
