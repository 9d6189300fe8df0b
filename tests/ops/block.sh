#!/bin/sh
# The analyst's commands: block (args, defanged text, ioc lines on stdin),
# unblock, expire, list, check; and blocks racing a running update.
. "$top_srcdir/tests/ops/lib.sh"

gen_pools 50
printf '192.0.2.1\n' >"$tmp/ips.txt"
write_conf </dev/null
pw update >/dev/null 2>&1
tap_ok $? "an initial generation"

pw block --incident IR-9 --reason 'miner on web01' 'evil[.]example[.]test' 'stratum+tcp://203.0.113.5:14444' >"$tmp/o" 2>"$tmp/e"
rc=$?
tap_ok $rc "block of a defanged name and a pool URL (exit $rc)"
tap_diag <"$tmp/e"
tap_check "the name reaches the hosts output" grep -qx '0.0.0.0 evil.example.test' "$tmp/out/pools.hosts"
tap_check "the pool address reaches the ioc output" grep -q '^ipv4 203.0.113.5 .*incident=IR-9' "$tmp/out/all.ioc"
tap_check "the stratum port of the URL is blocked" grep -q '^port tcp/14444' "$tmp/out/all.ioc"
tap_check "the block carries an expiry (72h default)" grep -q '^domain evil.example.test .*expires=' "$tmp/out/all.ioc"
pw list --expiring >"$tmp/l"
tap_check "list --expiring shows it with time left" grep -q '^domain evil.example.test expires=.* left=[0-9]' "$tmp/l"
tap_check "...with incident and reason" grep -q 'incident=IR-9 reason=miner on web01' "$tmp/l"
pw check evil.example.test >"$tmp/c"
tap_ok $? "check finds the emergency block"
pw export --incident IR-9 -t ioc:"$tmp/ir9.ioc" >/dev/null 2>&1
tap_ok $? "export --incident"
tap_check "...holds the incident's indicators" grep -q '^ipv4 203.0.113.5 ' "$tmp/ir9.ioc"
tap_check "...and nothing else" sh -c "! grep -q supportxmr '$tmp/ir9.ioc'"
if [ -e "$POOLWALL_PLUGIN_DIR/output_stix.so" ]; then
	pw export --incident IR-9 -t stix:"$tmp/ir9.json" >/dev/null 2>&1
	tap_ok $? "export --incident -t stix"
	tap_check "...a bundle that names the incident" grep -q 'IR-9' "$tmp/ir9.json"
fi

printf 'domain stdin-pool.example.test\nurl stratum+ssl://pool.stdin.example.test:5555\n' | pw block --ttl 0 - >/dev/null 2>&1
tap_ok $? "block - reads ioc lines (as poolwall miner prints)"
tap_check "...both names blocked" sh -c "grep -qx '0.0.0.0 stdin-pool.example.test' '$tmp/out/pools.hosts' && grep -qx '0.0.0.0 pool.stdin.example.test' '$tmp/out/pools.hosts'"
tap_check "--ttl 0 is permanent" sh -c "grep '^domain stdin-pool.example.test' '$tmp/out/all.ioc' | grep -vq expires="
printf 'The analyst saw hxxp://text-pool[.]example[.]test:7777 today.\n' | pw block - >/dev/null 2>&1
tap_ok $? "block - reads free text"
tap_check "...the name in it is blocked" grep -qx '0.0.0.0 text-pool.example.test' "$tmp/out/pools.hosts"

pw block 10.0.0.1 >/dev/null 2>"$tmp/e"
tap_ok $(($? != 1)) "blocking a private address is refused (exit 1)"
tap_check "...as reserved" grep -q 'reserved' "$tmp/e"
pw block --no-apply later.example.test >/dev/null 2>&1
tap_ok $? "block --no-apply"
tap_check "...writes the state only" sh -c "! grep -q later.example.test '$tmp/out/pools.hosts'"
pw list --expiring >"$tmp/l"
tap_check "...the state has it" grep -q '^domain later.example.test' "$tmp/l"

pw unblock evil.example.test >/dev/null 2>&1
tap_ok $? "unblock"
tap_check "...removes it from the outputs" sh -c "! grep -q evil.example.test '$tmp/out/pools.hosts'"
pw unblock never-blocked.example.test >/dev/null 2>&1
tap_ok $(($? != 1)) "unblock of something not blocked exits 1"

# a live command (unbound-control local_zones and the like) gets the change
cat >>"$tmp/poolwall.conf" <<EOC
[output live]
plugin = domains
live_add = cat > $tmp/live-add.txt
live_remove = cat > $tmp/live-remove.txt
EOC
pw block live1.example.test >/dev/null 2>&1
tap_ok $? "block with a live command configured"
tap_check "the live command got exactly the new name on stdin" sh -c "[ \"\$(cat '$tmp/live-add.txt')\" = live1.example.test ]"
pw unblock live1.example.test >/dev/null 2>&1
tap_check "unblock feeds live_remove" grep -qx live1.example.test "$tmp/live-remove.txt"
pw update >/dev/null 2>&1
tap_ok $? "update leaves a live-only output alone"

# expiry
pw block --ttl 1s short.example.test >/dev/null 2>&1
tap_check "a 1 s block is published" grep -qx '0.0.0.0 short.example.test' "$tmp/out/pools.hosts"
sleep 2
pw expire >/dev/null 2>&1
tap_ok $? "expire exits 0"
tap_check "...the expired block left the outputs" sh -c "! grep -q short.example.test '$tmp/out/pools.hosts'"
cp "$tmp/out/pools.hosts" "$tmp/h1"
touch -d '2000-01-01' "$tmp/out/pools.hosts"
pw expire >/dev/null 2>&1
tap_ok $? "expire with nothing expired exits 0"
t=$(stat -c %Y "$tmp/out/pools.hosts")
tap_ok $((t != 946684800)) "...and rewrites nothing"

# many blocks racing an update: none lost (each waits for the lock)
sed -i 's/^lock_timeout = .*/lock_timeout = 120s/' "$tmp/poolwall.conf"
gen_pools 3000
pw update --force >/dev/null 2>&1 &
upd=$!
i=0
while [ $i -lt 8 ]; do
	pw block "race$i.example.test" >/dev/null 2>"$tmp/race$i.err" &
	i=$((i + 1))
done
wait
lost=0
i=0
while [ $i -lt 8 ]; do
	grep -qx "0.0.0.0 race$i.example.test" "$tmp/out/pools.hosts" || lost=$((lost + 1))
	i=$((i + 1))
done
tap_ok $((lost != 0)) "8 blocks racing an update: none lost ($lost)"
cat "$tmp"/race*.err | tap_diag
n=$(pw list --expiring | grep -c '^domain race')
tap_ok $((n != 8)) "...all 8 in the state ($n)"
pw update >/dev/null 2>&1
tap_check "...and still there after the next update" grep -qx '0.0.0.0 race7.example.test' "$tmp/out/pools.hosts"

# the lock: a held lock makes a second writer wait, then fail clearly
exec 9>"$tmp/state/lock"
flock 9
sed -i 's/^lock_timeout = .*/lock_timeout = 1s/' "$tmp/poolwall.conf"
pw block held.example.test >/dev/null 2>"$tmp/e"
tap_ok $(($? != 1)) "a held lock: block gives up after lock_timeout"
tap_check "...saying another poolwall holds the lock" grep -q 'another poolwall holds the lock' "$tmp/e"
exec 9>&-
tap_done
