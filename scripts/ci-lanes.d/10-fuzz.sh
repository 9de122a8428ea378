#!/usr/bin/env bash
# Fuzz lane: every public options object (invokeHandler, createFunction and fn.invoke, every
# simulator and its send/put/write/invoke, every event generator, generateEvent, the CLI's --set
# paths) fed plausible and hostile values with fast-check. The only exception allowed to escape is
# the library's own HarnessError (or the CLI's CliError) naming the option path.
# The seed is printed first; a failure prints the fast-check counterexample and this replay line:
#   FUZZ_SEED=<seed> FUZZ_RUNS=<runs> npx vitest run --config vitest.fuzz.config.ts [-t '<property>']
# Bounded: FUZZ_RUNS (default 1000) runs per property; about a minute on two cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
export FUZZ_SEED="${FUZZ_SEED:-$(( $(date +%s) % 2147483647 ))}"
export FUZZ_RUNS="${FUZZ_RUNS:-1000}"
echo "fuzz: seed ${FUZZ_SEED}, ${FUZZ_RUNS} runs per property"
if ! timeout 600 npx vitest run --config vitest.fuzz.config.ts; then
  echo "fuzz: FAILED. Replay with: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS} npx vitest run --config vitest.fuzz.config.ts" >&2
  exit 1
fi
