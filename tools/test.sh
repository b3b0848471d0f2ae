#!/bin/bash
# tools/test.sh - on a fresh Debian 12: install what is missing, then build
# sarfs four ways and run every suite in each:
#
#   gcc        -Werror          unit, golden, mount; unit also under valgrind
#   clang      -Werror          unit, golden, mount
#   sanitize   clang, ASan+UBSan, -Werror: unit, golden, mount (the daemon
#              itself runs sanitized; any report fails the test)
#   nofuse     the core alone (-Dfuse=disabled): unit, golden
#
# Exit status 0 only if every build and every test passed. Under CI=true a
# mount test that cannot mount (no /dev/fuse) fails instead of skipping.
#
#   tools/test.sh [CONFIG...]     (default: all four)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/deps.sh
. "$top/tools/deps.sh"
sarfs_install_deps

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(gcc clang sanitize nofuse)

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

for c in "${configs[@]}"; do
	dir="$top/build/test-$c"
	case $c in
	gcc)
		run "gcc build" setup "$dir" gcc -Dwerror=true -Dbuildtype=debugoptimized
		run "gcc tests" meson test -C "$dir" --print-errorlogs --num-processes 2
		run "gcc unit tests under valgrind" meson test -C "$dir" --suite unit --print-errorlogs \
			--wrapper 'valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect'
		;;
	clang)
		run "clang build" setup "$dir" clang -Dwerror=true -Dbuildtype=debugoptimized
		run "clang tests" meson test -C "$dir" --print-errorlogs --num-processes 2
		;;
	sanitize)
		run "ASan+UBSan build" setup "$dir" clang -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
		run "ASan+UBSan tests" meson test -C "$dir" --print-errorlogs --num-processes 2 --timeout-multiplier 4
		;;
	nofuse)
		run "core-only build (no FUSE)" setup "$dir" gcc -Dwerror=true -Dfuse=disabled
		run "core-only tests" meson test -C "$dir" --print-errorlogs --num-processes 2
		;;
	*)
		echo "tools/test.sh: unknown configuration '$c' (gcc, clang, sanitize, nofuse)" >&2
		exit 2
		;;
	esac
done

step "summary"
printf '%s\n' "${results[@]}"
exit $failed
