#!/usr/bin/env bash
# Runs the orchestrator on embedded Derby, building it first if needed.
#   .ci/orchestrator.sh           console in the foreground (type edge:status); Ctrl-D stops it
#   .ci/orchestrator.sh --rebuild rebuild before starting
# REST: http://127.0.0.1:8181/api/v1/status  OpenAPI: /api/v1/openapi.json  WSDL: /soap/platform?wsdl
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(.ci/deps.sh)"
HOME_DIR=karaf-distro/orchestrator/target/assembly
if [ "${1:-}" = --rebuild ] || [ ! -x "$HOME_DIR/bin/karaf" ]; then
  mvn -B -ntp -q install -DskipTests
fi
echo "Edge Orchestrator: REST on http://127.0.0.1:8181/api/v1/status, data in $HOME_DIR/data" >&2
if [ -t 0 ]; then
  exec "$HOME_DIR/bin/karaf"
else
  exec "$HOME_DIR/bin/karaf" server
fi
