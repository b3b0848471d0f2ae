#!/bin/bash
# 100,000 files in one folder: a zip whose members are all in many/ (with
# names in mixed case, non-ASCII, with spaces, and twelve members that
# share one name). Mounted, the folder lists exactly 100,000 unique names,
# in byte order (readdir's own order, read in many getdents calls), equal
# to the names the export holds; find walks them all; a file deep in the
# listing reads back its bytes.
. "$(dirname "$0")/lib.sh"
require_fuse

python3 - "$WORK/many.zip" "$WORK/expected" <<'PY'
import hashlib, sys, zipfile
names = []
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED) as z:
    def add(name, data):
        z.writestr(zipfile.ZipInfo('many/' + name, date_time=(2015, 3, 2, 10, 0, 0)), data)
    for i in range(99988):
        h = hashlib.sha256(str(i).encode()).hexdigest()[:8]
        name = '%s-%06d%s' % (h, i, ['.txt', '.TXT', '_\u00e9.txt', ' x.txt'][i % 4])
        add(name, b'%d\n' % i)
        names.append(name)
    # twelve members with one name: same.txt, same~2.txt ... same~12.txt
    for k in range(12):
        add('same.txt', b'copy %d\n' % k)
    names += ['same.txt'] + ['same~%d.txt' % k for k in range(2, 13)]
with open(sys.argv[2], 'wb') as f:
    f.write(b''.join(n + b'\n' for n in sorted(x.encode() for x in names)))
PY
expect_eq "names written" "$(wc -l <"$WORK/expected")" 100000

m="$WORK/m"
mount_sarfs "$WORK/many.zip" "$m"
d="$m/raw/many"
expect_eq "ls | wc -l" "$(ls "$d" | wc -l)" 100000
# readdir's own order (ls -f does not sort) is byte order, with no name twice
ls -f "$d" | grep -vx -e . -e .. >"$WORK/readdir"
LC_ALL=C sort -u "$WORK/readdir" >"$WORK/sorted"
cmp -s "$WORK/readdir" "$WORK/sorted" || fail "readdir order is not byte order, or a name is listed twice"
cmp -s "$WORK/readdir" "$WORK/expected" ||
	fail "the names differ from the export's: $(diff "$WORK/expected" "$WORK/readdir" | head -5)"
expect_eq "find -type f" "$(find "$m/raw" -type f | wc -l)" 100000
expect_eq "find, unique paths" "$(find "$m" | LC_ALL=C sort -u | wc -l)" "$(find "$m" | wc -l)"
# the twelve copies of one name, told apart by content, in a stable order
for k in 1 5 12; do
	f=same.txt
	[ $k -gt 1 ] && f="same~$k.txt"
	[ -f "$d/$f" ] || fail "$f missing"
done
expect_eq "a file deep in the listing" "$(cat "$d/$(sed -n 77777p "$WORK/expected")")" \
	"$(sed -n 77777p "$WORK/expected" | sed -E 's/^[0-9a-f]{8}-0*([0-9]+).*/\1/')"
expect_eq "st_nlink of the folder" "$(stat -c %h "$d")" 2
unmount_sarfs "$m"
check_logs
echo PASS
