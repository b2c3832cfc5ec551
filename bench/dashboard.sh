#!/usr/bin/env bash
# The dashboard at fleet scale: a fresh orchestrator on embedded Derby with N hosts (default 50000) in 10 sites,
# then bench/dashboard/measure.py drives Debian's Chromium through chromedriver: cold and warm time to the
# overview and the host list drawn with their data, the bytes of the first load, and the orchestrator's CPU
# while a dashboard sits open on a quiet fleet. Needs the built distribution (mvn install) and chromium.
# Usage: bench/dashboard.sh [hosts]
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(.ci/deps.sh)"
N="${1:-50000}"
WORK=$(mktemp -d /tmp/edgeorch-dash-bench.XXXX)
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
curl -sf "${auth[@]}" "${json[@]}" -d '{"name":"eu"}' $API/projects/bench/regions >/dev/null
for s in 0 1 2 3 4 5 6 7 8 9; do
  curl -sf "${auth[@]}" "${json[@]}" -d "{\"name\":\"site-$s\",\"region\":\"eu\",\"latitude\":$((40 + s)).5,\"longitude\":$((s * 2)).25}" \
    $API/projects/bench/sites >/dev/null
done
CSV="$WORK/hosts.csv"
{ echo "name,serial,site,meta.rack"; for i in $(seq 1 "$N"); do echo "host-$i,SN-$i,site-$((i % 10)),r$((i % 100))"; done; } > "$CSV"
curl -sf "${auth[@]}" -H 'Content-Type: text/csv' --data-binary @"$CSV" $API/projects/bench/hosts/import >/dev/null
echo "orchestrator with $N hosts; measuring in Chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
sleep 10
PID=$(pgrep -f "java.*karaf.home=${HOME_DIR%/}" | head -1)
python3 bench/dashboard/measure.py http://127.0.0.1:8181 bench admin bench-admin-password "$PID"
