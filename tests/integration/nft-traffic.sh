#!/bin/sh
# Real traffic through the pushed table: two network namespaces made by the
# test and joined by a veth pair, addressed from the documentation ranges
# (RFC 5737, RFC 3849); a TCP/UDP listener on the far side.  Before the
# push everything connects; after it the blocked addresses and the blocked
# port do not, the offender sets hold the client, an unrelated address
# still connects; counters and offenders outlive a refresh; reject fails
# fast; an emergency entry expires; packets sent to a blocked address
# during large refreshes never get through.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/nft-lib.sh"
need nft ip jq timeout
nft_need_root
nft_need_tools
tmp=$(mktemp -d) || exit 99
cli=pwc$$
srv=pws$$
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	ip netns del "$cli" 2>/dev/null
	ip netns del "$srv" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

C() { ip netns exec "$cli" "$@"; }
S() { ip netns exec "$srv" "$@"; }
ms() { date +%s%3N; }

ip netns add "$cli" && ip netns add "$srv" &&
	ip link add "vc$$" netns "$cli" type veth peer name "vs$$" netns "$srv"
if [ $? -ne 0 ]; then
	echo "not ok 1 - cannot create the network namespaces"
	echo "1..1"
	exit 1
fi
C ip link set lo up
C ip link set "vc$$" up
C ip addr add 192.0.2.1/24 dev "vc$$"
C ip addr add 2001:db8:1::1/64 dev "vc$$" nodad
C ip route add 198.51.100.0/24 dev "vc$$"
C ip route add 203.0.113.0/24 dev "vc$$"
C ip -6 route add 2001:db8:bad::/48 dev "vc$$"
S ip link set lo up
S ip link set "vs$$" up
S ip addr add 192.0.2.2/24 dev "vs$$"
S ip addr add 198.51.100.2/32 dev "vs$$"
S ip addr add 203.0.113.2/32 dev "vs$$"
S ip addr add 2001:db8:1::2/64 dev "vs$$" nodad
S ip addr add 2001:db8:bad::2/128 dev "vs$$" nodad

serve() {	# serve PORT SECONDS: a listener in the server namespace
	ip netns exec "$srv" "$NFT_PROBE" serve "$1" "$2" "$tmp/count$1" \
		>"$tmp/serve$1" 2>&1 &
	pids="$pids $!"
	eval "serve_pid_$1=\$!"
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q listening "$tmp/serve$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
served() {	# served PORT: stop the listener, print "udp N tcp M"
	eval "kill \$serve_pid_$1"
	eval "wait \$serve_pid_$1"
	# on a loaded machine the count can land a moment after the exit
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -s "$tmp/count$1" ] && break
		sleep 0.1
	done
	cat "$tmp/count$1"
}
conn() {	# conn ADDR PORT: a TCP connection from the client
	C "$NFT_PROBE" connect "$1" "$2" 1500 2>>"$tmp/conn.err"
}
push() {	# push IOC-FILE [ARGS]: compile and push in the client
	_f=$1
	shift
	C "$POOLWALL" compile --permit-documentation -i "ioc:$_f" \
		-t "nft:$tmp/push.nft" -O nft.mode=netlink "$@" \
		2>>"$tmp/push.err"
}

serve 8080 300 && serve 3333 300
tap_ok $? "listeners on the far side"
tap_check "before the push: 198.51.100.2:8080 connects" conn 198.51.100.2 8080
tap_check "before the push: 192.0.2.2:3333 connects" conn 192.0.2.2 3333
tap_check "before the push: [2001:db8:bad::2]:8080 connects" conn 2001:db8:bad::2 8080

cat >"$tmp/t.set" <<EOF
ipv4 198.51.100.0/24
ipv6 2001:db8:bad::/48
port tcp/3333
EOF
push "$tmp/t.set"
tap_ok $? "push"
tap_ok $(conn 198.51.100.2 8080 && echo 1 || echo 0) "after: the blocked address fails (v4)"
tap_ok $(conn 2001:db8:bad::2 8080 && echo 1 || echo 0) "after: the blocked address fails (v6)"
tap_ok $(conn 192.0.2.2 3333 && echo 1 || echo 0) "after: the blocked port fails"
tap_check "after: an unrelated address still connects" conn 203.0.113.2 8080
tap_check "after: the same server on another port connects" conn 192.0.2.2 8080
tap_check "after: IPv6 to an unrelated address connects" conn 2001:db8:1::2 8080
tap_check "the offender set holds the client's address" \
	test "$(C sh -c '. "$1"; nft_elems offenders_v4' sh "$top_srcdir/tests/integration/nft-lib.sh")" = 192.0.2.1
tap_check "...and offenders_v6 the client's IPv6 address" \
	test "$(C sh -c '. "$1"; nft_elems offenders_v6' sh "$top_srcdir/tests/integration/nft-lib.sh")" = 2001:db8:1::1
