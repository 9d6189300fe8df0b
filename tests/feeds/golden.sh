#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests for the feed plugins (TAP).
#
# 1. Every tests/feeds/PLUGIN/NNN-slug.in is run through tokens-PLUGIN (with
#    the options in NNN-slug.args, if there is one) and its stdout and
#    stderr compared with NNN-slug.out and NNN-slug.err.  PW_REGEN=1
#    rewrites the .out and .err files instead: review that diff like code.
# 2. A line of 1 MiB, made here rather than stored, goes through each
#    plugin: the token comes out whole and the next line keeps its number.
# 3. JSON and XML nested 100,000 deep, made here, go through the JSON and
#    XML plugins: each is refused with a message.
# 4. Each dumper runs over the shared corpus ($PW_CORPUS) and the number of
#    tokens and skipped lines per file is compared with
#    tests/feeds/corpus-tokens.expected (never regenerated: counted by
#    hand).  Without the corpus this is skipped, unless CI=true.
#
# VALGRIND=valgrind runs the dumpers under valgrind.

: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${PW_CORPUS:=$top_srcdir/../shared/corpus}"
plugins="hosts adblock domains netset text ioc csv openioc stix misp xmrig
	cmdline"
src="$top_srcdir/tests/feeds"
bin="$top_builddir/tests/feeds"
wrap="$top_srcdir/tests/lib/testwrapper.sh"
tmp="${TMPDIR:-/tmp}/pw-golden.$$"
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp" || exit 99
n=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	echo "not ok $n - $*"
}

comment() {
	sed -e 's/^/# /' "$@"
}

# run PLUGIN ARGS... : stdout in $tmp/out, stderr in $tmp/err
run() {
	p=$1
	shift
	sh "$wrap" "$bin/tokens-$p" "$@" >"$tmp/out" 2>"$tmp/err"
}

# a dumper configure did not build (openioc without libxml2)
built() {
	[ -x "$bin/tokens-$1" ]
}

# ---- 1. golden cases ----------------------------------------------------
for p in $plugins; do
	if ! built "$p"; then
		ok "$p # SKIP tokens-$p not built"
		continue
	fi
	for in in "$src/$p"/*.in; do
		[ -e "$in" ] || continue
		base=${in%.in}
		name="$p/${base##*/}"
		args=
		if [ -f "$base.args" ]; then
			args=$(cat "$base.args")
		fi
		# shellcheck disable=SC2086
		run "$p" $args "$in"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			not_ok "$name: tokens-$p exited with status $rc"
			comment "$tmp/err"
			continue
		fi
		if [ -n "$PW_REGEN" ]; then
			if cp "$tmp/out" "$base.out" &&
			   cp "$tmp/err" "$base.err"; then
				ok "$name (regenerated)"
			else
				not_ok "$name: cannot write $base.out"
			fi
			continue
		fi
		if cmp -s "$base.out" "$tmp/out" &&
		   cmp -s "$base.err" "$tmp/err"; then
			ok "$name"
		else
			not_ok "$name"
			diff -u "$base.out" "$tmp/out" | comment
			diff -u "$base.err" "$tmp/err" | comment
		fi
	done
done

