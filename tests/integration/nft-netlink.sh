#!/bin/sh
# The netlink push against the real kernel, inside a network namespace of
# the test's own: what was sent is what the kernel holds (the same as an
# `nft -f` of the rendered file), refreshes replace the feed sets and keep
# live emergency elements, emergency add/delete, expiry, a refresh that the
# kernel refuses part way leaves everything as it was, a changed
# configuration replaces the table, `nft flush ruleset` is healed.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/nft-lib.sh"
need nft unshare jq
nft_need_root
nft_need_tools
nft_own_netns "$@"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

iso() {	# iso SECONDS-FROM-NOW
	date -u -d "@$(($(date +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ
}

cat >"$tmp/a.set" <<EOF
ipv4 192.0.2.0/24
ipv4 198.51.100.7
ipv6 2001:db8::/32
port tcp/3333
port udp/3333
port tcp/5000-5010
domain pool.example.test
ipv4 203.0.113.7 expires=$(iso 3600)
ipv4 203.0.113.9 tier=monitor
EOF

# 1. push, and compare with what nft itself makes of the rendered file
pw_nft -i "ioc:$tmp/a.set" -t "nft:$tmp/a.nft" -O nft.mode=netlink \
	-O nft.exempt=10.0.0.0/8 2>"$tmp/err"
tap_ok $? "push by netlink"
tap_diag <"$tmp/err"
nft_json >"$tmp/pushed.json"
unshare -n sh -c 'nft -f "$1" && nft -j list table inet poolwall' sh \
	"$tmp/a.nft" | jq -S '[.nftables[] | select(has("metainfo") | not)] |
		walk(if type == "object" then del(.handle, .expires)
		     else . end)' >"$tmp/file.json"
cmp -s "$tmp/pushed.json" "$tmp/file.json"
tap_ok $? "nft -j list of the pushed table equals nft -f of the rendered text"
diff "$tmp/file.json" "$tmp/pushed.json" | head -20 | tap_diag
tap_check "feed_v4 holds what was sent" test "$(nft_elems feed_v4 | tr '\n' ' ')" = "192.0.2.0/24 198.51.100.7 "
tap_check "emerg_v4 holds the expiring entry" test "$(nft_elems emerg_v4)" = 203.0.113.7
t=$(nft -j list set inet poolwall emerg_v4 | jq '.nftables[] | select(has("set")) | .set.elem[0].elem.timeout')
tap_ok $((t < 3590 || t > 3600)) "...with the time left as its timeout ($t s)"
tap_check "ports holds the tcp ports" test "$(nft_elems ports | tr '\n' ' ')" = "3333 5000-5010 "
tap_check "ports_udp the udp one" test "$(nft_elems ports_udp)" = 3333
tap_check "mon_v4 the monitor tier" test "$(nft_elems mon_v4)" = 203.0.113.9

# 2. refresh with other content: feed sets replaced, live emergency kept
cat >"$tmp/b.set" <<EOF
ipv4 198.51.100.0/25
ipv6 2001:db8:1::/48
port tcp/4444
EOF
pw_nft -i "ioc:$tmp/b.set" -t "nft:$tmp/b.nft" -O nft.mode=netlink \
	-O nft.exempt=10.0.0.0/8 2>"$tmp/err"
tap_ok $? "refresh with other content"
tap_diag <"$tmp/err"
tap_check "feed_v4 holds the new content only" test "$(nft_elems feed_v4)" = 198.51.100.0/25
tap_check "feed_v6 too" test "$(nft_elems feed_v6)" = 2001:db8:1::/48
tap_check "ports too" test "$(nft_elems ports)" = 4444
tap_check "ports_udp is empty" test -z "$(nft_elems ports_udp)"
tap_check "the live emergency element is still there" test "$(nft_elems emerg_v4)" = 203.0.113.7

# 3. an emergency entry overlapping a live one replaces it
printf 'ipv4 203.0.113.0/24 expires=%s\n' "$(iso 600)" >>"$tmp/b.set"
pw_nft -i "ioc:$tmp/b.set" -t "nft:$tmp/b.nft" -O nft.mode=netlink \
	-O nft.exempt=10.0.0.0/8 2>"$tmp/err"
tap_ok $? "refresh with an overlapping emergency entry"
tap_diag <"$tmp/err"
tap_check "...replaces the live one" test "$(nft_elems emerg_v4)" = 203.0.113.0/24

