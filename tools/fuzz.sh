#!/bin/bash
# tools/fuzz.sh - on Debian 12: install what is missing, build the libFuzzer
# targets of tests/fuzz with clang (-fsanitize=fuzzer,address,undefined),
# run each for SECONDS, one after another, and print a table: executions,
# executions per second, coverage (libFuzzer's cov: edges and ft: features)
# and crashes.
#
#   tools/fuzz.sh [SECONDS] [TARGET...]       (default: 60 s, every target)
#   SARFS_FUZZ_COVERAGE=1 tools/fuzz.sh ...   also a source coverage report
#                                             of fs/ over the corpora
#   SARFS_FUZZ_COVERAGE=1 tools/fuzz.sh 0     the report alone, no fuzzing
#
# Everything is written under build-fuzz/ (SARFS_FUZZ_DIR), never in git:
#   fuzz/                 the clang build with -Dfuzz=true
#   work/corpus/TARGET/   the scratch corpus; it grows from run to run and
#                         starts from the seeds of tests/fuzz/corpus/TARGET/
#   work/artifacts/TARGET/  crash-*, leak-*, timeout-*, oom-* inputs
#   work/logs/TARGET.log  libFuzzer's output
#   cov/                  the coverage build and its report
#
# A crash stops that target (the others still run), its input is kept under
# work/artifacts/, and the script exits 1. Fix it, then commit the input as
# tests/fuzz/corpus/TARGET/crash-WHAT: every build replays that folder.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/deps.sh
. "$top/tools/deps.sh"

all=(json jsonl csv sqldump names profile mapping archive view)
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
case $secs in
''|*[!0-9]*) echo "usage: tools/fuzz.sh [SECONDS] [TARGET...] (targets: ${all[*]})" >&2; exit 2 ;;
esac
for t in "${targets[@]}"; do
	[ -d "$top/tests/fuzz/corpus/$t" ] || { echo "tools/fuzz.sh: no target '$t' (${all[*]})" >&2; exit 2; }
done

extra=()
[ "${SARFS_FUZZ_COVERAGE:-0}" = 1 ] && extra=($SARFS_FUZZ_PACKAGES)
sarfs_install_deps "${extra[@]}"

dir=${SARFS_FUZZ_DIR:-$top/build-fuzz}
build="$dir/fuzz"
work="$dir/work"

# The largest input worth mutating, per target: a little above the largest
# seed (a seed longer than this would be cut), small enough to stay fast.
max_len() {
	case $1 in
	names) echo 1024 ;;
	profile) echo 49152 ;;
	archive | mapping) echo 20480 ;;
	*) echo 8192 ;;
	esac
}

mkdir -p "$work/corpus"
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$top" -Dfuzz=true -Dfuse=disabled -Dwerror=true \
		-Dbuildtype=debugoptimized >/dev/null
else
	meson configure "$build" -Dfuzz=true >/dev/null
fi
ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz_}" >/dev/null

# libFuzzer finds leaks itself at the end of each input; UBSan reports are
# already fatal (-fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}

rows=()
failed=0
[ "$secs" -eq 0 ] && targets_run=() || targets_run=("${targets[@]}")
for t in "${targets_run[@]}"; do
	mkdir -p "$work/corpus/$t" "$work/artifacts/$t" "$work/logs"
	log="$work/logs/$t.log"
	before=$(find "$work/artifacts/$t" -type f | sort)
	dict=()
	[ -f "$top/tests/fuzz/$t.dict" ] && dict=("-dict=$top/tests/fuzz/$t.dict")
	printf 'fuzzing %-8s for %s s ... ' "$t" "$secs"
	set +e
	(cd "$work" && "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -max_len="$(max_len "$t")" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$work/artifacts/$t/" \
		"$work/corpus/$t" "$top/tests/fuzz/corpus/$t") >"$log" 2>&1
	rc=$?
	set -e
	# (a target that fails on its first input prints no cov: line)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -n 1 | cut -d' ' -f2)
	ft=$( (grep -o 'ft: [0-9]*' "$log" || true) | tail -n 1 | cut -d' ' -f2)
	units=$(find "$work/corpus/$t" -type f | wc -l)
	new=$(comm -13 <(echo "$before") <(find "$work/artifacts/$t" -type f | sort) | sed '/^$/d')
	crashes=$(echo -n "$new" | grep -c . || true)
	if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
		failed=1
		echo "FOUND SOMETHING (exit $rc; $log)"
		[ -n "$new" ] && echo "$new" | sed 's/^/    /'
	else
		echo ok
	fi
	rows+=("$(printf '%-8s %6s %12s %8s %7s %7s %7s %7s' "$t" "$secs" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "$units" "$crashes")")
done

if [ ${#rows[@]} -gt 0 ]; then
	printf '\n%-8s %6s %12s %8s %7s %7s %7s %7s\n' target secs execs exec/s cov ft corpus crashes
	printf '%s\n' "${rows[@]}"
fi

if [ "${SARFS_FUZZ_COVERAGE:-0}" = 1 ]; then
	# Source coverage of the core over seeds and scratch corpus, through the
	# replay programs built with clang's profile instrumentation.
	cov="$dir/cov"
	flags='-fprofile-instr-generate -fcoverage-mapping'
	if [ ! -f "$cov/build.ninja" ]; then
		CC=clang meson setup "$cov" "$top" -Dfuse=disabled -Dbuildtype=debug \
			-Dc_args="$flags" -Dc_link_args="$flags" >/dev/null
	fi
	ninja -C "$cov" "${targets[@]/#/tests/fuzz/replay_}" >/dev/null
	rm -rf "$cov/profiles"
	mkdir -p "$cov/profiles"
	objects=()
	for t in "${targets[@]}"; do
		mkdir -p "$work/corpus/$t"
		LLVM_PROFILE_FILE="$cov/profiles/$t.profraw" "$cov/tests/fuzz/replay_$t" \
			"$top/tests/fuzz/corpus/$t" "$work/corpus/$t" >/dev/null 2>&1 ||
			echo "tools/fuzz.sh: replay_$t failed on its corpus: fix that first" >&2
		objects+=(-object "$cov/tests/fuzz/replay_$t")
	done
	llvm-profdata-14 merge -sparse "$cov"/profiles/*.profraw -o "$cov/profiles/all.profdata"
	printf '\nsource coverage of fs/ (all targets together):\n'
	llvm-cov-14 report "${objects[@]:1}" -instr-profile="$cov/profiles/all.profdata" \
		-ignore-filename-regex='/(tests|include)/' | sed "s|$top/||"
fi
exit $failed
