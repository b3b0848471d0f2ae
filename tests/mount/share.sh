#!/bin/bash
# A view shared with a lawyer. For every rule of two views (the lawyer view
# of the Coursera sample, and the every-rule view of the golden case
# share-redact), each original value is first found in the full tree (so
# that the test can fail), then nowhere in the share: not in the .sarfs
# file's bytes (also after strings), not in the mounted files, their names
# or their extended attributes. Then: sha256sum -c passes on the mount,
# altered raw files carry their original SHA-256, the same export and view
# give the same bytes, the file has no free page and no journal, sarfs
# verify passes, and fails on a tampered share, another view or another
# export; the export is left as it was.
. "$(dirname "$0")/lib.sh"
require_fuse

# check_gone WHAT FULL_MOUNT SHARE_FILE SHARE_MOUNT [-w] -- VALUE...
# -w: the value is a word (an id): only whole words count, as the view
# matches them (2210 inside a longer number, or inside a SHA-256 in
# MANIFEST.sha256, is another token).
check_gone() {
	local what=$1 full=$2 file=$3 mnt=$4 w= v
	shift 4
	[ "$1" = -w ] && { w=-w; shift; }
	[ "$1" = -- ] && shift
	(cd "$full" && getfattr -R -d -m - --absolute-names . 2>/dev/null) >"$WORK/full.attrs"
	(cd "$mnt" && getfattr -R -d -m - --absolute-names . 2>/dev/null) >"$WORK/share.attrs"
	(cd "$mnt" && find .) >"$WORK/share.names"
	strings -n 3 "$file" >"$WORK/share.strings"
	for v in "$@"; do
		grep -rqiF $w -- "$v" "$full" || grep -qiF $w -- "$v" "$WORK/full.attrs" ||
			fail "$what: '$v' is not in the full tree: the test would prove nothing"
		expect_eq "$what: '$v' in the bytes of the share file" \
			"$(LC_ALL=C grep -aciF $w -- "$v" "$file" || true)" 0
		expect_eq "$what: '$v' in strings of the share file" \
			"$(grep -ciF $w -- "$v" "$WORK/share.strings" || true)" 0
		if grep -rliF $w -- "$v" "$mnt"; then
			fail "$what: '$v' in the mounted files above"
		fi
		grep -iF $w -- "$v" "$WORK/share.attrs" && fail "$what: '$v' in an extended attribute"
		grep -iF $w -- "$v" "$WORK/share.names" && fail "$what: '$v' in a name"
	done
	return 0
}

# ---- the lawyer view of the Coursera sample ----------------------------------
cp -a "$SRCDIR/samples/coursera-2015" "$WORK/coursera-2015"
cp "$SRCDIR/samples/coursera-2015.response.json" "$WORK/"
view="$SRCDIR/samples/views/lawyer.view"
before=$(tree_state "$WORK/coursera-2015")
"$SARFS" share --view "$view" "$WORK/coursera-2015" -o "$WORK/case.sarfs" 2>"$WORK/share.err" ||
	{ cat "$WORK/share.err"; fail "sarfs share"; }
grep -q "^sarfs: $WORK/case.sarfs: the view 'lawyer' of " "$WORK/share.err" || fail "share summary"

mount_sarfs "$WORK/coursera-2015" "$WORK/full"
mount_sarfs "$WORK/case.sarfs" "$WORK/m"
m="$WORK/m"

