#!/usr/bin/env bash
# Measures both runtimes as built: start until ready, idle RSS after 20 s, distribution size.
# Orchestrator "ready" = the initial administrator can log in and GET /api/v1/status shows the database
# and Camel UP (the copy under test gets a known initial password).
# Node "ready" = its log shows the linux hardware plugin registered (the node has no web server).
# Usage: bench/startup.sh [runs]   (default 5); prints one line per run and the medians.
#   ONLY=node|orchestrator       measure one runtime only
#   NODE_JAVA_OPTS="..."         the node's JVM options instead of its bin/setenv default (EXTRA_JAVA_OPTS there)
#   NODE_ARCHIVES="a.tar.gz b.tar.gz"  compare node archives in one run: each round runs every archive in turn (the
#                                machine's load hits them alike); medians per archive and each one's ratio to the first
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
WORK=$(mktemp -d /tmp/edgeorch-bench.XXXX)
trap 'rm -rf "$WORK"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
now_ms() { date +%s%3N; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
karaf_pid() { pgrep -f "karaf.home=${1%/}" | head -1; }

archive() { if [ -n "${ARCHIVE:-}" ]; then echo "$ARCHIVE"; else ls "karaf-distro/$1/target/$1"-*.tar.gz | head -1; fi; }

run_one() { # $1 = orchestrator|node, prints "<ready_ms> <rss_kb>"
  local name=$1 dir="$WORK/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  tar xzf "$(archive "$name")" -C "$dir"
  local home t0 t1 pid
  home=$(ls -d "$dir"/"$name"-*/)
  [ "$name" = orchestrator ] && echo "initialAdminPassword = bench-admin-password" >> "$home/etc/org.edgeorch.tenancy.cfg"
  t0=$(now_ms)
  if [ "$name" = node ] && [ -n "${NODE_JAVA_OPTS:-}" ]; then
    EXTRA_JAVA_OPTS="$NODE_JAVA_OPTS" "$home/bin/start" >/dev/null 2>&1
  else
    "$home/bin/start" >/dev/null 2>&1
  fi
  local token=""
  for _ in $(seq 1 1200); do
    if [ "$name" = orchestrator ]; then
      [ -z "$token" ] && token=$(curl -s --max-time 1 -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"bench-admin-password"}' http://127.0.0.1:8181/api/v1/auth/login 2>/dev/null \
        | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
      [ -n "$token" ] && curl -s --max-time 1 -H "Authorization: Bearer $token" http://127.0.0.1:8181/api/v1/status 2>/dev/null \
        | grep -q '"name":"camel","state":"UP".*"name":"database","state":"UP"' && break
    else
      grep -q "Plugin linux (HARDWARE)" "$home/data/log/karaf.log" 2>/dev/null && break
    fi
    sleep 0.05
  done
  t1=$(now_ms)
  sleep 20
  pid=$(karaf_pid "$home")
  echo "$((t1 - t0)) $(rss_kb "$pid")"
  "$home/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do [ -z "$(karaf_pid "$home")" ] && break; sleep 0.2; done
}

if [ -n "${NODE_ARCHIVES:-}" ]; then
  read -r -a archives <<< "$NODE_ARCHIVES"
  for a in "${archives[@]}"; do [ -f "$a" ] || { echo "no such archive: $a" >&2; exit 2; }; done
  for i in $(seq 1 "$RUNS"); do
    for k in "${!archives[@]}"; do
      r=$(ARCHIVE="${archives[$k]}" run_one node)
      echo "node ${archives[$k]} round $i: ready ${r% *} ms, idle RSS ${r#* } kB"; echo "$r" >> "$WORK/node.$k.txt"
    done
  done
  base_rss=""; base_ready=""
  for k in "${!archives[@]}"; do
    ready=$(cut -d' ' -f1 "$WORK/node.$k.txt" | median); rss=$(cut -d' ' -f2 "$WORK/node.$k.txt" | median)
    [ -z "$base_rss" ] && base_rss=$rss && base_ready=$ready
    echo "node ${archives[$k]} median of $RUNS: ready $ready ms, idle RSS $rss kB ($(awk "BEGIN {printf \"%.1f\", $rss / 1024}") MiB)," \
      "ratio to the first: RSS $(awk "BEGIN {printf \"%.2f\", $rss / $base_rss}"), ready $(awk "BEGIN {printf \"%.2f\", $ready / $base_ready}")," \
      "tar.gz $(($(stat -c %s "${archives[$k]}") / 1024 / 1024)) MiB"
  done
  exit 0
fi

for name in ${ONLY:-orchestrator node}; do
  : > "$WORK/$name.txt"
  for i in $(seq 1 "$RUNS"); do
    r=$(run_one "$name"); echo "$name run $i: ready ${r% *} ms, idle RSS ${r#* } kB"; echo "$r" >> "$WORK/$name.txt"
  done
  size=$(stat -c %s "$(archive "$name")")
  echo "$name median: ready $(cut -d' ' -f1 "$WORK/$name.txt" | median) ms, idle RSS $(cut -d' ' -f2 "$WORK/$name.txt" | median) kB, tar.gz $((size / 1024 / 1024)) MiB"
done
