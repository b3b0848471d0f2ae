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
check_logs
echo PASS
