#!/usr/bin/env bash
# Delta updates, measured: two ext4 OS images of the same tree, the second with CHANGE_PERMILLE ‰ of its file bytes
# rewritten (whole files, chosen at random with a fixed seed, the way a package update replaces files), then
# bench/delta/DeltaCount.java counts the bytes a node holding the first must fetch to build the second, for fixed
# 4 KiB blocks (RAUC's block-hash-index), fixed 64 KiB blocks and casync-style content-defined chunks.
#   bench/delta.sh
#   TREE=/usr/lib/jvm  a real tree to make the image of      CHANGE_PERMILLE=20 (2 %)     WORK=/var/tmp
set -euo pipefail
cd "$(dirname "$0")/.."
TREE="${TREE:-/usr/lib/jvm}"
CHANGE_PERMILLE="${CHANGE_PERMILLE:-20}"
BASE="${WORK:-/var/tmp}"
command -v mkfs.ext4 >/dev/null || { echo "mkfs.ext4 not found (Debian package e2fsprogs)" >&2; exit 1; }
DIR=$(mktemp -d "$BASE/edgeorch-delta.XXXX")
trap 'rm -rf "$DIR"' EXIT

cp -a "$TREE" "$DIR/v1"
cp -a "$DIR/v1" "$DIR/v2"
total=$(find "$DIR/v2" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
target=$(( total * CHANGE_PERMILLE / 1000 ))
# Rewrite whole files, in a fixed pseudo-random order, until CHANGE_PERMILLE of the bytes are new.
changed=0; files=0
while IFS= read -r f; do
  [ "$changed" -ge "$target" ] && break
  size=$(stat -c %s "$f")
  [ "$size" -gt $(( target - changed + 65536 )) ] && continue
  head -c "$size" /dev/urandom > "$f"
  changed=$(( changed + size )); files=$(( files + 1 ))
done < <(find "$DIR/v2" -type f -size +0 | sort | awk 'BEGIN {srand(7)} {print rand() "\t" $0}' | sort -k1,1 | cut -f2-)
echo "tree $TREE: $total bytes in files; v2 rewrites $files files, $changed bytes ($(awk "BEGIN {printf \"%.2f\", 100*$changed/$total}") %)"

mib=$(( total / 1048576 * 12 / 10 + 64 ))
for v in v1 v2; do
  # The same file system options and identity for both, as an OS build pipeline would use.
  mkfs.ext4 -q -F -d "$DIR/$v" -U 6f1b7c3e-0000-4000-8000-000000000001 -E hash_seed=6f1b7c3e-0000-4000-8000-000000000002,root_owner=0:0 \
    -O ^metadata_csum_seed -b 4096 "$DIR/$v.img" "${mib}M" >/dev/null
done
java bench/delta/DeltaCount.java "$DIR/v1.img" "$DIR/v2.img"
