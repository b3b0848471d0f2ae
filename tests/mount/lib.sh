# tests/mount/lib.sh - shared by the mount tests; source it first.
#
# Mount tests really mount. Each daemon runs in the foreground (-f) in the
# background of the test, with its stderr in a log; an EXIT trap, set
# before the first mount, unmounts everything and stops every daemon even
# when the test fails. At the end every log is checked for sanitizer
# reports and other suspicious lines, as sshfs's tests do.
#
# Exit 77 means "skipped" to meson; under CI=true a test that cannot mount
# fails instead: the mount tests are the product's truth.

set -euo pipefail

: "${SARFS:?SARFS must name the sarfs binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sarfs-test.XXXXXX")
export XDG_CACHE_HOME="$WORK/cache"
MOUNTS=()
PIDS=()
LOGS=()

cleanup() {
	local rc=$? m p
	set +e
	for m in "${MOUNTS[@]}"; do
		if mountpoint -q "$m" 2>/dev/null; then
			fusermount3 -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		fi
	done
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		for m in "${LOGS[@]}"; do
			[ -s "$m" ] && { echo "--- daemon log $m:"; cat "$m"; }
		done
	fi
	rm -rf --one-file-system "$WORK"
	exit $rc
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	if [ "${CI:-}" = true ]; then
		fail "cannot run under CI=true: $* (a skipped mount test is a failure in CI)"
	fi
	echo "SKIP: $*" >&2
	exit 77
}

require_fuse() {
	[ -c /dev/fuse ] || skip "no /dev/fuse"
	command -v fusermount3 >/dev/null || skip "no fusermount3 (package fuse3)"
	command -v mountpoint >/dev/null || skip "no mountpoint (package util-linux)"
}

# mount_sarfs SOURCE MOUNTPOINT [sarfs options...]
mount_sarfs() {
	local src=$1 mnt=$2 log pid i
	shift 2
	mkdir -p "$mnt"
	log="$WORK/daemon.${#LOGS[@]}.log"
	"$SARFS" "$src" "$mnt" -f "$@" >"$log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	MOUNTS+=("$mnt")
	LOGS+=("$log")
	# the index is built before the mount appears: allow for a slow
	# (sanitized, valgrind) build
	for i in $(seq 1 1200); do
		mountpoint -q "$mnt" && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" || true
			cat "$log" >&2
			fail "sarfs exited before mounting $src"
		fi
		sleep 0.1
	done
	fail "$src did not mount within 120 s"
}

# unmount_sarfs MOUNTPOINT: unmounts, waits for the daemon, checks it
# exited 0 (a sanitizer report at exit makes it non-zero).
unmount_sarfs() {
	local mnt=$1 i rc
	fusermount3 -u "$mnt" || fail "cannot unmount $mnt"
	for i in "${!MOUNTS[@]}"; do
		if [ "${MOUNTS[$i]}" = "$mnt" ] && [ -n "${PIDS[$i]}" ]; then
			rc=0
			wait "${PIDS[$i]}" || rc=$?
			[ $rc -eq 0 ] || { cat "${LOGS[$i]}" >&2; fail "sarfs for $mnt exited with status $rc"; }
			PIDS[$i]=""
		fi
	done
}

# check_logs: no daemon said anything a clean run does not say.
check_logs() {
	local l
	for l in "${LOGS[@]}"; do
		if grep -nE 'runtime error|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|Invalid read|Invalid write|definitely lost|Segmentation|Aborted|assert' "$l"; then
			fail "suspicious line in daemon log $l"
		fi
	done
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	if [ "$2" != "$3" ]; then
		printf 'FAIL: %s\n--- expected:\n%s\n--- actual:\n%s\n' "$1" "$3" "$2" >&2
		exit 1
	fi
}

# A digest of a folder's files, names, sizes and mtimes: to prove that a
# test left the user's export exactly as it was.
tree_state() {
	(cd "$1" && find . -printf '%P\t%y\t%s\t%T@\t%m\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum) | sha256sum
}

# mount_sarfs_many MOUNTPOINT SOURCE... [-- sarfs options...]: several
# exports side by side, otherwise as mount_sarfs.
mount_sarfs_many() {
	local mnt=$1 log pid i srcs=() opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do srcs+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	opts=("$@")
	mkdir -p "$mnt"
	log="$WORK/daemon.${#LOGS[@]}.log"
	"$SARFS" "${srcs[@]}" "$mnt" -f "${opts[@]}" >"$log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	MOUNTS+=("$mnt")
	LOGS+=("$log")
	for i in $(seq 1 1200); do
		mountpoint -q "$mnt" && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" || true
			cat "$log" >&2
			fail "sarfs exited before mounting ${srcs[*]}"
		fi
		sleep 0.1
	done
	fail "${srcs[*]} did not mount within 120 s"
}
