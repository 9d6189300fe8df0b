#!/bin/sh
# The squid output, checked by Squid itself: every golden case, the whole
# shared corpus and a hostile feed, each included in a wrapper squid.conf,
# pass `squid -k parse` with exit 0 and not one WARNING, ERROR or FATAL
# line (formats.md 4.5: the exit code alone misses dropped entries).  The
# bare ACL lists (content=dstdomain, dst, port) load as `acl X TYPE "FILE"`.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need squid python3
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
helper="$top_srcdir/tests/integration/pw_outputs.py"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# parse FILE...: a wrapper configuration including FILEs, then squid -k parse
parse() {
	{
		echo "http_port 127.0.0.1:3128"
		echo "pid_filename none"
		echo "cache_log $tmp/cache.log"
		for f in "$@"; do echo "include $f"; done
		echo "http_access allow localhost"
		echo "http_access deny all"
	} >"$tmp/wrap.conf"
	squid -k parse -f "$tmp/wrap.conf" >"$tmp/parse.log" 2>&1
	_rc=$?
	if [ $_rc -ne 0 ] || grep -q 'WARNING\|ERROR\|FATAL' "$tmp/parse.log"
	then
		grep 'WARNING\|ERROR\|FATAL' "$tmp/parse.log" | head -5 | tap_diag
		return 1
	fi
	return 0
}

export SOURCE_DATE_EPOCH=1767225600
for set in "$top_srcdir"/tests/outputs/squid/*.set; do
	case_=$(basename "$set" .set)
	args=
	[ -f "${set%.set}.args" ] && args=$(cat "${set%.set}.args")
	# shellcheck disable=SC2086
	if "$POOLWALL" -q compile --permit-documentation -i "ioc:$set" \
		-t squid:"$tmp/case.conf" $args 2>/dev/null; then
		case $args in
		*content=dst*|*content=port*)
			# a bare list: declare it as the ACL it is for
			type=${args##*content=}
			type=${type%% *}
			printf 'acl x %s "%s"\nhttp_access deny x\n' \
				"$type" "$tmp/case.conf" >"$tmp/list.conf"
			parse "$tmp/list.conf" ;;
		*) parse "$tmp/case.conf" ;;
		esac
		tap_ok $? "golden case $case_ passes squid -k parse cleanly"
	else
		tap_skip "golden case $case_ is an error case"
	fi
done

if [ -d "$corpus/feeds" ]; then
	# shellcheck disable=SC2046
	"$POOLWALL" -q compile $(python3 "$helper" inputs "$corpus") \
		-t squid:"$tmp/corpus.conf" 2>"$tmp/err"
	tap_ok $? "the corpus compiles to a squid include"
	n=$(grep -c '^acl poolwall_domains ' "$tmp/corpus.conf")
	tap_ok $((n < 5000)) "with $n dstdomain entries"
	n=$(grep -c '^acl poolwall_dst ' "$tmp/corpus.conf")
	tap_ok $((n < 1000)) "and $n dst entries"
	parse "$tmp/corpus.conf"
	tap_ok $? "the corpus include passes squid -k parse cleanly"
	for kind in dstdomain dst port; do
		# shellcheck disable=SC2046
		"$POOLWALL" -q compile $(python3 "$helper" inputs "$corpus") \
			-t squid:"$tmp/corpus.$kind" -O squid.content=$kind \
			2>/dev/null
		printf 'acl x %s "%s"\nhttp_access deny x\n' "$kind" \
			"$tmp/corpus.$kind" >"$tmp/list.conf"
		parse "$tmp/list.conf"
		tap_ok $? "content=$kind: the corpus list loads as a $kind ACL"
	done
	# the same lists, told apart: nothing lost between the two forms
	a=$(grep -c '^acl poolwall_domains ' "$tmp/corpus.conf")
	b=$(grep -vc '^#' "$tmp/corpus.dstdomain")
	tap_ok $((a != b)) "the list holds the same names as the include ($a, $b)"
else
	tap_missing "corpus at $corpus"
fi

# a hostile feed: nothing of a refused line reaches the file
# shellcheck disable=SC2046
"$POOLWALL" -q compile --permit-documentation \
	$(python3 "$helper" hostile "$tmp/hostile") \
	-t squid:"$tmp/hostile.conf" 2>/dev/null
tap_ok $? "a hostile feed compiles"
tap_check "its good names are there" grep -q 'good-1\.example\.test' \
	"$tmp/hostile.conf"
tap_check "nothing of a hostile line is" sh -c "! grep -qi evil '$tmp/hostile.conf'"
tap_check "no hostile provenance either" sh -c "! grep -q 'xss[^_]' '$tmp/hostile.conf'"
n=$(LC_ALL=C grep -c '[^ -~]' "$tmp/hostile.conf")
tap_ok $((n != 0)) "no byte outside printable ASCII ($n lines)"
n=$(grep -vc '^#\|^acl poolwall_[a-z]* [a-z_]* \(-n \(-i \)\{0,1\}\)\{0,1\}[][a-z0-9.:/\\$_*-]*$\|^http_access deny poolwall_[a-z]*$' "$tmp/hostile.conf")
tap_ok $((n != 0)) "every line is a comment, an acl or a deny rule ($n others)"
parse "$tmp/hostile.conf"
tap_ok $? "and it passes squid -k parse cleanly"
tap_done
