#!/bin/bash
# The founding case, mounted: the Coursera sample with its response file
# found beside it (no option). Each of the twelve requests maps to a path
# that holds the data or a missing.txt naming it, with the controller's
# answer quoted; the tree is organized around the subject; other people's
# rows appear only where they concern him, marked as theirs; -1 and 0
# times are shown as unknown; sarfs check gives the same gaps. The map
# below is written by hand from the case, not taken from sarfs's output.
. "$(dirname "$0")/lib.sh"
require_fuse

cp -a "$SRCDIR/samples/coursera-2015" "$WORK/coursera-2015"
cp "$SRCDIR/samples/coursera-2015.response.json" "$WORK/"
m="$WORK/m"
mount_sarfs "$WORK/coursera-2015" "$m"

# every file's bytes, read cold in folder order (pushed ahead), match the
# SHA-256 recorded for them
while IFS= read -r -d '' f; do
	expect_eq "bytes of ${f#"$m"/}" "$(sha256sum <"$f" | cut -d' ' -f1)" \
		"$(getfattr --absolute-names --only-values -n user.sarfs.sha256 "$f")"
done < <(find "$m" -type f -print0 | sort -z)

# request number | where the tree answers it | what must be quoted there
coverage=(
	"1|history/missing.txt|Not personal information; the history is hard or impossible to retrieve."
	"2|moderation/massiveteach-001/missing.txt|No timing is kept; the dump only flags deleted posts."
	"3|courses/massiveteach-001/materials/missing.txt|Course materials are not personal information."
	"4|contracts/missing.txt|One contract attached."
	"5|courses/massiveteach-001/missing.txt|Metadata refused. The copy account was a platform necessity."
	"6|correspondence/missing.txt|Not personal information; confidentiality owed to third parties."
	"7|computed/ab-tests/missing.txt|Aggregate data refused."
	"7|computed/aggregates/missing.txt|Aggregate data refused."
	"7|timing/logins/missing.txt|A/B tests and login times: no answer."
	"8|recipients/missing.txt|Types of vendors only: hosting, analytics, office software, support ticketing."
	"9|correspondence/missing.txt|No. In any case outside the scope of the law."
	"10|recipients/missing.txt|\"No.\""
	"11|recipients/missing.txt|See our privacy policy."
	"12|automated-decisions/missing.txt|(not answered)"
)
for c in "${coverage[@]}"; do
	IFS='|' read -r n path quote <<<"$c"
	[ -f "$m/$path" ] || fail "request $n: $path does not exist"
	# the answer may be wrapped over lines: compare with whitespace squeezed
	tr -s ' \n' '  ' <"$m/$path" | grep -qF -- "$quote" ||
		fail "request $n: $path does not quote the controller: $quote"
	grep -q "to request $n " "$m/$path" || fail "request $n: $path does not name the request"
	grep -q "^Ask again:  \"" "$m/$path" || fail "request $n: $path has no sentence to ask again"
	grep -q "^Why:        GDPR Art. 15" "$m/$path" || fail "request $n: $path gives no legal basis"
	grep -qF "$path" "$m/MISSING.txt" || fail "request $n: MISSING.txt does not list $path"
done
# request 7's complaints are in the export, with their times: data, not a gap
ls "$m/moderation/massiveteach-001/reports/" | grep -q '^20140225T110250Z-report-2.txt$' ||
	fail "request 7: report 2 about his post 10 is not shown with its time"
grep -q 'in the export: moderation/massiveteach-001/reports/' "$m/REQUESTS.txt" ||
	fail "REQUESTS.txt does not point request 7 at the reports in the export"

# his deleted, spam and unapproved items, each with what is known and not
for f in 20140225T091426Z-post-10 20140225T230216Z-comment-4 20140311T214008Z-post-15 \
	20140312T111527Z-comment-6 20140310T200237Z-post-13 20140311T073155Z-post-14 \
	20140225T174803Z-post-11; do
	[ -f "$m/moderation/massiveteach-001/$f.txt" ] || fail "moderation: $f missing"
	grep -q '^  - who took it: a named person, a role, or an automated system$' \
		"$m/moderation/massiveteach-001/$f.txt" || fail "moderation: $f lacks the record-level gaps"
done
expect_eq "moderated items" "$(ls "$m/moderation/massiveteach-001" | grep -c 'Z-')" 7
grep -q '^What the export says:  deleted (deleted = 1); in a locked thread (locked = 1)$' \
	"$m/moderation/massiveteach-001/20140225T091426Z-post-10.txt" || fail "post 10 state"

