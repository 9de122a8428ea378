#!/usr/bin/env bash
# Runs every extra CI lane (scripts/ci-lanes.d/*.sh) in name order; each lane is self-contained.
set -euo pipefail
cd "$(dirname "$0")/.."
for lane in scripts/ci-lanes.d/*.sh; do
  [ -x "$lane" ] || continue
  printf '\n-- lane %s\n' "$lane"
  "$lane"
done
