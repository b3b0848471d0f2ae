#!/bin/bash
# tools/bench.sh - how fast sarfs builds and serves, beside tmpfs, squashfuse
# and fuse-zip over the very same tree. A benchmark, not a test: it prints
# figures and ratios, and asserts nothing.
#
#   tools/bench.sh [SIZE...]        SIZE: 10k 100k 1m (default: 10k 100k)
#   BENCH_DIR=/path tools/bench.sh  where exports and trees go (default /tmp/sarfs-bench)
#   BENCH_RUNS=N                    runs of each cold and warm pass; the
#                                   median is shown (default 3; 1 at 1m)
#   BENCH_KINDS="sarfs squashfuse"  which mounters beside tmpfs (default:
#                                   sarfs squashfuse fuse-zip)
#
# For each size: four exports of SIZE records (JSON Lines, a JSON array, CSV,
# a Spark-style SQL dump; about 2 KB a record) are indexed (seconds,
# records/s, MB/s, peak RSS, index size), and a short-record JSON Lines export
# (about 200 bytes a record) for records/s. The JSON Lines tree is then
# served four ways -- sarfs, tmpfs (the same tree, extracted), squashfuse's
# low-level daemon and fuse-zip over that tree -- and each is timed with
# find, ls -lR, du -sb, grep -r, cat of every file (cold: right after
# mounting; warm: the second run) and diff -r of two mounts of it. Needs
# root (or sudo) for apt-get, mounting and dropping caches.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tools/deps.sh
. "$top/tools/deps.sh"
# shellcheck source=tools/bench-host.sh
. "$top/tools/bench-host.sh"
SARFS_PACKAGES="$SARFS_PACKAGES hyperfine squashfuse squashfs-tools fuse-zip zip time strace"
sarfs_install_deps

build="$top/build/bench"
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$build" >/dev/null
sarfs="$build/fs/sarfs"

B=${BENCH_DIR:-/tmp/sarfs-bench}
mkdir -p "$B"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10k 100k)

# The mount points this run made, one a line: mounts are made in command
# substitutions, so a list kept in a variable would miss them, and another
# run sharing BENCH_DIR keeps its own.
MOUNTS="$B/mounts.$$"
: >"$MOUNTS"
mounted() { echo "$1" >>"$MOUNTS"; }
cleanup() {
	local m
	while read -r m; do
		mountpoint -q "$m" 2>/dev/null && { fusermount3 -u "$m" 2>/dev/null || fusermount -u "$m" 2>/dev/null || umount -l "$m"; }
	done <"$MOUNTS"
	rm -f "$MOUNTS"
	rm -rf /dev/shm/sarfs-bench-tree /dev/shm/sarfs-bench-tree.2 /dev/shm/sarfs-bench-fill
	bench_restore_host
	return 0
}
trap cleanup EXIT
bench_quiet_host

count() { case $1 in 10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;; *) echo "$1" ;; esac; }
now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

# time_op NAME DIR [DIR2]: prints seconds
time_op() {
	local op=$1 d=$2 d2=${3:-} t0 t1
	t0=$(now)
	case $op in
	find) find "$d" -type f | wc -l >/dev/null ;;
	ls) ls -lR "$d" >/dev/null ;;
	du) du -sb "$d" >/dev/null ;;
	grep) grep -r NEEDLE "$d" | wc -l >/dev/null || true ;;
	cat) find "$d" -type f -print0 | xargs -0 cat >/dev/null ;;
	diff) diff -r "$d" "$d2" >/dev/null || true ;;
	esac
	t1=$(now)
	secs "$t0" "$t1"
}

