# tools/bench-host.sh - sourced by the benchmarks: keeps this host from
# changing what they measure, and puts it back afterwards.
#
# Some VMs (this project's among them) run DAMON with a "pageout" scheme:
# the kernel drops page-cache pages nobody touched for about a minute. A
# benchmark that runs tmpfs, then sarfs, then squashfuse over files in the
# page cache then finds squashfuse's image (or sarfs's index) half on disk
# again, and the third mounter looks five times slower than it is. While a
# benchmark runs, such schemes are switched off (with a line saying so)
# and switched on again at its end; and bench_cache FILE... reads files
# into the page cache before each timed pass (nothing to do when they are
# there).

BENCH_DAMON_OFF=()

bench_quiet_host() {
	local k
	for k in /sys/kernel/mm/damon/admin/kdamonds/*/; do
		[ -f "$k/state" ] || continue
		if [ "$(cat "$k/state" 2>/dev/null)" = on ] && echo off >"$k/state" 2>/dev/null; then
			BENCH_DAMON_OFF+=("$k")
			echo "bench: DAMON ($k) switched off while benchmarking: it drops idle page cache" >&2
		fi
	done
	return 0
}

bench_restore_host() {
	local k
	for k in "${BENCH_DAMON_OFF[@]}"; do
		echo on >"$k/state" 2>/dev/null && echo "bench: DAMON ($k) switched on again" >&2
	done
	BENCH_DAMON_OFF=()
	return 0
}

bench_cache() {
	local f
	for f in "$@"; do
		[ -f "$f" ] && cat "$f" >/dev/null
	done
	return 0
}
