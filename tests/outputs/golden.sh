#!/bin/sh
# Golden files of the output plugins: tests/outputs/NAME/NNN-slug.set (an
# `ioc` file) is compiled with `-t NAME` (plus the arguments in
# NNN-slug.args, if any) and compared to NNN-slug.out; the diagnostics on
# stderr to NNN-slug.err.  PW_REGEN=1 rewrites .out and .err instead.
. "$top_srcdir/tests/lib/tap.sh"
# reproducible dates in the outputs that print them
SOURCE_DATE_EPOCH=1767225600
export SOURCE_DATE_EPOCH
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

for set in "$top_srcdir"/tests/outputs/*/*.set; do
	name=$(basename "$(dirname "$set")")
	base=${set%.set}
	case_=$name/$(basename "$base")
	args=
	[ -f "$base.args" ] && args=$(cat "$base.args")
	# shellcheck disable=SC2086
	"$POOLWALL" compile --permit-documentation -i "ioc:$set" \
		-t "$name" $args >"$tmp/out" 2>"$tmp/err"
	echo "exit $?" >>"$tmp/err"
	sed "s|$top_srcdir/||g" "$tmp/err" >"$tmp/err2"
	if [ -n "${PW_REGEN:-}" ]; then
		cp "$tmp/out" "$base.out"
		cp "$tmp/err2" "$base.err"
		tap_ok 0 "$case_ (regenerated)"
		continue
	fi
	if cmp -s "$tmp/out" "$base.out" && cmp -s "$tmp/err2" "$base.err"
	then
		tap_ok 0 "$case_"
	else
		tap_ok 1 "$case_"
		diff -u "$base.out" "$tmp/out" | tap_diag
		diff -u "$base.err" "$tmp/err2" | tap_diag
	fi
done
tap_done
