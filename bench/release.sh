#!/usr/bin/env bash
# Release pipeline benchmark: a fresh orchestrator (as built, embedded Derby) and a fresh docker-registry on
# loopback, both in a temporary folder removed on exit, and bench/release-bench publishing signed releases to it.
#   1. the registry notifies the orchestrator (pollIntervalSeconds as shipped, 60): detection latency of
#      RELEASES releases of IMAGE_MIB MiB, then the image cache with one release of CACHE_MIB MiB (cold fetch
#      against curl, warm southbound downloads over mutual TLS alone and CONCURRENCY at once, resume with Range);
#   2. a second orchestrator and registry without notifications, polling every INTERVAL s: detection latency.
#   bench/release.sh
#   RELEASES=30 IMAGE_MIB=1 CACHE_MIB=512 CONCURRENCY=4 INTERVAL=5 POLL_MS=10
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
cleanup() {
  for dir in "${ORCHS[@]}"; do stop_orchestrator "$dir"; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  rm -rf "$WORK" 2>/dev/null || true
}
trap cleanup EXIT

eval "$(.ci/deps.sh)"
if ! ls karaf-distro/orchestrator/target/orchestrator-*.tar.gz >/dev/null 2>&1 || [ ! -d bench/release-bench/target/classes ]; then
  $MVN -B -ntp -q install -DskipTests
fi
$MVN -B -ntp -q -f bench/release-bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
# This tree's own classes first: the local repository's snapshots may have been installed from another checkout.
OWN=$(ls -d bundles/*/target/classes agent-bundles/*/target/classes hardware-plugins/*/target/classes | paste -sd:)
CP="bench/release-bench/target/classes:$OWN:$(cat "$WORK/cp.txt")"

free_port() {
  for p in $(seq 5100 5199); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "no free port in 5100-5199" >&2; exit 1
}

# start_registry NAME PORT NOTIFY(true|false)
start_registry() {
  local dir="$WORK/$1" port=$2
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: "$dir/storage"
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: "$TOKEN-secret"
EOF
  if [ "$3" = true ]; then
    cat >>"$dir/config.yml" <<EOF
notifications:
  endpoints:
    - name: orchestrator
      url: "http://127.0.0.1:8181/api/v1/release/notifications"
      headers:
        Authorization: ["Bearer $TOKEN"]
      timeout: 2s
      threshold: 3
      backoff: 1s
      ignore:
        actions: [pull]
        mediatypes: [application/octet-stream]
EOF
  fi
  "$REGISTRY" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/v2/" && return
    sleep 0.1
  done
  echo "docker-registry did not start; its log:" >&2; cat "$dir/registry.log" >&2; exit 1
}

# start_orchestrator NAME REGISTRY_PORT WEBHOOK_TOKEN POLL_SECONDS
start_orchestrator() {
  local dir="$WORK/$1"
  mkdir -p "$dir" && tar xzf karaf-distro/orchestrator/target/orchestrator-*.tar.gz -C "$dir" --strip-components=1
  echo "initialAdminPassword = bench-admin-password" >> "$dir/etc/org.edgeorch.tenancy.cfg"
  sed -i -e "s|^registryUrl.*|registryUrl = http://127.0.0.1:$2/|" -e "s|^webhookToken.*|webhookToken = $3|" \
    -e "s|^pollIntervalSeconds.*|pollIntervalSeconds = $4|" "$dir/etc/org.edgeorch.release.cfg"
  ORCHS+=("$dir")
  "$dir/bin/start" >/dev/null 2>&1
  for _ in $(seq 1 600); do
    curl -s --max-time 1 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d '{"username":"admin","password":"bench-admin-password"}' http://127.0.0.1:8181/api/v1/auth/login 2>/dev/null | grep -q 200 && break
    sleep 0.2
  done
  sleep 5
}

stop_orchestrator() {
  local dir=$1 pid
  pid=$(pgrep -f "java.*karaf.home=$dir" | head -1 || true)
  [ -n "$pid" ] || return 0
  "$dir/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

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

echo "== polling every $INTERVAL s: orchestrator and registry without notifications"
port=$(free_port)
start_registry registry-poll "$port" false
start_orchestrator orch-poll "$port" "" "$INTERVAL"
bench poll "$port" poll
stop_orchestrator "$WORK/orch-poll"

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| Measurement | Result |"
echo "|---|---|"
cat "$WORK/results.md"
