#!/bin/bash
# tools/hostile-big.sh - the hostile inputs too big for every test run: a
# 1 GiB record three ways (a string in a one-line JSON file, a JSON Lines
# line, a quoted CSV field), each in an export of its own, generated on the
# fly in 64 KiB pieces into a temporary folder (never committed) and deleted
# after. Each is indexed with the default limits (max_record 64 MiB) and
# with --max-record 1048576, under GNU time -v; the record must be refused
# with its place, the records around it kept, the raw file served byte for
# byte, and the peak memory must stay bounded (MAX_RSS_MB), whatever the
# record's size. The figures are printed as a table, to be written down in
# docs/security.md.
#
#   tools/hostile-big.sh [SARFS]     (default: build/test-gcc/fs/sarfs)
#
# SIZE (bytes, default 1 GiB) and MAX_RSS_MB (default 256) can be set in
# the environment; TMPDIR chooses where the export and index go (about
# 2 x SIZE of free space). tests/golden/big-records runs the same at
# 64 MiB with a 1 MiB max_record in every test run.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
SARFS=${1:-$top/build/test-gcc/fs/sarfs}
SIZE=${SIZE:-$((1 << 30))}
MAX_RSS_MB=${MAX_RSS_MB:-256}
[ -x "$SARFS" ] || { echo "hostile-big: no sarfs at $SARFS (build it first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "hostile-big: no /usr/bin/time (package time)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sarfs-big.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

# gen KIND FILE: writes one export file with a SIZE-byte record, streamed
gen() {
	python3 - "$1" "$2" "$SIZE" <<'PY'
import sys
kind, path, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
piece = (b'abcdefghij' * 6554)[:65536]
head, tail = {
    'json': (b'[{"id": "before"}, {"id": "huge", "text": "', b'"}, {"id": "after"}]'),
    'jsonl': (b'{"id": "before"}\n{"id": "huge", "text": "', b'"}\n{"id": "after"}\n'),
    'csv': (b'id,text\nbefore,x\nhuge,"', b'"\nafter,y\n'),
}[kind]
with open(path, 'wb') as f:
    f.write(head)
    n = size
    while n:
        k = min(n, len(piece))
        f.write(piece[:k])
        n -= k
    f.write(tail)
PY
}

printf '%-16s %-12s %8s %10s %s\n' "file" "max_record" "seconds" "peak RSS" "message"
for kind in json jsonl csv; do
	case $kind in
	json) name=one-line.json; want="record larger than" ;;
	jsonl) name=long-line.jsonl; want="line longer than" ;;
	csv) name=huge-field.csv; want="row longer than" ;;
	esac
	mkdir -p "$work/export"
	gen "$kind" "$work/export/$name"
	sum=$(sha256sum <"$work/export/$name" | cut -d' ' -f1)
	for limit in default 1048576; do
		opts=()
		[ "$limit" = default ] || opts=(--max-record "$limit")
		rm -f "$work/x.sarfs"
		rc=0
		/usr/bin/time -v -o "$work/time" "$SARFS" index "${opts[@]}" "$work/export" \
			-o "$work/x.sarfs" 2>"$work/err" || rc=$?
		rss_kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/time")
		secs=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
		msg=$(grep -o "$want [0-9]* bytes" "$work/err" || true)
		printf '%-16s %-12s %8s %7s MB %s\n' "$name" "$limit" "$secs" "$((rss_kb / 1024))" "${msg:-(none)}"
		[ $rc -eq 0 ] || { cat "$work/err" >&2; fail "$name, max_record $limit: sarfs index exited $rc"; continue; }
		[ -n "$msg" ] || fail "$name, max_record $limit: no '$want' message: $(cat "$work/err")"
		[ $((rss_kb / 1024)) -le "$MAX_RSS_MB" ] ||
			fail "$name, max_record $limit: peak RSS $((rss_kb / 1024)) MB > $MAX_RSS_MB MB"
		listing=$("$SARFS" ls "$work/x.sarfs" "records/$name")
		expect="records/$name/after.json
records/$name/before.json"
		[ "$listing" = "$expect" ] || fail "$name, max_record $limit: records around it: $listing"
		got=$("$SARFS" cat "$work/x.sarfs" "raw/$name" | sha256sum | cut -d' ' -f1)
		[ "$got" = "$sum" ] || fail "$name, max_record $limit: raw/$name is not the export's bytes"
	done
	rm -rf "$work/export" "$work/x.sarfs"
done
[ $failed -eq 0 ] && echo "PASS"
exit $failed
