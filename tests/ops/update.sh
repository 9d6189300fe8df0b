#!/bin/sh
# `poolwall update`: publish, exit codes, the shrink guard, --dry-run,
# --force, --output, stale feeds, canaries, incident files, metrics.
. "$top_srcdir/tests/ops/lib.sh"

gen_pools 100
printf '192.0.2.0/25\n192.0.2.128/25\n198.51.100.7\n' >"$tmp/ips.txt"
write_conf </dev/null
pw update >"$tmp/o" 2>"$tmp/e"
rc=$?
tap_ok $rc "first update publishes (exit $rc)"
tap_diag <"$tmp/e"
tap_check "hosts output written" grep -qx '0.0.0.0 pool7.example.test' "$tmp/out/pools.hosts"
tap_check "ioc output aggregates the two /25" grep -qx 'ipv4 192.0.2.0/24 sources=ips' "$tmp/out/all.ioc"
tap_check "metrics: indicators per kind" grep -qx 'poolwall_indicators{kind="domain"} 101' "$tmp/out/poolwall.prom"
tap_check "metrics: feed age" grep -q '^poolwall_feed_age_seconds{feed="pools"} ' "$tmp/out/poolwall.prom"
pw status >"$tmp/st"
tap_check "status shows the generation" grep -q '^generation 1 at .*: 103 indicators' "$tmp/st"
pw --json status >"$tmp/st.json"
tap_check "status --json is JSON with the feeds" sh -c "python3 -c 'import json,sys; d=json.load(open(\"$tmp/st.json\")); sys.exit(0 if len(d[\"feeds\"])==2 else 1)'"

# --dry-run changes nothing and says what would change
cp "$tmp/out/pools.hosts" "$tmp/before"
gen_pools 120
pw update --dry-run >"$tmp/dry" 2>&1
tap_ok $? "dry run exits 0"
tap_check "dry run: +20 lines for hosts" grep -q '^output hosts .*+20 -0' "$tmp/dry"
tap_check "dry run: the file is untouched" cmp -s "$tmp/before" "$tmp/out/pools.hosts"

# shrink guard
gen_pools 10
pw update >/dev/null 2>"$tmp/e"
tap_ok $(($? != 4)) "losing most indicators is refused (exit 4)"
tap_check "...with the reason" grep -q 'shrink guard' "$tmp/e"
tap_check "...and the old output stays" cmp -s "$tmp/before" "$tmp/out/pools.hosts"
pw update --force >/dev/null 2>&1
tap_ok $? "--force publishes anyway"
n=$(grep -c example.test "$tmp/out/pools.hosts")
tap_ok $((n != 10)) "...the smaller list ($n names)"
: >"$tmp/pools.txt"
: >"$tmp/ips.txt"
pw update >/dev/null 2>"$tmp/e"
tap_ok $(($? != 3)) "feeds that turn empty keep their last good copy (exit 3)"
tap_check "...and say so" grep -q 'feed pools: stale.*empty body' "$tmp/e"
# a fresh state, where nothing was ever good
sed "s|^state_dir = .*|state_dir = $tmp/state2|; s|^cache_dir = .*|cache_dir = $tmp/cache2|" "$tmp/poolwall.conf" >"$tmp/fresh.conf"
"$POOLWALL" -c "$tmp/fresh.conf" update --output ioc >/dev/null 2>"$tmp/e"
tap_ok $(($? != 4)) "an empty result is refused (exit 4)"
tap_check "...as empty" grep -q 'result is empty' "$tmp/e"

# a failing feed: last-known-good is a local file here, so it fails
gen_pools 100
printf '192.0.2.1\n' >"$tmp/ips.txt"
pw update --force >/dev/null 2>&1
rm -f "$tmp/ips.txt"
pw update >/dev/null 2>"$tmp/e"
rc=$?
tap_ok $((rc != 3)) "a failed feed still publishes, exit 3 ($rc)"
tap_check "...and names the feed" grep -q 'feed ips' "$tmp/e"
printf '192.0.2.1\n' >"$tmp/ips.txt"

