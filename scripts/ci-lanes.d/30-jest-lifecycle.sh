#!/usr/bin/env bash
# Jest lifecycle lane: examples/jest-lifecycle (a Jest 30 project: CommonJS via ts-jest, and native ESM) runs
# createFunction cold/warm starts, jest.mock across cold starts, concurrency, throttling,
# provisioned instances, /tmp and resets against the packed lambda-harness, installed in a
# temporary directory outside the repository (so nothing resolves from the repo's node_modules).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lambda-harness-jest-lifecycle.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

[ -f dist/index.cjs ] || npm run build >/dev/null
npm pack --silent --pack-destination "$WORK" >/dev/null
TARBALL="$(ls "$WORK"/lambda-harness-*.tgz)"

mkdir -p "$WORK/project"
(cd "$ROOT/examples/jest-lifecycle" && tar --exclude=node_modules --exclude=package-lock.json -cf - .) |
  (cd "$WORK/project" && tar -xf -)
cd "$WORK/project"
npm install --no-audit --no-fund --no-save --no-package-lock --prefer-offline --loglevel=error "$TARBALL"
# CommonJS (ts-jest) suite, then the native ESM suite (NODE_OPTIONS=--experimental-vm-modules).
CI=true npm test --silent
