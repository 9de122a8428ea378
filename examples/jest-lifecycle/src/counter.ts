// An imported module with module-level state: a cold start must give it a fresh copy.
let calls = 0;
const g = globalThis as { libEvaluations?: number };
g.libEvaluations = (g.libEvaluations ?? 0) + 1;

export function bump(): number {
  calls += 1;
  return calls;
}
