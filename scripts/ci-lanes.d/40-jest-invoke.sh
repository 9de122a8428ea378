#!/usr/bin/env bash
# Jest invoke lane: the invoker's crash routing, log capture and timers under Jest 30's sandbox
# (test/invoke/jest/*.jest.cjs, against the built dist/index.cjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/index.cjs ] || npm run build >/dev/null
CI=true npx --no-install jest --ci --rootDir test/invoke/jest --testMatch '**/*.jest.cjs' --testEnvironment node
