#!/bin/bash
# tests/golden/run.sh CASE - one golden test, without FUSE.
#
# A case is a folder tests/golden/CASE/ with
#   export/ or make     the export: a folder used as it is, or an executable
#                       that writes exactly one export (folder or file) into
#                       the folder given as its argument
#   args                optional: options for `sarfs index`, one line; @IN@
#                       stands for the folder make wrote into
#   view                optional: a view file (or, in view.path, the path of
#                       one in the source tree); then the case runs
#                       `sarfs share --view VIEW` instead of `sarfs index`,
#                       and a share it writes must pass `sarfs verify`
#   expected/rc         optional: the exit status of `sarfs index` (default 0)
#   expected/stderr     optional: what it prints (the work folder as WORK)
#   expected/listing    `sarfs ls -l -x` of the index: path, type, size,
#                       mtime, source, SHA-256, source's SHA-256
#   expected/problems   PROBLEMS.txt; absent means there must be none
#   expected/files/...  files whose exact contents are checked
#   max_rss_mb          optional: the most memory (peak resident set, MB)
#                       `sarfs index` may use, measured with GNU time; not
#                       checked in a sanitized build (SARFS_SANITIZED)
#
# Besides, for every case: each name is valid UTF-8 without control
# characters, at most 255 bytes, and unique (the listing is checked), each
# file's SHA-256 attribute is the SHA-256 of its bytes, and the export is
# left exactly as it was.
#
# SARFS_GOLDEN_UPDATE=1 rewrites expected/ from the current output (then
# review the diff: the expected files are the specification).
set -euo pipefail

