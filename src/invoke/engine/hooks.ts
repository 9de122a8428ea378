/**
 * Boundary hooks: the points where other modules (restoration of globals, streaming, worker and
 * child environments) attach to the engine, so each attachment is one line. A hook runs
 * synchronously at the boundary; a hook that throws fails the test loudly (it is harness code, not
 * the handler's).
 */
import type { FunctionSettings } from '../settings-core.js';
import type { EngineEnvironment } from './environment.js';

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
  readonly environment: EngineEnvironment;
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
  frozen?(environment: EngineEnvironment): void;
  /** A frozen environment was thawed at the start of its next invocation. */
  thawed?(environment: EngineEnvironment): void;
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
}

/** Call `ends` hooks. */
export function emitEnds(boundary: EngineBoundary): void {
  for (let i = 0; i < registered.length; i++) registered[i]?.ends?.(boundary);
}

/** Call `frozen` hooks. */
export function emitFrozen(environment: EngineEnvironment): void {
  for (let i = 0; i < registered.length; i++) registered[i]?.frozen?.(environment);
}

/** Call `thawed` hooks. */
export function emitThawed(environment: EngineEnvironment): void {
  for (let i = 0; i < registered.length; i++) registered[i]?.thawed?.(environment);
}

/** Whether any hook is registered (lets a hot path skip building the boundary object). */
export function hasEngineHooks(): boolean {
  return registered.length > 0;
}
