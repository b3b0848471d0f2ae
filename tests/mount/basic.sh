#!/bin/bash
# A real mount of the generic sample: layout, exact bytes and sizes,
# provenance attributes, record contents and times, grep and find, EROFS
# for every write, a built index mounted alone, and the source untouched.
. "$(dirname "$0")/lib.sh"
require_fuse

src="$WORK/export"
cp -a "$SRCDIR/samples/generic" "$src"
before=$(tree_state "$src")
parent_before=$(ls -a "$WORK")

m="$WORK/m"
mount_sarfs "$src" "$m"

# the top level
expect_eq "top level" "$(ls "$m")" "$(printf 'PROBLEMS.txt\nREADME.txt\nraw\nrecords')"
grep -qx 'activity/logins.csv:1:1: note: the text before line 4 is a preamble, not rows' "$m/PROBLEMS.txt" || fail "PROBLEMS.txt lacks the preamble note"

# raw/: every file of the export, byte for byte, and nothing else
expect_eq "raw file list" "$(cd "$m/raw" && find . | LC_ALL=C sort)" \
	"$(cd "$src" && find . | LC_ALL=C sort)"
while IFS= read -r -d '' f; do
	cmp "$src/$f" "$m/raw/$f" || fail "raw/$f differs from the export's file"
	expect_eq "user.sarfs.sha256 of raw/$f" \
		"$(getfattr --absolute-names --only-values -n user.sarfs.sha256 "$m/raw/$f")" \
		"$(sha256sum <"$src/$f" | cut -d' ' -f1)"
	expect_eq "user.sarfs.source of raw/$f" \
		"$(getfattr --absolute-names --only-values -n user.sarfs.source "$m/raw/$f")" "${f#./}"
done < <(cd "$src" && find . -type f -print0)

# every file, read cold (so most bytes arrive pushed ahead of the reader
# into the page cache, the rest by READ), is exactly what its SHA-256
# attribute says, and was recorded at build time
while IFS= read -r -d '' f; do
	expect_eq "bytes of ${f#"$m"/}" "$(sha256sum <"$f" | cut -d' ' -f1)" \
		"$(getfattr --absolute-names --only-values -n user.sarfs.sha256 "$f")"
done < <(find "$m" -type f -print0)

# st_size is exactly the number of bytes read, for every file
while IFS= read -r -d '' f; do
	expect_eq "size of $f" "$(stat -c %s "$f")" "$(wc -c <"$f")"
done < <(find "$m" -type f -print0)

# a CSV row (preamble skipped, quotes undone), named by its id, timed by its data
expect_eq "logins row 9303" "$(cat "$m/records/activity/logins.csv/9303.json")" '{
  "device": "Chrome 40, Linux",
  "id": "9303",
  "ip_address": "203.0.113.99",
  "location": "Lagos, NG",
  "result": "failed: wrong password",
  "timestamp": "2015-03-01T22:48:30Z"
}'
expect_eq "mtime of row 9303" "$(stat -c %Y "$m/records/activity/logins.csv/9303.json")" 1425250110
expect_eq "quoted quotes" "$(grep '"result"' "$m/records/activity/logins.csv/9304.json")" \
	'  "result": "failed: blocked, \"suspicious location\"",'
expect_eq "source of row 9303" \
	"$(getfattr --absolute-names --only-values -n user.sarfs.source "$m/records/activity/logins.csv/9303.json")" \
	"activity/logins.csv, row 3, line 7"
expect_eq "source_sha256 of row 9303" \
	"$(getfattr --absolute-names --only-values -n user.sarfs.source_sha256 "$m/records/activity/logins.csv/9303.json")" \
	"$(sha256sum <"$src/activity/logins.csv" | cut -d' ' -f1)"

# a JSON Lines record, with its zone-qualified time as mtime
expect_eq "post 70011 mtime" "$(stat -c %Y "$m/records/posts/posts.jsonl/70011.json")" 1414941600
expect_eq "post 70011 source" \
	"$(getfattr --absolute-names --only-values -n user.sarfs.source "$m/records/posts/posts.jsonl/70011.json")" \
	"posts/posts.jsonl, line 1"

