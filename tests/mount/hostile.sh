#!/bin/bash
# A hostile archive mounts: names that try to climb out stay inside the
# mount, nothing is created outside it, links are not followed, and the
# readable rest is all there.
. "$(dirname "$0")/lib.sh"
require_fuse

python3 - "$WORK/evil.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    for name, data in [('../../escaped.txt', b'x\n'), ('/tmp/abs.txt', b'y\n'),
                       ('ok/data.json', b'[{"id": "fine"}]'), ('bad.json', b'[{"a": }, {"id": "kept"}]')]:
        z.writestr(zipfile.ZipInfo(name, date_time=(2015, 3, 2, 10, 0, 0)), data)
PY
ln -s /etc "$WORK/etc-link"
mkdir "$WORK/folder" && ln -s /etc/passwd "$WORK/folder/passwd" && echo hi >"$WORK/folder/hi.txt"

m="$WORK/m"
mount_sarfs "$WORK/evil.zip" "$m"
# every path find prints is under the mount
out=$(find "$m" -print | grep -v "^$m" || true)
expect_eq "paths outside the mount" "$out" ""
expect_eq "escaped names" "$(cd "$m/raw" && find . -type f | LC_ALL=C sort)" \
	"$(printf './%%2E%%2E/%%2E%%2E/escaped.txt\n./bad.json\n./ok/data.json\n./tmp/abs.txt')"
[ ! -e "$WORK/escaped.txt" ] && [ ! -e /tmp/abs.txt ] || fail "something was written outside"
[ -f "$m/records/bad.json/kept.json" ] || fail "the good record after a bad one is missing"
grep -q "^bad.json:1:8: error: unexpected token near '}'" "$m/PROBLEMS.txt" || fail "PROBLEMS.txt: $(cat "$m/PROBLEMS.txt")"
unmount_sarfs "$m"

mount_sarfs "$WORK/folder" "$m"
expect_eq "symlink not followed" "$(ls "$m/raw")" "hi.txt"
grep -q "^passwd: warning: symbolic link to '/etc/passwd'; not followed, not shown" "$m/PROBLEMS.txt" ||
	fail "symlink not reported"
unmount_sarfs "$m"
# one name twice in a zip, with different contents, in either order: the
# same tree, down to which record is 000001 and which 000001~2
python3 - "$WORK" <<'PY'
import sys, zipfile
for name, order in (('ab.zip', ['aaaa', 'bbbb']), ('ba.zip', ['bbbb', 'aaaa'])):
    with zipfile.ZipFile(sys.argv[1] + '/' + name, 'w') as z:
        for v in order:
            z.writestr(zipfile.ZipInfo('x.json', date_time=(2015, 3, 2, 10, 0, 0)), '[{"v": "%s"}]' % v)
PY
for z in ab ba; do
	"$SARFS" index "$WORK/$z.zip" -o "$WORK/$z.sarfs" 2>/dev/null
	"$SARFS" extract "$WORK/$z.sarfs" "$WORK/ex-$z"
done
diff -r -x README.txt "$WORK/ex-ab" "$WORK/ex-ba" || fail "duplicate members: the tree depends on member order"
expect_eq "duplicate members: both kept" "$(cd "$WORK/ex-ab" && find raw records -type f | LC_ALL=C sort)" \
	"$(printf 'raw/x.json\nraw/x~2.json\nrecords/x.json/000001.json\nrecords/x.json/000001~2.json')"

# paths longer than PATH_MAX (4096) and names cut to 255 bytes, mounted:
# every file is reached by walking (find, cd one folder at a time), none
# by its whole path, which the kernel refuses
mkdir "$WORK/long"
"$SRCDIR/tests/golden/tar-long-paths/make" "$WORK/long"
mount_sarfs "$WORK/long/long.tar" "$m"
expect_eq "files under raw/" "$(find "$m/raw" -type f | wc -l)" 6
deep=$(cd "$m/raw" && find . -name leaf.txt -path './p*')
[ ${#deep} -gt 4096 ] || fail "the deep path is only ${#deep} bytes"
rc=0; cat "$m/raw/$deep" >/dev/null 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "a path of ${#deep} bytes was opened whole"
got=$(cd "$m/raw" && for p in $(dirname "$deep" | tr '/' ' '); do cd "$p"; done && cat leaf.txt)
expect_eq "the leaf, walked to" "$got" "6000 bytes of path"
while IFS= read -r -d '' f; do
	n=$(basename "$f" | wc -c)
	[ "$n" -le 256 ] || fail "a name of $((n - 1)) bytes: $f"
done < <(find "$m" -print0)
unmount_sarfs "$m"

check_logs
echo PASS