# posts: his own only, one file each, dated by their own time
expect_eq "his posts and comments in massiveteach-001" \
	"$(find "$m/posts/massiveteach-001" -name '*Z-post-*' -o -name '*Z-comment-*' | wc -l)" 13
expect_eq "mtime of post 10" \
	"$(stat -c %Y "$m/posts/massiveteach-001/3-peer-grading-is-unfair-my-essay-got-2-10/20140225T091426Z-post-10.txt")" \
	1393319666
grep -q '^Author:     you (forum user 1742)$' \
	"$m/posts/massiveteach-001/1-welcome-to-massive-teaching-introduce-yourself/20140203T083000Z-post-1.txt" ||
	fail "post 1 not marked as his"
# others' items appear in threads he wrote in, marked as theirs
grep -q '^--- post 8, 2014-02-24T18:33:02Z, by someone else (forum user 3385)$' \
	"$m/posts/massiveteach-001/3-peer-grading-is-unfair-my-essay-got-2-10/thread.txt" ||
	fail "thread 3 does not show post 8 as someone else's"
# and nowhere as his
if grep -rl 'forum user 3385' "$m/posts" | grep -v '/thread.txt$'; then
	fail "someone else's item outside a thread overview"
fi

# membership: the current role only, and the copy account
grep -q '^Role:         Student' "$m/courses/massiveteach-001/membership.txt" || fail "role"
grep -q 'Instructor account 89bc64cf6647\.\.\. (forum user 40117), registered 2014-03-20T08:00:14Z' \
	"$m/courses/massiveteach-001/membership.txt" || fail "the copy account is not shown"

# -1 and 0 are unknown, never 1970
grep -q '1970' "$m/timing/timeline.tsv" && fail "a -1/0 time shown as 1970"
grep -qP '^unknown\tmassiveteach-001\tactivity_log\tforum/post item 15\t' "$m/timing/timeline.tsv" ||
	fail "activity 14893 (time -1) not shown as unknown"

# typing samples: naive times stay zone-less
grep -qP '^06/05/14 10:02\t2014-05-06T10:02:37 \(zone unknown\)\t17\t198\.51\.100\.23$' \
	"$m/identity/typing-samples.tsv" || fail "typing sample times"

# the gap list without mounting: same count, exit status 1
rc=0
"$SARFS" check "$WORK/coursera-2015" >"$WORK/check.txt" || rc=$?
expect_eq "sarfs check exit status" "$rc" 1
expect_eq "sarfs check count" "$(tail -n 1 "$WORK/check.txt")" \
	"$(grep -c '^[a-z].*/missing.txt$' "$m/MISSING.txt") gaps"
"$SARFS" check --json "$WORK/coursera-2015" >"$WORK/check.json" || true
python3 - "$WORK/check.json" "$m/MISSING.txt" <<'PY' || fail "sarfs check --json"
import json, sys
j = json.load(open(sys.argv[1]))
paths = [l.strip() for l in open(sys.argv[2]) if l.strip().endswith('/missing.txt')]
assert j['profile'] == 'coursera-spark', j['profile']
assert j['gap_count'] == len(j['gaps']) == len(paths), (j['gap_count'], len(paths))
assert [g['path'] for g in j['gaps']] == paths
assert all(g['law'].startswith('GDPR') for g in j['gaps'])
PY
rc=0
"$SARFS" check "$SRCDIR/samples/generic" >/dev/null || rc=$?
expect_eq "no gaps: exit status 0" "$rc" 0

# the same export as a zip with members reversed, indexed under another time
# zone and locale, its response file found beside "coursera-2015.zip": the
# same tree but for README.txt's facts about the packed file
mkdir "$WORK/zipped"
python3 "$(dirname "$0")/pack.py" zip reversed "$WORK/coursera-2015" "$WORK/zipped/coursera-2015.zip"
cp "$WORK/coursera-2015.response.json" "$WORK/zipped/"
TZ=Pacific/Auckland LC_ALL=C.UTF-8 mount_sarfs "$WORK/zipped/coursera-2015.zip" "$WORK/mz"
diff -r -x README.txt "$m" "$WORK/mz" || fail "the zipped export gives another tree"
expect_eq "zip: names, sizes, mtimes" \
	"$(cd "$WORK/mz" && find . -printf '%P %s %T@ %m\n' | grep -v '^README.txt ' | LC_ALL=C sort)" \
	"$(cd "$m" && find . -printf '%P %s %T@ %m\n' | grep -v '^README.txt ' | LC_ALL=C sort)"
unmount_sarfs "$WORK/mz"

unmount_sarfs "$m"
check_logs
echo PASS
