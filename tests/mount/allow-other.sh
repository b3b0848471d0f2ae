#!/bin/bash
# Sharing a live mount with another account (a lawyer's): without
# -o allow_other no other user gets in, whatever the modes; with it, the
# kernel checks uid=, gid= and umask= (default_permissions): a member of
# the group reads, anyone else is refused. A user who asks for allow_other
# while fuse.conf does not allow it is told at once, with the fix.
# Needs root (to mount for other users and to act as them): skipped
# otherwise.
. "$(dirname "$0")/lib.sh"
require_fuse
[ "$(id -u)" -eq 0 ] || skip "needs root to act as other users"
command -v setpriv >/dev/null || skip "no setpriv (package util-linux)"
getent passwd nobody >/dev/null && getent group nogroup >/dev/null ||
	skip "no user nobody or group nogroup"

# other users must be able to reach the mount points
chmod 755 "$WORK"
"$SARFS" index "$SRCDIR/samples/generic" -o "$WORK/x.sarfs" 2>/dev/null
chmod 644 "$WORK/x.sarfs"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --init-groups "$@"; }
as_daemon() { setpriv --reuid=daemon --regid=daemon --clear-groups "$@"; }

# without allow_other: the mounting user only, even with every mode open
mount_sarfs "$WORK/x.sarfs" "$WORK/m1"
chmod 755 "$WORK/m1" 2>/dev/null || true
head -c1 "$WORK/m1/README.txt" >/dev/null || fail "root cannot read its own mount"
as_nobody cat "$WORK/m1/README.txt" >/dev/null 2>&1 && fail "another user read a mount without allow_other"
unmount_sarfs "$WORK/m1"

# with allow_other, group nogroup by name, umask 0227: files 0440, folders 0550
mount_sarfs "$WORK/x.sarfs" "$WORK/m2" -o allow_other,gid=nogroup,umask=0227
expect_eq "modes and group" "$(stat -c '%a %G' "$WORK/m2/README.txt" "$WORK/m2/raw")" \
	"440 nogroup
550 nogroup"
as_nobody head -n 1 "$WORK/m2/README.txt" | grep -q '^sarfs: a read-only view' ||
	fail "a member of the group cannot read"
as_nobody ls "$WORK/m2/raw" >/dev/null || fail "a member of the group cannot list"
rc=0; out=$(as_daemon cat "$WORK/m2/README.txt" 2>&1) || rc=$?
[ $rc -ne 0 ] || fail "a user outside the group read the mount"
echo "$out" | grep -q "Permission denied" || fail "expected EACCES, got: $out"
unmount_sarfs "$WORK/m2"

# uid= by name; an unknown name is an error
mount_sarfs "$WORK/x.sarfs" "$WORK/m3" -o allow_other,uid=nobody,umask=0277
expect_eq "owner" "$(stat -c '%a %U' "$WORK/m3/README.txt")" "400 nobody"
as_nobody head -c1 "$WORK/m3/README.txt" >/dev/null || fail "the owner given with uid= cannot read"
unmount_sarfs "$WORK/m3"
rc=0; out=$("$SARFS" "$WORK/x.sarfs" "$WORK/m3" -o gid=no-such-group-here 2>&1) || rc=$?
expect_eq "unknown group: status" "$rc" 1
expect_eq "unknown group: message" "$out" "sarfs: -o gid=no-such-group-here: no such group"

# a user asking for allow_other where fuse.conf does not allow it: refused
# before anything is built, with the fix (SARFS_FUSE_CONF stands in for
# /etc/fuse.conf, which a test must not change)
cp "$SARFS" "$WORK/sarfs" && chmod 755 "$WORK/sarfs"
mkdir -p "$WORK/m4" && chmod 777 "$WORK/m4"
printf '# mount_max = 1000\n#user_allow_other\n' >"$WORK/fuse.conf"
rc=0; out=$(SARFS_FUSE_CONF="$WORK/fuse.conf" as_nobody "$WORK/sarfs" "$WORK/x.sarfs" "$WORK/m4" \
	-o allow_other 2>&1) || rc=$?
expect_eq "allow_other refused: status" "$rc" 1
expect_eq "allow_other refused: message" "$out" \
	"sarfs: -o allow_other: $WORK/fuse.conf does not let users other than root use it;
sarfs: add the line 'user_allow_other' to it (as root:
sarfs:     echo user_allow_other >> $WORK/fuse.conf), or mount as root"
mountpoint -q "$WORK/m4" && fail "mounted despite the refusal"
# with the line, sarfs does not stop there (whatever fusermount3 says next)
printf '  user_allow_other  \n' >"$WORK/fuse.conf"
rc=0; out=$(SARFS_FUSE_CONF="$WORK/fuse.conf" timeout 20 setpriv --reuid=nobody --regid=nogroup \
	--init-groups "$WORK/sarfs" "$WORK/x.sarfs" "$WORK/m4" -o allow_other,quiet 2>&1) || rc=$?
echo "$out" | grep -q "does not let users other than root" && fail "refused with user_allow_other set"
if mountpoint -q "$WORK/m4"; then
	MOUNTS+=("$WORK/m4")
	fusermount3 -u "$WORK/m4" || umount -l "$WORK/m4"
fi

check_logs
echo PASS
