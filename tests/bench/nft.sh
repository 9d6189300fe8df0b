#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmark of the nft output (`make bench`; needs root, nft, unshare):
# push of 10k, 100k and 1M aggregated IPv4 interval elements by netlink
# (`poolwall compile -t nft -O nft.mode=netlink`, parsing and aggregation
# of the input included) against `nft -f` of the same elements (the
# ruleset file poolwall writes), each in a network namespace of its own:
# wall time, peak RSS and the ratios.  Then emergency blocks into a table
# holding the largest set: the plugin's live change alone (nft-emerg),
# `nft add element` for reference, and `poolwall block` end to end.
#
# Targets at 1M: netlink at least 2.5x faster than nft -f and under a
# tenth of its memory; a block under 50 ms.
#
# Environment: POOLWALL, POOLWALL_PLUGIN_DIR (set by the make rule),
# top_builddir (for tests/nft/nft-emerg), NFT_BENCH_SIZES (default
# "10000 100000 1000000"), NFT_BENCH_NFT_ADD=1 to time `nft add element`
# into the big table too (slow: nft reads the whole table first),
# BENCH_STRICT=1 to fail on a missed target.
# Exit: 0, 1 when a command fails (or a target is missed, strict), 77 when
# it cannot run here.

set -u

: "${POOLWALL:?POOLWALL must name the poolwall binary}"
: "${POOLWALL_PLUGIN_DIR:?POOLWALL_PLUGIN_DIR must name the plugin dir}"
export POOLWALL_PLUGIN_DIR
builddir=${top_builddir:-$(dirname "$POOLWALL")}
EMERG=$builddir/tests/nft/nft-emerg
SIZES=${NFT_BENCH_SIZES:-10000 100000 1000000}
TIME=/usr/bin/time
LC_ALL=C
export LC_ALL

skip() {
	echo "bench nft: $1: skipped" >&2
	exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
for t in nft unshare "$TIME"; do
	command -v "$t" >/dev/null 2>&1 || skip "$t not found"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-bench-nft.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
status=0

row() {
	printf '%-40s %8s %8s  %-18s %s\n' "$1" "$2" "$3" "$4" "$5"
}

# N disjoint, non-adjacent IPv4 intervals (a /30 every tenth, /32 the
# rest, in 11.0.0.0/8) as a netset with the noise aggregation removes:
# a duplicate every seventh line, an address inside every other /30
gen() {	# gen N
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) {
			a = 184549376 + 8 * i
			s = sprintf("%d.%d.%d.%d", int(a / 16777216),
				    int(a / 65536) % 256, int(a / 256) % 256,
				    a % 256)
			if (i % 10 == 0) {
				print s "/30"
				if (i % 20 == 0)
					printf "%d.%d.%d.%d\n",
					       int(a / 16777216),
					       int(a / 65536) % 256,
					       int(a / 256) % 256, a % 256 + 1
			} else {
				print s
			}
			if (i % 7 == 0)
				print s (i % 10 == 0 ? "/30" : "")
		}
	}'
}

# timed NAME CMD...: run CMD under /usr/bin/time; sets sec, mb
timed() {
	_name=$1
	shift
	sec=
	mb=
	if ! "$TIME" -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"
	then
		row "$_name" - - "" ERROR
		sed -n '1,5s/^/    /p' "$tmp/err"
		status=1
		return 1
	fi
	read -r sec kb <<EOF
$(tail -n 1 "$tmp/time")
EOF
	mb=$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')
	return 0
}

push() {	# push FILE: compile and push, from nothing
	"$POOLWALL" -q compile -i "netset:$1" -t "nft:$tmp/push.nft" \
		-O nft.mode=netlink
}