: "${SARFS:?SARFS must name the sarfs binary}"
case_name=$1
dir="$(cd "$(dirname "$0")" && pwd)/$case_name"
[ -d "$dir" ] || { echo "no such case: $case_name" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/sarfs-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache" TZ=UTC LC_ALL=C
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export SRCDIR
update=${SARFS_GOLDEN_UPDATE:-}
status=0

fail() { echo "FAIL [$case_name]: $*" >&2; status=1; }

mkdir "$work/in"
if [ -d "$dir/export" ]; then
	cp -a "$dir/export" "$work/in/export"
else
	"$dir/make" "$work/in"
fi
if [ -f "$dir/source" ]; then
	src="$work/in/$(cat "$dir/source")"
else
	src=$(find "$work/in" -mindepth 1 -maxdepth 1 | head -n 1)
fi
# The export's own times are fixed, so that a tree whose as-of time falls
# back to them is the same at every run.
find "$work/in" -exec touch -h -d @1425290400 {} +
state() { (cd "$work/in" && find . -printf '%P %y %s %T@ %m\n' | sort && find . -type f -print0 | sort -z | xargs -0r sha256sum) | sha256sum; }
before=$(state)

args=()
if [ -f "$dir/args" ]; then
	# @IN@ names the folder make wrote into (for profile or response files)
	read -r -a args < <(sed "s|@IN@|$work/in|g" "$dir/args")
fi

view=
if [ -f "$dir/view.path" ]; then
	cp "$SRCDIR/$(cat "$dir/view.path")" "$work/"
	view="$work/$(basename "$(cat "$dir/view.path")")"
elif [ -f "$dir/view" ]; then
	cp "$dir/view" "$work/view"
	view="$work/view"
fi

measure=()
if [ -f "$dir/max_rss_mb" ] && [ "${SARFS_SANITIZED:-none}" = none ]; then
	[ -x /usr/bin/time ] || { echo "FAIL [$case_name]: no /usr/bin/time (package time)" >&2; exit 1; }
	measure=(/usr/bin/time -f %M -o "$work/rss")
fi
rc=0
if [ -n "$view" ]; then
	"${measure[@]}" "$SARFS" share --view "$view" "${args[@]}" "$src" -o "$work/x.sarfs" \
		2>"$work/stderr" || rc=$?
else
	"${measure[@]}" "$SARFS" index "${args[@]}" "$src" -o "$work/x.sarfs" 2>"$work/stderr" || rc=$?
fi
if [ ${#measure[@]} -gt 0 ]; then
	rss_kb=$(tail -n 1 "$work/rss")
	max_mb=$(cat "$dir/max_rss_mb")
	echo "peak RSS of sarfs index: $((rss_kb / 1024)) MB (at most $max_mb MB)"
	[ "$rss_kb" -le $((max_mb * 1024)) ] ||
		fail "sarfs index used $((rss_kb / 1024)) MB at its peak, more than $max_mb MB"
fi
sed -i "s|$work|WORK|g" "$work/stderr"

compare() { # compare NAME ACTUAL-FILE
	local exp="$dir/expected/$1"
	if [ -n "$update" ]; then
		mkdir -p "$(dirname "$exp")"
		cp "$2" "$exp"
		return
	fi
	if [ ! -f "$exp" ]; then
		fail "missing expected/$1"
		return
	fi
	diff -u "$exp" "$2" >&2 || fail "$1 differs from expected/$1"
}

echo "$rc" >"$work/rc"
if [ -f "$dir/expected/rc" ] || [ "$rc" -ne 0 ]; then
	compare rc "$work/rc"
fi
if [ -f "$dir/expected/stderr" ] || { [ -n "$update" ] && [ -s "$work/stderr" ]; }; then
	compare stderr "$work/stderr"
fi

if [ "$rc" -eq 0 ]; then
	"$SARFS" ls -l -x "$work/x.sarfs" >"$work/listing"
	compare listing "$work/listing"

	if "$SARFS" cat "$work/x.sarfs" PROBLEMS.txt >"$work/problems" 2>/dev/null; then
		compare problems "$work/problems"
	elif [ -f "$dir/expected/problems" ]; then
		fail "expected PROBLEMS.txt, but there is none"
	fi

	if [ -d "$dir/expected/files" ]; then
		while IFS= read -r -d '' f; do
			rel=${f#"$dir/expected/files/"}
			"$SARFS" cat "$work/x.sarfs" "$rel" >"$work/file" 2>"$work/cat.err" ||
				{ fail "cannot cat $rel: $(cat "$work/cat.err")"; continue; }
			if [ -n "$update" ]; then cp "$work/file" "$f"; else
				cmp -s "$f" "$work/file" || { diff -u "$f" "$work/file" >&2; fail "$rel differs"; }
			fi
		done < <(find "$dir/expected/files" -type f -print0)
	fi

	# invariants that hold for every tree
	python3 - "$work/listing" <<'PY' || fail "name invariants"
import sys
seen = set()
bad = 0
for raw in open(sys.argv[1], 'rb'):
    path = raw.split(b'\t')[0].rstrip(b'/')
    try:
        text = path.decode('utf-8')
    except UnicodeDecodeError:
        print('not UTF-8:', path); bad = 1; continue
    for part in text.split('/'):
        if not part or part in ('.', '..') or len(part.encode()) > 255 or any(ord(c) < 32 or ord(c) == 127 for c in part):
            print('unsafe name:', repr(part)); bad = 1
    if text in seen:
        print('duplicate:', text); bad = 1
    seen.add(text)
sys.exit(bad)
PY
	while IFS=$'\t' read -r path type size mtime source sha srcsha; do
		[ "$type" = file ] || continue
		actual=$("$SARFS" cat "$work/x.sarfs" "$path" | sha256sum | cut -d' ' -f1)
		[ "$actual" = "$sha" ] || fail "$path: user.sarfs.sha256 is $sha, its bytes hash to $actual"
		bytes=$("$SARFS" cat "$work/x.sarfs" "$path" | wc -c)
		[ "$bytes" = "$size" ] || fail "$path: size $size, but $bytes bytes read"
	done <"$work/listing"
fi

if [ -n "$view" ] && [ "$rc" -eq 0 ]; then
	"$SARFS" verify "${args[@]}" --view "$view" "$work/x.sarfs" "$src" >"$work/verify" 2>&1 ||
		fail "sarfs verify of the share: $(cat "$work/verify")"
	# nothing of the full tree is left in the cache folder
	[ -z "$(find "$work/cache" -name '*.sarfs' 2>/dev/null)" ] ||
		fail "a full tree was left in the cache: $(find "$work/cache" -name '*.sarfs')"
fi

[ "$(state)" = "$before" ] || fail "the export was modified"
[ $status -eq 0 ] && echo "PASS [$case_name]"
exit $status
