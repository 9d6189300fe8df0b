#!/bin/sh
# Golden files of the output plugins: tests/outputs/NAME/NNN-slug.set (an
# `ioc` file) is compiled with `-t NAME` (plus the arguments in
# NNN-slug.args, and `--allow NNN-slug.allow`, if present; cases with an
# allowlist live in NAME/allow/) and compared to NNN-slug.out; the
# diagnostics on stderr to NNN-slug.err.  PW_REGEN=1 rewrites .out and .err
# instead.  Outputs this build does not have (no ldns, no libxml2) are
# skipped.
. "$top_srcdir/tests/lib/tap.sh"
# reproducible dates in the outputs that print them
SOURCE_DATE_EPOCH=1767225600
export SOURCE_DATE_EPOCH
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

for set in "$top_srcdir"/tests/outputs/*/*.set \
	"$top_srcdir"/tests/outputs/*/allow/*.set; do
	[ -f "$set" ] || continue
	dir=${set%/*}
	case $dir in
	*/allow) name=$(basename "${dir%/allow}") sub=allow/ ;;
	*) name=$(basename "$dir") sub= ;;
	esac
	base=${set%.set}
	case_=$name/$sub$(basename "$base")
	if [ ! -e "$POOLWALL_PLUGIN_DIR/output_$name.so" ]; then
		tap_skip "$case_: output $name is not in this build"
		continue
	fi
	args=
	[ -f "$base.args" ] && args=$(cat "$base.args")
	[ -f "$base.allow" ] && args="$args --allow $base.allow"
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
