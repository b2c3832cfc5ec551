#!/usr/bin/env bash
# Release pipeline benchmark: a fresh orchestrator (as built, embedded Derby) and a fresh docker-registry on
# loopback, both in a temporary folder removed on exit, and bench/release-bench publishing signed releases to it.
#   1. the registry notifies the orchestrator (pollIntervalSeconds as shipped, 60): detection latency of
#      RELEASES releases of IMAGE_MIB MiB, then the image cache with one release of CACHE_MIB MiB (cold fetch
#      against curl, warm southbound downloads over mutual TLS alone and CONCURRENCY at once, resume with Range);
#   2. a second orchestrator and registry without notifications, polling every INTERVAL s: detection latency.
#   bench/release.sh
#   RELEASES=30 IMAGE_MIB=1 CACHE_MIB=512 CONCURRENCY=4 INTERVAL=5 POLL_MS=10
#   POLL=1                  0 skips the second orchestrator (polling detection)
#   MVN=mvn                 how Maven is run to get the class path (for example "flock /tmp/mvn.lock mvn")
#   REGISTRY=/usr/bin/docker-registry
set -euo pipefail
cd "$(dirname "$0")/.."
RELEASES="${RELEASES:-30}"
IMAGE_MIB="${IMAGE_MIB:-1}"
CACHE_MIB="${CACHE_MIB:-512}"
CONCURRENCY="${CONCURRENCY:-4}"
INTERVAL="${INTERVAL:-5}"
POLL_MS="${POLL_MS:-10}"
POLL="${POLL:-1}"
MVN="${MVN:-mvn}"
REGISTRY="${REGISTRY:-$(command -v docker-registry || echo /usr/bin/docker-registry)}"
TOKEN="bench-webhook-$RANDOM$RANDOM"

[ -x "$REGISTRY" ] || { echo "docker-registry not found (Debian package docker-registry; or set REGISTRY)" >&2; exit 1; }
for port in 8181 8443; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: another orchestrator is running; stop it first" >&2; exit 1
  fi
done
WORK=$(mktemp -d /tmp/edgeorch-release.XXXX)
need=$(( CACHE_MIB * 4 + 1024 ))
avail=$(df --output=avail -m "$WORK" | tail -1)
[ "$avail" -gt "$need" ] || { echo "$WORK has $avail MiB free; CACHE_MIB=$CACHE_MIB needs about $need" >&2; rm -rf "$WORK"; exit 1; }

PIDS=()
ORCHS=()
. bench/lib.sh
trap cleanup EXIT

eval "$(.ci/deps.sh)"
if ! ls karaf-distro/orchestrator/target/orchestrator-*.tar.gz >/dev/null 2>&1 || [ ! -d bench/release-bench/target/classes ]; then
  $MVN -B -ntp -q install -DskipTests
fi
$MVN -B -ntp -q -f bench/release-bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
# This tree's own classes first: the local repository's snapshots may have been installed from another checkout.
OWN=$(ls -d bundles/*/target/classes agent-bundles/*/target/classes hardware-plugins/*/target/classes | paste -sd:)
CP="bench/release-bench/target/classes:$OWN:$(cat "$WORK/cp.txt")"


bench() {
  java -cp "$CP" org.edgeorch.bench.release.ReleaseBench --work "$WORK/bench-$1" --out "$WORK/results.md" \
    --registry "http://127.0.0.1:$2/" --phases "$3" --releases "$RELEASES" --image-mib "$IMAGE_MIB" --cache-mib "$CACHE_MIB" \
    --concurrency "$CONCURRENCY" --interval "$INTERVAL" --poll-ms "$POLL_MS" || {
      echo "the benchmark failed; the orchestrator's log says:" >&2
      grep -h "WARN\|ERROR" "$WORK"/orch-*/data/log/karaf.log | tail -20 >&2
      exit 1
    }
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== webhook and image cache: orchestrator and registry with notifications"
port=$(free_port)
start_registry registry-webhook "$port" true
start_orchestrator orch-webhook "$port" "$TOKEN" 60
bench webhook "$port" webhook,cache
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -i "notification\|retrying\|endpoint" "$WORK/registry-webhook/registry.log" | tail -5 | sed "s/^/registry: /" || true
stop_orchestrator "$WORK/orch-webhook"
kill "${PIDS[0]}" 2>/dev/null || true

if [ "$POLL" != 0 ]; then
  echo "== polling every $INTERVAL s: orchestrator and registry without notifications"
  port=$(free_port)
  start_registry registry-poll "$port" false
  start_orchestrator orch-poll "$port" "" "$INTERVAL"
  bench poll "$port" poll
  stop_orchestrator "$WORK/orch-poll"
fi

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| Measurement | Result |"
echo "|---|---|"
cat "$WORK/results.md"
