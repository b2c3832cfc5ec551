#!/usr/bin/env bash
# Host listing at scale: imports N hosts (default 100000) over REST into a fresh orchestrator on
# embedded Derby, then times listing queries (each run 5 times; the median is printed).
# Usage: bench/fleet-list.sh [hosts]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
WORK=$(mktemp -d /tmp/edgeorch-fleet-bench.XXXX)
tar xzf karaf-distro/orchestrator/target/orchestrator-*.tar.gz -C "$WORK"
HOME_DIR=$(ls -d "$WORK"/orchestrator-*/)
echo "initialAdminPassword = bench-admin-password" >> "$HOME_DIR/etc/org.edgeorch.tenancy.cfg"
trap '"$HOME_DIR/bin/stop" >/dev/null 2>&1 || true; sleep 3; rm -rf "$WORK"' EXIT
"$HOME_DIR/bin/start"
API=http://127.0.0.1:8181/api/v1
TOKEN=""
for _ in $(seq 1 600); do
  TOKEN=$(curl -s -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-admin-password"}' \
    $API/auth/login 2>/dev/null | sed -n 's/.*"token":"\([^"]*\)".*/\1/p') && [ -n "$TOKEN" ] && break
  sleep 0.2
done
auth=(-H "Authorization: Bearer $TOKEN")
json=(-H 'Content-Type: application/json')
curl -sf "${auth[@]}" "${json[@]}" -d '{"organization":"default","name":"bench"}' $API/projects >/dev/null
curl -sf "${auth[@]}" "${json[@]}" -d '{"name":"eu","metadata":{"tier":"gold"}}' $API/projects/bench/regions >/dev/null
for s in 0 1 2 3 4 5 6 7 8 9; do
  curl -sf "${auth[@]}" "${json[@]}" -d "{\"name\":\"site-$s\",\"region\":\"eu\"}" $API/projects/bench/sites >/dev/null
done
CSV="$WORK/hosts.csv"
{ echo "name,serial,site,meta.rack"; for i in $(seq 1 "$N"); do echo "host-$i,SN-$i,site-$((i % 10)),r$((i % 100))"; done; } > "$CSV"
t0=$(date +%s%N)
curl -sf "${auth[@]}" -H 'Content-Type: text/csv' --data-binary @"$CSV" $API/projects/bench/hosts/import >/dev/null
t1=$(date +%s%N)
echo "import of $N hosts: $(( (t1 - t0) / 1000000 )) ms ($(( N * 1000000000 / (t1 - t0) )) hosts/s)"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for q in "hosts?limit=50" "hosts?limit=50&offset=90000" "hosts?site=site-3&limit=50" "hosts?region=eu&limit=50" \
         "hosts?meta=rack=r42&limit=50" "hosts?text=SN-9999&limit=50" "hosts?status=RUNNING&limit=50" "hosts/host-77777"; do
  for _ in 1 2 3 4 5; do
    curl -s -o /dev/null -w '%{time_total}\n' "${auth[@]}" "$API/projects/bench/$q"
  done | awk "{print \$1 * 1000}" | median | while read -r ms; do echo "GET $q: $ms ms (median of 5)"; done
done
