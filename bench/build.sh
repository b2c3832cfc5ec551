#!/usr/bin/env bash
# Build times: cold (empty local Maven repository, everything downloaded) and warm, without tests and
# with the whole suite (the README's test command does the same plus starting PostgreSQL).
# Usage: bench/build.sh [warm runs]   (default 3). Uses a throwaway repository for the cold runs.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
eval "$(.ci/postgres.sh start)"
# Prints the milliseconds a command took; a failing build aborts the benchmark (its times mean nothing).
secs() {
  local t0 t1 log; log=$(mktemp); t0=$(date +%s%N)
  if ! "$@" >"$log" 2>&1; then echo "FAILED: $* (log: $log)" >&2; exit 1; fi
  t1=$(date +%s%N); rm -f "$log"; echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
COLD=$(mktemp -d /tmp/edgeorch-cold-repo.XXXX)
trap 'rm -rf "$COLD"' EXIT
echo "cold, no tests:   $(secs mvn -B -ntp -Dmaven.repo.local="$COLD" clean install -DskipTests) ms"
rm -rf "$COLD"; mkdir -p "$COLD"
echo "cold, all tests:  $(secs mvn -B -ntp -Dmaven.repo.local="$COLD" clean install) ms"
warm() { for i in $(seq 1 "$RUNS"); do secs mvn -B -ntp clean install "$@" || exit 1; done; }
warm -DskipTests | median | sed 's/^/warm, no tests (median of '"$RUNS"'): /; s/$/ ms/'
warm | median | sed 's/^/warm, all tests (median of '"$RUNS"'): /; s/$/ ms/'
