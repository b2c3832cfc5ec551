#!/usr/bin/env bash
# Fleet simulator: for each host count, a fresh orchestrator (as built, embedded Derby) and N real agents
# (org.edgeorch.agent.Agent, simulated hardware) in one JVM, over real HTTPS with mutual TLS, both on this
# machine. Reports enrolments/s, then syncs/s, share of 304 answers, p50/p99/max sync latency and the
# orchestrator's RSS over a window.
#   bench/fleet.sh [hosts ...]        default: 1000 10000
#   INTERVAL=30 WINDOW=60 THREADS=32  the orchestrator's sync interval (s), measurement window (s), agent threads
set -euo pipefail
cd "$(dirname "$0")/.."
INTERVAL="${INTERVAL:-30}"
WINDOW="${WINDOW:-60}"
THREADS="${THREADS:-32}"
HOSTS=("${@:-1000 10000}")
[ $# -eq 0 ] && HOSTS=(1000 10000)
WORK=$(mktemp -d /tmp/edgeorch-fleet.XXXX)
trap 'pkill -f "karaf.home=$WORK" 2>/dev/null || true; rm -rf "$WORK"' EXIT

eval "$(.ci/deps.sh)"
if ! ls karaf-distro/orchestrator/target/orchestrator-*.tar.gz >/dev/null 2>&1 || [ ! -d bench/fleet-sim/target/classes ]; then
  mvn -B -ntp -q install -DskipTests
fi
mvn -B -ntp -q -f bench/fleet-sim/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="bench/fleet-sim/target/classes:$(cat "$WORK/cp.txt")"

for n in "${HOSTS[@]}"; do
  dir="$WORK/orch-$n"
  mkdir -p "$dir" && tar xzf karaf-distro/orchestrator/target/orchestrator-*.tar.gz -C "$dir" --strip-components=1
  echo "initialAdminPassword = bench-admin-password" >> "$dir/etc/org.edgeorch.tenancy.cfg"
  sed -i "s/^syncIntervalSeconds.*/syncIntervalSeconds = $INTERVAL/" "$dir/etc/org.edgeorch.fleet.cfg"
  "$dir/bin/start" >/dev/null 2>&1
  for _ in $(seq 1 600); do
    curl -s --max-time 1 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d '{"username":"admin","password":"bench-admin-password"}' http://127.0.0.1:8181/api/v1/auth/login 2>/dev/null | grep -q 200 && break
    sleep 0.2
  done
  sleep 5
  pid=$(pgrep -f "karaf.home=$dir" | head -1)
  echo "== $n hosts, sync interval $INTERVAL s, window $WINDOW s, $THREADS agent threads, orchestrator pid $pid"
  java -Xss256k -Xmx6g -XX:+UseParallelGC -cp "$CP" org.edgeorch.bench.fleet.FleetSimulator --hosts "$n" --window "$WINDOW" \
    --threads "$THREADS" --pid "$pid" --data "$WORK/agents-$n" 2>"$WORK/sim-$n.err" | grep -v '^$' || { tail -20 "$WORK/sim-$n.err"; }
  "$dir/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 150); do pgrep -f "karaf.home=$dir" >/dev/null || break; sleep 0.2; done
  pkill -9 -f "karaf.home=$dir" 2>/dev/null || true
done