# ---- 2. a 1 MiB line ----------------------------------------------------
head -c 1048576 /dev/zero | tr '\0' 'a' >"$tmp/big" || exit 99
for p in $plugins; do
	built "$p" || continue
	# the long line, then a normal one naming after.example.test
	pre= post='.test' next='after.example.test'
	want="1:1048581: 2:18:after.example.test "
	case $p in
	hosts)   pre='0.0.0.0 ' next="0.0.0.0 $next" ;;
	adblock) pre='||' post='.test^' next="||$next^" ;;
	text)    pre='see ' post='.test.' next="see $next" ;;
	ioc)     pre='domain ' next="domain $next" ;;
	openioc)
		item='<IndicatorItem condition="is"><Context search="DnsEntryItem/Host"/><Content>'
		pre="<ioc><definition>$item"
		post='.test</Content></IndicatorItem>'
		next="$item$next</Content></IndicatorItem></definition></ioc>" ;;
	stix)
		obj='{"type": "domain-name", "id": "domain-name--'
		pre="{\"type\": \"bundle\", \"objects\": [${obj}1\", \"value\": \""
		post='.test"},'
		next="${obj}2\", \"value\": \"$next\"}]}" ;;
	misp)
		attr='{"type": "domain", "uuid": "'
		pre="{\"Event\": {\"id\": \"1\", \"Attribute\": [${attr}u1\", \"value\": \""
		post='.test"},'
		next="${attr}u2\", \"value\": \"$next\"}]}}" ;;
	# a pool URL too long to rebuild is handed over as it was written
	xmrig)
		pre='{"pools": [{"url": "' post='.test"},'
		next="{\"url\": \"$next\"}]}"
		want="1:1048581: 2:32:stratum+tcp://after.example.test " ;;
	cmdline)
		pre='xmrig -o ' next="xmrig -o $next"
		want="1:1048581: 2:32:stratum+tcp://after.example.test " ;;
	esac
	{
		printf '%s' "$pre"
		cat "$tmp/big"
		printf '%s\n%s\n' "$post" "$next"
	} >"$tmp/in"
	run "$p" "$tmp/in"
	rc=$?
	got=$(awk -F '\t' '{ printf "%s:%d:%s ", $1, length($4), \
		length($4) < 100 ? $4 : "" }' "$tmp/out")
	if [ "$rc" -eq 0 ] && [ "$got" = "$want" ] && [ ! -s "$tmp/err" ]; then
		ok "$p/one-mebibyte-line"
	else
		not_ok "$p/one-mebibyte-line: status $rc, got '$got'"
		comment "$tmp/err"
	fi
done

# ---- 3. hostile documents, made here -------------------------------------
# JSON nested 100,000 deep and XML elements nested 100,000 deep are refused
# within the parsers' depth caps, with a message, never a crash.
head -c 100000 /dev/zero | tr '\0' '[' >"$tmp/deep.json" || exit 99
{
	printf '<ioc>'
	head -c 100000 /dev/zero | sed 's/\x0/<a>/g'
} >"$tmp/deep.xml" || exit 99
for p in openioc stix misp xmrig; do
	built "$p" || continue
	case $p in
	openioc) in="$tmp/deep.xml" why='Excessive depth' ;;
	*)       in="$tmp/deep.json" why='maximum parsing depth' ;;
	esac
	run "$p" "$in"
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] &&
	   grep -q "^parse	-22$" "$tmp/err" &&
	   grep -q "^log	3	.*$why" "$tmp/err"; then
		ok "$p/deep-nesting-refused"
	else
		not_ok "$p/deep-nesting-refused: status $rc"
		comment "$tmp/err"
	fi
done

# ---- 4. the shared corpus -----------------------------------------------
expected="$src/corpus-tokens.expected"
if [ ! -d "$PW_CORPUS" ]; then
	if [ "$CI" = true ]; then
		not_ok "corpus: PW_CORPUS=$PW_CORPUS not found and CI=true"
	else
		ok "corpus # SKIP PW_CORPUS=$PW_CORPUS not found"
	fi
else
	while read -r p file tokens skips; do
		case $p in
		""|"#"*) continue ;;
		esac
		if ! built "$p"; then
			ok "corpus $p $file # SKIP tokens-$p not built"
			continue
		fi
		if [ ! -f "$PW_CORPUS/$file" ]; then
			not_ok "corpus $p $file: missing"
			continue
		fi
		run "$p" -c "$PW_CORPUS/$file"
		rc=$?
		got=$(cat "$tmp/out")
		want="tokens $tokens skips $skips"
		if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then
			ok "corpus $p $file: $got"
		else
			not_ok "corpus $p $file: status $rc, got '$got'," \
				"want '$want'"
			comment "$tmp/err"
		fi
	done <"$expected"
fi

echo "1..$n"
