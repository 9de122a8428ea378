#!/usr/bin/env bash
# Jest lanes against the packed lambda-harness, installed in temporary directories outside the
# repository (so nothing resolves from the repo's node_modules):
#  1. examples/jest-lifecycle (a Jest 30 project: CommonJS via ts-jest, and native ESM) runs
#     createFunction cold/warm starts, jest.mock across cold starts, concurrency, throttling,
#     provisioned instances, /tmp and resets;
#  2. a fresh project set up by following docs/matchers.md's Jest steps as written (Jest 30, Babel
#     for TypeScript, the newest TypeScript: 7, which ts-jest does not support) runs
#     examples/first-project's test and `tsc --noEmit` on it (scripts/ci-lanes.d/lib/fresh-project.sh).
set -euo pipefail
source "$(dirname "$0")/lib/fresh-project.sh"
lane_begin jest

say "build (skipped when dist/ is complete and newer than src/) + pack"
pack_tarball

say "install examples/jest-lifecycle and the docs' fresh Jest project (in parallel)"
mkdir -p "$WORK/project"
(cd "$ROOT/examples/jest-lifecycle" && tar --exclude=node_modules --exclude=package-lock.json -cf - .) |
  (cd "$WORK/project" && tar -xf -)
(cd "$WORK/project" && "${NPM_INSTALL[@]}" "$TARBALL" >"$WORK/project.log" 2>&1) &
project_pid=$!
docs_project_setup jest "$WORK/fresh-jest" &
fresh_pid=$!
wait "$project_pid" || { cat "$WORK/project.log"; exit 1; }
wait "$fresh_pid"

say "examples/jest-lifecycle: the CommonJS (ts-jest) suite, then the native ESM suite"
(cd "$WORK/project" && CI=true npm test --silent)

say "a fresh Jest 30 project set up as docs/matchers.md says: its test, then tsc --noEmit"
docs_project_run jest "$WORK/fresh-jest"
say "done"
