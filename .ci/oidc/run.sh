#!/usr/bin/env bash
# Runs the test OpenID Connect provider (.ci/oidc/provider.mjs, node-oidc-provider) in the foreground, installing
# the pinned oidc-provider from the npm registry into a cache folder on first use (Node.js and npm come from
# .ci/deps.sh). Usage: .ci/oidc/run.sh PORT REDIRECT_URI AUDIENCE OTHER_AUDIENCE
set -euo pipefail
VERSION=9.13.3
DIR="${EDGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/edgeorch}/oidc-provider-$VERSION"
if [ ! -f "$DIR/node_modules/oidc-provider/package.json" ]; then
  mkdir -p "$DIR"
  echo '{"private":true}' > "$DIR/package.json"
  npm install --prefix "$DIR" --no-audit --no-fund --ignore-scripts --silent "oidc-provider@$VERSION" >&2
fi
# ES modules resolve packages from the script's own folder, so the script runs from the install
cp "$(dirname "$0")/provider.mjs" "$DIR/provider.mjs"
exec node "$DIR/provider.mjs" "$@"
