#!/usr/bin/env bash
# Runs the README's quick start as written, on a clean orchestrator data folder and quick start folder: the
# commands between <!-- quickstart:begin --> and <!-- quickstart:end --> (the indented lines), in order. The first,
# .ci/orchestrator.sh, runs in the background (without a terminal it runs as a server); ".ci/node.sh status" is
# repeated until the node has committed 1.1.0 (at most 5 minutes). Needs ports 8181, 8101, 8443, 5000 and 8102.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t COMMANDS < <(sed -n '/<!-- quickstart:begin/,/<!-- quickstart:end/p' README.md | sed -n 's/^        \(.*\)$/\1/p')
[ "${#COMMANDS[@]}" -ge 4 ] || { echo "quickstart-test: no commands found in README.md" >&2; exit 1; }
[ "${COMMANDS[0]}" = .ci/orchestrator.sh ] || { echo "quickstart-test: the first command is not .ci/orchestrator.sh" >&2; exit 1; }

rm -rf karaf-distro/orchestrator/target/assembly/data karaf-distro/orchestrator/target/registry karaf-distro/node/target/quickstart
LOG=$(mktemp -d)/orchestrator.log
setsid .ci/orchestrator.sh </dev/null >"$LOG" 2>&1 &
ORCHESTRATOR=$!
cleanup() {
  .ci/node.sh stop >/dev/null 2>&1 || true
  kill -TERM -- -"$ORCHESTRATOR" 2>/dev/null || true
  wait "$ORCHESTRATOR" 2>/dev/null || true
}
trap cleanup EXIT
for i in $(seq 1 90); do
  curl -sf http://127.0.0.1:8181/api/v1/health >/dev/null 2>&1 && break
  kill -0 "$ORCHESTRATOR" 2>/dev/null || { cat "$LOG" >&2; echo "quickstart-test: the orchestrator stopped" >&2; exit 1; }
  sleep 2
done
curl -sf http://127.0.0.1:8181/api/v1/health >/dev/null || { echo "quickstart-test: the orchestrator did not start" >&2; exit 1; }

for command in "${COMMANDS[@]:1}"; do
  echo "+ $command" >&2
  if [ "$command" = ".ci/node.sh status" ]; then
    deadline=$((SECONDS + 300))
    until out=$(eval "$command" 2>&1) && grep -q '1.0.0 -> 1.1.0: SUCCEEDED' <<<"$out"; do
      [ $SECONDS -lt $deadline ] || { echo "$out" >&2; echo "quickstart-test: 1.1.0 was not committed in 5 minutes" >&2; exit 1; }
      sleep 5
    done
    echo "$out" >&2
  else
    eval "$command"
  fi
done
grep -q 'ORDER=B A' <(grub-editenv karaf-distro/node/target/quickstart/boot/grubenv list) \
  || { echo "quickstart-test: the node does not boot slot B first" >&2; exit 1; }
cmp -s karaf-distro/node/target/quickstart/os-1.1.0.img karaf-distro/node/target/quickstart/boot/slot-b.img \
  || { echo "quickstart-test: slot B does not hold the 1.1.0 image" >&2; exit 1; }
echo "quickstart-test: the README's quick start works: the node runs 1.1.0 from slot B" >&2
