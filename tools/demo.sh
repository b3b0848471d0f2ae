#!/bin/sh
# tools/demo.sh - on a fresh Debian 12: install what is missing, build, mount
# the bundled sample export read-only, show it, and say how to unmount.
#
#   tools/demo.sh [SAMPLE] [MOUNTPOINT]
#
# SAMPLE defaults to samples/coursera-2015 when present, else samples/generic;
# MOUNTPOINT to a new folder under /tmp. The mount stays up after the demo
# so that you can look around; the last lines say how to take it down.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/deps.sh"
sarfs_install_deps

build="$top/build"
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" --buildtype=release >/dev/null
fi
ninja -C "$build" >/dev/null
sarfs="$build/fs/sarfs"

sample=${1:-}
if [ -z "$sample" ]; then
	if [ -d "$top/samples/coursera-2015" ]; then
		sample="$top/samples/coursera-2015"
	else
		sample="$top/samples/generic"
	fi
fi
mnt=${2:-$(mktemp -d /tmp/sarfs-demo.XXXXXX)}
mkdir -p "$mnt"
mnt=$(cd "$mnt" && pwd)

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say sarfs "$sample" "$mnt"
"$sarfs" "$sample" "$mnt"

cd "$mnt"
say ls
ls
say head -n 15 README.txt
head -n 15 README.txt
say find . -maxdepth 2 -type d
find . -maxdepth 2 -type d | sort | head -n 40
# one file to read: a moderated post if the profile made any, else a record
first=$(find "$mnt/moderation" -type f -name '*-post-*' 2>/dev/null | sort | head -n 1)
[ -n "$first" ] || first=$(find "$mnt/records" -type f 2>/dev/null | sort | head -n 1)
if [ -n "$first" ]; then
	rel=${first#"$mnt"/}
	say cat "$rel"
	cat "$first"
	if command -v getfattr >/dev/null 2>&1; then
		say getfattr -d "$rel"
		(cd "$mnt" && getfattr -d "$rel")
	fi
fi
if [ -f "$mnt/MISSING.txt" ]; then
	say head -n 24 MISSING.txt
	head -n 24 "$mnt/MISSING.txt"
	say grep -rl "no timing is kept" .
	(cd "$mnt" && grep -rli "no timing is kept" . | sort)
fi

# the same account asked again: both answers side by side, and what changed
later=""
if [ "$sample" = "$top/samples/coursera-2015" ] && [ -d "$top/samples/coursera-2016" ]; then
	later="$top/samples/coursera-2016"
	both="$mnt-both"
	mkdir -p "$both"
	# the exports alone: the 2015 answer has a response file beside it
	# (your notes of what the platform said), the 2016 one not yet
	say sarfs samples/coursera-2015 samples/coursera-2016 "$both" -o noresponse
	"$sarfs" "$sample" "$later" "$both" -o noresponse
	cd "$both"
	say ls
	ls
	pair=$(ls changes | head -n 1)
	say sed -n '/^Files, by folder/,/^Files:/p' "changes/$pair/SUMMARY.txt"
	sed -n '/^Files, by folder/,/^Files:/p' "changes/$pair/SUMMARY.txt"
	d=$(find "changes/$pair/changed/posts" -name '*post-11.txt.diff' | head -n 1)
	if [ -n "$d" ]; then
		say cat "$d"
		cat "$d"
	fi
fi
# share it with a lawyer: the sample's view leaves out other learners' ids,
# IP addresses and browsers; the share checks itself against its manifest
view="$top/samples/views/lawyer.view"
case "$sample" in
*coursera-2015*)
	if [ -f "$view" ]; then
		share=$(dirname "$mnt")/$(basename "$mnt").lawyer.sarfs
		lmnt=$mnt.lawyer
		mkdir -p "$lmnt"
		say sarfs share --view samples/views/lawyer.view "$sample" -o "$share"
		"$sarfs" share --view "$view" "$sample" -o "$share" 2>&1 | tail -n 1
		say sarfs "$share" "$lmnt"
		"$sarfs" "$share" "$lmnt"
		t=posts/massiveteach-001/3-peer-grading-is-unfair-my-essay-got-2-10/thread.txt
		say grep -m 2 "'someone else'" "$t"
		grep -m 2 'someone else' "$mnt/$t"
		say grep -m 2 "'someone else'" "$lmnt/$t"
		grep -m 2 'someone else' "$lmnt/$t"
		say grep -rlw 3385 "$lmnt" "| wc -l"
		grep -rlw 3385 "$lmnt" | wc -l
		say "cd $lmnt && sha256sum -c --quiet MANIFEST.sha256 && echo every file checks"
		(cd "$lmnt" && sha256sum -c --quiet MANIFEST.sha256 && echo every file checks)
		say sarfs verify "$share" "$sample" --view samples/views/lawyer.view
		"$sarfs" verify "$share" "$sample" --view "$view"
	fi
	;;
esac

cat <<MSG

The export is mounted read-only at $mnt.
Look around with ls, grep -r, a file manager; every file says where it came from:
    getfattr -d FILE
When done, unmount it:
    fusermount3 -u $mnt
MSG
if [ -n "$later" ]; then
	cat <<MSG
Its later answer is beside it at $both (changes/ says what changed):
    fusermount3 -u $both
MSG
fi
if [ -n "${lmnt:-}" ]; then
	cat <<MSG
The view for the lawyer is mounted at $lmnt, from $share
(give the .sarfs file; it mounts on its own). When done:
    fusermount3 -u $lmnt
MSG
fi
