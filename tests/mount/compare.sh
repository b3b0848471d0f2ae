#!/bin/bash
# Two exports of one account side by side: a folder each, named by its
# as-of date; changes/ between them, whose summary is `sarfs diff`'s, whose
# patches turn each earlier file into the later one, whose added/ and
# removed/ files are the exports' own bytes; and diff -r of the two folders
# shows the changes the summary lists and nothing else but README.txt.
. "$(dirname "$0")/lib.sh"
require_fuse

cp -a "$SRCDIR/samples/coursera-2015" "$SRCDIR/samples/coursera-2016" "$WORK/"
A=$WORK/coursera-2015 B=$WORK/coursera-2016
before=$(tree_state "$A")$(tree_state "$B")
m=$WORK/m
mount_sarfs_many "$m" "$B" "$A" -- -o noresponse

expect_eq "root" "$(ls "$m" | tr '\n' ' ')" "2014-11-24 2016-10-03 README.txt changes "
ch="$m/changes/2014-11-24..2016-10-03"
expect_eq "changes" "$(ls "$m/changes")" "2014-11-24..2016-10-03"
grep -q '^  2014-11-24/$' "$m/README.txt" || fail "README.txt does not list 2014-11-24/"
sha=$(awk '/^SHA-256:/ { print $2 }' "$m/2014-11-24/README.txt")
[ -n "$sha" ] && grep -q "^      SHA-256 $sha$" "$m/README.txt" ||
	fail "README.txt does not give the earlier export's SHA-256"

# every inode number once; an export's root is a folder of the mount's root
dups=$(find "$m" -printf '%i\n' | sort | uniq -d)
expect_eq "inode numbers repeated" "$dups" ""
expect_eq "'..' of an export" "$(cd "$m/2016-10-03/.." && ls | tr '\n' ' ')" \
	"2014-11-24 2016-10-03 README.txt changes "
expect_eq "root links" "$(stat -c %h "$m")" 5
f="$m/2016-10-03/timing/timeline.tsv"
expect_eq "xattr in an export" "$(getfattr --absolute-names --only-values -n user.sarfs.sha256 "$f")" \
	"$(sha256sum <"$f" | cut -d' ' -f1)"

# SUMMARY.txt is sarfs diff's summary of the same two exports
"$SARFS" diff --brief --no-response "$A" "$B" >"$WORK/brief" || true
cmp "$WORK/brief" "$ch/SUMMARY.txt" || fail "SUMMARY.txt is not sarfs diff --brief"

# what SUMMARY.txt lists, and what diff -r of the two folders finds, agree
(cd "$m" && diff -rq 2014-11-24 2016-10-03 || true) >"$WORK/diffrq"
python3 - "$ch/SUMMARY.txt" "$WORK/diffrq" "$m" <<'PY' || fail "diff -r and SUMMARY.txt disagree"
import os, re, sys
lines = open(sys.argv[1]).read().split('\n')
files = lines[lines.index('Files:') + 1:]
want = {('differ', 'README.txt')}
for i, l in enumerate(files):
    m = re.match(r'  (added|removed|changed|renamed) +(.*)$', l)
    if not m:
        continue
    kind, path = m.groups()
    was = re.match(r' +\(was (.*)\)$', files[i + 1]) if i + 1 < len(files) else None
    if kind == 'added':
        want.add(('only-b', path))
    elif kind == 'removed':
        want.add(('only-a', path))
    elif was:
        want.add(('only-a', was.group(1)))
        want.add(('only-b', path))
    else:
        want.add(('differ', path))
got = set()
for l in open(sys.argv[2]):
    l = l.rstrip('\n')
    m = re.match(r'Files 2014-11-24/(.*) and 2016-10-03/(.*) differ$', l)
    if m:
        got.add(('differ', m.group(1)))
        continue
    m = re.match(r'Only in (2014-11-24|2016-10-03)(/.*)?: (.*)$', l)
    if not m:
        print('unexpected line:', l, file=sys.stderr)
        sys.exit(1)
    side = 'only-a' if m.group(1) == '2014-11-24' else 'only-b'
    rel = ((m.group(2) or '/')[1:] + '/' + m.group(3)).lstrip('/')
    top = os.path.join(sys.argv[3], m.group(1), rel)
    # a folder only on one side: every file under it
    if os.path.isdir(top):
        for d, _, fs in os.walk(top):
            for f in fs:
                got.add((side, os.path.relpath(os.path.join(d, f),
                                               os.path.join(sys.argv[3], m.group(1)))))
    else:
        got.add((side, rel))
