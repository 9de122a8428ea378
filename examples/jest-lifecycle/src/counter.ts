// An imported module with module-level state: a cold start must give it a fresh copy.
let calls = 0;
// Counted on a probe object the test owns: the harness removes the globals a module adds at init.
const holder = globalThis as { __lifecycleProbe?: { libEvaluations?: number } };
holder.__lifecycleProbe ??= {};
const g = holder.__lifecycleProbe;
g.libEvaluations = (g.libEvaluations ?? 0) + 1;

export function bump(): number {
  calls += 1;
  return calls;
}
