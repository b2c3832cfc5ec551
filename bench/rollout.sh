#!/usr/bin/env bash
# A rollout to emulated A/B hosts: a fresh orchestrator (as built, embedded Derby, settings as shipped) and a fresh
# docker-registry on loopback notifying it, both in a temporary folder removed on exit; bench/update-bench's
# RolloutBench publishes one signed release of IMAGE_MIB MiB and runs HOSTS hosts, each with the real node agent and
# update agent on a GRUB environment block and slot image files (the boot emulator reboots them), over HTTPS with
# mutual TLS; it rolls the release out in WAVES (percent) and reports the rollout, each wave and each host's run.
#   bench/rollout.sh
#   HOSTS=50 IMAGE_MIB=16 WAVES=10,40,50
#   ROLLOUT_SYNC_SECONDS=0   the orchestrator's rolloutSyncSeconds (0: hosts of a running wave keep their 30 s
#                            interval, the behaviour before the next-sync hint); unset: as shipped (2 s)
#   START_AFTER=35          seconds the rollout stays READY before it is started (its hosts, hinted from its creation,
#                            sync within that time and so learn of the start within seconds); 0: started at once
#   MVN=mvn   how Maven is run to get the class path (for example "flock /tmp/mvn.lock mvn")
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS="${HOSTS:-50}"
IMAGE_MIB="${IMAGE_MIB:-16}"
WAVES="${WAVES:-10,40,50}"
MVN="${MVN:-mvn}"
REGISTRY="${REGISTRY:-$(command -v docker-registry || echo /usr/bin/docker-registry)}"
TOKEN="bench-webhook-$RANDOM$RANDOM"
if [ -n "${ROLLOUT_SYNC_SECONDS:-}" ]; then export ORCH_SCHEDULING="rolloutSyncSeconds = $ROLLOUT_SYNC_SECONDS"; fi

eval "$(.ci/deps.sh)"
[ -x "$REGISTRY" ] || { echo "docker-registry not found (Debian package docker-registry; or set REGISTRY)" >&2; exit 1; }
for port in 8181 8443; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: another orchestrator is running; stop it first" >&2; exit 1
  fi
done
WORK=$(mktemp -d /tmp/edgeorch-rollout.XXXX)
PIDS=()
ORCHS=()
. bench/lib.sh
trap cleanup EXIT

if ! ls karaf-distro/orchestrator/target/orchestrator-*.tar.gz >/dev/null 2>&1 || [ ! -d bench/update-bench/target/classes ]; then
  $MVN -B -ntp -q install -DskipTests
fi
$MVN -B -ntp -q -f bench/update-bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
OWN=$(ls -d bundles/*/target/classes agent-bundles/*/target/classes hardware-plugins/*/target/classes | paste -sd:)
CP="bench/update-bench/target/classes:$OWN:$(cat "$WORK/cp.txt")"

port=$(free_port)
start_registry registry "$port" true
start_orchestrator orchestrator "$port" "$TOKEN" 60
java -Xmx1g -cp "$CP" org.edgeorch.bench.update.RolloutBench --hosts "$HOSTS" --image-mib "$IMAGE_MIB" --waves "$WAVES" --start-after "${START_AFTER:-35}" \
  --registry "http://127.0.0.1:$port" --work "$WORK/fleet" || {
    echo "the benchmark failed; the orchestrator's log says:" >&2
    grep -E "WARN|ERROR" "$WORK/orchestrator/data/log/karaf.log" | tail -20 >&2
    exit 1
  }
