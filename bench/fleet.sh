#!/usr/bin/env bash
# Fleet simulator: for each host count, a fresh orchestrator (as built, embedded Derby) and N simulated hosts
# (each its own key and certificate, simulated hardware) in ONE simulator JVM on one non-blocking Jetty HTTP client,
# over real HTTPS with mutual TLS, both on this machine. Host i connects to and from its own loopback address
# 127.x.y.z. Reports enrolments/s, then syncs/s, share of 304 answers, p50/p99/max sync latency, TLS handshakes/s,
# the CPU seconds of both processes per 1,000 syncs and the orchestrator's RSS over a window.
#   bench/fleet.sh [hosts ...]        default: 1000 10000
#   INTERVAL=30 WINDOW=60 THREADS=4   the orchestrator's sync interval (s), measurement window (s), simulator threads
#   IDLE=60                           the southbound connector's idle timeout (s)
#   CLIENT_IDLE=120                   the simulator's idle timeout (s): above INTERVAL every host keeps its connection
#                                     (a descriptor per host on both sides; this sandbox caps a process at 20,000),
#                                     below it every sync reconnects and resumes its TLS session
#   STAGES=5000:keep:60,10000:close:60  one orchestrator, the fleet grown stage by stage, a window each with
#                                     connections kept open or closed after every sync (then hosts is ignored)
#   JFR=/tmp/x.jfr                    record the orchestrator with JFR (profile settings) over the last window
#   SIM_JVM="-Xmx2g -XX:+UseParallelGC"           the simulator's JVM options
#   MVN_FLAGS="-o -Dmaven.repo.local=..."          extra Maven flags
set -euo pipefail
cd "$(dirname "$0")/.."
INTERVAL="${INTERVAL:-30}"
WINDOW="${WINDOW:-60}"
THREADS="${THREADS:-4}"
CLIENT_IDLE="${CLIENT_IDLE:-120}"
SIM_JVM="${SIM_JVM:--Xmx2g -XX:+UseParallelGC}"
IDLE="${IDLE:-60}"
if [ $# -eq 0 ]; then HOSTS=(1000 10000); else HOSTS=("$@"); fi
WORK=$(mktemp -d /tmp/edgeorch-fleet.XXXX)
trap 'pkill -9 -f "karaf.home=$WORK" 2>/dev/null || true; sleep 1; rm -rf "$WORK" 2>/dev/null || true' EXIT

eval "$(.ci/deps.sh)"
if ! ls karaf-distro/orchestrator/target/orchestrator-*.tar.gz >/dev/null 2>&1 || [ ! -d bench/fleet-sim/target/classes ]; then
  mvn -B -ntp -q ${MVN_FLAGS:-} install -DskipTests
fi
mvn -B -ntp -q ${MVN_FLAGS:-} -f bench/fleet-sim/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="bench/fleet-sim/target/classes:$(cat "$WORK/cp.txt")"

ulimit -n "$(ulimit -Hn)"   # both the orchestrator and the simulator hold a descriptor per open connection
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
  echo "== $n hosts in one simulator JVM ($THREADS threads), sync interval $INTERVAL s, idle timeout: orchestrator $IDLE s, simulator $CLIENT_IDLE s, window $WINDOW s"
  java $SIM_JVM -cp "$CP" org.edgeorch.bench.fleet.FleetSimulator --hosts "$n" --window "$WINDOW" --threads "$THREADS" \
    --idle "$CLIENT_IDLE" --project "$project" --token "$token" --fingerprint "$fingerprint" \
    --orchestrator-pid "$pid" --clk-tck "$(getconf CLK_TCK)" ${STAGES:+--stages "$STAGES"} ${JFR:+--jfr "$JFR"} >"$WORK/sim-$n.out" 2>"$WORK/sim-$n.err" &
  sim=$!
  peak=0
  while kill -0 "$sim" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    tail -n1 "$WORK/sim-$n.out" 2>/dev/null | grep enrolling || true
    sleep 5
  done
  wait "$sim" || true
  grep -h "^==\|^enrolled\|^RESULT" "$WORK/sim-$n.out" || { tail -20 "$WORK/sim-$n.out" "$WORK/sim-$n.err"; }
  if [ -n "${JFR:-}" ]; then
    for _ in $(seq 1 100); do [ -s "$JFR" ] && break; sleep 0.2; done
    sleep 2; bench/jfr-top.py "$JFR" 15 || true
  fi
  echo "orchestrator RSS: peak $((peak / 1024)) MiB, now $(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) MiB"
  "$dir/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 150); do pgrep -f "karaf.home=$dir" >/dev/null || break; sleep 0.2; done
  pkill -9 -f "karaf.home=$dir" 2>/dev/null || true
done
