export * from './context.js';
export {
  buildRuntimeEnv,
  createEnvLayer,
  FAKE_CREDENTIALS,
  openEnvScope,
  type RuntimeEnvConfig,
} from './env.js';
export * from './errors.js';
export * from './handler-name.js';
export * from './ids.js';
export * from './profiles.js';
export { type EnvLayer, type InvocationScope, invocationScope } from './scope.js';
