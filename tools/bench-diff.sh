#!/bin/bash
# tools/bench-diff.sh - how fast two exports are compared: sarfs diff, the
# side-by-side mount's top index, and diff -r of the two export folders
# (sarfs, and tmpfs over the same trees). A benchmark, not a test.
#
#   tools/bench-diff.sh [SIZE]       SIZE: 10k 100k 1m (default 100k)
#   BENCH_DIR=/path tools/bench-diff.sh
#
# The earlier export is tools/benchgen.py's JSON Lines export of SIZE
# records (about 2 KB each); the later one (benchgen.py --later) lacks one
# record in a thousand, has one in a thousand changed and a thousandth more
# at the end: about 3 * SIZE / 1000 changed record files, and the raw file.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/deps.sh
. "$top/tools/deps.sh"
# shellcheck source=tools/bench-host.sh
. "$top/tools/bench-host.sh"
SARFS_PACKAGES="$SARFS_PACKAGES hyperfine time"
sarfs_install_deps

build="$top/build/bench"
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$build" >/dev/null
sarfs="$build/fs/sarfs"

B=${BENCH_DIR:-/tmp/sarfs-bench}
size=${1:-100k}
case $size in 10k) n=10000 ;; 100k) n=100000 ;; 1m) n=1000000 ;; *) n=$size ;; esac
a="$B/diff-$size/a" b="$B/diff-$size/b"
mkdir -p "$a" "$b"
[ -f "$a/posts.jsonl" ] || python3 "$top/tools/benchgen.py" jsonl "$n" "$a/posts.jsonl"
[ -f "$b/posts.jsonl" ] || python3 "$top/tools/benchgen.py" --later jsonl "$n" "$b/posts.jsonl"
export XDG_CACHE_HOME="$B/diff-$size/cache"

MOUNTS=()
cleanup() {
	local m
	for m in "${MOUNTS[@]}"; do
		mountpoint -q "$m" 2>/dev/null && fusermount3 -u "$m"
	done
	rm -rf /dev/shm/sarfs-bench-a /dev/shm/sarfs-bench-b
	bench_restore_host
	return 0
}
trap cleanup EXIT
bench_quiet_host
now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { python3 -c "import json, sys; print('%.2f' % json.load(open(sys.argv[1]))['results'][0]['median'])" "$1"; }

for s in a b; do
	[ -f "$B/diff-$size/$s.sarfs" ] || "$sarfs" index "${!s}" -o "$B/diff-$size/$s.sarfs" 2>/dev/null
done
A="$B/diff-$size/a.sarfs" Bi="$B/diff-$size/b.sarfs"

echo "# sarfs diff benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $size records a side"
echo
/usr/bin/time -q -f "%e %M" -o "$B/t" "$sarfs" diff --brief "$A" "$Bi" >"$B/summary" || true
read -r e rss <"$B/t"
hyperfine -i --runs 3 --export-json "$B/h.json" "$sarfs diff --brief $A $Bi" >/dev/null 2>&1 || true
echo "| step | seconds | peak RSS |"
echo "|---|---|---|"
echo "| sarfs diff --brief (summary, file list) | $(median "$B/h.json") | $((rss / 1024)) MB |"
/usr/bin/time -q -f "%e %M" -o "$B/t" "$sarfs" diff "$A" "$Bi" >"$B/full" || true
read -r e rss <"$B/t"
echo "| sarfs diff (with every patch; $(wc -c <"$B/full" | awk '{ printf "%.1f MB", $1 / 1e6 }') of output) | $e | $((rss / 1024)) MB |"
/usr/bin/time -q -f "%e %M" -o "$B/t" "$sarfs" diff --json "$A" "$Bi" >/dev/null || true
read -r e rss <"$B/t"
echo "| sarfs diff --json | $e | $((rss / 1024)) MB |"

m="$B/diff-$size/m"
mkdir -p "$m"
rm -f "$XDG_CACHE_HOME"/sarfs/compare-*.sarfs
t0=$(now)
"$sarfs" "$A" "$Bi" "$m"
t1=$(now)
MOUNTS+=("$m")
echo "| side-by-side mount, first (builds the top index) | $(secs "$t0" "$t1") | |"
fusermount3 -u "$m"
t0=$(now)
"$sarfs" "$A" "$Bi" "$m"
t1=$(now)
echo "| side-by-side mount, again | $(secs "$t0" "$t1") | |"
l=$(ls "$m" | head -n 2 | tr '\n' ' ')
read -r la lb <<<"$l"
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(now)
(cd "$m" && diff -r "$la" "$lb" >/dev/null) || true
t1=$(now)
echo "| diff -r of the two export folders, cold | $(secs "$t0" "$t1") | |"
t0=$(now)
(cd "$m" && diff -r "$la" "$lb" >/dev/null) || true
t1=$(now)
echo "| diff -r of the two export folders, warm | $(secs "$t0" "$t1") | |"
fusermount3 -u "$m"
"$sarfs" extract "$A" /dev/shm/sarfs-bench-a
"$sarfs" extract "$Bi" /dev/shm/sarfs-bench-b
(diff -r /dev/shm/sarfs-bench-a /dev/shm/sarfs-bench-b >/dev/null) || true
t0=$(now)
(diff -r /dev/shm/sarfs-bench-a /dev/shm/sarfs-bench-b >/dev/null) || true
t1=$(now)
echo "| diff -r of the same two trees on tmpfs, warm | $(secs "$t0" "$t1") | |"
echo
grep -A3 '^  total' "$B/summary" | head -n 2
