#!/bin/sh
# tools/deps.sh - install what sarfs needs to build, test and run, on
# Debian 12 (or a derivative), as root or through sudo. Sourced by demo.sh
# and test.sh; safe to run again: it installs only what is missing.
#
# Every package and why it is here:
#   meson ninja-build pkg-config gcc   the build
#   clang                              the second compiler (-Werror with both)
#                                      and the sanitizer build
#   libfuse3-dev fuse3                 the daemon; fusermount3 to unmount
#   libjansson-dev                     JSON records, profiles, --json output
#   libsqlite3-dev                     the index
#   libarchive-dev                     reading zip, tar, tar.gz exports
#   libssl-dev                         SHA-256 (libcrypto)
#   libgit2-dev                        unified diffs of two exports (sarfs diff)
#   libpcre2-dev                       regular expressions in views (error
#                                      positions, Unicode, bounded matching)
#   libcmocka-dev                      unit tests
#   python3                            meson itself; test fixtures (zip, tar)
#   attr acl                           getfattr and getfacl, in the mount tests
#   valgrind                           memcheck runs in tools/test.sh
#   time                               GNU time: peak memory of a build in the
#                                      golden tests (max_rss_mb) and in
#                                      tools/hostile-big.sh
#   libclang-rt-14-dev                 clang's sanitizer runtimes
#   ca-certificates                    apt over https mirrors
#
# tools/fuzz.sh also asks for SARFS_FUZZ_PACKAGES:
#   llvm-14                            llvm-profdata-14 and llvm-cov-14 for its
#                                      source coverage report (libFuzzer itself
#                                      is in libclang-rt-14-dev)

SARFS_PACKAGES="meson ninja-build pkg-config gcc clang libclang-rt-14-dev \
libfuse3-dev fuse3 libjansson-dev libsqlite3-dev libarchive-dev libssl-dev libgit2-dev \
libpcre2-dev libcmocka-dev python3 attr acl valgrind time ca-certificates"
SARFS_FUZZ_PACKAGES="llvm-14"

# sarfs_missing_packages [EXTRA-PACKAGE...]
sarfs_missing_packages() {
	missing=""
	for p in $SARFS_PACKAGES "$@"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
			missing="$missing $p"
		fi
	done
	echo "$missing"
}

# sarfs_install_deps [EXTRA-PACKAGE...]: SARFS_PACKAGES and the extras
sarfs_install_deps() {
	if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
		echo "sarfs: this is not a Debian system; install by hand:$SARFS_PACKAGES" >&2
		return 1
	fi
	missing=$(sarfs_missing_packages "$@")
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -eq 0 ]; then
		as_root=""
	elif command -v sudo >/dev/null 2>&1; then
		as_root="sudo"
	else
		echo "sarfs: missing packages:$missing; run as root or install sudo" >&2
		return 1
	fi
	echo "sarfs: installing:$missing" >&2
	# A fresh machine may have no package lists yet: try, then update and retry.
	# shellcheck disable=SC2086
	if ! $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; then
		$as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
		# shellcheck disable=SC2086
		$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing || return 1
	fi
}
