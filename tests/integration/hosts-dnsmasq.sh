#!/bin/sh
# The hosts output, loaded by a real resolver: dnsmasq on 127.0.0.1 serves
# the built-in pool list from it, answers 0.0.0.0 for a blocked name, and
# does not answer for a name that is not blocked.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need dnsmasq dig ss
tmp=$(mktemp -d) || exit 99
trap 'stop_dnsmasq; rm -rf "$tmp"' EXIT

"$POOLWALL" compile -t hosts:"$tmp/pools.hosts" -O hosts.ipv6=yes 2>"$tmp/err"
tap_ok $? "compile the built-in list to a hosts file"
names=$(grep -vc '^#' "$tmp/pools.hosts")
port=$(free_port)
start_dnsmasq "$port" --addn-hosts="$tmp/pools.hosts"
tap_ok $? "dnsmasq starts with it on 127.0.0.1:$port"
tap_check "dnsmasq read every line ($names addresses)" \
	wait_log "read $tmp/pools.hosts - $names (addresses|names)"
q() { dig +short +time=2 +tries=1 -p "$port" @127.0.0.1 "$@"; }
a=$(q supportxmr.com A)
tap_ok $([ "$a" = 0.0.0.0 ]; echo $?) "a pool name answers 0.0.0.0 ($a)"
a=$(q donate.v2.xmrig.com AAAA)
tap_ok $([ "$a" = "::" ]; echo $?) "and :: for AAAA ($a)"
a=$(q example.org A)
tap_ok $([ -z "$a" ]; echo $?) "an unlisted name gets no address"
tap_done