echo "bench nft: sizes $SIZES (kernel $(uname -r), nft $(nft -v | cut -d' ' -f2))"
row name seconds MB target result
row ---- ------- -- ------ ------
largest=
for n in $SIZES; do
	gen "$n" >"$tmp/in$n.txt"
	# the same elements as a ruleset file, for nft -f
	"$POOLWALL" -q compile -i "netset:$tmp/in$n.txt" \
		-t "nft:$tmp/file$n.nft" || { status=1; continue; }
	got=$(sed -n 's/^# feed: *\([0-9]*\) ipv4.*/\1/p' "$tmp/file$n.nft")
	[ "$got" = "$n" ] || echo "  (note: $got elements after aggregation)"
	timed "netlink push $n (from nothing)" unshare -n "$POOLWALL" -q \
		compile -i "netset:$tmp/in$n.txt" -t "nft:$tmp/push.nft" \
		-O nft.mode=netlink || continue
	pw_s=$sec pw_mb=$mb
	row "netlink push $n (from nothing)" "$sec" "$mb" "" ""
	timed "nft -f $n" unshare -n nft -f "$tmp/file$n.nft" || continue
	nf_s=$sec nf_mb=$mb
	row "nft -f $n" "$sec" "$mb" "(reference)" ""
	verdict=
	target=
	if [ "$n" -ge 1000000 ]; then
		target=">= 2.5x, <= 0.1x"
		if awk -v a="$pw_s" -v b="$nf_s" -v c="$pw_mb" -v d="$nf_mb" \
			'BEGIN { exit !(b >= 2.5 * a && c <= 0.1 * d) }'; then
			verdict=PASS
		else
			verdict=FAIL
			[ "${BENCH_STRICT:-0}" = 1 ] && status=1
		fi
	fi
	awk -v a="$pw_s" -v b="$nf_s" -v c="$pw_mb" -v d="$nf_mb" \
		-v t="$target" -v v="$verdict" 'BEGIN {
		printf "%-40s %8.2fx %7.3fx  %-18s %s\n",
		       "  speed-up, memory ratio", (a > 0 ? b / a : 0),
		       (d > 0 ? c / d : 0), t, v }'
	largest=$n
done

[ -n "$largest" ] || exit $status
echo
n=$largest
# a refresh (flush and refill) and blocks into a table of $n elements,
# all in one namespace
cat >"$tmp/blocks.sh" <<'EOF'
set -u
T=$1 tmp=$2 n=$3
"$POOLWALL" -q compile -i "netset:$tmp/in$n.txt" -t "nft:$tmp/push.nft" \
	-O nft.mode=netlink || exit 1
"$T" -f '%e %M' -o "$tmp/t.refresh" "$POOLWALL" -q compile \
	-i "netset:$tmp/in$n.txt" -t "nft:$tmp/push.nft" -O nft.mode=netlink \
	|| exit 1
[ -x "$EMERG" ] && { "$T" -f '%e %M' -o "$tmp/t.emerg" "$EMERG" add poolwall \
	259200 192.0.2.77 2>/dev/null || exit 1; }
# nft reads the whole table first: a minute and more at 1M elements
if [ "${NFT_BENCH_NFT_ADD:-0}" = 1 ]; then
	"$T" -f '%e %M' -o "$tmp/t.nftadd" nft add element inet poolwall \
		emerg_v4 '{ 192.0.2.78 timeout 72h }' || exit 1
fi
mkdir -p "$tmp/b/state" "$tmp/b/cache" "$tmp/b/inc" "$tmp/b/out"
{
	echo "[general]"
	echo "state_dir = $tmp/b/state"
	echo "cache_dir = $tmp/b/cache"
	echo "permit_documentation = yes"
	echo "syslog = no"
	echo "[incidents]"
	echo "dir = $tmp/b/inc"
	echo "[feed big]"
	echo "url = $tmp/in$n.txt"
	echo "format = netset"
	echo "[output nft]"
	echo "path = $tmp/b/out/poolwall.nft"
	echo "mode = netlink"
} >"$tmp/b/poolwall.conf"
"$POOLWALL" -q -c "$tmp/b/poolwall.conf" update >/dev/null 2>&1 || exit 0
"$T" -f '%e %M' -o "$tmp/t.block" "$POOLWALL" -q -c "$tmp/b/poolwall.conf" \
	block --ttl 72h 192.0.2.79 >/dev/null 2>&1
exit 0
EOF
if EMERG=$EMERG unshare -n sh "$tmp/blocks.sh" "$TIME" "$tmp" "$n"; then
	for t in refresh:"netlink refresh $n (flush + refill)" \
		emerg:"block: plugin live change (nft-emerg)" \
		nftadd:"block: nft add element (reference)" \
		block:"block: poolwall block, end to end"; do
		f=$tmp/t.${t%%:*}
		name=${t#*:}
		[ -s "$f" ] || { row "$name" - - "" "SKIP"; continue; }
		read -r sec kb <"$f"
		mb=$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')
		case ${t%%:*} in
		emerg|block)
			if awk -v s="$sec" 'BEGIN { exit !(s < 0.05) }'; then
				v=PASS
			else
				v=FAIL
				[ "${BENCH_STRICT:-0}" = 1 ] && status=1
			fi
			row "$name" "$sec" "$mb" "< 0.05 s" "$v" ;;
		*)
			row "$name" "$sec" "$mb" "" "" ;;
		esac
	done
else
	row "refresh and blocks, $n" - - "" ERROR
	status=1
fi
exit $status
