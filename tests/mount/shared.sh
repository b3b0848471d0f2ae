#!/bin/bash
# Who else can read a mount. Without allow_other, no other user can (FUSE
# refuses them); with allow_other, others read what the modes allow
# (default_permissions: the kernel checks files 0444, folders 0555, minus
# -o umask), and never write; the cache holding the index is the mounting
# user's alone. Another user is "nobody", through runuser.
. "$(dirname "$0")/lib.sh"
require_fuse
[ "$(id -u)" -eq 0 ] || skip "acting as another user needs root here"
command -v runuser >/dev/null || skip "no runuser (package util-linux)"

# nobody may pass through $WORK (not list it) to reach the mount points
chmod 0711 "$WORK"
mkdir -m 0755 "$WORK/pub"
src="$WORK/export"
cp -a "$SRCDIR/samples/generic" "$src"
m="$WORK/pub/m"
as_nobody() { runuser -u nobody -- "$@"; }

# not shared: another user cannot even look
mount_sarfs "$src" "$m"
rc=0; out=$(as_nobody cat "$m/README.txt" 2>&1) || rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q "Permission denied" || fail "not shared, read by nobody: $rc $out"
unmount_sarfs "$m"

# shared: others read, never write
mount_sarfs "$src" "$m" -o allow_other
as_nobody cat "$m/raw/posts/posts.jsonl" | cmp - "$src/posts/posts.jsonl" || fail "shared: nobody cannot read"
expect_eq "shared: nobody reads an attribute" \
	"$(as_nobody getfattr --absolute-names --only-values -n user.sarfs.sha256 "$m/raw/posts/posts.jsonl")" \
	"$(sha256sum <"$src/posts/posts.jsonl" | cut -d' ' -f1)"
for attempt in "touch $m/new" "rm -f $m/README.txt" "mkdir $m/d" "setfattr -n user.x -v 1 $m/README.txt"; do
	rc=0; out=$(as_nobody sh -c "$attempt" 2>&1) || rc=$?
	[ $rc -ne 0 ] || fail "shared: '$attempt' succeeded for nobody"
	case $out in
	*"Read-only file system"* | *"Permission denied"*) ;;
	*) fail "shared: '$attempt' failed, but not with EROFS or EACCES: $out" ;;
	esac
done
unmount_sarfs "$m"

# shared, but -o umask=0077: the kernel refuses others by the modes
mount_sarfs "$src" "$m" -o allow_other,umask=0077
expect_eq "umask=0077: modes" "$(stat -c %a "$m/README.txt") $(stat -c %a "$m/raw")" "400 500"
rc=0; out=$(as_nobody cat "$m/README.txt" 2>&1) || rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q "Permission denied" || fail "umask=0077, read by nobody: $rc $out"
cat "$m/README.txt" >/dev/null || fail "umask=0077: the owner cannot read"
unmount_sarfs "$m"

# the cache: the folder and every index in it are the user's alone
expect_eq "cache folder mode" "$(stat -c %a "$XDG_CACHE_HOME/sarfs")" 700
for f in "$XDG_CACHE_HOME"/sarfs/*.sarfs; do
	expect_eq "index mode" "$(stat -c %a "$f")" 600
done
check_logs
echo PASS