if got != want:
    print('diff -r only:', sorted(got - want), file=sys.stderr)
    print('SUMMARY only:', sorted(want - got), file=sys.stderr)
    sys.exit(1)
PY

# each patch turns the earlier file into the later one
n=0
while IFS= read -r -d '' d; do
	rel=${d#"$ch/changed/"}
	rel=${rel%.diff}
	old=$(sed -n 's|^--- a/||p' "$d" | head -n 1)
	if grep -q '^similarity index 100%$' "$d"; then
		old=$(sed -n 's/^rename from //p' "$d")
		cmp "$m/2014-11-24/$old" "$m/2016-10-03/$rel" || fail "renamed $rel differs"
	else
		patch -s -o "$WORK/patched" "$m/2014-11-24/$old" <"$d" || fail "patch $d does not apply"
		cmp "$WORK/patched" "$m/2016-10-03/$rel" || fail "patch $d does not give $rel"
	fi
	n=$((n + 1))
done < <(find "$ch/changed" -type f -name '*.diff' -print0)
expect_eq "patches" "$n" "$(grep -cE '^  (changed|renamed) ' "$ch/SUMMARY.txt")"
# added and removed files are the exports' own bytes
while IFS= read -r -d '' f; do
	cmp "$f" "$m/2016-10-03/${f#"$ch/added/"}" || fail "added ${f#"$ch/added/"} differs"
done < <(find "$ch/added" -type f -print0)
while IFS= read -r -d '' f; do
	cmp "$f" "$m/2014-11-24/${f#"$ch/removed/"}" || fail "removed ${f#"$ch/removed/"} differs"
done < <(find "$ch/removed" -type f -print0)
expect_eq "removed posts" "$(cd "$ch/removed" && find posts -type f | sort)" \
"posts/massiveteach-001/3-peer-grading-is-unfair-my-essay-got-2-10/20140225T091426Z-post-10.txt
posts/massiveteach-001/4-is-this-course-an-experiment-on-us/20140311T214008Z-post-15.txt"
unmount_sarfs "$m"

# a second mount finds the top index in the cache, unchanged
top=$(ls "$XDG_CACHE_HOME"/sarfs/compare-*.sarfs)
t0=$(stat -c %Y.%i "$top")
mount_sarfs_many "$m" "$A" "$B" -- -o noresponse
expect_eq "top index reused" "$(stat -c %Y.%i "$top")" "$t0"
unmount_sarfs "$m"

# three exports, two of the same content and time: labels with the time,
# then ~2; the pair that is the same has no differences
(cd "$A" && python3 -c 'import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for d, ds, fs in sorted(os.walk(".")):
        ds.sort()
        for f in sorted(fs):
            z.write(os.path.join(d, f))' "$WORK/a.zip")
mount_sarfs_many "$m" "$A" "$B" "$WORK/a.zip" -- -o noresponse
expect_eq "three" "$(ls "$m" | tr '\n' ' ')" \
	"2014-11-24T20:30:12Z 2014-11-24T20:30:12Z~2 2016-10-03 README.txt changes "
expect_eq "pairs" "$(ls "$m/changes" | tr '\n' ' ')" \
	"2014-11-24T20:30:12Z..2014-11-24T20:30:12Z~2 2014-11-24T20:30:12Z~2..2016-10-03 "
grep -q '^No differences: the [0-9]* files are the same, and so are the gaps\.$' \
	"$m/changes/2014-11-24T20:30:12Z..2014-11-24T20:30:12Z~2/SUMMARY.txt" ||
	fail "the same export twice shows differences"
unmount_sarfs "$m"

# a single export is mounted as before, without the side-by-side top
mount_sarfs "$A" "$m" -o noresponse
[ -f "$m/README.txt" ] && [ -d "$m/posts" ] || fail "a single export is not at the root"
unmount_sarfs "$m"

expect_eq "exports untouched" "$(tree_state "$A")$(tree_state "$B")" "$before"
check_logs
echo PASS
