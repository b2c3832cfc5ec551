#!/usr/bin/env bash
# Several orchestrators on one PostgreSQL behind nginx, with a local release service, in the foreground; Ctrl-C
# (or TERM) stops everything it started.
#   .ci/cluster.sh 3            three orchestrators (N from 1 to 9), building the distribution first if needed
#   .ci/cluster.sh 3 --rebuild  rebuild before starting
# What runs (all on loopback; data in karaf-distro/orchestrator/target/cluster, fresh on every start):
#   nginx         http://127.0.0.1:8181  REST, SOAP and the dashboard, load-balanced over the orchestrators
#                 https://127.0.0.1:8443 the southbound, passed through at TLS level: mutual TLS ends at an orchestrator
#   orchestrator i (1..N): HTTP 8190+i, southbound 8450+i, SSH 8110+i (bin/client -p 8111), RMI 1100+10i
#   PostgreSQL 15 on 55433 (.ci/postgres.sh with its own port and folder), database edgeorch
#   docker-registry on 127.0.0.1:5000, notifying the orchestrators through nginx
# Leader of each singleton job: curl -H "Authorization: Bearer $T" http://127.0.0.1:8181/api/v1/leaders, or
# edge:leader in any orchestrator's shell. CLUSTER_LEASE_SECONDS (default 15) sets the lease period.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-}"
[[ "$N" =~ ^[1-9]$ ]] || { echo "usage: $0 N [--rebuild]   (N orchestrators, 1 to 9)" >&2; exit 2; }
eval "$(.ci/deps.sh)"
DIST=$(ls karaf-distro/orchestrator/target/orchestrator-*.tar.gz 2>/dev/null | head -1 || true)
if [ "${2:-}" = --rebuild ] || [ -z "$DIST" ]; then
  mvn -B -ntp -q install -DskipTests
  DIST=$(ls karaf-distro/orchestrator/target/orchestrator-*.tar.gz | head -1)
fi
for port in 8181 8443 5000 55433 $(for i in $(seq 1 "$N"); do echo $((8190 + i)) $((8450 + i)) $((8110 + i)); done); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (another orchestrator, cluster or registry?); stop it first" >&2; exit 1
  fi
done

WORK="$PWD/karaf-distro/orchestrator/target/cluster"
rm -rf "$WORK"; mkdir -p "$WORK/nginx/tmp" "$WORK/registry/storage"
ORCHS=()
NGINX_PID="" REGISTRY_PID=""
stop_all() {
  trap - EXIT INT TERM
  echo "stopping the cluster" >&2
  for dir in "${ORCHS[@]}"; do "$dir/bin/stop" >/dev/null 2>&1 || true; done
  for dir in "${ORCHS[@]}"; do
    pid=$(pgrep -f "karaf.home=$dir" | head -1 || true)
    for _ in $(seq 1 100); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$REGISTRY_PID" ] && kill "$REGISTRY_PID" 2>/dev/null || true
  EDGE_TEST_PG_PORT=55433 EDGE_TEST_PG_DIR=/tmp/edgeorch-cluster-pg .ci/postgres.sh stop || true
  echo "stopped" >&2
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

eval "$(EDGE_TEST_PG_PORT=55433 EDGE_TEST_PG_DIR=/tmp/edgeorch-cluster-pg .ci/postgres.sh start)"

TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
cat > "$WORK/registry/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORK/registry/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
  secret: $TOKEN-secret
notifications:
  endpoints:
    - name: orchestrators
      url: http://127.0.0.1:8181/api/v1/release/notifications
      headers:
        Authorization: [Bearer $TOKEN]
      timeout: 2s
      threshold: 3
      backoff: 2s
      ignore:
        actions: [pull]
        mediatypes: [application/octet-stream]
YAML
docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/registry.log" 2>&1 &
REGISTRY_PID=$!

PAIRS=()
for i in $(seq 1 "$N"); do
  dir="$WORK/orchestrator-$i"
  mkdir -p "$dir" && tar xzf "$DIST" -C "$dir" --strip-components=1
  cat >> "$dir/etc/org.edgeorch.store.cfg" <<CFG

type = postgresql
url = $EDGE_TEST_PG_URL
user = $EDGE_TEST_PG_USER
password = $EDGE_TEST_PG_PASSWORD
leaseSeconds = ${CLUSTER_LEASE_SECONDS:-15}
CFG
  printf '\norg.osgi.service.http.port = %s\n' $((8190 + i)) >> "$dir/etc/org.ops4j.pax.web.cfg"
  printf '\nsshPort = %s\n' $((8110 + i)) >> "$dir/etc/org.apache.karaf.shell.cfg"
  printf '\nrmiRegistryPort = %s\nrmiServerPort = %s\n' $((1100 + 10 * i)) $((1101 + 10 * i)) >> "$dir/etc/org.apache.karaf.management.cfg"
  printf '\nport = %s\n' $((8450 + i)) >> "$dir/etc/org.edgeorch.southbound.cfg"
  sed -i -e "s|^registryUrl.*|registryUrl = http://127.0.0.1:5000|" -e "s|^webhookToken.*|webhookToken = $TOKEN|" \
    "$dir/etc/org.edgeorch.release.cfg"
  ORCHS+=("$dir")
  PAIRS+=("$((8190 + i)):$((8450 + i))")
done

.ci/nginx-conf.sh "$WORK/nginx" 8181 8443 "${PAIRS[@]}" > "$WORK/nginx/nginx.conf"
/usr/sbin/nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!

ready() {
  curl -s --max-time 2 -o /dev/null -w '%{http_code}' http://127.0.0.1:"$1"/api/v1/health 2>/dev/null | grep -q 200
}
# The first one migrates the schema and makes the host CA; the others start once it is up and load both.
"${ORCHS[0]}/bin/start"
for _ in $(seq 1 600); do ready 8191 && break; sleep 0.5; done
ready 8191 || { echo "orchestrator 1 did not come up; see ${ORCHS[0]}/data/log/karaf.log" >&2; exit 1; }
for dir in "${ORCHS[@]:1}"; do "$dir/bin/start"; done
for i in $(seq 2 "$N"); do
  for _ in $(seq 1 600); do ready $((8190 + i)) && break; sleep 0.5; done
  ready $((8190 + i)) || { echo "orchestrator $i did not come up; see ${ORCHS[$((i - 1))]}/data/log/karaf.log" >&2; exit 1; }
done
cat >&2 <<MSG
Edge Orchestrator cluster of $N on PostgreSQL ($EDGE_TEST_PG_URL):
  REST, SOAP, dashboard  http://127.0.0.1:8181/api/v1/status  (nginx; orchestrator i directly on 8190+i)
  southbound             https://127.0.0.1:8443  (nginx TLS passthrough; orchestrator i on 8450+i)
  registry               http://127.0.0.1:5000
  who leads              GET http://127.0.0.1:8181/api/v1/leaders, or edge:leader (bin/client -p 8111 on orchestrator 1)
  admin password         ${ORCHS[0]}/data/edgeorch/initial-admin-password
  data and logs          $WORK
Ctrl-C stops the cluster.
MSG
# A signal runs the trap (everything stopped) as soon as it arrives; nginx ending by itself ends the cluster too.
wait "$NGINX_PID" || true
echo "nginx stopped; see $WORK/nginx/error.log" >&2
exit 1
