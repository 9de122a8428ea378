// An imported ES module with module-level state: a cold start must give it a fresh copy.
let calls = 0;
// Counted on a probe object the test owns: the harness removes the globals a module adds at init.
globalThis.__esmProbe ??= {};
globalThis.__esmProbe.lib = (globalThis.__esmProbe.lib ?? 0) + 1;

export function bump() {
  calls += 1;
  return calls;
}
