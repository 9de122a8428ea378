/**
 * Exit codes of the `lambda-harness` command. Scripts can rely on them: they are part of the
 * public contract and documented in docs/cli.md.
 *
 * @example
 * import { EXIT } from 'lambda-harness/cli'; // (internal module; the values are what matters)
 * // lambda-harness invoke handler.js --event e.json; echo $?   # 0, 1, 2, 3, 4 ...
 */
export const EXIT = {
  /** The command did what was asked; for `invoke`, the handler succeeded. */
  OK: 0,
  /** `invoke`: the handler returned or threw an error (the error payload is on stdout). */
  HANDLER_ERROR: 1,
  /** Bad usage: unknown command or flag, bad value, unknown event source, bad --set, unreadable file. */
  USAGE: 2,
  /** The function failed to initialise: syntax error, missing export, import error, throw in init code. */
  INIT_ERROR: 3,
  /** `invoke`: the invocation hit its timeout (Sandbox.Timedout). */
  TIMEOUT: 4,
  /** `cold-start`: p90 init duration exceeded `--budget`. */
  BUDGET_EXCEEDED: 5,
  /** A bug in lambda-harness itself (please report it). */
  INTERNAL: 70,
} as const;

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
