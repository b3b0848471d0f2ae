#!/bin/bash
# tests/diff/run.sh CASE - one `sarfs diff` golden test, without FUSE.
#
# A case is a folder tests/diff/CASE/ with
#   make            an executable writing two exports, a and b (folders or
#                   files), into the folder given as its argument
#   args            optional: options for `sarfs index` of both, one line;
#                   @IN@ stands for that folder (for profile files)
#   diffargs        optional: options for `sarfs diff` (e.g. --brief)
#   expected/rc     the exit status of `sarfs diff a b` (0 same, 1 differ)
#   expected/out    what it prints
#   expected/json   what `sarfs diff --json` prints
#
# Besides, for every case: the JSON and the text agree on every file and its
# change; `sarfs diff b a` gives each added file as removed and the other
# way round, with the same status; an index compared with itself has no
# differences; and the exports are left exactly as they were.
#
# SARFS_GOLDEN_UPDATE=1 rewrites expected/ from the current output (then
# review the diff: the expected files are the specification).
set -euo pipefail

: "${SARFS:?SARFS must name the sarfs binary}"
case_name=$1
dir="$(cd "$(dirname "$0")" && pwd)/$case_name"
[ -d "$dir" ] || { echo "no such case: $case_name" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/sarfs-diff.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache" TZ=UTC LC_ALL=C
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export SRCDIR
update=${SARFS_GOLDEN_UPDATE:-}
status=0

fail() { echo "FAIL [$case_name]: $*" >&2; status=1; }

mkdir "$work/in"
"$dir/make" "$work/in"
find "$work/in" -exec touch -h -d @1425290400 {} +
state() { (cd "$work/in" && find . -printf '%P %y %s %T@ %m\n' | sort && find . -type f -print0 | sort -z | xargs -0r sha256sum) | sha256sum; }
before=$(state)

args=()
[ -f "$dir/args" ] && read -r -a args < <(sed "s|@IN@|$work/in|g" "$dir/args")
dargs=()
[ -f "$dir/diffargs" ] && read -r -a dargs < "$dir/diffargs"

for side in a b; do
	"$SARFS" index "${args[@]}" "$work/in/$side" -o "$work/$side.sarfs" 2>"$work/$side.err" ||
		{ cat "$work/$side.err" >&2; fail "sarfs index $side failed"; exit 1; }
done

rc=0
"$SARFS" diff "${dargs[@]}" "$work/a.sarfs" "$work/b.sarfs" >"$work/out" 2>"$work/err" || rc=$?
[ -s "$work/err" ] && { cat "$work/err" >&2; fail "sarfs diff wrote to stderr"; }
echo "$rc" >"$work/rc"
jrc=0
"$SARFS" diff --json "${dargs[@]}" "$work/a.sarfs" "$work/b.sarfs" >"$work/json" || jrc=$?
[ "$jrc" = "$rc" ] || fail "--json exits $jrc, the text $rc"
# the work folder's name must not show
sed -i "s|$work|WORK|g" "$work/out" "$work/json"

compare() { # compare NAME ACTUAL-FILE
	local exp="$dir/expected/$1"
	if [ -n "$update" ]; then
		mkdir -p "$(dirname "$exp")"
		cp "$2" "$exp"
		return
	fi
	[ -f "$exp" ] || { fail "missing expected/$1"; return; }
	diff -u "$exp" "$2" >&2 || fail "$1 differs from expected/$1"
}
compare rc "$work/rc"
compare out "$work/out"
compare json "$work/json"

# the text's file list ("  CHANGE  PATH" lines after "Files:") is the JSON's
python3 - "$work/out" "$work/json" <<'PY' || fail "the text and the JSON disagree"
import json, sys
text = open(sys.argv[1], encoding='utf-8').read().split('\n')
j = json.load(open(sys.argv[2], encoding='utf-8'))
listed = []
if 'Files:' in text:
    for line in text[text.index('Files:') + 1:]:
        if not line.startswith('  ') or line.startswith('           '):
            if line.startswith('diff --git') or line == '':
                break
            continue
        change, path = line.split(None, 1)
        listed.append((change, path))
want = [(f['change'], (f['to'] or f['from'])['path']) for f in j['files']]
if listed != want:
    print('text:', listed[:5], '\njson:', want[:5], file=sys.stderr)
    sys.exit(1)
for name, c in j['folders'].items():
    n = sum(1 for f in j['files'] if f['folder'] == name)
    if n != sum(c.values()):
        print('folder', name, 'counts', c, 'but', n, 'files', file=sys.stderr)
        sys.exit(1)
PY

# the other way round: added and removed swap, nothing else moves
rrc=0
"$SARFS" diff --json "$work/b.sarfs" "$work/a.sarfs" >"$work/rjson" || rrc=$?
[ "$rrc" = "$rc" ] || fail "b a exits $rrc, a b $rc"
python3 - "$work/json" "$work/rjson" <<'PY' || fail "b against a is not a against b reversed"
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
swap = {'added': 'removed', 'removed': 'added', 'changed': 'changed', 'renamed': 'renamed'}
fa = sorted((swap[f['change']], json.dumps(f['to']), json.dumps(f['from'])) for f in a['files'])
fb = sorted((f['change'], json.dumps(f['from']), json.dumps(f['to'])) for f in b['files'])
if fa != fb:
    sys.exit(1)
gs = {'opened': 'closed', 'closed': 'opened', 'changed': 'changed'}
if sorted((gs[g['change']], g['path'], g['id']) for g in a['gaps']) != \
   sorted((g['change'], g['path'], g['id']) for g in b['gaps']):
    sys.exit(1)
PY

# an index compared with itself
src=0
"$SARFS" diff --brief "$work/a.sarfs" "$work/a.sarfs" >"$work/self" || src=$?
[ "$src" = 0 ] || fail "a against itself exits $src"
grep -q '^No differences: the [0-9]* files are the same, and so are the gaps\.$' "$work/self" ||
	fail "a against itself: $(tail -n 1 "$work/self")"

[ "$(state)" = "$before" ] || fail "the exports were modified"
exit $status
