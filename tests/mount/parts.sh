#!/bin/bash
# One export delivered in several parts (Google Takeout's -001.zip,
# -002.zip, ...) mounts as one tree, whatever the order the parts are
# named in; its SHA-256 is what `sha256sum PART... | sha256sum` gives; a
# member that two parts both hold is kept twice; -o compare shows the same
# archives side by side instead, and -o parts merges archives named
# otherwise.
. "$(dirname "$0")/lib.sh"
require_fuse

mkdir "$WORK/in"
python3 - "$WORK/in" <<'PY'
import sys, zipfile
top = sys.argv[1]
parts = {
    1: {'Takeout/YouTube/history.json':
        b'[{"id": "v1", "title": "cat video", "time": "2023-01-02T10:00:00Z"}]\n',
        'Takeout/archive_browser.html': b'<html>part one</html>\n'},
    2: {'Takeout/Mail/mail.jsonl':
        b'{"id": "m1", "subject": "hello", "date": "2023-03-04T10:00:00Z"}\n',
        'Takeout/archive_browser.html': b'<html>two</html>\n'},
    3: {'Takeout/Drive/notes.txt': b'shopping list\n'},
}
for n, files in parts.items():
    with zipfile.ZipFile('%s/takeout-20240115T101010Z-%03d.zip' % (top, n), 'w') as z:
        for name, data in sorted(files.items()):
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 15, 10, 10, 10)), data)
PY
cd "$WORK/in"
p1=takeout-20240115T101010Z-001.zip p2=takeout-20240115T101010Z-002.zip p3=takeout-20240115T101010Z-003.zip
before=$(tree_state "$WORK/in")
m=$WORK/m

# named out of order: detected as parts, read in their numbers' order
mount_sarfs_many "$m" "$WORK/in/$p3" "$WORK/in/$p1" "$WORK/in/$p2"
expect_eq "merged tree" "$(cd "$m/raw" && find . -type f | LC_ALL=C sort)" \
"./Takeout/Drive/notes.txt
./Takeout/Mail/mail.jsonl
./Takeout/YouTube/history.json
./Takeout/archive_browser.html
./Takeout/archive_browser~2.html"
# (part two's copy has the smaller SHA-256: the part's number decides)
expect_eq "the first part's copy keeps the name" "$(cat "$m/raw/Takeout/archive_browser.html")" \
	"<html>part one</html>"
expect_eq "records from two parts" "$(cd "$m/records" && find . -type f | LC_ALL=C sort)" \
"./Takeout/Mail/mail.jsonl/m1.json
./Takeout/YouTube/history.json/v1.json"
grep -q "^Source:     $p1 (zip archive, 3 parts)$" "$m/README.txt" || fail "README.txt Source line"
expect_eq "SHA-256 of the parts" "$(awk '/^SHA-256:/ { print $2 }' "$m/README.txt")" \
	"$(sha256sum "$p1" "$p2" "$p3" | sha256sum | cut -d' ' -f1)"
grep -q "^            $(sha256sum "$p3" | cut -d' ' -f1)  $p3$" "$m/README.txt" ||
	fail "README.txt does not list the third part's SHA-256"
unmount_sarfs "$m"

# the same archives, as exports to compare
mount_sarfs_many "$m" "$WORK/in/$p1" "$WORK/in/$p2" -- -o compare
expect_eq "side by side" "$(ls "$m" | tr '\n' ' ')" \
	"2023-01-02 2023-03-04 README.txt changes "
unmount_sarfs "$m"

# parts named otherwise, merged when asked
cp "$p1" "$WORK/first.zip"
cp "$p2" "$WORK/second.zip"
mount_sarfs_many "$m" "$WORK/first.zip" "$WORK/second.zip" -- -o parts
[ -f "$m/raw/Takeout/Mail/mail.jsonl" ] && [ -f "$m/raw/Takeout/YouTube/history.json" ] ||
	fail "-o parts did not merge"
unmount_sarfs "$m"

# a folder is not a part
mkdir "$WORK/folder-002"
rc=0; out=$("$SARFS" index "$WORK/in/$p1" "$WORK/folder-002" -o "$WORK/x.sarfs" 2>&1) || rc=$?
expect_eq "folder as a part: status" "$rc" 1
echo "$out" | grep -qF "sarfs: error: '$WORK/folder-002' is a folder: the parts of an export are archives" ||
	fail "folder as a part: message: $out"
[ ! -e "$WORK/x.sarfs" ] || fail "an index was left behind"

expect_eq "parts untouched" "$(tree_state "$WORK/in")" "$before"
check_logs
echo PASS
