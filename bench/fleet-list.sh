#!/usr/bin/env bash
# Host listing at scale: imports N hosts (default 100000) over REST into a fresh orchestrator on
# embedded Derby, then times listing queries (each run 5 times; the median is printed).
# Usage: bench/fleet-list.sh [hosts]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
WORK=$(mktemp -d /tmp/edgeorch-fleet-bench.XXXX)
PIDS=()
ORCHS=()
. bench/lib.sh
trap cleanup EXIT
start_orchestrator orchestrator
TOKEN=$(admin_token)
bench_fleet "$TOKEN" "$N"
API=http://127.0.0.1:8181/api/v1
auth=(-H "Authorization: Bearer $TOKEN")
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for q in "hosts?limit=50" "hosts?limit=50&offset=90000" "hosts?site=site-3&limit=50" "hosts?region=eu&limit=50" \
         "hosts?meta=rack=r42&limit=50" "hosts?text=SN-9999&limit=50" "hosts?status=RUNNING&limit=50" "hosts/host-77777"; do
  for _ in 1 2 3 4 5; do
    curl -s -o /dev/null -w '%{time_total}\n' "${auth[@]}" "$API/projects/bench/$q"
  done | awk "{print \$1 * 1000}" | median | while read -r ms; do echo "GET $q: $ms ms (median of 5)"; done
done
