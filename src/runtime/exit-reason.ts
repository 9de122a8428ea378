/**
 * How Lambda words the death of a runtime process (`Runtime.ExitError`). The platform (Go) prints
 * the process state the way Go's `os.ProcessState.String()` does: `exit status N`, or
 * `signal: <Go's name of the signal>` with ` (core dumped)` for the signals whose default action
 * dumps core (seen in the wild: `signal: killed` for an out-of-memory kill, `signal: segmentation
 * fault (core dumped)`, `signal: aborted (core dumped)`).
 */

// Go's syscall signal table (linux), for the signals a process can die of.
const GO_SIGNAL_NAMES: Readonly<Record<string, string>> = {
  SIGHUP: 'hangup',
  SIGINT: 'interrupt',
  SIGQUIT: 'quit',
  SIGILL: 'illegal instruction',
  SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted',
  SIGIOT: 'aborted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
  SIGKILL: 'killed',
  SIGUSR1: 'user defined signal 1',
  SIGSEGV: 'segmentation fault',
  SIGUSR2: 'user defined signal 2',
  SIGPIPE: 'broken pipe',
  SIGALRM: 'alarm clock',
  SIGTERM: 'terminated',
  SIGSTKFLT: 'stack fault',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'file size limit exceeded',
  SIGVTALRM: 'virtual timer expired',
  SIGPROF: 'profiling timer expired',
  SIGIO: 'I/O possible',
  SIGPOLL: 'I/O possible',
  SIGPWR: 'power failure',
  SIGSYS: 'bad system call',
};

// Default action "core" (signal(7)).
const DUMPS_CORE = new Set([
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGIOT',
  'SIGBUS',
  'SIGFPE',
  'SIGSEGV',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGSYS',
]);

/**
 * The reason text of a `Runtime.ExitError` for a process that exited with `code` or died of a
 * signal.
 *
 * @example
 * runtimeExitReason(0); // 'Runtime exited without providing a reason'
 * runtimeExitReason(1); // 'Runtime exited with error: exit status 1'
 * runtimeExitReason('SIGTERM'); // 'Runtime exited with error: signal: terminated'
 * runtimeExitReason('SIGABRT'); // 'Runtime exited with error: signal: aborted (core dumped)'
 */
export function runtimeExitReason(code: number | NodeJS.Signals): string {
  if (typeof code === 'number') {
    return code === 0
      ? 'Runtime exited without providing a reason'
      : `Runtime exited with error: exit status ${code}`;
  }
  const name = GO_SIGNAL_NAMES[code] ?? code;
  return `Runtime exited with error: signal: ${name}${DUMPS_CORE.has(code) ? ' (core dumped)' : ''}`;
}
