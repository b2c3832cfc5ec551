#!/usr/bin/env bash
# Quick start: a node on this machine, enrolled with the orchestrator that .ci/orchestrator.sh runs, booting an
# emulated GRUB A/B OS from a folder (two slot image files and a GRUB environment block; reboots restart the node's
# JVM into the other slot). Everything goes under karaf-distro/node/target/quickstart.
#   .ci/node.sh          prepares the orchestrator (project quickstart, site lab, OS profile quickstart-os following
#                        the release profile quickstart-os, an update policy LATEST and an open maintenance window on
#                        the site, a release signing key it trusts), then starts the node with a fresh enrolment
#                        token and waits until it is RUNNING
#   .ci/node.sh status   what the node runs and what the orchestrator says of its updates
#   .ci/node.sh stop     stops the node
# The orchestrator's admin password is read from its data folder (set EDGE_ADMIN_PASSWORD if you chose your own).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(.ci/deps.sh)"
API="${EDGE_API:-http://127.0.0.1:8181/api/v1}"
QS=karaf-distro/node/target/quickstart
NODE="$QS/node"
BOOT="$QS/boot"
PROJECT=quickstart

die() { echo "node.sh: $*" >&2; exit 1; }

login() {
  local password="${EDGE_ADMIN_PASSWORD:-}"
  if [ -z "$password" ]; then
    local file=karaf-distro/orchestrator/target/assembly/data/edgeorch/initial-admin-password
    [ -r "$file" ] || die "no $file: start the orchestrator first (.ci/orchestrator.sh), or set EDGE_ADMIN_PASSWORD"
    password=$(cat "$file")
  fi
  jq -n --arg p "$password" '{username: "admin", password: $p}' \
    | curl -sf -H 'Content-Type: application/json' -d @- "$API/auth/login" | jq -r .token \
    || die "cannot log in at $API (is the orchestrator up?)"
}

# api METHOD PATH [JSON]: the answer's body; a 409 (already there) is fine, other failures stop the script.
api() {
  local out status
  out=$(mktemp)
  status=$(curl -s -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
    ${3:+-H 'Content-Type: application/json' -d "$3"} "$API$2")
  if [ "$status" -ge 400 ] && [ "$status" != 409 ]; then
    echo "node.sh: $1 $2 answered $status: $(cat "$out")" >&2
    rm -f "$out"
    exit 1
  fi
  cat "$out"
  rm -f "$out"
}

host_name() {
  api GET "/projects/$PROJECT/hosts?site=lab" | jq -r '.hosts[0].name // empty'
}

case "${1:-start}" in
  status)
    TOKEN=$(login)
    HOST=$(host_name)
    [ -n "$HOST" ] || die "no node enrolled in project $PROJECT yet: run .ci/node.sh"
    echo "Node ($NODE):"
    "$NODE/bin/client" "edge:update-status" || true
    echo "Orchestrator: host $HOST"
    api GET "/projects/$PROJECT/hosts/$HOST" | jq -r '"  status \(.status), \(.statusReason // "")"'
    api GET "/projects/$PROJECT/hosts/$HOST/update-runs" \
      | jq -r '.runs[] | "  update run \(.fromVersion // "-") -> \(.toVersion): \(.status)\(if .failure then " (\(.failure))" else "" end)"'
    exit 0 ;;
  stop)
    [ -x "$NODE/bin/stop" ] && "$NODE/bin/stop" || true
    exit 0 ;;
  start) ;;
  *) die "usage: .ci/node.sh [start|status|stop]" ;;
esac

TOKEN=$(login)
ARCHIVE=$(ls karaf-distro/node/target/node-*.tar.gz 2>/dev/null | head -1 || true)
[ -n "$ARCHIVE" ] || { mvn -B -ntp -q install -DskipTests; ARCHIVE=$(ls karaf-distro/node/target/node-*.tar.gz | head -1); }
mkdir -p "$QS"

# The release signing key: the orchestrator trusts it for this quick start's releases, and so does the node.
if [ ! -s "$QS/signer.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=quickstart-release -days 365 \
    -keyout "$QS/signer.key" -out "$QS/signer.pem" 2>/dev/null
  chmod 600 "$QS/signer.key"
fi
api POST /release-signers "$(jq -n --rawfile c "$QS/signer.pem" '{name: "quickstart-release", certificate: $c}')" >/dev/null

# Where the node goes, and what it gets: the newest verified release of quickstart-os, at any time.
api POST /projects '{"organization": "default", "name": "quickstart"}' >/dev/null
api POST "/projects/$PROJECT/sites" '{"name": "lab"}' >/dev/null
api POST "/projects/$PROJECT/os-profiles" \
  '{"name": "quickstart-os", "releaseProfile": "quickstart-os", "versionRange": "*", "mode": "AUTOMATIC"}' >/dev/null
api PUT "/projects/$PROJECT/policies/SITE/lab" '{"kind": "LATEST", "profile": "quickstart-os"}' >/dev/null
api POST "/projects/$PROJECT/windows" \
  '{"name": "always", "target": {"type": "SITE", "name": "lab"}, "start": "2020-01-01T00:00:00Z"}' >/dev/null

ENROL=$(api POST "/projects/$PROJECT/enrolment-tokens" \
  "$(jq -n --arg n "quickstart-$(date +%s)" '{name: $n, site: "lab", validity: "PT1H", maxUses: 1}')" | jq -r .secret)
FINGERPRINT=$(curl -sf "$API/southbound/ca" | jq -r .sha256Fingerprint)

# The node, fresh: its own runtime folder, slot A holding the factory image 1.0.0, slot B empty. The GRUB
# environment block is not made here: the GRUB plugin creates it as an image build would.
[ -x "$NODE/bin/stop" ] && "$NODE/bin/stop" >/dev/null 2>&1 || true
rm -rf "$NODE" "$BOOT"
mkdir -p "$BOOT" "$QS/unpack"
tar xzf "$ARCHIVE" -C "$QS/unpack"
mv "$QS/unpack"/* "$NODE"
rmdir "$QS/unpack"
printf 'factory image 1.0.0\n' > "$BOOT/slot-a.img"
BOOT_DIR=$(cd "$BOOT" && pwd)
cat > "$NODE/etc/org.edgeorch.agent.cfg" <<CFG
orchestratorUrl = https://localhost:8443
enrolmentToken = $ENROL
caFingerprint = $FINGERPRINT
CFG
cat > "$NODE/etc/org.edgeorch.plugin.grub.cfg" <<CFG
grubenv = $BOOT_DIR/grubenv
cmdline = $BOOT_DIR/cmdline
slotA = $BOOT_DIR/slot-a.img
slotB = $BOOT_DIR/slot-b.img
reboot = emulate
CFG
cat > "$NODE/etc/org.edgeorch.agent.update.cfg" <<CFG
initialVersion = 1.0.0
preDownloadMinutes = 0
CFG
cp "$QS/signer.pem" "$NODE/etc/edgeorch-release-trust.pem"
"$NODE/bin/start"

echo "Waiting for the node to enrol and run ..." >&2
for _ in $(seq 1 90); do
  HOST=$(host_name)
  if [ -n "$HOST" ] && [ "$(api GET "/projects/$PROJECT/hosts/$HOST" | jq -r .status)" = RUNNING ]; then
    echo "Node $HOST is RUNNING in project $PROJECT (site lab) on 1.0.0, slot A; its runtime is $NODE" >&2
    exit 0
  fi
  sleep 2
done
die "the node did not come up: see $NODE/data/log/karaf.log"
