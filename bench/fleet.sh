#!/usr/bin/env bash
# Fleet simulator: for each host count, a fresh orchestrator (as built, embedded Derby) and N real agents
# (org.edgeorch.agent.Agent, simulated hardware) in one JVM, over real HTTPS with mutual TLS, both on this
# machine. Reports enrolments/s, then syncs/s, share of 304 answers, p50/p99/max sync latency and the
# orchestrator's RSS over a window.
#   bench/fleet.sh [hosts ...]        default: 1000 10000
#   INTERVAL=30 WINDOW=60 THREADS=32  the orchestrator's sync interval (s), measurement window (s), agent threads per process
#   IDLE=60                           the southbound connector's idle timeout (s)
#   PER_PROCESS=2500                  agents per simulator JVM: each agent's HTTP client holds a selector and a
#                                     connection, and this sandbox caps a process at 20,000 open files
set -euo pipefail
cd "$(dirname "$0")/.."
INTERVAL="${INTERVAL:-30}"
WINDOW="${WINDOW:-60}"
THREADS="${THREADS:-32}"
PER_PROCESS="${PER_PROCESS:-2500}"
IDLE="${IDLE:-60}"
if [ $# -eq 0 ]; then HOSTS=(1000 10000); else HOSTS=("$@"); fi
WORK=$(mktemp -d /tmp/edgeorch-fleet.XXXX)
trap 'pkill -9 -f "karaf.home=$WORK" 2>/dev/null || true; sleep 1; rm -rf "$WORK" 2>/dev/null || true' EXIT

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
  sed -i "s/^idleTimeoutSeconds.*/idleTimeoutSeconds = $IDLE/" "$dir/etc/org.edgeorch.southbound.cfg"
  "$dir/bin/start" >/dev/null 2>&1
  for _ in $(seq 1 600); do
    curl -s --max-time 1 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d '{"username":"admin","password":"bench-admin-password"}' http://127.0.0.1:8181/api/v1/auth/login 2>/dev/null | grep -q 200 && break
    sleep 0.2
  done
  sleep 5
  pid=$(pgrep -f "java.*karaf.home=$dir" | head -1)
  read -r project token fingerprint < <(java -cp "$CP" org.edgeorch.bench.fleet.FleetSimulator --setup true)
  procs=$(( (n + PER_PROCESS - 1) / PER_PROCESS ))
  echo "== $n hosts in $procs simulator process(es), sync interval $INTERVAL s, idle timeout $IDLE s, window $WINDOW s, $THREADS threads each"
  sims=()
  for p in $(seq 1 "$procs"); do
    count=$(( p < procs ? PER_PROCESS : n - (procs - 1) * PER_PROCESS ))
    java -Xss256k -Xmx3g -XX:+UseParallelGC -cp "$CP" org.edgeorch.bench.fleet.FleetSimulator --hosts "$count" \
      --window "$WINDOW" --threads "$THREADS" --project "$project" --token "$token" --fingerprint "$fingerprint" \
      --data "$WORK/agents-$n-$p" --out "$WORK/result-$n-$p.txt" >"$WORK/sim-$n-$p.out" 2>"$WORK/sim-$n-$p.err" &
    sims+=($!)
  done
  peak=0
  while kill -0 "${sims[@]}" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    tail -qn1 "$WORK"/sim-"$n"-1.out 2>/dev/null | grep enrolling || true
    sleep 10
  done
  wait "${sims[@]}" || true
  for p in $(seq 1 "$procs"); do grep -h "^enrolled\|^hosts=" "$WORK/sim-$n-$p.out" | sed "s/^/  process $p: /"; done
  java -cp "$CP" org.edgeorch.bench.fleet.FleetSimulator --merge "$WORK"/result-"$n"-*.txt
  echo "orchestrator RSS: peak $((peak / 1024)) MiB, now $(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) MiB"
  "$dir/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 150); do pgrep -f "karaf.home=$dir" >/dev/null || break; sleep 0.2; done
  pkill -9 -f "karaf.home=$dir" 2>/dev/null || true
done
