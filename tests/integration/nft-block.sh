#!/bin/sh
# The analyst's path into the kernel, end to end, in a network namespace
# of the test's own: `update` pushes the table, `block` adds an element to
# the emergency set with the TTL as its timeout at once, `unblock` deletes
# it, `update` after `nft flush ruleset` heals the table and re-adds the
# live emergency blocks with their remaining time.  The ruleset file is
# not rewritten by a block: only its emergency part, which it includes,
# and which loads alone too.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/nft-lib.sh"
nft_need_root
need nft unshare
nft_own_netns "$@"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

printf 'supportxmr.com\n' >"$tmp/pools.txt"
printf '198.51.100.0/24\n' >"$tmp/ips.txt"
cat >"$tmp/poolwall.conf" <<EOC
[general]
state_dir = $tmp/state
cache_dir = $tmp/cache
permit_documentation = yes
syslog = no
[feed pools]
url = $tmp/pools.txt
format = domains
[feed ips]
url = $tmp/ips.txt
format = netset
[output nft]
plugin = nft
mode = netlink
path = $tmp/poolwall.nft
[output metrics]
plugin = metrics
path = $tmp/poolwall.prom
EOC
pw() { "$POOLWALL" -c "$tmp/poolwall.conf" "$@"; }
pw update >/dev/null 2>"$tmp/e"
tap_ok $? "update pushes the table"
tap_diag <"$tmp/e"
tap_check "the feed set holds the feed's prefix" sh -c "nft list set inet poolwall feed_v4 | grep -q '198.51.100.0/24'"
tap_check "metrics carry the kernel's rule counters" grep -q '^poolwall_rule_packets_total{output="nft",' "$tmp/poolwall.prom"
tap_check "...and the offender count" grep -q '^poolwall_offenders 0$' "$tmp/poolwall.prom"
pw status >"$tmp/status" 2>&1
tap_check "status shows the live counters" sh -c "sed -n '/^live counters:/,\$p' '$tmp/status' | grep -q packets"

tap_check "the ruleset file includes its emergency part" grep -qx "include \"$tmp/poolwall.nft.emerg\"" "$tmp/poolwall.nft"
cksum <"$tmp/poolwall.nft" >"$tmp/main.sum"
t0=$(date +%s%N)
pw block --ttl 1h 203.0.113.9 >/dev/null 2>"$tmp/e"
rc=$?
t1=$(date +%s%N)
tap_ok $rc "block of an address"
tap_diag <"$tmp/e"
echo "# block took $(( (t1 - t0) / 1000000 )) ms (live add and file outputs)"
nft list set inet poolwall emerg_v4 >"$tmp/set"
tap_check "the emergency set has it" grep -q '203.0.113.9' "$tmp/set"
tap_check "...with a timeout near the TTL" grep -Eq '203.0.113.9 (timeout|expires) (59m|1h)' "$tmp/set"
tap_check "the feed set is untouched" sh -c "nft list set inet poolwall feed_v4 | grep -q '198.51.100.0/24'"
tap_check "the emergency part has it" grep -q '203.0.113.9 timeout' "$tmp/poolwall.nft.emerg"
tap_check "...the ruleset file is not rewritten" sh -c "cksum <'$tmp/poolwall.nft' | cmp -s - '$tmp/main.sum'"
tap_check "nft -c -f takes the ruleset with its part" nft -c -f "$tmp/poolwall.nft"
tap_check "...and the part alone, against the live table" nft -c -f "$tmp/poolwall.nft.emerg"

pw block --ttl 0 203.0.113.10 >/dev/null 2>&1
tap_ok $? "a permanent block"
tap_check "...in the emergency set, not the feed set" sh -c "nft list set inet poolwall emerg_v4 | grep -q '203.0.113.10' && ! nft list set inet poolwall feed_v4 | grep -q '203.0.113.10'"

pw unblock 203.0.113.9 >/dev/null 2>&1
tap_ok $? "unblock"
tap_check "...deletes the element" sh -c "! nft list set inet poolwall emerg_v4 | grep -q '203.0.113.9 '"

nft flush ruleset
pw update >/dev/null 2>&1
tap_ok $? "update after nft flush ruleset"
tap_check "...heals the table and the live emergency blocks" sh -c "nft list set inet poolwall emerg_v4 | grep -q '203.0.113.10'"
tap_done
