#!/usr/bin/env bash
# Alert latency end to end: runs AlertNodeIT RUNS times (a real orchestrator and node as processes, a real webhook,
# Debian's prometheus-alertmanager and aiosmtpd; the node frozen with SIGSTOP, then let go with SIGCONT) and prints
# each run's figures: from the node going silent, and from its status changing, to the host-down alert at each
# receiver, then from its coming back to each resolve. Needs both distributions installed first
# (mvn install -DskipTests -pl karaf-distro/orchestrator,karaf-distro/node -am).
#   bench/alert-latency.sh [RUNS]      (default 3)
#   MVN=mvn   how Maven is run (for example "/work/coord/heavy mvn -o")
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(.ci/deps.sh)"
RUNS="${1:-3}"
MVN="${MVN:-mvn}"
for i in $(seq 1 "$RUNS"); do
  $MVN -q verify -pl karaf-distro/itests -Dit.test=AlertNodeIT >/dev/null
  echo "== run $i"
  cat karaf-distro/itests/target/alert-latency.txt
done
