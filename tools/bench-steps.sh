#!/bin/bash
# tools/bench-steps.sh - the index build at several commits, on the same
# exports: how each performance change moved the numbers (the table "What
# moved the numbers" in docs/performance.md). A benchmark, not a test.
#
#   tools/bench-steps.sh [SIZE] [COMMIT...]     (default: 100k, the commits below)
#
# Each commit is checked out into a temporary worktree and built in release
# mode; each export is indexed three times (hyperfine's median).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/deps.sh
. "$top/tools/deps.sh"
SARFS_PACKAGES="$SARFS_PACKAGES hyperfine git"
sarfs_install_deps

B=${BENCH_DIR:-/tmp/sarfs-bench}
size=${1:-100k}
shift || true
case $size in 10k) n=10000 ;; 100k) n=100000 ;; 1m) n=1000000 ;; *) n=$size ;; esac
commits=("$@")
if [ ${#commits[@]} -eq 0 ]; then
	# before the performance work; bulk scanning, split worker, 16 KiB
	# pages, pushers; inline blobs, streamed split, jsonfast and batches
	commits=(9777f79 4abeeab b5620cc HEAD)
fi
mkdir -p "$B"
for f in jsonl csv sql; do
	[ -f "$B/e$size.$f" ] || python3 "$top/tools/benchgen.py" "$f" "$n" "$B/e$size.$f"
done
[ -f "$B/e$size-small.jsonl" ] || python3 "$top/tools/benchgen.py" --small jsonl "$n" "$B/e$size-small.jsonl"

wt=$(mktemp -d /tmp/sarfs-steps.XXXXXX)
trap 'git -C "$top" worktree remove --force "$wt/src" >/dev/null 2>&1 || true; rm -rf "$wt"' EXIT

echo "| commit | JSON Lines | CSV | SQL dump | small JSON Lines | index size |"
echo "|---|---|---|---|---|---|"
for c in "${commits[@]}"; do
	git -C "$top" worktree remove --force "$wt/src" >/dev/null 2>&1 || true
	git -C "$top" worktree add --detach "$wt/src" "$c" >/dev/null 2>&1
	rm -rf "$wt/build"
	meson setup "$wt/build" "$wt/src" --buildtype=release -Dtests=false >/dev/null
	ninja -C "$wt/build" >/dev/null
	s="$wt/build/fs/sarfs"
	line="| $(git -C "$top" log -1 --format='%h %s' "$c" | cut -c1-60)"
	for f in "e$size.jsonl" "e$size.csv" "e$size.sql" "e$size-small.jsonl"; do
		rm -f "$wt/x.sarfs"
		hyperfine --runs 3 --export-json "$wt/h.json" --prepare "rm -f $wt/x.sarfs" \
			"$s index $B/$f -o $wt/x.sarfs" >/dev/null 2>&1
		line="$line | $(python3 -c "import json; print('%.2f s' % json.load(open('$wt/h.json'))['results'][0]['median'])")"
	done
	rm -f "$wt/x.sarfs"
	"$s" index "$B/e$size.jsonl" -o "$wt/x.sarfs" 2>/dev/null
	echo "$line | $(($(stat -c %s "$wt/x.sarfs") / 1000000)) MB |"
done