# --output, validators
pw update --output ioc >/dev/null 2>&1
tap_ok $? "--output NAME refreshes one output"
pw update --output nosuch >/dev/null 2>&1
tap_ok $(($? != 2)) "--output with an unknown name exits 2"
write_conf </dev/null
cat >>"$tmp/poolwall.conf" <<EOC
[output checked]
plugin = domains
path = $tmp/out/checked.txt
validate = false
EOC
printf 'old\n' >"$tmp/out/checked.txt"
gen_pools 101
pw update >/dev/null 2>"$tmp/e"
rc=$?
tap_ok $((rc != 1)) "a failing validator: exit 1 ($rc)"
tap_diag <"$tmp/e"
tap_check "...its old file stays" grep -qx old "$tmp/out/checked.txt"
tap_check "...the other outputs proceed" grep -q pool100.example.test "$tmp/out/pools.hosts"
tap_check "...the message names the validator" grep -q 'validator `false` exited with 1' "$tmp/e"
left=$(find "$tmp/out" -name '.*' -type f | wc -l)
tap_ok $((left != 0)) "no temporary file left behind ($left)"

# incident files, monitor tier
write_conf </dev/null
printf 'domain incident-pool.example.test\nurl stratum+tcp://198.51.100.9:3333\n' >"$tmp/incidents/IR-7.ioc"
pw update >/dev/null 2>"$tmp/e"
tap_ok $? "incident files are read"
tap_check "...their indicators carry the incident" grep -q '^domain incident-pool.example.test incident=IR-7' "$tmp/out/all.ioc"
pw check incident-pool.example.test >"$tmp/c"
tap_ok $? "check: a blocked name exits 0"
tap_check "check: says by what and the incident" grep -q 'blocked by domain incident-pool.example.test.*incident IR-7' "$tmp/c"
pw check sub.pool3.example.test >"$tmp/c"
tap_ok $? "check: a subdomain of a blocked name is blocked"
pw check 192.0.2.1 >/dev/null
tap_ok $? "check: an address inside a blocked prefix"
pw check unrelated.example.org >"$tmp/c"
tap_ok $(($? != 1)) "check: an unlisted name exits 1"
pw check 10.1.2.3 >"$tmp/c"
tap_check "check: a reserved address says why" grep -q 'never blocked: reserved' "$tmp/c"

# check names the allow entry that spares an indicator
printf '# allow\nkeep.example.test\n.cdn.example.test\n' >"$tmp/allow.list"
write_conf <<EOC
own_networks = 198.51.100.0/24
EOC
printf '[allow]\nfile = %s\n' "$tmp/allow.list" >>"$tmp/poolwall.conf"
printf 'keep.example.test\nx.cdn.example.test\nsupportxmr.com\n' >"$tmp/pools.txt"
printf '192.0.2.1\n104.16.1.1\n198.51.100.3\n' >"$tmp/ips.txt"
pw update --force >/dev/null 2>&1
pw check x.cdn.example.test keep.example.test 104.16.1.1 198.51.100.3 >"$tmp/c"
tap_ok $(($? != 1)) "check of spared indicators exits 1"
tap_check "check: the allowlist file and line" grep -q 'x.cdn.example.test: not blocked (spared by the allowlist: .*allow.list:3: .cdn.example.test)' "$tmp/c"
tap_check "check: an exact allow entry" grep -q 'keep.example.test: not blocked (spared by the allowlist: .*allow.list:2: keep.example.test)' "$tmp/c"
tap_check "check: the CDN guard" grep -q '104.16.1.1: not blocked (spared by the allowlist: the CDN guard.*104.16.0.0/13)' "$tmp/c"
tap_check "check: own networks" grep -q '198.51.100.3: not blocked (spared by own_networks: 198.51.100.0/24)' "$tmp/c"
tap_check "the CDN address is not in the outputs" sh -c "! grep -q '104.16.1.1' '$tmp/out/all.ioc'"
tap_done