# the user agents, as the export has them (JSON lines and SQL strings)
mapfile -t agents < <(grep -rhoE "Mozilla/5\.0 [^\"']*" "$WORK/coursera-2015" | sort -u)
[ ${#agents[@]} -ge 4 ] || fail "expected several user agents in the sample, found ${#agents[@]}"
check_gone "ip" "$WORK/full" "$WORK/case.sarfs" "$m" -- 192.0.2.17 198.51.100.23 203.0.113.50
check_gone "browser" "$WORK/full" "$WORK/case.sarfs" "$m" -- "${agents[@]}"
check_gone "learner" "$WORK/full" "$WORK/case.sarfs" "$m" -w -- \
	2210 3385 5121 6030 7748 60114 60887 61550 31002 29877
check_gone "learner-id" "$WORK/full" "$WORK/case.sarfs" "$m" -- \
	f790cbefa9ebbd2827bbb0aae73f64c12bb058c1 3ae98812c0dc11639162297f1ab0f2f054899872 \
	19015c742f9e96aa2bdf3eea753ba5bf3a60e589 6082f844e4d4f4f7f73acaec6f3c9e422d2fb415 \
	348bb67423c8ba78e267800d5b70de6e1352aff8
# nor cut short, as a profile shows ids ("89bc64cf6647...")
for id in f790cbefa9eb 3ae98812c0dc 19015c742f9e 6082f844e4d4 348bb67423c8; do
	grep -rlF "$id" "$m" && fail "learner-id: a prefix of another learner's id in the files above"
done
# what the view keeps is still there: his ids, the platform's address
grep -rq 'forum user 1742' "$m/posts" || fail "his own forum id was redacted"
grep -q 'privacy@example.org' "$m/raw/README.txt" || fail "a kept address was redacted"
grep -q '(forum user \[redacted:learner:[0-9]*\])' \
	"$m/posts/massiveteach-001/3-peer-grading-is-unfair-my-essay-got-2-10/thread.txt" ||
	fail "no placeholder where another learner's id was"
# excluded: the photos are not there
[ ! -e "$m/raw/identity/photo_1.jpg" ] || fail "an excluded file is in the share"

# every file checks against the manifest, from the root of the mount
(cd "$m" && sha256sum --quiet -c MANIFEST.sha256) || fail "sha256sum -c MANIFEST.sha256"
expect_eq "manifest lists every file but itself" \
	"$(cut -c67- "$m/MANIFEST.sha256" | sort)" \
	"$(cd "$m" && find . -type f ! -name MANIFEST.sha256 -printf '%P\n' | sort)"

# an altered raw file says what it was
f=raw/massiveteach-001/massiveteach-001_clickstream_export.jsonl
expect_eq "original_sha256 of $f" \
	"$(getfattr --absolute-names --only-values -n user.sarfs.original_sha256 "$m/$f")" \
	"$(sha256sum <"$WORK/coursera-2015/massiveteach-001/massiveteach-001_clickstream_export.jsonl" | cut -d' ' -f1)"
grep -qF "$f" "$m/README.txt" || fail "README.txt does not list the altered $f"
getfattr --absolute-names -n user.sarfs.original_sha256 "$m/raw/contracts/course-agreement-massiveteach.txt" \
	>/dev/null 2>&1 && fail "an unaltered file has an original_sha256"

# README.txt: the source's and the view's SHA-256, what each rule redacted
grep -q "^View file:  SHA-256 $(sha256sum <"$view" | cut -d' ' -f1)$" "$m/README.txt" ||
	fail "README.txt does not give the view's SHA-256"
src_sha=$(sed -n 's/^SHA-256: *//p' "$WORK/full/README.txt" | head -n 1)
[ ${#src_sha} -eq 64 ] || fail "the full tree's README.txt gives no SHA-256"
grep -q "^SHA-256:    $src_sha$" "$m/README.txt" || fail "README.txt does not give the source's SHA-256"
grep -qE '^      redacted: 10 distinct values in [0-9]+ places$' "$m/README.txt" ||
	fail "README.txt does not count the learner ids"

# the file: deterministic, compact, no journal beside it
"$SARFS" share --view "$view" "$WORK/coursera-2015" -o "$WORK/case2.sarfs" 2>/dev/null
cmp "$WORK/case.sarfs" "$WORK/case2.sarfs" || fail "the same export and view gave other bytes"
expect_eq "free pages" "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA freelist_count').fetchone()[0])" "$WORK/case2.sarfs")" 0
ls "$WORK" | grep -E -- '-(journal|wal|shm)$|\.tmp' && fail "a journal or temporary file was left"
# (the cache holds the full mount's index; a share's full tree is deleted)
[ -z "$(find "$XDG_CACHE_HOME" -name 'share-*' -o -name 'verify-*')" ] ||
	fail "a share's full tree was left in the cache"

# verify: the view is not stored in this share (it lists values), so it is given
rc=0; out=$("$SARFS" verify "$WORK/case.sarfs" "$WORK/coursera-2015" 2>&1) || rc=$?
expect_eq "verify without the view: status" "$rc" 2
echo "$out" | grep -q 'give the view file with --view' || fail "verify without the view: $out"
out=$("$SARFS" verify "$WORK/case.sarfs" "$WORK/coursera-2015" --view "$view") || fail "verify: $out"
echo "$out" | grep -q "^sarfs: verified: '$WORK/case.sarfs' is the view 'lawyer'" || fail "verify: $out"

# a byte of a rendered file changed in the index: named
python3 - "$WORK/case.sarfs" "$WORK/t1.sarfs" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.find(b'Peer grading is unfair. One reviewer')
assert i > 0
d[i] = ord('B')
open(sys.argv[2], 'wb').write(d)
PY
rc=0; out=$("$SARFS" verify "$WORK/t1.sarfs" "$WORK/coursera-2015" --view "$view" 2>&1) || rc=$?
expect_eq "tampered bytes: status" "$rc" 1
# (the index's own digest of the blob no longer matches: it is not even read)
echo "$out" | grep -qF "NOT verified: posts/massiveteach-001/3-peer-grading-is-unfair-my-essay-got-2-10/thread.txt: cannot be read from the share" ||
	fail "tampered bytes: $out"
# the same change with the blob's digest made to match: a rebuild tells
python3 - "$WORK/case.sarfs" "$WORK/t1b.sarfs" <<'PY'
import hashlib, shutil, sqlite3, sys
shutil.copy(sys.argv[1], sys.argv[2])
c = sqlite3.connect(sys.argv[2])
rows = [(i, d) for i, d in c.execute("SELECT id, data FROM blob WHERE data IS NOT NULL")
        if b'Peer grading is unfair. One reviewer' in d]
assert rows
for i, d in rows:
    d = d.replace(b'Peer grading is unfair. One reviewer', b'Beer grading is unfair. One reviewer')
    c.execute("UPDATE blob SET data = ?, sha256 = ? WHERE id = ?",
              (d, hashlib.sha256(d).digest(), i))
c.commit()
PY
rc=0; out=$("$SARFS" verify "$WORK/t1b.sarfs" "$WORK/coursera-2015" --view "$view" 2>&1) || rc=$?
expect_eq "tampered bytes and digest: status" "$rc" 1
echo "$out" | grep -qF "NOT verified: posts/massiveteach-001/3-peer-grading-is-unfair-my-essay-got-2-10/thread.txt: the bytes differ" ||
	fail "tampered bytes and digest: $out"
# a row replaced with SQL: a node's time, then the source's SHA-256
sql() { python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()" "$@"; }
cp "$WORK/case.sarfs" "$WORK/t2.sarfs"
sql "$WORK/t2.sarfs" "UPDATE node SET mtime = mtime + 3600 WHERE name = CAST('MISSING.txt' AS BLOB);"
rc=0; out=$("$SARFS" verify "$WORK/t2.sarfs" "$WORK/coursera-2015" --view "$view" 2>&1) || rc=$?
expect_eq "tampered row: status" "$rc" 1
echo "$out" | grep -q "NOT verified: MISSING.txt: modification time" || fail "tampered row: $out"
cp "$WORK/case.sarfs" "$WORK/t3.sarfs"
sql "$WORK/t3.sarfs" "UPDATE meta SET value = '$(printf '0%.0s' $(seq 64))' WHERE key = 'source_sha256';"
rc=0; out=$("$SARFS" verify "$WORK/t3.sarfs" "$WORK/coursera-2015" --view "$view" 2>&1) || rc=$?
expect_eq "tampered source hash: status" "$rc" 1
echo "$out" | grep -q "NOT verified: the share was made from another export" || fail "tampered hash: $out"
# another view; another export
sed 's/"3385", //' "$view" >"$WORK/other.view"
rc=0; out=$("$SARFS" verify "$WORK/case.sarfs" "$WORK/coursera-2015" --view "$WORK/other.view" 2>&1) || rc=$?
expect_eq "another view: status" "$rc" 1
echo "$out" | grep -q "NOT verified: the share was made with another view" || fail "another view: $out"
cp -a "$WORK/coursera-2015" "$WORK/changed"
sed -i 's/Same here\./Same here!/' "$WORK/changed/massiveteach-001/massiveteach-001_anonymized_forum.sql"
rc=0; out=$("$SARFS" verify "$WORK/case.sarfs" "$WORK/changed" --view "$view" 2>&1) || rc=$?
expect_eq "another export: status" "$rc" 1
echo "$out" | grep -q "NOT verified: the share was made from another export" || fail "another export: $out"

# a share is never written into the export
rc=0; out=$("$SARFS" share --view "$view" "$WORK/coursera-2015" -o "$WORK/coursera-2015/x.sarfs" 2>&1) || rc=$?
expect_eq "share into the export: status" "$rc" 1
echo "$out" | grep -q "is inside the export" || fail "share into the export: $out"

unmount_sarfs "$m"
unmount_sarfs "$WORK/full"
[ "$(tree_state "$WORK/coursera-2015")" = "$before" ] || fail "the export was modified"

# ---- every rule, on the golden case's export --------------------------------
mkdir "$WORK/r"
"$SRCDIR/tests/golden/share-redact/make" "$WORK/r"
rx="$WORK/r/anna.keller@example.org export"
"$SARFS" share --view "$SRCDIR/tests/golden/share-redact/view" "$rx" \
	-o "$WORK/r.sarfs" 2>/dev/null || fail "sarfs share of the every-rule export"
mount_sarfs "$rx" "$WORK/rfull"
mount_sarfs "$WORK/r.sarfs" "$WORK/rm"
check_gone "person" "$WORK/rfull" "$WORK/r.sarfs" "$WORK/rm" -w -- \
	"Anna Keller" Anna Keller "Marco Rossi" marco.rossi 3385
check_gone "email" "$WORK/rfull" "$WORK/r.sarfs" "$WORK/rm" -- \
	anna.keller@example.org marco@example.org
check_gone "ip" "$WORK/rfull" "$WORK/r.sarfs" "$WORK/rm" -- 192.0.2.41 198.51.100.7 2001:DB8::7
check_gone "message" "$WORK/rfull" "$WORK/r.sarfs" "$WORK/rm" -- '\"station\"' "Meet at the"
check_gone "browser" "$WORK/rfull" "$WORK/r.sarfs" "$WORK/rm" -- \
	"Mozilla/5.0 (X11; Linux)" '"Windows"' "Tessera for Android" "Opera"
check_gone "phone" "$WORK/rfull" "$WORK/r.sarfs" "$WORK/rm" -- "+41 79 555 01 23"
# whole words only: what holds a value inside a longer word stays
grep -q 'Annabelle met \[redacted:person:' "$WORK/rm/raw/people.json" || fail "Annabelle"
grep -q '"ok, \[redacted:person:[0-9]*\] and 33850"' "$WORK/rm/raw/logins.csv" || fail "33850"
# the record and the file named by an address are renamed, extension kept
[ -f "$WORK/rm/records/people.json/[redacted:email:1].json" ] || fail "record named by an address"
[ -f "$WORK/rm/raw/notes/[redacted:email:1].txt" ] || fail "file named by an address"
# the binary file is withheld, and said to be (its name, too, redacted)
[ -z "$(ls "$WORK/rm/raw/photos" 2>/dev/null)" ] || fail "a binary file is in the share"
grep -q '^  raw/photos/\[redacted:person:[0-9]*\]\.png (28 bytes; binary' "$WORK/rm/README.txt" ||
	fail "withheld file not listed"
# the source's name, a JSON pointer holding an address, a message quoting a name
grep -q '^Source:     \[redacted:email:1\] export$' "$WORK/rm/README.txt" || fail "source name"
getfattr --absolute-names --only-values -n user.sarfs.source \
	"$WORK/rm/records/groups.json/[redacted:email:1]/000001.json" |
	grep -q '^groups.json, JSON pointer /\[redacted:email:1\]/0, line 1$' || fail "JSON pointer"
grep -q "invalid token near '\[redacted:person:" "$WORK/rm/PROBLEMS.txt" || fail "PROBLEMS.txt"
(cd "$WORK/rm" && sha256sum --quiet -c MANIFEST.sha256) || fail "sha256sum -c (every-rule share)"
unmount_sarfs "$WORK/rm"
unmount_sarfs "$WORK/rfull"

# "binary": "keep": a binary file goes as it is, byte for byte, unless the
# view finds a value in it (here 300 KiB, so in several windows)
mkdir -p "$WORK/b/export"
python3 - "$WORK/b/export" <<'PY'
import os, sys
d = sys.argv[1]
clean = bytes(range(256)) * 1200
open(os.path.join(d, 'clean.bin'), 'wb').write(clean)
open(os.path.join(d, 'late.bin'), 'wb').write(clean[:250000] + b' mail lea@example.org ' + clean[:50000])
open(os.path.join(d, 'notes.txt'), 'w').write('lea@example.org\n')
PY
printf '{"view": "keep", "binary": "keep", "redact": [{"rule": "email", "pattern": "email"}]}\n' \
	>"$WORK/b/keep.view"
"$SARFS" share --view "$WORK/b/keep.view" "$WORK/b/export" -o "$WORK/b.sarfs" 2>/dev/null ||
	fail "sarfs share with binary keep"
"$SARFS" cat "$WORK/b.sarfs" raw/clean.bin | cmp - "$WORK/b/export/clean.bin" || fail "a kept binary file changed"
"$SARFS" ls "$WORK/b.sarfs" | grep -q '^raw/late.bin$' && fail "a binary file holding an address was kept"
"$SARFS" cat "$WORK/b.sarfs" README.txt | grep -q '^  raw/late.bin (300022 bytes; binary, and the view finds a value' ||
	fail "the withheld binary file is not listed"
# this view lists no values and no expression: the share carries it, and
# verify needs no --view
out=$("$SARFS" verify "$WORK/b.sarfs" "$WORK/b/export") || fail "verify with the stored view: $out"
echo "$out" | grep -q "^sarfs: verified: .* is the view 'keep'" || fail "verify with the stored view: $out"

check_logs
echo PASS
