# Shared by the benchmark scripts that run a fresh orchestrator and registry: they set WORK, TOKEN and REGISTRY,
# and arrays PIDS and ORCHS that their cleanup walks.

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
  # ORCH_SCHEDULING: lines for etc/org.edgeorch.scheduling.cfg (for example "rolloutSyncSeconds = 0"); empty: as shipped
  [ -z "${ORCH_SCHEDULING:-}" ] || printf '%s\n' "$ORCH_SCHEDULING" >> "$dir/etc/org.edgeorch.scheduling.cfg"
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
