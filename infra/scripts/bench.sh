#!/usr/bin/env bash
# Runs the catalogue search benchmark (see tests/Marketplace.Benchmarks/README.md).
# Installs what it needs when missing (wrk; PostgreSQL comes with the app's own installer).
#   bash infra/scripts/bench.sh [seconds per round, default 15]          catalogue search
#   bash infra/scripts/bench.sh credits [seconds per round, default 10]  credits ledger (issue 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else echo "Install wrk first: sudo apt-get install -y wrk" >&2; exit 1; fi
fi
dotnet run -c Release --project tests/Marketplace.Benchmarks -- "$@"
