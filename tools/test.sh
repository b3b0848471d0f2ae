#!/bin/bash
# tools/test.sh - on a fresh Debian 12: install what is missing, then build
# sarfs five ways and run every suite in each:
#
#   gcc        -Werror          unit, golden, mount; unit tests under
#                               valgrind, and mount tests with the daemon
#                               under valgrind (memcheck, leaks)
#   clang      -Werror          unit, golden, mount (but the 'stress' suite:
#                               the concurrency test)
#   sanitize   clang, ASan+UBSan, -Werror: unit, golden, mount (the daemon
#              itself runs sanitized; any report fails the test)
#   tsan       clang, ThreadSanitizer, -Werror: unit, golden (index builds:
#              the split worker, the hash thread), mount (the daemon and its
#              pushers, under eight parallel readers); any report fails
#   nofuse     the core alone (-Dfuse=disabled): unit, golden
#
# Exit status 0 only if every build and every test passed. Under CI=true a
# mount test that cannot mount (no /dev/fuse) fails instead of skipping.
#
#   tools/test.sh [CONFIG...]     (default: all five)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/deps.sh
. "$top/tools/deps.sh"
sarfs_install_deps

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(gcc clang sanitize tsan nofuse)

results=()
failed=0

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# setup DIR COMPILER MESON-OPTION...
setup() {
	local dir=$1 cc=$2; shift 2
	if [ ! -f "$dir/build.ninja" ]; then
		CC=$cc meson setup "$dir" "$top" "$@"
	else
		meson configure "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir"
}

record() {
	local name=$1 rc=$2
	if [ "$rc" -eq 0 ]; then
		results+=("PASS  $name")
	else
		results+=("FAIL  $name")
		failed=1
	fi
}

run() {
	local name=$1; shift
	step "$name"
	set +e
	"$@"
	local rc=$?
	set -e
	record "$name" $rc
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# a report stops the process with status 66: a golden test sees the status,
# a mount test the daemon's exit status and its log (lib.sh's check_logs)
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66:second_deadlock_stack=1}

# The daemon under memcheck, in the mount tests that cover the most of it
# (tests/mount/lib.sh runs it under SARFS_DAEMON_WRAPPER). No suppressions
# are needed: every block is freed at exit, libfuse's and glibc's too.
valgrind_daemon="valgrind --quiet --error-exitcode=98 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
valgrind_mount_tests=(mount-basic mount-coursera mount-cache mount-compare mount-hostile mount-hostile-index)

for c in "${configs[@]}"; do
	dir="$top/build/test-$c"
	case $c in
	gcc)
		run "gcc build" setup "$dir" gcc -Dwerror=true -Dbuildtype=debugoptimized
		run "gcc tests" meson test -C "$dir" --print-errorlogs --num-processes 2
		run "gcc unit tests under valgrind" meson test -C "$dir" --suite unit --print-errorlogs \
			--wrapper 'valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect'
		if [ -f "$dir/fs/sarfs" ] && grep -q "mount-basic" <(meson test -C "$dir" --list 2>/dev/null); then
			run "gcc mount tests, daemon under valgrind" env SARFS_DAEMON_WRAPPER="$valgrind_daemon" \
				meson test -C "$dir" --print-errorlogs --timeout-multiplier 4 "${valgrind_mount_tests[@]}"
		fi
		;;
	clang)
		run "clang build" setup "$dir" clang -Dwerror=true -Dbuildtype=debugoptimized
		# the concurrency test is gcc's, ASan's and TSan's: a second
		# compiler adds nothing to it but minutes
		run "clang tests" meson test -C "$dir" --print-errorlogs --num-processes 2 --no-suite stress
		;;
	sanitize)
		run "ASan+UBSan build" setup "$dir" clang -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
		run "ASan+UBSan tests" meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier 4
		;;
	tsan)
		run "TSan build" setup "$dir" clang -Dwerror=true -Dbuildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false
		run "TSan tests" meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier 4
		;;
	nofuse)
		run "core-only build (no FUSE)" setup "$dir" gcc -Dwerror=true -Dfuse=disabled
		run "core-only tests" meson test -C "$dir" --print-errorlogs --num-processes 2
		;;
	*)
		echo "tools/test.sh: unknown configuration '$c' (gcc, clang, sanitize, tsan, nofuse)" >&2
		exit 2
		;;
	esac
done

step "summary"
printf '%s\n' "${results[@]}"
exit $failed
