#!/bin/sh
# nft -c -f (and a real load, which checks more: a reject in postrouting
# passes -c) on every golden ruleset of the nft output and on the whole
# corpus compiled, with the default options and with the others; inside a
# network namespace of the test's own.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/nft-lib.sh"
need nft unshare jq
nft_need_root
nft_own_netns "$@"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

for f in "$top_srcdir"/tests/outputs/nft/*.out; do
	[ -s "$f" ] || continue		# a refused configuration
	name=$(basename "$f")
	nft -c -f "$f" 2>"$tmp/err"
	tap_ok $? "nft -c -f $name"
	tap_diag <"$tmp/err"
	nft -f "$f" 2>"$tmp/err" && nft -f "$f" 2>>"$tmp/err"
	tap_ok $? "$name loads, twice (the file replaces the table)"
	tap_diag <"$tmp/err"
	nft flush ruleset
done

corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
if [ ! -d "$corpus/feeds" ]; then
	tap_missing "no corpus at $corpus"
	tap_done
	exit
fi
args=
for i in netset:feeds/coinblockerlists/MiningServerIPList.txt \
	netset:feeds/firehol-coinbl/coinbl_hosts.ipset \
	netset:feeds/firehol-coinbl/coinbl_ips.ipset \
	text:feeds/maltrail/crypto_mining.txt \
	text:iocs/avast/Crackonosh_network.txt \
	text:iocs/lacework/h2miner.csv \
	text:iocs/akamai/cryptominers_part2_ioc.md \
	domains:feeds/coinblockerlists/list.txt; do
	[ -f "$corpus/${i#*:}" ] || continue
	args="$args -i ${i%%:*}:$corpus/${i#*:}"
done
n=0
for opts in "" "-O nft.action=reject -O nft.exempt=10.0.0.0/8,fd00::/8" \
	"-O nft.action=log -O nft.counters=no -O nft.offender_timeout=0" \
	"-O nft.hooks=prerouting,input,forward,output -O nft.log_prefix="; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$POOLWALL" -q compile $args -t "nft:$tmp/all$n.nft" $opts
	tap_ok $? "the corpus compiles to nft ($n: ${opts:-defaults})"
	nft -c -f "$tmp/all$n.nft" 2>"$tmp/err"
	tap_ok $? "...nft -c -f takes it"
	tap_diag <"$tmp/err"
	nft -f "$tmp/all$n.nft" 2>"$tmp/err"
	tap_ok $? "...and it loads"
	tap_diag <"$tmp/err"
	want=$(sed -n 's/^# feed: *\([0-9]*\) ipv4.*/\1/p' "$tmp/all$n.nft")
	got=$(nft_elems feed_v4 | wc -l)
	tap_ok $((want != got)) "...feed_v4 holds the $want elements the header counts ($got)"
	nft flush ruleset
done
# the same set from a second monitor-tier copy goes to the monitor sets
"$POOLWALL" -q compile -i "netset:$corpus/feeds/firehol-coinbl/coinbl_ips.ipset" \
	-O netset.monitor=yes -t "nft:$tmp/mon.nft"
tap_ok $? "a monitor-tier feed compiles"
nft -f "$tmp/mon.nft"
tap_ok $? "...and loads"
tap_ok $(($(nft_elems mon_v4 | wc -l) == 0)) "...into mon_v4"
tap_done
