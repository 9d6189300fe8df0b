#!/bin/sh
# Concurrency: PW_RACE_BLOCKS (default 16) `block` calls, started while
# two `update --force` runs over a 20,000-name feed are under way, and a
# `check`, `list` and `status` among them.  Every block must end up in
# the state and in the outputs (none lost), every process must end
# within a bound (no deadlock), and a lock held longer than lock_timeout
# makes `block` give up at that time with a message that says so.
. "$top_srcdir/tests/ops/lib.sh"

n=${PW_RACE_BLOCKS:-16}
names=${PW_RACE_NAMES:-20000}
ms() { echo $(($(date +%s%N) / 1000000)); }

gen_pools "$names"
printf '192.0.2.1\n' >"$tmp/ips.txt"
write_conf </dev/null
sed -i 's/^lock_timeout = .*/lock_timeout = 300s/' "$tmp/poolwall.conf"
pw update >/dev/null 2>&1
tap_ok $? "a first generation of $names names"

t0=$(ms)
pids=
pw update --force >/dev/null 2>"$tmp/u1.err" &
pids="$pids $!"
i=0
while [ $i -lt "$n" ]; do
	pw block --ttl 0 "race$i.example.test" >/dev/null 2>"$tmp/b$i.err" &
	pids="$pids $!"
	if [ $i -eq $((n / 2)) ]; then
		pw update --force >/dev/null 2>"$tmp/u2.err" &
		pids="$pids $!"
		pw check supportxmr.com >/dev/null 2>&1 &
		pids="$pids $!"
		pw list >/dev/null 2>&1 &
		pids="$pids $!"
		pw status >/dev/null 2>&1 &
		pids="$pids $!"
	fi
	i=$((i + 1))
done
# a watchdog: nothing may take longer than this (its sleep holds no
# descriptor of the test and goes with it)
(
	trap 'kill $s 2>/dev/null; exit 0' TERM
	sleep 280 &
	s=$!
	wait $s && kill -9 $pids
) >/dev/null 2>&1 &
dog=$!
bad_rc=0
for p in $pids; do
	wait "$p" || bad_rc=$((bad_rc + 1))
done
took=$(($(ms) - t0))
kill $dog 2>/dev/null
wait $dog 2>/dev/null
tap_ok $((took >= 280000)) "$n blocks, 2 updates, check, list and status at once: all done in $took ms (no deadlock)"
tap_ok $bad_rc "...every one exits 0 ($bad_rc did not)"
cat "$tmp"/b*.err "$tmp"/u*.err | grep -v canary | head -5 | tap_diag

lost_out=0
lost_state=0
pw list --expiring >"$tmp/list" 2>/dev/null
i=0
while [ $i -lt "$n" ]; do
	grep -qx "0.0.0.0 race$i.example.test" "$tmp/out/pools.hosts" ||
		lost_out=$((lost_out + 1))
	grep -q "^domain race$i.example.test " "$tmp/list" ||
		lost_state=$((lost_state + 1))
	i=$((i + 1))
done
tap_ok $lost_state "...every block is in the state ($lost_state lost)"
tap_ok $lost_out "...and in the hosts output ($lost_out lost)"
r=$(sqlite3 "$tmp/state/state.db" 'PRAGMA integrity_check' 2>&1)
tap_ok "$([ "$r" = ok ] || ! command -v sqlite3 >/dev/null; echo $?)" "...and the state is consistent (${r:-no sqlite3})"
pw update >/dev/null 2>&1
tap_check "...and they survive the next update" grep -qx "0.0.0.0 race$((n - 1)).example.test" "$tmp/out/pools.hosts"

# a lock held too long: block waits lock_timeout, then says so
sed -i 's/^lock_timeout = .*/lock_timeout = 2s/' "$tmp/poolwall.conf"
exec 9>"$tmp/state/lock"
flock 9
t0=$(ms)
pw block held.example.test >/dev/null 2>"$tmp/e"
rc=$?
waited=$(($(ms) - t0))
exec 9>&-
tap_ok $((rc != 1)) "a held lock: block gives up with exit 1 ($rc)"
tap_ok $((waited < 1900 || waited > 10000)) "...after lock_timeout (2 s): $waited ms"
tap_check "...saying another poolwall holds the lock" grep -q 'another poolwall holds the lock' "$tmp/e"
tap_diag <"$tmp/e"
echo "# figures: suite=race tried=$n failures=$((lost_out + lost_state + bad_rc)) (blocks racing 2 updates; all done in $took ms; a held lock waited $waited ms)"
tap_done