# 4. emergency add and delete only (block / unblock), then expiry
"$NFT_EMERG" add poolwall 60 198.51.100.200 tcp/14444 2>"$tmp/err"
tap_ok $? "emergency add"
tap_diag <"$tmp/err"
tap_check "...into emerg_v4" sh -c "nft list set inet poolwall emerg_v4 | grep -q '198.51.100.200 timeout 1m'"
tap_check "...and emerg_ports" test "$(nft_elems emerg_ports)" = 14444
tap_check "...the feed set untouched" test "$(nft_elems feed_v4)" = 198.51.100.0/25
"$NFT_EMERG" del poolwall 0 198.51.100.200 2>"$tmp/err"
tap_ok $? "emergency delete"
tap_check "...removed it" sh -c "! nft list set inet poolwall emerg_v4 | grep -q 198.51.100.200"
tap_check "...and only it" test "$(nft_elems emerg_v4 | tr '\n' ' ')" = "203.0.113.0/24 "
"$NFT_EMERG" del poolwall 0 198.51.100.200 2>"$tmp/err"
tap_ok $? "deleting it again is no error"
tap_check "...but is told" grep -q 'not in set emerg_v4' "$tmp/err"
"$NFT_EMERG" add poolwall 2 198.51.100.201 2>"$tmp/err"
tap_check "an emergency entry with a 2 s timeout is in the kernel" sh -c "nft list set inet poolwall emerg_v4 | grep -q 198.51.100.201"
sleep 3
tap_check "...and gone 3 s later" sh -c "! nft list set inet poolwall emerg_v4 | grep -q 198.51.100.201"
printf 'ipv4 198.51.100.202 expires=%s\n' "$(iso 2)" >"$tmp/c.set"
cat "$tmp/b.set" >>"$tmp/c.set"
pw_nft -i "ioc:$tmp/c.set" -t "nft:$tmp/c.nft" -O nft.mode=netlink \
	-O nft.exempt=10.0.0.0/8 2>/dev/null
tap_check "an ioc line expiring in 2 s is pushed" sh -c "nft list set inet poolwall emerg_v4 | grep -q 198.51.100.202"
sleep 3
tap_check "...and expires in the kernel" sh -c "! nft list set inet poolwall emerg_v4 | grep -q 198.51.100.202"

# 5. named counters and offender sets outlive a refresh (traffic in
# nft-traffic.sh); here: the counter objects are not recreated
nft reset counters >/dev/null 2>&1
before=$(nft -j list counters table inet poolwall | jq '[.nftables[] | select(has("counter"))] | length')
pw_nft -i "ioc:$tmp/b.set" -t "nft:$tmp/b.nft" -O nft.mode=netlink \
	-O nft.exempt=10.0.0.0/8 2>/dev/null
after=$(nft -j list counters table inet poolwall | jq '[.nftables[] | select(has("counter"))] | length')
tap_ok $((before != 12 || after != 12)) "the 12 named counters stay ($before, $after)"

# 6. a refresh the kernel refuses part way changes nothing: an admin made
# feed_v4 hold at most 8 elements; the new content has 100
nft flush chain inet poolwall output
nft flush chain inet poolwall forward
nft delete set inet poolwall feed_v4
nft add set inet poolwall feed_v4 '{ type ipv4_addr; flags interval; size 8; elements = { 198.51.100.0/25 } }'
# (time left changes by itself)
nft list table inet poolwall | sed 's/ expires [0-9a-z]*//g' >"$tmp/before.txt"
{
	i=0
	while [ $i -lt 100 ]; do
		echo "ipv4 192.0.2.$((i * 2))"
		i=$((i + 1))
	done
} >"$tmp/big.set"
pw_nft -i "ioc:$tmp/big.set" -t "nft:$tmp/big.nft" -O nft.mode=netlink \
	-O nft.exempt=10.0.0.0/8 2>"$tmp/err"
tap_ok $(($? == 0)) "a refresh the kernel refuses fails"
tap_check "...naming the message and the kernel's error" grep -q "refused the batch at 'add elements 1-.* of set feed_v4'.*: " "$tmp/err"
tap_diag <"$tmp/err"
nft list table inet poolwall | sed 's/ expires [0-9a-z]*//g' >"$tmp/after.txt"
cmp -s "$tmp/before.txt" "$tmp/after.txt"
tap_ok $? "...and the table is exactly as it was (rules, sets, elements)"
diff "$tmp/before.txt" "$tmp/after.txt" | head | tap_diag

