#!/bin/bash
# Mounting the way /etc/fstab does: mount(8) runs mount.fuse3, which runs
# `sarfs SOURCE MOUNTPOINT -o opts` and lets it daemonize.
. "$(dirname "$0")/lib.sh"
require_fuse
[ "$(id -u)" -eq 0 ] || skip "mount(8) with a fuse.sarfs type needs root here"
command -v mount.fuse3 >/dev/null || skip "no mount.fuse3 (package fuse3)"

src="$WORK/export"
cp -a "$SRCDIR/samples/generic" "$src"
m="$WORK/m"
mkdir "$m"
MOUNTS+=("$m")
watch_source "$src" "$m"
# mount(8) gives helpers a fixed PATH, so name the program in the source
# ("fuse" type, PROGRAM#SOURCE), as an fstab line may; an installed sarfs
# is found by "fuse.sarfs" alone.
mount -t fuse "$SARFS#$src" "$m" -o "noatime,cache=$WORK/fstab-cache,quiet" ||
	fail "mount -t fuse $SARFS#... failed"
mountpoint -q "$m" || fail "not mounted"
expect_eq "fstype" "$(findmnt -n -o FSTYPE "$m")" "fuse.sarfs"
findmnt -n -o OPTIONS "$m" | grep -q '^ro,' || fail "not mounted read-only: $(findmnt -n -o OPTIONS "$m")"
cmp "$src/posts/posts.jsonl" "$m/raw/posts/posts.jsonl" || fail "content"
[ -d "$WORK/fstab-cache" ] || fail "-o cache= ignored"
pid=$(pgrep -f "sarfs $src $m" | head -n 1)
[ -n "$pid" ] || fail "no daemon process"
umount "$m" || fail "umount"
for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "the daemon did not exit after umount"
check_source "$m"
echo PASS
