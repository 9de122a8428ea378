/**
 * Boundary hooks: the points where other modules (restoration of globals, streaming, worker and
 * child environments) attach to the engine, so each attachment is one line. A hook runs
 * synchronously at the boundary; a hook that throws fails the test loudly (it is harness code, not
 * the handler's).
 */
import { containmentHooks } from '../containment/index.js';
import type { FunctionSettings } from '../settings-core.js';
import type { EngineEnvironmentView } from './environment.js';

/**
 * What a boundary hook is told.
 *
 * @example
 * const b: EngineBoundary = { phase: 'invoke', requestId: 'id', settings, environment: createEnvironment('instance-1') };
 */
export interface EngineBoundary {
  /** `init` for the init phase, `invoke` for an invocation. */
  readonly phase: 'init' | 'invoke';
  /** The invocation's request id; undefined during init. */
  readonly requestId: string | undefined;
  readonly settings: FunctionSettings;
  /** The execution environment the phase runs in. */
  readonly environment: EngineEnvironmentView;
}

/**
 * Hooks called at the engine's boundaries; every member is optional.
 *
 * @example
 * const off = addEngineHooks({ begins: (b) => snapshotGlobals(b), ends: (b) => restoreGlobals(b) });
 */
export interface EngineHooks {
  /** An init phase or invocation begins (before user code runs). */
  begins?(boundary: EngineBoundary): void;
  /** An init phase or invocation ended (user code no longer runs for it; before the result is returned). */
  ends?(boundary: EngineBoundary): void;
  /** An environment was frozen after an invocation, with work still pending in it. */
  frozen?(environment: EngineEnvironmentView): void;
  /** A frozen environment was thawed at the start of its next invocation. */
  thawed?(environment: EngineEnvironmentView): void;
}

const registered: EngineHooks[] = [];

/**
 * Register boundary hooks; returns the function that removes them.
 *
 * @example
 * const off = addEngineHooks({ begins: ({ requestId }) => console.log('begins', requestId) });
 * off();
 */
export function addEngineHooks(hooks: EngineHooks): () => void {
  registered.push(hooks);
  return () => {
    const at = registered.indexOf(hooks);
    if (at >= 0) registered.splice(at, 1);
  };
}

/** Call `begins` hooks (no-op without hooks: one length check per boundary). */
export function emitBegins(boundary: EngineBoundary): void {
  for (let i = 0; i < registered.length; i++) registered[i]?.begins?.(boundary);
  // Containment of the runner's globals (src/invoke/containment) is always on, innermost: it
  // snapshots after every other hook's setup and restores before their teardown.
  containmentHooks.begins?.(boundary);
}

/** Call `ends` hooks. */
export function emitEnds(boundary: EngineBoundary): void {
  containmentHooks.ends?.(boundary);
  for (let i = 0; i < registered.length; i++) registered[i]?.ends?.(boundary);
}

/** Call `frozen` hooks. */
export function emitFrozen(environment: EngineEnvironmentView): void {
  for (let i = 0; i < registered.length; i++) registered[i]?.frozen?.(environment);
}

/** Call `thawed` hooks. */
export function emitThawed(environment: EngineEnvironmentView): void {
  for (let i = 0; i < registered.length; i++) registered[i]?.thawed?.(environment);
}

/** Whether boundary hooks must be called: always, since containment (src/invoke/containment) is always on. */
export function hasEngineHooks(): boolean {
  return true;
}
