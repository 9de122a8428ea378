// An imported ES module with module-level state: a cold start must give it a fresh copy.
let calls = 0;
globalThis.esmLibEvaluations = (globalThis.esmLibEvaluations ?? 0) + 1;

export function bump() {
  calls += 1;
  return calls;
}
