#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 on loopback for the tests, installing it when missing.
#   .ci/postgres.sh start   -> prints export lines: EDGE_TEST_PG_URL (integration tests),
#                              EDGE_TEST_PG_UNIT_URL (unit tests), EDGE_TEST_PG_USER, EDGE_TEST_PG_PASSWORD
#   .ci/postgres.sh stop
set -euo pipefail
PGPORT="${EDGE_TEST_PG_PORT:-55432}"
PGDIR="${EDGE_TEST_PG_DIR:-/tmp/edgeorch-test-pg}"
find_bin() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
}
BIN="$(find_bin || true)"
if [ "${1:-}" = stop ]; then
  [ -n "$BIN" ] && [ -f "$PGDIR/data/postmaster.pid" ] && runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null || true
  exit 0
fi
if [ -z "$BIN" ]; then
  echo "installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
fi
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
if [ -f "$PGDIR/data/postmaster.pid" ] && runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
  :
else
  rm -rf "$PGDIR"; mkdir -p "$PGDIR"; chown postgres "$PGDIR"
  runuser -u postgres -- "$BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
fi
# Fresh databases on every start, so no run sees what an earlier one left.
for db in edgeorch edgeorch_unit; do
  "$BIN/dropdb" -h 127.0.0.1 -p "$PGPORT" -U postgres --if-exists --force "$db"
  "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$db"
done
echo "export EDGE_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$PGPORT/edgeorch"
echo "export EDGE_TEST_PG_UNIT_URL=jdbc:postgresql://127.0.0.1:$PGPORT/edgeorch_unit"
echo "export EDGE_TEST_PG_USER=postgres"
echo "export EDGE_TEST_PG_PASSWORD="
