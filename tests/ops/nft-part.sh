#!/bin/sh
# An output split in two files (nft): `update` writes the ruleset and its
# emergency part, which the ruleset includes; block, unblock and expire
# rewrite only the part, from the emergency entries alone (the ruleset is
# not touched, no feed is read), and keep an incident's expiring entry;
# an output that cannot split is still rendered whole; kill -9 of a block
# leaves the old or the new part.  No kernel: the files are read.
. "$top_srcdir/tests/ops/lib.sh"
if [ ! -e "$POOLWALL_PLUGIN_DIR/output_nft.so" ]; then
	tap_skip "output nft is not in this build"
	tap_done
	exit $?
fi

gen_pools 20
printf '198.51.100.0/24\n' >"$tmp/ips.txt"
write_conf </dev/null
cat >>"$tmp/poolwall.conf" <<EOC
[output nft]
path = $tmp/out/poolwall.nft
EOC
main=$tmp/out/poolwall.nft
part=$tmp/out/poolwall.nft.emerg
# an incident entry with an expiry: emergency tier, from a file
printf 'ipv4 203.0.113.77 expires=2099-01-01T00:00:00Z\n' >"$tmp/incidents/ir-1.ioc"
pw update >/dev/null 2>"$tmp/e"
tap_ok $? "update"
tap_diag <"$tmp/e"
tap_check "the ruleset includes its emergency part, last" sh -c "tail -n 1 '$main' | grep -qx 'include \"$part\"'"
tap_check "...and holds the feed" grep -q '198.51.100.0/24' "$main"
tap_check "...but no emergency element" sh -c "! grep -q '203.0.113.77' '$main'"
tap_check "the part holds the incident's expiring entry" grep -q '203.0.113.77 timeout' "$part"
tap_check "...flushes and refills the emergency sets only" sh -c "grep -q '^flush set inet poolwall emerg_v4$' '$part' && ! grep -q 'feed_v4' '$part'"

ls -li --full-time "$main" >"$tmp/main.before"
cksum <"$main" >"$tmp/main.sum"
pw block --ttl 1h 192.0.2.79 late.example.test >/dev/null 2>"$tmp/e"
tap_ok $? "block"
tap_diag <"$tmp/e"
tap_check "the part has the block with its TTL" grep -q '192.0.2.79 timeout 1h' "$part"
tap_check "...and still the incident's entry" grep -q '203.0.113.77 timeout' "$part"
ls -li --full-time "$main" >"$tmp/main.after"
tap_check "the ruleset is not rewritten" cmp -s "$tmp/main.before" "$tmp/main.after"
tap_check "...byte for byte" sh -c "cksum <'$main' | cmp -s - '$tmp/main.sum'"
tap_check "the hosts output (not split) is regenerated" grep -qx '0.0.0.0 late.example.test' "$tmp/out/pools.hosts"
pw block --ttl 0 tcp/3334 203.0.113.0/28 >/dev/null 2>&1
tap_ok $? "block of a port and a prefix"
tap_check "...both in the part, permanent" sh -c "grep -Eq '^	+3334,?$' '$part' && grep -Eq '^	+203[.]0[.]113[.]0/28,?$' '$part'"
pw unblock 192.0.2.79 >/dev/null 2>&1
tap_ok $? "unblock"
tap_check "...takes it out of the part" sh -c "! grep -q '192.0.2.79' '$part'"
tap_check "...the ruleset still untouched" sh -c "cksum <'$main' | cmp -s - '$tmp/main.sum'"

# a block that is past its expiry: expire rewrites the part
sqlite3 "$tmp/state/state.db" "UPDATE emergency SET expires = 1000 WHERE value = '203.0.113.0/28'" 2>/dev/null ||
	pw block --ttl 1s 203.0.113.0/28 >/dev/null 2>&1
sleep 2
pw expire >/dev/null 2>&1
tap_ok $? "expire"
tap_check "...takes the expired block out of the part" sh -c "! grep -q '203.0.113.0/28' '$part'"

pw update >/dev/null 2>&1
tap_ok $? "update again"
tap_check "the pair is consistent: the port in the part, the feed in the ruleset" sh -c "grep -Eq '^	+3334,?$' '$part' && grep -q '198.51.100.0/24' '$main'"

# kill -9 during blocks: the part is the old one or a new one, whole
bad=0
k=0
while [ $k -lt "${PW_KILL_POINTS:-10}" ]; do
	"$POOLWALL" -c "$tmp/poolwall.conf" block --ttl 1h "192.0.2.$((k + 100))" >/dev/null 2>&1 &
	pid=$!
	sleep "0.00$k"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	tail -n 1 "$part" | grep -qx '}' || grep -q '^flush set inet poolwall emerg_ports_udp$' "$part" || bad=$((bad + 1))
	head -n 1 "$part" | grep -qx '#!/usr/sbin/nft -f' || bad=$((bad + 1))
	k=$((k + 1))
done
tap_ok $bad "kill -9 during blocks leaves a whole part ($bad bad)"
pw block --ttl 1h 192.0.2.99 >/dev/null 2>&1
tap_ok $? "...and the next block works"
tap_check "...its temporary files are gone" sh -c "! ls -a '$tmp/out' | grep -q '^\.poolwall'"
tap_done
