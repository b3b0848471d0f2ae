# tests/mount/lib.sh - shared by the mount tests; source it first.
#
# Mount tests really mount. Each daemon runs in the foreground (-f) in the
# background of the test, with its stderr in a log; an EXIT trap, set
# before the first mount, unmounts everything and stops every daemon even
# when the test fails. At the end every log is checked for sanitizer
# reports and other suspicious lines, as sshfs's tests do.
#
# The export is never written (DESIGN invariant 1): every source mounted is
# hashed (names, types, sizes, mtimes, modes and bytes) when it is mounted,
# and hashed again when it is unmounted and in the cleanup; a difference
# fails the test, after everything is unmounted.
#
# SARFS_DAEMON_WRAPPER, if set, is a command the daemon runs under, e.g.
# "valgrind --error-exitcode=98 ..." (tools/test.sh does that): a daemon
# that reports an error then exits non-zero, which unmount_sarfs fails on.
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
SOURCES=()	# per mount: the source's path, and its state when mounted
STATES=()	# ("" once checked)

cleanup() {
	local rc=$? m p i
	set +e
	# not only what mountpoint(1) sees: the mount of a daemon that died is
	# "not connected" to it, and stays until it is unmounted
	for m in "${MOUNTS[@]}"; do
		fusermount3 -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		[ -n "$p" ] || continue
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	# only now, with every daemon gone: was any source changed?
	for i in "${!STATES[@]}"; do
		[ -n "${STATES[$i]}" ] || continue
		if [ "$(source_state "${SOURCES[$i]}")" != "${STATES[$i]}" ]; then
			echo "FAIL: the source ${SOURCES[$i]} changed while it was mounted" >&2
			[ $rc -eq 0 ] || [ $rc -eq 77 ] && rc=1
		fi
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

# watch_source SOURCE MOUNTPOINT: remembers the state of SOURCE for the
# mount at MOUNTPOINT (mount_sarfs calls it; a test that mounts by other
# means calls it itself, after adding the mount point to MOUNTS).
watch_source() {
	local i
	for i in "${!MOUNTS[@]}"; do
		if [ "${MOUNTS[$i]}" = "$2" ]; then
			SOURCES[$i]=$1
			STATES[$i]=$(source_state "$1")
		fi
	done
}

# check_source MOUNTPOINT: the source of that mount is as it was mounted.
check_source() {
	local i
	for i in "${!MOUNTS[@]}"; do
		if [ "${MOUNTS[$i]}" = "$1" ] && [ -n "${STATES[$i]:-}" ]; then
			local was=${STATES[$i]}
			STATES[$i]=""
			[ "$(source_state "${SOURCES[$i]}")" = "$was" ] ||
				fail "the source ${SOURCES[$i]} changed while it was mounted at $1"
		fi
	done
}

# start_sarfs SOURCE MOUNTPOINT [sarfs options...]: starts a daemon and
# returns at once (wait_mounted waits for it); mount_sarfs does both.
start_sarfs() {
	local src=$1 mnt=$2 i wrap=()
	shift 2
	mkdir -p "$mnt"
	# one index for all the arrays, even if a test added to MOUNTS alone
	i=${#MOUNTS[@]}
	STATES[$i]=$(source_state "$src")
	SOURCES[$i]=$src
	LOGS[$i]="$WORK/daemon.$i.log"
	MOUNTS[$i]=$mnt
	read -r -a wrap <<<"${SARFS_DAEMON_WRAPPER:-}"
	"${wrap[@]}" "$SARFS" "$src" "$mnt" -f "$@" >"${LOGS[$i]}" 2>&1 &
	PIDS[$i]=$!
}

# wait_mounted MOUNTPOINT: waits until the daemon started last for it has
# mounted it, or fails if that daemon died first.
wait_mounted() {
	local mnt=$1 i k pid log src
	for k in "${!MOUNTS[@]}"; do
		if [ "${MOUNTS[$k]}" = "$mnt" ] && [ -n "${PIDS[$k]:-}" ]; then
			pid=${PIDS[$k]} log=${LOGS[$k]} src=${SOURCES[$k]}
		fi
	done
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

# mount_sarfs SOURCE MOUNTPOINT [sarfs options...]
mount_sarfs() {
	start_sarfs "$@"
	wait_mounted "$2"
}

# mount_sarfs_many MOUNTPOINT SOURCE... [-- sarfs options...]: several
# exports side by side (or the parts of one), otherwise as mount_sarfs;
# every source is watched: the others get entries of their own, without a
# daemon, for the same mount point.
mount_sarfs_many() {
	local mnt=$1 i k s wrap=() srcs=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		srcs+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	mkdir -p "$mnt"
	i=${#MOUNTS[@]}
	STATES[$i]=$(source_state "${srcs[0]}")
	SOURCES[$i]=${srcs[0]}
	LOGS[$i]="$WORK/daemon.$i.log"
	MOUNTS[$i]=$mnt
	read -r -a wrap <<<"${SARFS_DAEMON_WRAPPER:-}"
	"${wrap[@]}" "$SARFS" "${srcs[@]}" "$mnt" -f "$@" >"${LOGS[$i]}" 2>&1 &
	PIDS[$i]=$!
	for s in "${srcs[@]:1}"; do
		k=${#MOUNTS[@]}
		STATES[$k]=$(source_state "$s")
		SOURCES[$k]=$s
		LOGS[$k]=${LOGS[$i]}
		MOUNTS[$k]=$mnt
		PIDS[$k]=""
	done
	wait_mounted "$mnt"
}

# log_of MOUNTPOINT: the log of the daemon started last for it.
log_of() {
	local k l=
	for k in "${!MOUNTS[@]}"; do
		[ "${MOUNTS[$k]}" = "$1" ] && l=${LOGS[$k]}
	done
	echo "$l"
}

# unmount_sarfs MOUNTPOINT: unmounts, waits for the daemon, checks it
# exited 0 (a sanitizer or valgrind report at exit makes it non-zero) and
# that the source is as it was.
unmount_sarfs() {
	local mnt=$1 i rc
	fusermount3 -u "$mnt" || fail "cannot unmount $mnt"
	for i in "${!MOUNTS[@]}"; do
		if [ "${MOUNTS[$i]}" = "$mnt" ] && [ -n "${PIDS[$i]:-}" ]; then
			rc=0
			wait "${PIDS[$i]}" || rc=$?
			[ $rc -eq 0 ] || { cat "${LOGS[$i]}" >&2; fail "sarfs for $mnt exited with status $rc"; }
			PIDS[$i]=""
		fi
	done
	check_source "$mnt"
}

# kill_sarfs MOUNTPOINT: the daemon dies by SIGKILL, as in a crash; the
# mount stays behind, dead, until it is unmounted.
kill_sarfs() {
	local i
	for i in "${!MOUNTS[@]}"; do
		if [ "${MOUNTS[$i]}" = "$1" ] && [ -n "${PIDS[$i]:-}" ]; then
			kill -KILL "${PIDS[$i]}"
			wait "${PIDS[$i]}" 2>/dev/null || true
			PIDS[$i]=""
		fi
	done
}

# check_logs: no daemon said anything a clean run does not say.
check_logs() {
	local l
	for l in "${LOGS[@]}"; do
		if grep -nE 'runtime error|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|Invalid read|Invalid write|Invalid free|uninitialised|Syscall param|definitely lost|indirectly lost|ERROR SUMMARY: [1-9]|Segmentation|Aborted|assert' "$l"; then
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

# The same for any source: a folder, or a file (an archive, an index).
source_state() {
	if [ -d "$1" ]; then
		tree_state "$1"
	elif [ -e "$1" ]; then
		{ stat -L -c '%s %.9Y %a' "$1" && sha256sum <"$1"; } | sha256sum
	else
		echo "absent"
	fi
}
