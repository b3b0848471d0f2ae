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

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say sarfs "$sample" "$mnt"
"$sarfs" "$sample" "$mnt"

say ls "$mnt"
ls "$mnt"
say head -n 12 "$mnt/README.txt"
head -n 12 "$mnt/README.txt"
say find "$mnt" -maxdepth 3 -type d
find "$mnt" -maxdepth 3 -type d | sed "s|^$mnt|MOUNTPOINT|" | sort | head -n 30
first=$(find "$mnt/records" -type f 2>/dev/null | sort | head -n 1)
if [ -n "$first" ]; then
	say cat "$first"
	cat "$first"
	if command -v getfattr >/dev/null 2>&1; then
		say getfattr -d "$first"
		getfattr -d "$first" | sed "s|$mnt|MOUNTPOINT|"
	fi
fi
if [ -f "$mnt/MISSING.txt" ]; then
	say head -n 20 "$mnt/MISSING.txt"
	head -n 20 "$mnt/MISSING.txt"
fi

cat <<MSG

The export is mounted read-only at $mnt.
Look around with ls, grep -r, a file manager; every file says where it came from:
    getfattr -d FILE
When done, unmount it:
    fusermount3 -u $mnt
MSG
