# Shared by the benchmark scripts that run a fresh orchestrator and registry: they set WORK, TOKEN and REGISTRY,
# and arrays PIDS and ORCHS that their cleanup walks. The orchestrator answers HTTP on ORCH_HTTP (8181 as shipped);
# with ORCH_PORTS=free, start_orchestrator gives it free ports (HTTP, SSH, RMI, southbound) and sets ORCH_HTTP.
ORCH_HTTP=${ORCH_HTTP:-8181}

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
      url: "http://127.0.0.1:$ORCH_HTTP/api/v1/release/notifications"
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

# start_orchestrator NAME [REGISTRY_PORT WEBHOOK_TOKEN POLL_SECONDS]: without a registry port, the release
# configuration stays as shipped (no registry polled)
start_orchestrator() {
  local dir="$WORK/$1"
  mkdir -p "$dir" && tar xzf karaf-distro/orchestrator/target/orchestrator-*.tar.gz -C "$dir" --strip-components=1
  echo "initialAdminPassword = bench-admin-password" >> "$dir/etc/org.edgeorch.tenancy.cfg"
  # ORCH_SCHEDULING: lines for etc/org.edgeorch.scheduling.cfg (for example "rolloutSyncSeconds = 0"); empty: as shipped
  [ -z "${ORCH_SCHEDULING:-}" ] || printf '%s\n' "$ORCH_SCHEDULING" >> "$dir/etc/org.edgeorch.scheduling.cfg"
  [ -z "${2:-}" ] || sed -i -e "s|^registryUrl.*|registryUrl = http://127.0.0.1:$2/|" -e "s|^webhookToken.*|webhookToken = $3|" \
    -e "s|^pollIntervalSeconds.*|pollIntervalSeconds = $4|" "$dir/etc/org.edgeorch.release.cfg"
  if [ "${ORCH_PORTS:-}" = free ]; then
    # five distinct ports the kernel says are free now (all held open while they are chosen)
    local ports
    read -r -a ports <<<"$(python3 -c 'import socket
ss = [socket.socket() for _ in range(5)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')"
    ORCH_HTTP=${ports[0]}
    printf '\norg.osgi.service.http.port = %s\n' "${ports[0]}" >> "$dir/etc/org.ops4j.pax.web.cfg"
    printf '\nsshPort = %s\n' "${ports[1]}" >> "$dir/etc/org.apache.karaf.shell.cfg"
    printf '\nrmiRegistryPort = %s\nrmiServerPort = %s\n' "${ports[2]}" "${ports[3]}" >> "$dir/etc/org.apache.karaf.management.cfg"
    printf '\nport = %s\n' "${ports[4]}" >> "$dir/etc/org.edgeorch.southbound.cfg"
  fi
  ORCHS+=("$dir")
  "$dir/bin/start" >/dev/null 2>&1
  # ready: the admin logs in and the status says Camel and the database are up (at most 2 minutes)
  local token="" ready=""
  for _ in $(seq 1 600); do
    [ -n "$token" ] || token=$(curl -s --max-time 1 -H 'Content-Type: application/json' \
      -d '{"username":"admin","password":"bench-admin-password"}' "http://127.0.0.1:$ORCH_HTTP/api/v1/auth/login" 2>/dev/null \
      | sed -n 's/.*"token":"\([^"]*\)".*/\1/p' || true)
    if [ -n "$token" ] && curl -s --max-time 1 -H "Authorization: Bearer $token" "http://127.0.0.1:$ORCH_HTTP/api/v1/status" 2>/dev/null \
        | grep -q '"name":"camel","state":"UP".*"name":"database","state":"UP"'; then
      ready=1
      break
    fi
    sleep 0.2
  done
  [ -n "$ready" ] || { echo "the orchestrator in $dir did not come up; see $dir/data/log/karaf.log" >&2; exit 1; }
}

stop_orchestrator() {
  local dir=$1 pid
  pid=$(pgrep -f "java.*karaf.home=$dir" | head -1 || true)
  [ -n "$pid" ] || return 0
  "$dir/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

# admin_token: logs the initial administrator in and prints the bearer token
admin_token() {
  curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-admin-password"}' \
    "http://127.0.0.1:$ORCH_HTTP/api/v1/auth/login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# bench_fleet BEARER N: project "bench" with region "eu" (metadata tier=gold), ten sites with coordinates and N hosts
# imported as one CSV (name host-i, serial SN-i, site site-(i mod 10), metadata rack=r(i mod 100)); prints the import's
# time and rate
bench_fleet() {
  local api=http://127.0.0.1:$ORCH_HTTP/api/v1 csv="$WORK/hosts.csv" t0 t1
  local auth=(-H "Authorization: Bearer $1") json=(-H 'Content-Type: application/json')
  curl -sf "${auth[@]}" "${json[@]}" -d '{"organization":"default","name":"bench"}' $api/projects >/dev/null
  curl -sf "${auth[@]}" "${json[@]}" -d '{"name":"eu","metadata":{"tier":"gold"}}' $api/projects/bench/regions >/dev/null
  for s in 0 1 2 3 4 5 6 7 8 9; do
    curl -sf "${auth[@]}" "${json[@]}" -d "{\"name\":\"site-$s\",\"region\":\"eu\",\"latitude\":$((40 + s)).5,\"longitude\":$((s * 2)).25}" \
      $api/projects/bench/sites >/dev/null
  done
  { echo "name,serial,site,meta.rack"; for i in $(seq 1 "$2"); do echo "host-$i,SN-$i,site-$((i % 10)),r$((i % 100))"; done; } > "$csv"
  t0=$(date +%s%N)
  curl -sf "${auth[@]}" -H 'Content-Type: text/csv' --data-binary @"$csv" $api/projects/bench/hosts/import >/dev/null
  t1=$(date +%s%N)
  echo "import of $2 hosts: $(( (t1 - t0) / 1000000 )) ms ($(( $2 * 1000000000 / (t1 - t0) )) hosts/s)"
}

# cleanup: stops every orchestrator in ORCHS and process in PIDS, removes WORK
cleanup() {
  local dir pid
  for dir in "${ORCHS[@]}"; do stop_orchestrator "$dir"; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  rm -rf "$WORK" 2>/dev/null || true
}
