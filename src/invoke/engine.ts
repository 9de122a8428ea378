/**
 * The invocation engine: two steps, `initFunction` (load + resolve the handler under the init
 * context) and `invokeFunction` (run one event through a resolved handler). `invokeHandler` is
 * built from them, and src/lifecycle drives them to model function instances.
 *
 * Its rooms, under engine/:
 * - init.ts      the init step (INIT_START, load, handler resolution, init errors, INIT_REPORT)
 * - invoke.ts    the invoke step (START, scope, start the handler, drive the loop, frame the result)
 * - run.ts       the run state machine of one invocation and the v3/v4 calling conventions
 * - deadline.ts  clock option, the deadline timer and the "Task timed out" text (built once)
 * - environment.ts  one execution environment (a runtime process): owns its pending work
 * - work.ts      the environment's real pending work, tracked through an async hook
 * - pending.ts   what keeps the simulated event loop alive, what is left over (pendingWork)
 * - report.ts    the one result and REPORT builder (also used by suppressed init and isolated mode)
 * - hooks.ts     boundary hooks (invocation begins/ends, init begins/ends) for other modules
 * - common.ts    real clocks, the macrotask hop, ExitError text, the crash print
 */
export { type ClockOption, taskTimedOutText, timedOutLine, timeoutPayload } from './engine/deadline.js';
export {
  createEnvironment,
  EngineEnvironment,
  type EngineEnvironmentView,
  type EnvironmentEnd,
} from './engine/environment.js';
export {
  addEngineHooks,
  type EngineBoundary,
  type EngineHooks,
  emitFrozen,
  emitThawed,
} from './engine/hooks.js';
export {
  bareInitIsSilentSuccess,
  handlerLoader,
  type InitOutcome,
  type InitRequest,
  initFunction,
  initFunctionNow,
} from './engine/init.js';
export { type InvokeOutcome, type InvokeRequest, invokeFunction } from './engine/invoke.js';
export {
  buildResult,
  type ClosingInput,
  type ClosingLine,
  closeInvocation,
  type Ending,
  type ResultInput,
} from './engine/report.js';
