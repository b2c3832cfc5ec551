#!/usr/bin/env bash
# Runs the orchestrator on embedded Derby, building it first if needed, with a local release service: a
# docker-registry on 127.0.0.1:5000 (storage in karaf-distro/orchestrator/target/registry) that notifies the
# orchestrator of every push.
#   .ci/orchestrator.sh           console in the foreground (type edge:status); Ctrl-D stops it
#   .ci/orchestrator.sh --rebuild rebuild before starting
# REST: http://127.0.0.1:8181/api/v1/status  OpenAPI: /api/v1/openapi.json  WSDL: /soap/platform?wsdl
# Publish a release: bin/edge-release-publish --registry http://127.0.0.1:5000 ... (or edge:release-publish)
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(.ci/deps.sh)"
HOME_DIR=karaf-distro/orchestrator/target/assembly
if [ "${1:-}" = --rebuild ] || [ ! -x "$HOME_DIR/bin/karaf" ]; then
  mvn -B -ntp -q install -DskipTests
fi

REGISTRY_DIR=karaf-distro/orchestrator/target/registry
REGISTRY_PORT="${REGISTRY_PORT:-5000}"
mkdir -p "$REGISTRY_DIR"
TOKEN_FILE="$REGISTRY_DIR/webhook-token"
[ -s "$TOKEN_FILE" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$TOKEN_FILE")
TOKEN=$(cat "$TOKEN_FILE")
cat > "$REGISTRY_DIR/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $PWD/$REGISTRY_DIR/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REGISTRY_PORT
  secret: $TOKEN
notifications:
  endpoints:
    - name: orchestrator
      url: http://127.0.0.1:8181/api/v1/release/notifications
      headers:
        Authorization: [Bearer $TOKEN]
      timeout: 2s
      threshold: 3
      backoff: 5s
      ignore:
        actions: [pull]
        mediatypes: [application/octet-stream]
YAML
docker-registry serve "$REGISTRY_DIR/config.yml" >"$REGISTRY_DIR/registry.log" 2>&1 &
REGISTRY_PID=$!
trap 'kill $REGISTRY_PID 2>/dev/null || true' EXIT INT TERM
CFG="$HOME_DIR/etc/org.edgeorch.release.cfg"
sed -i "s|^registryUrl *=.*|registryUrl = http://127.0.0.1:$REGISTRY_PORT|; s|^webhookToken *=.*|webhookToken = $TOKEN|" "$CFG"

echo "Edge Orchestrator: REST on http://127.0.0.1:8181/api/v1/status, data in $HOME_DIR/data;" \
  "release service (docker-registry) on http://127.0.0.1:$REGISTRY_PORT" >&2
if [ -t 0 ]; then
  "$HOME_DIR/bin/karaf"
else
  # bin/karaf runs java as its child: on TERM or INT stop both, then the registry.
  "$HOME_DIR/bin/karaf" server &
  KARAF_PID=$!
  trap 'pkill -TERM -P $KARAF_PID 2>/dev/null; kill $KARAF_PID $REGISTRY_PID 2>/dev/null || true' EXIT INT TERM
  wait $KARAF_PID
fi
