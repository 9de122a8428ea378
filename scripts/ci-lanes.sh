#!/usr/bin/env bash
# Runs every extra CI lane (scripts/ci-lanes.d/*.sh) in name order; each lane is self-contained.
# Prints each lane's wall time, and a summary at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
summary=()
for lane in scripts/ci-lanes.d/*.sh; do
  [ -x "$lane" ] || continue
  printf '\n-- lane %s\n' "$lane"
  started=$(date +%s)
  "$lane"
  summary+=("$(printf '%5ss  %s' "$(( $(date +%s) - started ))" "$lane")")
done
printf '\n-- lane times (load average now: %s)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${summary[@]}"
