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
PIDS=()
ORCHS=()
# free ports, so it runs beside the tests and other orchestrators on this machine
ORCH_PORTS=free
. bench/lib.sh
trap cleanup EXIT
start_orchestrator orchestrator
bench_fleet "$(admin_token)" "$N"
echo "orchestrator with $N hosts; measuring in Chromium $(chromium --version 2>/dev/null | awk '{print $2}')"
PID=$(pgrep -f "java.*karaf.home=${ORCHS[0]}" | head -1)
# measure.py first waits for the orchestrator to go quiet after the import
python3 bench/dashboard/measure.py "http://127.0.0.1:$ORCH_HTTP" bench admin bench-admin-password "$PID"
