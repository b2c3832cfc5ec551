#!/usr/bin/env bash
# Install throughput of the A/B update agent against dd, on the same disk:
# bench/update-bench's InstallBench serves one signed release of SIZE_MIB MiB over HTTP on loopback; the real
# update agent checks the signature, streams it into an inactive-slot image file while hashing, syncs and reports
# DOWNLOADED; then dd (bs=1M conv=fsync) copies the same image, and writes as many zeros, into the same folder.
#   bench/update.sh
#   SIZE_MIB=1024 RUNS=3 WORK=/var/tmp (a folder on the disk to measure)
#   MVN=mvn   how Maven is run to get the class path (for example "flock /tmp/mvn.lock mvn")
#   JAVA_OPTS=-Xmx256m   the benchmark JVM's options; NODE=1 uses the node runtime's own (karaf-distro/node bin/setenv)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB="${SIZE_MIB:-1024}"
RUNS="${RUNS:-3}"
MVN="${MVN:-mvn}"
BASE="${WORK:-/var/tmp}"
command -v dd >/dev/null || { echo "dd not found" >&2; exit 1; }
DIR=$(mktemp -d "$BASE/edgeorch-update.XXXX")
trap 'rm -rf "$DIR"' EXIT
need=$(( SIZE_MIB * 3 + 256 ))
avail=$(df --output=avail -m "$DIR" | tail -1)
[ "$avail" -gt "$need" ] || { echo "$DIR has $avail MiB free; SIZE_MIB=$SIZE_MIB needs about $need" >&2; exit 1; }

if [ ! -d bench/update-bench/target/classes ] || [ ! -f agent-bundles/update/target/classes/org/edgeorch/agent/update/AbUpdater.class ]; then
  $MVN -B -ntp -q -pl bench/update-bench -am install -DskipTests
fi
$MVN -B -ntp -q -f bench/update-bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$DIR/cp.txt" >/dev/null
# This tree's own classes first: the local repository's snapshots may have been installed from another checkout.
OWN=$(ls -d bundles/*/target/classes agent-bundles/*/target/classes hardware-plugins/*/target/classes | paste -sd:)
JAVA_OPTS="${JAVA_OPTS:--Xmx256m}"
if [ "${NODE:-0}" = 1 ]; then
  JAVA_OPTS=$(sed -n 's/^: "${EXTRA_JAVA_OPTS:=\(.*\)}"$/\1/p' karaf-distro/node/src/main/resources/assembly/bin/setenv)
fi
echo "JVM options: $JAVA_OPTS"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "bench/update-bench/target/classes:$OWN:$(cat "$DIR/cp.txt")" org.edgeorch.bench.update.InstallBench \
  "$DIR/work" "$SIZE_MIB" "$RUNS"
