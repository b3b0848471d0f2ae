#!/bin/bash
# Eight readers at once over a mounted export of 100,000 records (written
# by tools/benchgen.py), bounded by work, not by time: each walks the tree
# a fixed number of times (SARFS_CONC_WALKS; default 2, or 1 where a
# sanitizer slows the daemon down).
#
#   grep -r     counts the files holding NEEDLE (one record in a hundred)
#   find        counts the files
#   cat         hashes every record file, concatenated in name order
#   getfattr    dumps every file's user.sarfs.sha256 (extended attributes
#               are never cached by the kernel: each is a request)
#   4 x verify  read their share of the files (in different orders) and
#               compare every byte with the file's user.sarfs.sha256;
#               after each file they drop its pages from the kernel's
#               cache, so the next walk asks the daemon again
#
# The daemon answers on one thread while two pushers store files ahead of
# readers from their own SQLite connections; tools/test.sh runs this with
# the daemon under ASan and under TSan, where any report fails the test.
# Every reader must see the same bytes and attributes on every walk as a
# reader alone sees after them, and every byte must match its hash.
. "$(dirname "$0")/lib.sh"
require_fuse

if [ "${SARFS_SANITIZED:-none}" = none ]; then
	walks=${SARFS_CONC_WALKS:-2}
else
	walks=${SARFS_CONC_WALKS:-1}
fi
mkdir "$WORK/export"
python3 "$SRCDIR/tools/benchgen.py" --small jsonl 100000 "$WORK/export/posts.jsonl"
m="$WORK/m"
mount_sarfs "$WORK/export" "$m"
r="$m/records/posts.jsonl"
[ -f "$r/1.json" ] && [ -f "$r/100000.json" ] || fail "records missing"
nfiles=$(find "$m" -type f | wc -l)
expect_eq "files in the tree" "$nfiles" 100002	# README.txt, raw/posts.jsonl, the records

verify() { # verify SHARE ORDER: reads files k with k % 4 == SHARE
	python3 - "$m" "$1" "$2" "$walks" <<'PY'
import hashlib, os, random, sys
root, share, order, walks = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
files = []
for dp, dns, fns in os.walk(root):
    dns.sort()
    files += [os.path.join(dp, f) for f in sorted(fns)]
mine = files[share::4]
if order == 'reverse':
    mine.reverse()
elif order == 'random':
    random.Random(share).shuffle(mine)
checked = 0
for w in range(walks):
    for p in mine:
        fd = os.open(p, os.O_RDONLY)
        try:
            parts = []
            while True:
                b = os.read(fd, 1 << 17)
                if not b:
                    break
                parts.append(b)
            # the next walk reads from the daemon again, not the page cache
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
        data = b''.join(parts)
        want = os.getxattr(p, 'user.sarfs.sha256').decode()
        if hashlib.sha256(data).hexdigest() != want:
            sys.exit('bytes of %s do not match user.sarfs.sha256' % p)
        if len(data) != os.stat(p).st_size:
            sys.exit('size of %s is not the number of bytes read' % p)
        checked += 1
print(checked)
PY
}

cat_all() { (cd "$r" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 cat | sha256sum); }
# getfattr fails for folders (they have no such attribute): its messages
# are part of what is compared
attrs_all() { (cd "$m" && { getfattr -R -n user.sarfs.sha256 . 2>&1 || true; } | sha256sum); }

pids=()
for w in $(seq 1 "$walks"); do grep -rl NEEDLE "$r" | wc -l; done >"$WORK/out.grep" 2>&1 & pids+=($!)
for w in $(seq 1 "$walks"); do find "$m" -type f | wc -l; done >"$WORK/out.find" 2>&1 & pids+=($!)
for w in $(seq 1 "$walks"); do cat_all; done >"$WORK/out.cat" 2>&1 & pids+=($!)
for w in $(seq 1 "$walks"); do attrs_all; done >"$WORK/out.attr" 2>&1 & pids+=($!)
verify 0 forward >"$WORK/out.v0" 2>&1 & pids+=($!)
verify 1 reverse >"$WORK/out.v1" 2>&1 & pids+=($!)
verify 2 random >"$WORK/out.v2" 2>&1 & pids+=($!)
verify 3 forward >"$WORK/out.v3" 2>&1 & pids+=($!)
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ $failed -eq 0 ] || fail "a reader failed: $(tail -n 3 "$WORK"/out.*)"

# what each reader saw, on every walk, against one reader alone now
expect_eq "grep -r, every walk" "$(sort -u "$WORK/out.grep")" 1000
expect_eq "find, every walk" "$(sort -u "$WORK/out.find")" "$nfiles"
expect_eq "cat, every walk" "$(sort -u "$WORK/out.cat")" "$(cat_all)"
expect_eq "getfattr, every walk" "$(sort -u "$WORK/out.attr")" "$(attrs_all)"
expect_eq "bytes checked" "$(cat "$WORK"/out.v? | awk '{ s += $1 } END { print s }')" $((nfiles * walks))
unmount_sarfs "$m"
check_logs
echo PASS
