/**
 * One execution environment as the engine sees it: the runtime process of a function instance.
 * It owns the pending work started by its init and invocations (work.ts), which outlives the
 * invocation that started it, and is dropped with the environment (a reset, a recycle, dispose).
 */
import { EnvironmentWork } from './work.js';

/**
 * Why an environment ended: `reset` (timeout, crash or exit: the runtime process is replaced),
 * `recycled` (idle too long), `disposed` (the function was disposed).
 *
 * @example
 * const why: EnvironmentEnd = 'recycled';
 */
export type EnvironmentEnd = 'reset' | 'recycled' | 'disposed';

/**
 * An execution environment for the engine's init and invoke steps. Pass the same one to
 * `initFunction` and every `invokeFunction` of a function instance; `dispose` it when the
 * instance is reset, recycled or disposed.
 *
 * @example
 * const env = createEnvironment('instance-1');
 * await initFunction({ settings, loader, logStreamName, environment: env });
 * env.dispose('disposed');
 */
export class EngineEnvironment {
  readonly work = new EnvironmentWork();
  /** Set once disposed: its work is dropped and its late callbacks are ignored. */
  ended: EnvironmentEnd | undefined;

  constructor(
    /** A label for hooks and messages, for example the instance id. */
    readonly label: string,
  ) {}

  /** Drop the environment and everything it left pending. */
  dispose(reason: EnvironmentEnd): void {
    if (this.ended) return;
    this.ended = reason;
    this.work.release();
  }
}

/**
 * A new execution environment.
 *
 * @example
 * const env = createEnvironment('instance-1');
 */
export function createEnvironment(label: string): EngineEnvironment {
  return new EngineEnvironment(label);
}
