#!/usr/bin/env bash
# Runs the date-sensitive tests (trait Category=DateSensitive: bookings, subscriptions, credits and their
# browser journeys) with the test clock pinned at each awkward instant of the UK calendar, then at the
# machine's real date and time, and prints one line per instant. Needs what infra/test.sh installs (run
# that once first on a fresh machine). Usage: bash infra/scripts/test-dates.sh [extra dotnet test args]
set -uo pipefail
cd "$(dirname "$0")/../.."

# UK wall-clock instants with their offsets (GMT +00:00, BST +01:00).
instants=(
  "2027-01-15T10:00:00+00:00"   # a Friday
  "2027-01-16T10:00:00+00:00"   # a Saturday
  "2027-01-17T10:00:00+00:00"   # a Sunday
  "2027-03-31T23:30:00+01:00"   # the last half hour of the financial year
  "2027-04-01T00:30:00+01:00"   # the first half hour of the next
  "2027-08-31T12:00:00+01:00"   # the last day of the academic year
  "2027-09-01T12:00:00+01:00"   # the first day of the next
  "2027-03-28T00:30:00+00:00"   # last Sunday of March, 00:30 GMT, before the clocks go forward
  "2027-03-28T02:30:00+01:00"   # the same night at 01:30 GMT: 01:30 UK does not exist, it is 02:30 BST
  "2027-10-31T00:30:00+01:00"   # last Sunday of October, 00:30 BST
  "2027-10-31T01:30:00+01:00"   # 01:30 BST, the first of the two 01:30s
  "2027-10-31T01:30:00+00:00"   # 01:30 GMT, the second, after the clocks go back
  "2027-12-24T12:00:00+00:00"   # Christmas Eve
  "2028-02-29T12:00:00+00:00"   # a leap day
  "$(date --iso-8601=seconds)"  # the machine's real date and time
)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Marketplace.sln -c Release -v quiet -nologo >/dev/null || { echo "build failed"; exit 1; }

run_dir=$(mktemp -d /tmp/marketplace-dates.XXXXXX)
chmod 755 "$run_dir"
trap 'rm -rf "$run_dir"' EXIT
summary=()
status=0
for instant in "${instants[@]}"; do
  results="$run_dir/$(echo "$instant" | tr ':+' '--')"
  MARKETPLACE_TEST_NOW="$instant" TMPDIR="$run_dir" dotnet test tests/Marketplace.IntegrationTests -c Release --no-build \
    --filter "Category=DateSensitive" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" \
    > "$results.log" 2>&1
  code=$?
  counters=$(grep -o '<Counters [^>]*>' "$results/results.trx" 2>/dev/null | head -1)
  get() { local v; v=$(echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9][0-9]*'); echo "${v:-0}"; }
  passed=$(get passed); failed=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  line="$instant: $passed passed, $failed failed"
  if [ "$failed" -ne 0 ]; then
    status=1
    grep -E '^\s+Failed ' "$results.log" | head -20
    cp "$results.log" "/tmp/marketplace-dates-$(echo "$instant" | tr ':+' '--').log"
  fi
  echo "$line"
  summary+=("$line")
done
printf '%s\n' "${summary[@]}"
exit $status