# serve KIND: mounts the tree the KIND way at $B/mnt-KIND (and a second
# mount at $B/mnt2-KIND for diff), prints the mount time
mount_kind() {
	local kind=$1 dir=$2 t0 t1
	mkdir -p "$dir"
	t0=$(now)
	case $kind in
	sarfs) "$sarfs" "$IDX" "$dir" -o "cache=$B/cache" ;;
	squashfuse) squashfuse_ll "$SQ" "$dir" ;;
	fuse-zip) fuse-zip -r "$ZIP" "$dir" ;;
	esac
	t1=$(now)
	mounted "$dir"
	secs "$t0" "$t1"
}
# backing KIND: the file a mounter serves from, read into the page cache
# (tmpfs's own data is always in RAM: the comparison is of the mounters)
backing() {
	case $1 in
	sarfs) bench_cache "$IDX" ;;
	squashfuse) bench_cache "$SQ" ;;
	fuse-zip) bench_cache "$ZIP" ;;
	esac
}
umount_kind() { fusermount3 -u "$1" 2>/dev/null || fusermount -u "$1"; }

daemon_stats() { # PIDFILE-less: the daemon serving $1
	local pid
	pid=$(pgrep -f "$2" | head -n 1 || true)
	[ -n "$pid" ] || { echo "- - - -"; return; }
	awk '/VmHWM/ { printf "%d ", $2 / 1024 }' "/proc/$pid/status"
	awk '{ printf "%.2f %.2f %.2f\n", ($14 + $15) / 100, $14 / 100, $15 / 100 }' "/proc/$pid/stat"
}

report=()
add() { report+=("$*"); }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# tmpfs is always measured, first: it is the reference
read -r -a kinds <<<"${BENCH_KINDS:-sarfs squashfuse fuse-zip}"
for k in "${!kinds[@]}"; do [ "${kinds[$k]}" = tmpfs ] && unset "kinds[$k]"; done
kinds=("${kinds[@]}")

# fill_page_cache MB: seconds to write MB of new page cache (dd to tmpfs),
# or - if it could not. A cold pass over a FUSE mount fills new page cache
# with what it reads, where tmpfs's pages already exist. On a VM that
# hands free memory back to its host (virtio-balloon free page reporting),
# a new page costs a fault on the host first, and that cost per byte grows
# with how much is asked at once. Measured after a pause (the state a cold
# pass starts in: what was freed has been handed back), once.
fill_page_cache() {
	local t0 t1
	rm -f /dev/shm/sarfs-bench-fill
	sleep 5
	t0=$(now)
	dd if=/dev/zero of=/dev/shm/sarfs-bench-fill bs=1M count="$1" status=none || { rm -f /dev/shm/sarfs-bench-fill; echo -; return 0; }
	t1=$(now)
	rm -f /dev/shm/sarfs-bench-fill
	secs "$t0" "$t1"
}