# a top-level object: its array of objects is a folder, the rest one record
expect_eq "inbox records" "$(cd "$m/records/messages/inbox.json" && find . -type f | LC_ALL=C sort)" \
	"$(printf './conversations/c-18842.json\n./conversations/c-19007.json\n./record.json')"
expect_eq "inbox rest" "$(cat "$m/records/messages/inbox.json/record.json")" '{
  "blocked_users": [
    "spam.bot.4411"
  ]
}'
expect_eq "profile mtime" "$(stat -c %Y "$m/records/account/profile.json/record.json")" 1347609731

# grep finds text that the export escaped or split across a line end
expect_eq "grep -r" "$(cd "$m" && grep -rl 'Meet at the station' . | LC_ALL=C sort)" \
	"$(printf './raw/messages/inbox.json\n./records/messages/inbox.json/conversations/c-18842.json')"
grep -q 'Léa Martin' "$m/records/account/profile.json/record.json" || fail "UTF-8 text not plain"

# the as-of time is the newest time in the data, and the default mtime
expect_eq "README mtime" "$(stat -c %Y "$m/README.txt")" 1425284144
grep -q '^As of:      2015-03-02T08:15:44Z' "$m/README.txt" || fail "README.txt as-of line"
grep -q "^SHA-256:    $(cd "$src" && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)" \
	"$m/README.txt" || fail "README.txt does not give the folder's SHA-256 by its own recipe"

# no security labels, no ACLs: "not supported" (so ls -l and cp -a stop
# asking after one file), while a user.* name sarfs does not keep is absent
expect_eq "security.selinux" \
	"$(getfattr --absolute-names -n security.selinux "$m/README.txt" 2>&1 >/dev/null)" \
	"$m/README.txt: security.selinux: Operation not supported"
expect_eq "system.posix_acl_access" \
	"$(getfattr --absolute-names -n system.posix_acl_access "$m/raw" 2>&1 >/dev/null)" \
	"$m/raw: system.posix_acl_access: Operation not supported"
expect_eq "user.other" "$(getfattr --absolute-names -n user.other "$m/README.txt" 2>&1 >/dev/null)" \
	"$m/README.txt: user.other: No such attribute"
expect_eq "getfacl" "$(getfacl -cp "$m/README.txt" 2>/dev/null | grep . | LC_ALL=C sort | tr '\n' ' ')" \
	"group::r-- other::r-- user::r-- "

# modes: files 0444, directories 0555, owned by the mounting user
expect_eq "file mode" "$(stat -c '%a %u' "$m/README.txt")" "444 $(id -u)"
expect_eq "dir mode" "$(stat -c '%a' "$m/raw")" "555"

# every write is refused with EROFS
for attempt in "touch $m/new" "touch $m/README.txt" "mkdir $m/d" "rm -f $m/README.txt" \
	"mv $m/raw $m/raw2" "ln -s x $m/l" "chmod 600 $m/README.txt" "truncate -s 0 $m/README.txt" \
	"setfattr -n user.x -v 1 $m/README.txt"; do
	if out=$(sh -c "$attempt" 2>&1); then
		fail "'$attempt' succeeded on a read-only mount"
	fi
	case $out in
	*"Read-only file system"*) ;;
	*) fail "'$attempt' failed, but not with EROFS: $out" ;;
	esac
done
if (echo x >>"$m/README.txt") 2>/dev/null; then fail "append succeeded"; fi

# a prebuilt index mounts alone, without the source, and shows the same tree
"$SARFS" index "$src" -o "$WORK/x.sarfs" 2>/dev/null
mkdir "$WORK/moved" && mv "$src" "$WORK/moved/"
m2="$WORK/m2"
mount_sarfs "$WORK/x.sarfs" "$m2"
diff -r "$m" "$m2" || fail "the index mounted alone differs"
mv "$WORK/moved/export" "$src"

unmount_sarfs "$m2"
unmount_sarfs "$m"
check_logs

# nothing in the export changed, and nothing was written beside it
expect_eq "export untouched" "$(tree_state "$src")" "$before"
expect_eq "nothing beside the export" "$(ls -a "$WORK" | grep -vE '^(m|m2|x.sarfs|moved|cache|daemon\..*\.log)$')" \
	"$(echo "$parent_before" | grep -vE '^(m|m2|x.sarfs|moved|cache|daemon\..*\.log)$')"
echo "PASS"
