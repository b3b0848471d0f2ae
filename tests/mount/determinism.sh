#!/bin/bash
# One export, four packings (folder; zip with members reversed; tar sorted;
# tar.gz shuffled), each mounted under a different TZ and locale: the trees
# must not differ at all (diff -r, and names, sizes, modes and mtimes), but
# for README.txt's lines about the packed file itself (its name, kind and
# SHA-256).
. "$(dirname "$0")/lib.sh"
require_fuse

src="$WORK/export"
cp -a "$SRCDIR/samples/generic" "$src"
# names that are not UTF-8, and a Unicode name, exercise the name rules
mkdir -p "$src/odd"
printf 'latin-1 name\n' >"$src/odd/na$(printf '\xefve').txt"
printf '[{"id": "z", "t": "2015-01-05T10:00:00Z"}]\n' >"$src/odd/Zürich.json"

python3 "$(dirname "$0")/pack.py" zip reversed "$src" "$WORK/export.zip"
python3 "$(dirname "$0")/pack.py" tar sorted "$src" "$WORK/export.tar"
python3 "$(dirname "$0")/pack.py" tgz shuffled "$src" "$WORK/export.tar.gz"

locale_utf8=C.UTF-8
declare -A envs=(
	[folder]="TZ=UTC LC_ALL=C"
	[zip]="TZ=Pacific/Auckland LC_ALL=$locale_utf8"
	[tar]="TZ=Pacific/Auckland LC_ALL=C"
	[tgz]="TZ=America/St_Johns LC_ALL=$locale_utf8"
)
declare -A srcs=([folder]="$src" [zip]="$WORK/export.zip" [tar]="$WORK/export.tar" [tgz]="$WORK/export.tar.gz")

for k in folder zip tar tgz; do
	# each packing indexed and served under its own TZ and locale, with
	# its own cache so that nothing is shared between them
	export XDG_CACHE_HOME="$WORK/cache-$k"
	eval "export ${envs[$k]}"
	mount_sarfs "${srcs[$k]}" "$WORK/m-$k"
done
export TZ=UTC LC_ALL=C

listing() {
	(cd "$1" && find . -printf '%P\t%y\t%s\t%T@\t%m\t%n\n' | grep -v '^README.txt' | LC_ALL=C sort)
}

ref="$WORK/m-folder"
for k in zip tar tgz; do
	m="$WORK/m-$k"
	# the zip cannot hold the name that is not UTF-8 (see pack.py): the
	# folder's tree without it is what the zip must show
	skipname=
	[ $k = zip ] && skipname='na*ve.txt'
	diff -r -x README.txt ${skipname:+-x "$skipname"} "$ref" "$m" ||
		fail "$k packing: the tree differs from the folder's"
	ours=$(listing "$ref")
	[ $k = zip ] && ours=$(echo "$ours" | grep -v 'na%EFve.txt')
	theirs=$(listing "$m")
	expect_eq "$k: names, sizes, mtimes, modes" "$theirs" "$ours"
	# README.txt: only the lines about the packed file may differ
	d=$(diff "$ref/README.txt" "$m/README.txt" | grep '^[<>]' | sed -E 's/^[<>] //' |
		grep -vE '^(Source|SHA-256): ' | grep -vE '^      (sha256sum FILE|cd FOLDER .*|    xargs -0 sha256sum .*)$' |
		grep -vE '^  To check the SHA-256 above against the (folder itself|file received):$' |
		{ if [ $k = zip ]; then grep -vE '^Contents:   [78] files in the export, under raw/$'; else cat; fi; } || true)
	expect_eq "$k: README.txt differs only in the packed file's facts" "$d" ""
	grep -q "^SHA-256:    $(sha256sum <"${srcs[$k]}" | cut -d' ' -f1)\$" "$m/README.txt" ||
		fail "$k: README.txt does not carry the archive's SHA-256"
done

# the odd names, escaped visibly and identically everywhere
[ -f "$ref/raw/odd/na%EFve.txt" ] || fail "invalid UTF-8 name not shown as %EF"
[ -f "$ref/records/odd/Zürich.json/z.json" ] || fail "UTF-8 name not kept"

for k in folder zip tar tgz; do unmount_sarfs "$WORK/m-$k"; done
check_logs
echo "PASS"