# poolwall hits reads the same sets back over netlink
printf '[general]\nstate_dir = %s/state\nsyslog = no\n[output nft]\nplugin = nft\nmode = netlink\npath = %s/hits.nft\n' "$tmp" "$tmp" >"$tmp/hits.conf"
C "$POOLWALL" -c "$tmp/hits.conf" hits >"$tmp/hits" 2>&1
tap_ok $? "poolwall hits"
tap_check "...lists the client that hit a block, with its packets" grep -Eq '^192\.0\.2\.1 +[1-9][0-9]* packets' "$tmp/hits"
tap_check "...and its IPv6 address" grep -q '^2001:db8:1::1 ' "$tmp/hits"
C "$POOLWALL" -c "$tmp/hits.conf" hits --json >"$tmp/hits.json" 2>&1
tap_check "hits --json" sh -c "jq -e '.[0].address' '$tmp/hits.json' >/dev/null"
pk=$(C nft -j list set inet poolwall offenders_v4 | jq '.nftables[] | select(has("set")) | .set.elem[0].elem.counter.packets')
tap_ok $((${pk:-0} < 1)) "...with a packet counter ($pk)"
c1=$(C sh -c '. "$1"; nft_counter feed_v4' sh "$top_srcdir/tests/integration/nft-lib.sh")
c2=$(C sh -c '. "$1"; nft_counter ports' sh "$top_srcdir/tests/integration/nft-lib.sh")
tap_ok $((${c1:-0} < 1 || ${c2:-0} < 1)) "the named counters counted (feed_v4 $c1, ports $c2)"

push "$tmp/t.set"
tap_ok $? "refresh with the same content"
c3=$(C sh -c '. "$1"; nft_counter feed_v4' sh "$top_srcdir/tests/integration/nft-lib.sh")
tap_ok $((${c3:-0} < ${c1:-1})) "...counters kept ($c1 -> $c3)"
tap_check "...offenders kept" \
	test "$(C sh -c '. "$1"; nft_elems offenders_v4' sh "$top_srcdir/tests/integration/nft-lib.sh")" = 192.0.2.1

push "$tmp/t.set" -O nft.action=reject
tap_ok $? "push with action=reject"
t0=$(ms)
conn 198.51.100.2 8080
rc=$?
t1=$(ms)
tap_ok $((rc == 0 || t1 - t0 > 1000)) "...a blocked connection fails at once ($((t1 - t0)) ms)"
tail -n 1 "$tmp/conn.err" | tap_diag
push "$tmp/t.set"

C "$NFT_EMERG" add poolwall 2 203.0.113.2 2>/dev/null
tap_ok $(conn 203.0.113.2 8080 && echo 1 || echo 0) "an emergency block with a 2 s TTL holds"
sleep 3
tap_check "...and is gone after it expired" conn 203.0.113.2 8080

# probes to a blocked address while large refreshes go on: none arrives
awk -v off=0 'BEGIN { for (i = 0; i < 200000; i++) { a = 184549376 + 2 * i + off;
	printf "ipv4 %d.%d.%d.%d\n", int(a / 16777216), int(a / 65536) % 256,
	int(a / 256) % 256, a % 256 } print "ipv4 198.51.100.0/24" }' >"$tmp/big0.set"
awk -v off=1 'BEGIN { for (i = 0; i < 200000; i++) { a = 184549376 + 2 * i + off;
	printf "ipv4 %d.%d.%d.%d\n", int(a / 16777216), int(a / 65536) % 256,
	int(a / 256) % 256, a % 256 } print "ipv4 198.51.100.0/24" }' >"$tmp/big1.set"
push "$tmp/big0.set"
tap_ok $? "a 200,001-element feed is pushed"
serve 9999 300
ip netns exec "$cli" "$NFT_PROBE" udp 198.51.100.2 9999 8 >"$tmp/sent" 2>&1 &
probe=$!
pids="$pids $probe"
n=0
bad=0
i=1
while kill -0 "$probe" 2>/dev/null && [ $n -lt 6 ]; do
	push "$tmp/big$i.set" || bad=$((bad + 1))
	n=$((n + 1))
	i=$((1 - i))
done
wait "$probe"
counts=$(served 9999)
tap_ok $((n < 2 || bad != 0)) "$n refreshes during the probe, all applied"
tap_ok $(echo "$counts" | awk '{ print ($1 != "udp" || $2 != 0) }') "...and not one probe got through ($counts; $(cat "$tmp/sent"))"
serve 9998 30
C "$NFT_PROBE" udp 203.0.113.2 9998 1 >/dev/null 2>&1
counts=$(served 9998)
tap_ok $(echo "$counts" | awk '{ print ($2 == 0) }') "the same probe to an unblocked address arrives ($counts)"
tap_done
