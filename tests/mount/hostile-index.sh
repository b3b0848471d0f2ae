#!/bin/bash
# An index is input too: it may come from someone else (a shared view).
# One whose names try to climb out, or whose schema holds a view that never
# ends, is refused; nothing is written outside the target of extract; a
# mount of a damaged tree answers EIO rather than serving it.
. "$(dirname "$0")/lib.sh"
require_fuse

"$SARFS" index "$SRCDIR/samples/generic" -o "$WORK/good.sarfs" 2>/dev/null
sql() { python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()" "$@"; }

# a node named ../../escaped.txt
cp "$WORK/good.sarfs" "$WORK/evil.sarfs"
sql "$WORK/evil.sarfs" "UPDATE node SET name = CAST('../../escaped.txt' AS BLOB) WHERE name = CAST('README.txt' AS BLOB);"
mkdir -p "$WORK/a/b"
rc=0; out=$("$SARFS" extract "$WORK/evil.sarfs" "$WORK/a/b/out" 2>&1) || rc=$?
expect_eq "extract of a hostile index: status" "$rc" 1
echo "$out" | grep -q "the index is damaged" || fail "extract message: $out"
[ ! -e "$WORK/escaped.txt" ] && [ ! -e "$WORK/a/escaped.txt" ] || fail "extract wrote outside its target"
rc=0; "$SARFS" ls "$WORK/evil.sarfs" >/dev/null 2>&1 || rc=$?
expect_eq "ls of a hostile index: status" "$rc" 1

# a name with a terminal escape, mounted: the directory cannot be listed
cp "$WORK/good.sarfs" "$WORK/esc.sarfs"
sql "$WORK/esc.sarfs" "UPDATE node SET name = CAST(X'1B5B324A' AS BLOB) WHERE name = CAST('README.txt' AS BLOB);"
mount_sarfs "$WORK/esc.sarfs" "$WORK/m"
rc=0; out=$(ls "$WORK/m" 2>&1) || rc=$?
[ $rc -ne 0 ] || fail "a directory with an unsafe name was listed: $out"
echo "$out" | grep -q "Input/output error" || fail "expected EIO, got: $out"
[ -d "$WORK/m/raw" ] || fail "the rest of the tree is not served"
unmount_sarfs "$WORK/m"

# the node table replaced by a view that never ends
cp "$WORK/good.sarfs" "$WORK/view.sarfs"
sql "$WORK/view.sarfs" "ALTER TABLE node RENAME TO n2; CREATE VIEW node AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT * FROM n2, r;"
rc=0; out=$(timeout 20 "$SARFS" ls "$WORK/view.sarfs" 2>&1) || rc=$?
expect_eq "a view in the schema: status" "$rc" 1
expect_eq "a view in the schema: message" "$out" \
	"sarfs: error: index '$WORK/view.sarfs' does not have the structure of a sarfs index; not used"
rc=0; timeout 20 "$SARFS" "$WORK/view.sarfs" "$WORK/m" 2>/dev/null || rc=$?
expect_eq "a view in the schema: mount status" "$rc" 1

# ---- sarfs diff and the side-by-side mount over damaged indexes ----------
"$SARFS" index "$SRCDIR/samples/coursera-2015" -o "$WORK/c15.sarfs" 2>/dev/null
"$SARFS" index "$SRCDIR/samples/coursera-2016" -o "$WORK/c16.sarfs" 2>/dev/null

# two folders listing the same children: walked as a graph, every path
# would come once per way to it (exponentially many with depth)
cp "$WORK/c16.sarfs" "$WORK/shared-range.sarfs"
sql "$WORK/shared-range.sarfs" "UPDATE node SET first = (SELECT first FROM node WHERE name = CAST('raw' AS BLOB) AND parent = 1), nchild = (SELECT nchild FROM node WHERE name = CAST('raw' AS BLOB) AND parent = 1) WHERE name = CAST('timing' AS BLOB) AND parent = 1;"
rc=0; out=$(timeout 20 "$SARFS" diff "$WORK/c15.sarfs" "$WORK/shared-range.sarfs" 2>&1 >/dev/null) || rc=$?
expect_eq "diff with a folder listing another's children: status" "$rc" 2
bad=$(python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT first FROM node WHERE name = CAST('raw' AS BLOB) AND parent = 1\").fetchone()[0])" "$WORK/shared-range.sarfs")
expect_eq "diff with a folder listing another's children: message" "$out" \
	"sarfs: error: the second index is damaged (node $bad); not compared"

# a node found by name that is not in its folder's range, with an id that
# reaches into the next export's inodes
cp "$WORK/c15.sarfs" "$WORK/alias.sarfs"
sql "$WORK/alias.sarfs" "INSERT INTO node (id, parent, name, dir, size, mtime, chunk0, blob, origin) SELECT (1 << 48) | 2, 1, CAST('alias' AS BLOB), 0, size, mtime, chunk0, blob, origin FROM node WHERE id = 2;"
# as-of facts that are no dates: the labels must still be names
cp "$WORK/c16.sarfs" "$WORK/slash.sarfs"
sql "$WORK/slash.sarfs" "UPDATE meta SET value = '2016/02/01T09:30:00Z' WHERE key = 'asof';"
cp "$WORK/c16.sarfs" "$WORK/readme.sarfs"
sql "$WORK/readme.sarfs" "UPDATE meta SET value = 'README.txt' WHERE key = 'asof';"
mount_sarfs_many "$WORK/m" "$WORK/alias.sarfs" "$WORK/slash.sarfs" "$WORK/readme.sarfs"
expect_eq "labels of as-of facts that are no dates" "$(ls "$WORK/m")" \
"2014-11-24
README.txt
changes
unknown-date
unknown-date~2"
head -n 1 "$WORK/m/README.txt" | grep -q . || fail "the mount's README.txt is not sarfs's"
rc=0; out=$(stat "$WORK/m/2014-11-24/alias" 2>&1) || rc=$?
echo "$out" | grep -q "Input/output error" || fail "a node outside its folder's range was served: $out"
cmp -s "$WORK/m/2014-11-24/MISSING.txt" <("$SARFS" cat "$WORK/c15.sarfs" MISSING.txt) ||
	fail "the rest of the damaged export is not served"
unmount_sarfs "$WORK/m"

# what cannot be written is trouble, not "the exports differ"
rc=0; out=$("$SARFS" diff "$WORK/c15.sarfs" "$WORK/c16.sarfs" 2>&1 >/dev/full) || rc=$?
expect_eq "diff >/dev/full: status" "$rc" 2
case $out in
"sarfs: cannot write the output"*) ;;
*) fail "diff >/dev/full: message: $out" ;;
esac
rc=0; out=$("$SARFS" diff --json --brief "$WORK/c15.sarfs" "$WORK/c16.sarfs" 2>&1 >/dev/full) || rc=$?
expect_eq "diff --json >/dev/full: status" "$rc" 2
case $out in
"sarfs: cannot write the output"*) ;;
*) fail "diff --json >/dev/full: message: $out" ;;
esac

# a source whose name is not UTF-8: --json still answers, escaped
weird=$WORK/$'caf\xe9-2015'
cp -a "$SRCDIR/samples/coursera-2015" "$weird"
rc=0; "$SARFS" diff --json --brief "$weird" "$WORK/c15.sarfs" >"$WORK/weird.json" 2>"$WORK/weird.err" || rc=$?
expect_eq "diff --json of a non-UTF-8 source name: status (README.txt names the source)" "$rc" 1
expect_eq "diff --json of a non-UTF-8 source name: source" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["from"]["source"])' "$WORK/weird.json")" \
	"caf%E9-2015"
check_logs
echo PASS
