#!/bin/bash
# The command line: --help, --version, usage errors (status 2) and clear
# messages for a missing export, a missing mount point, and a file that is
# neither an export nor an index.
. "$(dirname "$0")/lib.sh"
require_fuse

"$SARFS" --help | grep -q '^usage: .* SOURCE \[SOURCE...\] MOUNTPOINT \[options\]' || fail "--help"
"$SARFS" --help | grep -q 'profile=NAME|FILE' || fail "--help lacks sarfs options"
"$SARFS" --version | grep -qE '^sarfs version [0-9]+\.[0-9]+\.[0-9]+ \(index format 3\)$' || fail "--version"

rc=0; out=$("$SARFS" 2>&1) || rc=$?
expect_eq "no arguments: status" "$rc" 2
rc=0; out=$("$SARFS" only-one-arg 2>&1) || rc=$?
expect_eq "one argument: status" "$rc" 2

mkdir "$WORK/m"
rc=0; out=$("$SARFS" "$WORK/nope.zip" "$WORK/m" 2>&1) || rc=$?
expect_eq "missing export: status" "$rc" 1
expect_eq "missing export: message" "$out" \
	"sarfs: error: cannot open '$WORK/nope.zip': No such file or directory
sarfs: cannot index '$WORK/nope.zip'"

rc=0; out=$("$SARFS" "$SRCDIR/samples/generic" "$WORK/no-such-dir" 2>&1) || rc=$?
[ $rc -ne 0 ] || fail "mounting on a missing mount point succeeded"
echo "$out" | grep -q "no-such-dir" || fail "the message does not name the mount point: $out"

# a damaged index is refused with a message, never served
"$SARFS" index "$SRCDIR/samples/generic" -o "$WORK/x.sarfs" 2>/dev/null
truncate -s 20000 "$WORK/x.sarfs"
rc=0; out=$("$SARFS" ls "$WORK/x.sarfs" 2>&1) || rc=$?
expect_eq "truncated index: status" "$rc" 1
echo "$out" | grep -qE "^sarfs: error: index '.*/x.sarfs' is truncated: 20000 bytes of [0-9]+$" ||
	fail "truncated index: message: $out"
rc=0; out=$("$SARFS" "$WORK/x.sarfs" "$WORK/m" 2>&1) || rc=$?
expect_eq "truncated index: mount status" "$rc" 1
mountpoint -q "$WORK/m" && fail "a truncated index was mounted"
# a cache folder others can write to is not used: an index put there by
# someone else would be shown as the export's tree
mkdir -m 0777 "$WORK/open-cache"
chmod 0777 "$WORK/open-cache"
for cmd in "ls --cache $WORK/open-cache" "mount"; do
	rc=0
	if [ "$cmd" = mount ]; then
		out=$("$SARFS" "$SRCDIR/samples/generic" "$WORK/m" -o "cache=$WORK/open-cache" 2>&1) || rc=$?
	else
		out=$("$SARFS" ls --cache "$WORK/open-cache" "$SRCDIR/samples/generic" 2>&1) || rc=$?
	fi
	expect_eq "open cache folder, $cmd: status" "$rc" 1
	echo "$out" | grep -qx "sarfs: error: cache folder '$WORK/open-cache' is writable by others; not used: an index someone else put there would be shown as your export (give a folder only you can write to)" ||
		fail "open cache folder, $cmd: message: $out"
done
mountpoint -q "$WORK/m" && fail "mounted with a cache others can write to"
expect_eq "nothing written to the open cache folder" "$(ls -A "$WORK/open-cache")" ""

# the index is never written into the export, not even when asked to
cp -a "$SRCDIR/samples/generic" "$WORK/exp"
before=$(tree_state "$WORK/exp")
rc=0; out=$("$SARFS" index "$WORK/exp" -o "$WORK/exp/x.sarfs" 2>&1) || rc=$?
expect_eq "index inside the export: status" "$rc" 1
expect_eq "index inside the export: message" "$out" \
	"sarfs: error: '$WORK/exp/x.sarfs' is inside the export '$WORK/exp', which sarfs never writes to; write the index elsewhere"
expect_eq "export untouched" "$(tree_state "$WORK/exp")" "$before"
echo PASS
