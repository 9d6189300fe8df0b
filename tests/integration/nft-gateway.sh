#!/bin/sh
# The gateway case: a client, a router and a server, three network
# namespaces made by the test and joined by veth pairs, addressed from the
# documentation ranges (RFC 5737).  The table is pushed on the router with
# hooks=forward: the client cannot reach the blocked address, reaches the
# others, and the router's offender set names the client.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/nft-lib.sh"
need nft ip jq
nft_need_root
nft_need_tools
tmp=$(mktemp -d) || exit 99
cli=pwgc$$
gw=pwgg$$
srv=pwgs$$
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	for n in "$cli" "$gw" "$srv"; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

C() { ip netns exec "$cli" "$@"; }
G() { ip netns exec "$gw" "$@"; }
S() { ip netns exec "$srv" "$@"; }

ip netns add "$cli" && ip netns add "$gw" && ip netns add "$srv" &&
	ip link add "c$$" netns "$cli" type veth peer name "gc$$" netns "$gw" &&
	ip link add "s$$" netns "$srv" type veth peer name "gs$$" netns "$gw"
if [ $? -ne 0 ]; then
	echo "not ok 1 - cannot create the network namespaces"
	echo "1..1"
	exit 1
fi
for n in "$cli" "$gw" "$srv"; do
	ip netns exec "$n" ip link set lo up
done
C ip link set "c$$" up
C ip addr add 192.0.2.1/25 dev "c$$"
C ip route add default via 192.0.2.126
G ip link set "gc$$" up
G ip link set "gs$$" up
G ip addr add 192.0.2.126/25 dev "gc$$"
G ip addr add 198.51.100.1/24 dev "gs$$"
G ip route add 203.0.113.0/24 via 198.51.100.2
G sysctl -qw net.ipv4.ip_forward=1
S ip link set "s$$" up
S ip addr add 198.51.100.2/24 dev "s$$"
S ip addr add 203.0.113.2/32 dev "s$$"
S ip route add default via 198.51.100.1

ip netns exec "$srv" "$NFT_PROBE" serve 8080 120 "$tmp/count" \
	>"$tmp/serve" 2>&1 &
pid=$!
for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	grep -q listening "$tmp/serve" 2>/dev/null && break
	sleep 0.1
done
conn() { C "$NFT_PROBE" connect "$1" "$2" 1500 2>/dev/null; }
tap_check "through the router, before the push: 198.51.100.2 connects" conn 198.51.100.2 8080
tap_check "...and 203.0.113.2" conn 203.0.113.2 8080

printf 'ipv4 198.51.100.2\nport tcp/3333\n' >"$tmp/t.set"
G "$POOLWALL" compile --permit-documentation -i "ioc:$tmp/t.set" \
	-t "nft:$tmp/gw.nft" -O nft.mode=netlink -O nft.hooks=forward \
	2>"$tmp/err"
tap_ok $? "push on the router, forward hook only"
tap_diag <"$tmp/err"
tap_ok $(conn 198.51.100.2 8080 && echo 1 || echo 0) "the client cannot reach the blocked address"
tap_check "...but reaches an unrelated one" conn 203.0.113.2 8080
off=$(G nft -j list set inet poolwall offenders_v4 | jq -r '.nftables[] | select(has("set")) | .set.elem // [] | .[] | .elem.val')
tap_check "the router's offender set names the client ($off)" test "$off" = 192.0.2.1
tap_check "the router itself is not blocked (no output chain)" \
	sh -c "ip netns exec $gw '$NFT_PROBE' connect 198.51.100.2 8080 1500 2>/dev/null"
tap_done