# 7. a changed configuration replaces the table
nft delete table inet poolwall
pw_nft -i "ioc:$tmp/b.set" -t "nft:$tmp/b.nft" -O nft.mode=netlink \
	-O nft.hooks=output 2>/dev/null
tap_check "a push with hooks=output has one chain" test "$(nft -j list table inet poolwall | jq '[.nftables[] | select(has("chain"))] | length')" = 1
pw_nft -i "ioc:$tmp/b.set" -t "nft:$tmp/b.nft" -O nft.mode=netlink \
	-O nft.hooks=output,forward -O nft.priority=5 2>"$tmp/err"
tap_ok $? "a push with other hooks and priority"
tap_check "...says it replaces the table" grep -q 'not as configured' "$tmp/err"
tap_check "...which now has both chains at priority 5" test "$(nft -j list table inet poolwall | jq -c '[.nftables[] | select(has("chain")) | .chain.prio] | sort')" = '[5,5]'
pw_nft -i "ioc:$tmp/b.set" -t "nft:$tmp/b.nft" -O nft.mode=netlink \
	-O nft.hooks=output,forward -O nft.priority=5 -O nft.action=reject \
	2>"$tmp/err"
tap_ok $? "a push with another action"
tap_check "...replaces the rules in place" sh -c "test \$(nft list chain inet poolwall output | grep -c reject) = 12 && ! grep -q 'not as configured' '$tmp/err'"

# 8. nft flush ruleset is healed by the next push; other tables untouched
nft add table inet admin
nft add chain inet admin input '{ type filter hook input priority 0; }'
nft flush ruleset
nft add table inet admin
pw_nft -i "ioc:$tmp/a.set" -t "nft:$tmp/a.nft" -O nft.mode=netlink 2>/dev/null
tap_check "after nft flush ruleset, a push rebuilds the table" test "$(nft_elems feed_v4 | tr '\n' ' ')" = "192.0.2.0/24 198.51.100.7 "
tap_check "...and leaves the admin's table alone" sh -c "nft list table inet admin >/dev/null"

# 9. through the commands: update, block, unblock, and update after an
# admin's `nft flush ruleset` puts the live emergency blocks back
nft flush ruleset
mkdir -p "$tmp/state" "$tmp/cache" "$tmp/inc" "$tmp/out"
printf '198.51.100.0/24\n' >"$tmp/ips.txt"
{
	echo "[general]"
	echo "state_dir = $tmp/state"
	echo "cache_dir = $tmp/cache"
	echo "permit_documentation = yes"
	echo "syslog = no"
	echo "lock_timeout = 5s"
	echo "[incidents]"
	echo "dir = $tmp/inc"
	echo "[feed ips]"
	echo "url = $tmp/ips.txt"
	echo "format = netset"
	echo "[output nft]"
	echo "path = $tmp/out/poolwall.nft"
	echo "mode = netlink"
} >"$tmp/poolwall.conf"
pw() { "$POOLWALL" -c "$tmp/poolwall.conf" "$@"; }
pw update >/dev/null 2>"$tmp/err"
tap_ok $? "poolwall update pushes the table"
tap_diag <"$tmp/err"
tap_check "...feed_v4" test "$(nft_elems feed_v4)" = 198.51.100.0/24
pw block --ttl 1h 192.0.2.77 'stratum+tcp://192.0.2.99:14444' >/dev/null 2>"$tmp/err"
tap_ok $? "poolwall block"
tap_diag <"$tmp/err"
tap_check "...puts the addresses in emerg_v4" test "$(nft_elems emerg_v4 | tr '\n' ' ')" = "192.0.2.77 192.0.2.99 "
tap_check "...the port in emerg_ports" test "$(nft_elems emerg_ports)" = 14444
tap_check "...with the TTL as the timeout" sh -c "nft list set inet poolwall emerg_v4 | grep -q '192.0.2.77 timeout 1h'"
pw unblock 192.0.2.77 >/dev/null 2>"$tmp/err"
tap_ok $? "poolwall unblock"
tap_check "...takes it out of the kernel" test "$(nft_elems emerg_v4)" = 192.0.2.99
nft flush ruleset
pw update >/dev/null 2>"$tmp/err"
tap_ok $? "poolwall update after nft flush ruleset"
tap_check "...rebuilds the feed" test "$(nft_elems feed_v4)" = 198.51.100.0/24
tap_check "...and the live emergency blocks, from the state" test "$(nft_elems emerg_v4)" = 192.0.2.99
tap_done
