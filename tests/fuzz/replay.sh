#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Replay the seed corpus and every saved crash through each fuzz target
# (tests/fuzz/fuzz-NAME, built by `make check`) and print one TAP stream.
# A target that crashes or fails is one `not ok` with its output as
# comments.  VALGRIND=valgrind runs the targets under valgrind.

: "${top_srcdir:=.}"
: "${top_builddir:=.}"
names="hosts adblock domains netset text ioc normalize refang csv openioc stix
	misp xmrig cmdline"
wrap="$top_srcdir/tests/lib/testwrapper.sh"
tmp="${TMPDIR:-/tmp}/pw-replay.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
n=0

for t in $names; do
	prog="$top_builddir/tests/fuzz/fuzz-$t"
	corpus="$top_srcdir/tests/fuzz/corpus/$t"
	crashes="$top_srcdir/tests/fuzz/crashes/$t"
	if [ ! -x "$prog" ] && [ "$t" = openioc ]; then
		n=$((n + 1))
		echo "ok $n - fuzz-$t # SKIP not built (no libxml2)"
		continue
	fi
	if [ ! -x "$prog" ]; then
		n=$((n + 1))
		echo "not ok $n - fuzz-$t: $prog not built"
		continue
	fi
	if [ ! -d "$corpus" ]; then
		n=$((n + 1))
		echo "not ok $n - fuzz-$t: no seed corpus $corpus"
		continue
	fi
	set -- "$corpus"
	if [ -d "$crashes" ]; then
		set -- "$@" "$crashes"
	fi
	sh "$wrap" "$prog" "$@" >"$tmp" 2>&1
	rc=$?
	while IFS= read -r l; do
		case $l in
		"ok "*|"not ok "*)
			n=$((n + 1))
			re='s/^\(not \)\{0,1\}ok [0-9]* -'
			echo "$l" | sed -e "$re/\1ok $n - fuzz-$t:/"
			;;
		1..*)
			;;
		"#"*)
			echo "$l"
			;;
		*)
			echo "# $l"
			;;
		esac
	done <"$tmp"
	if [ "$rc" -ne 0 ]; then
		n=$((n + 1))
		echo "not ok $n - fuzz-$t exited with status $rc"
	fi
done
echo "1..$n"