echo
echo "# sarfs benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r)"
for size in "${sizes[@]}"; do
	n=$(count "$size")
	add ""
	add "## $size records"
	add ""
	add "| index build | seconds | records/s | MB/s | peak RSS | source | index |"
	add "|---|---|---|---|---|---|---|"
	for fmt in jsonl json csv sql small; do
		src="$B/e$size.$fmt"
		if [ "$fmt" = small ]; then
			src="$B/e$size-small.jsonl"
			[ -f "$src" ] || python3 "$top/tools/benchgen.py" --small jsonl "$n" "$src"
		else
			[ -f "$src" ] || python3 "$top/tools/benchgen.py" "$fmt" "$n" "$src"
		fi
		rm -f "$B/x.sarfs"
		drop_caches
		/usr/bin/time -f "%e %M" -o "$B/time.txt" "$sarfs" index "$src" -o "$B/x.sarfs" 2>/dev/null
		read -r el rss <"$B/time.txt"
		# the time is hyperfine's median of three warm runs (this VM's
		# timings vary by a fifth from run to run); peak RSS is from the
		# cold run above
		hyperfine --runs 3 --export-json "$B/build.json" \
			"$sarfs index $src -o $B/x.sarfs" >/dev/null 2>&1 &&
			el=$(python3 -c "import json; print('%.2f' % json.load(open('$B/build.json'))['results'][0]['median'])")
		ssz=$(stat -c %s "$src")
		isz=$(stat -c %s "$B/x.sarfs")
		add "| $fmt | $el | $(awk -v n="$n" -v t="$el" 'BEGIN { printf "%.0f", n / t }') | $(awk -v s="$ssz" -v t="$el" 'BEGIN { printf "%.1f", s / 1e6 / t }') | $((rss / 1024)) MB | $((ssz / 1000000)) MB | $((isz / 1000000)) MB |"
		if [ "$fmt" = jsonl ]; then mv "$B/x.sarfs" "$B/e$size.sarfs"; fi
	done

	IDX="$B/e$size.sarfs"
	TREE=/dev/shm/sarfs-bench-tree
	rm -rf "$TREE" "$TREE.2"
	"$sarfs" extract "$IDX" "$TREE"
	tree_mb=$(du -sm "$TREE" | cut -f1)	# what it takes in memory
	tree_files=$(find "$TREE" -type f | wc -l)
	tree_bytes=$(du -sb "$TREE" | cut -f1)
	SQ="$B/e$size.sqfs"
	[[ " ${kinds[*]} " != *" squashfuse "* ]] || [ -f "$SQ" ] ||
		mksquashfs "$TREE" "$SQ" -noappend -quiet -no-progress >/dev/null
	ZIP="$B/e$size.zip"
	[[ " ${kinds[*]} " != *" fuse-zip "* ]] || [ -f "$ZIP" ] || (cd "$TREE" && zip -qr -1 "$ZIP" .)

	runs=${BENCH_RUNS:-3}
	[ -z "${BENCH_RUNS:-}" ] && [ "$n" -ge 1000000 ] && runs=1
	declare -A res=()
	for kind in tmpfs "${kinds[@]}"; do
		for op in find ls du grep cat; do
			# cold: right after mounting (the kernel holds nothing of the
			# mount; the files behind it stay in the page cache, as tmpfs's
			# own data always does); warm: the same mount again. Each is
			# the median of $runs, a new mount for each cold run.
			cold=() warm=()
			for ((r = 0; r < runs; r++)); do
				backing $kind
				if [ $kind = tmpfs ]; then
					d=$TREE
				else
					m=$(mount_kind $kind "$B/mnt-$kind")
					res[$kind.mount]=${res[$kind.mount]:-$m}
					d="$B/mnt-$kind"
				fi
				cold+=("$(time_op $op "$d")")
				warm+=("$(time_op $op "$d")")
				if [ $kind = sarfs ] && [ $op = cat ] && [ $r = 0 ]; then
					read -r hwm cpu ucpu scpu < <(daemon_stats x "sarfs $IDX")
					if [ "$hwm" != - ]; then
						res[sarfs.rss]=$hwm
						res[sarfs.cpu]="$cpu s (user $ucpu, system $scpu)"
					fi
				fi
				[ $kind = tmpfs ] || umount_kind "$d"
			done
			res[$kind.$op.cold]=$(median "${cold[@]}")
			res[$kind.$op.warm]=$(median "${warm[@]}")
		done
		# diff -r of two mounts (tmpfs: two copies), warm
		if [ $kind = tmpfs ]; then
			cp -a "$TREE" "$TREE.2"
			time_op diff "$TREE" "$TREE.2" >/dev/null
			res[$kind.diff]=$(time_op diff "$TREE" "$TREE.2")
			# the mounters are measured without tmpfs's copies taking
			# their memory (at 1M, 12 GB of this 23 GB machine)
			rm -rf "$TREE" "$TREE.2"
			# the page cache a cold pass over a mount must fill: the
			# tree's size in memory, and a tenth of it for scale
			fill=$(fill_page_cache "$tree_mb")
			fill_small=$(fill_page_cache $((tree_mb / 10 + 1)))
		else
			backing $kind
			mount_kind $kind "$B/mnt-$kind" >/dev/null
			mount_kind $kind "$B/mnt2-$kind" >/dev/null
			time_op diff "$B/mnt-$kind" "$B/mnt2-$kind" >/dev/null
			res[$kind.diff]=$(time_op diff "$B/mnt-$kind" "$B/mnt2-$kind")
			umount_kind "$B/mnt-$kind"
			umount_kind "$B/mnt2-$kind"
		fi
	done
	# mount time with a warm index, measured by hyperfine
	mkdir -p "$B/mnt-h"
	mounted "$B/mnt-h"
	hyperfine --warmup 2 --runs 10 --export-json "$B/mount.json" \
		--prepare "fusermount3 -u $B/mnt-h 2>/dev/null || true" "$sarfs $IDX $B/mnt-h" >/dev/null 2>&1 || true
	fusermount3 -u "$B/mnt-h" 2>/dev/null || true
	res[sarfs.mount.hf]=$(python3 -c "import json; print('%.3f' % json.load(open('$B/mount.json'))['results'][0]['median'])" 2>/dev/null || echo "-")

	add ""
	add "Tree: $tree_files files, $(awk -v b="$tree_bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }') ($tree_mb MiB in memory). Seconds (median of $runs); the ratio to tmpfs in brackets."
	add ""
	line="| operation | tmpfs" sep="|---|---"
	for kind in "${kinds[@]}"; do line="$line | $kind"; sep="$sep|---"; done
	add "$line |"
	add "$sep|"
	line="| mount | -"
	for kind in "${kinds[@]}"; do
		if [ $kind = sarfs ]; then line="$line | ${res[sarfs.mount.hf]} (median of 10)"; else line="$line | ${res[$kind.mount]}"; fi
	done
	add "$line |"
	for op in find ls du grep cat; do
		for temp in cold warm; do
			line="| $op, $temp | ${res[tmpfs.$op.$temp]}"
			for kind in "${kinds[@]}"; do
				line="$line | ${res[$kind.$op.$temp]} ($(ratio "${res[$kind.$op.$temp]}" "${res[tmpfs.$op.$temp]}")x)"
			done
			add "$line |"
		done
	done
	line="| diff -r, warm | ${res[tmpfs.diff]}"
	for kind in "${kinds[@]}"; do
		line="$line | ${res[$kind.diff]} ($(ratio "${res[$kind.diff]}" "${res[tmpfs.diff]}")x)"
	done
	add "$line |"
	add ""
	[ -n "${res[sarfs.rss]:-}" ] &&
		add "sarfs daemon after its cold and warm cat: peak RSS ${res[sarfs.rss]} MB, CPU ${res[sarfs.cpu]}."
	add ""
	add "New page cache on this host: writing the tree's $tree_mb MiB to tmpfs (dd) took $fill s; a tenth of it, $fill_small s."

	# The floors: how many requests the kernel sends sarfs for a cold pass
	# (each is one read() of /dev/fuse by the daemon, counted by strace on
	# a second run), and what each costs beyond tmpfs's time for the pass.
	add ""
	add "| cold pass | sarfs s | tmpfs s | FUSE requests | µs a request beyond tmpfs |"
	add "|---|---|---|---|---|"
	for pass in find du grep cat grep,nopush cat,nopush; do
		op=${pass%,*}
		opt=()
		[ "$pass" != "$op" ] && opt=(-o nopush)
		mkdir -p "$B/mnt-f"
		mounted "$B/mnt-f"
		backing sarfs
		"$sarfs" "$IDX" "$B/mnt-f" "${opt[@]}"
		t=$(time_op "$op" "$B/mnt-f")
		umount_kind "$B/mnt-f"
		backing sarfs
		"$sarfs" "$IDX" "$B/mnt-f" "${opt[@]}"
		pid=$(pgrep -nf "sarfs $IDX $B/mnt-f")
		strace -f -c -e trace=read -o "$B/strace.txt" -p "$pid" 2>/dev/null &
		spid=$!
		sleep 1
		time_op "$op" "$B/mnt-f" >/dev/null
		kill -INT "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
		umount_kind "$B/mnt-f"
		reqs=$(awk '$NF == "read" { print $4 }' "$B/strace.txt")
		add "| $pass | $t | ${res[tmpfs.$op.cold]} | ${reqs:-?} | $(awk -v a="$t" -v b="${res[tmpfs.$op.cold]}" -v n="${reqs:-0}" 'BEGIN { if (n > 0) printf "%.1f", (a - b) * 1e6 / n; else print "-" }') |"
	done
	# each size as it is done: a run cut short keeps what it measured
	printf '%s\n' "${report[@]}"
	report=()
done
