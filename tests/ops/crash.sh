#!/bin/sh
# kill -9 of `update` at many points during a large run: afterwards every
# output is byte-identical to the previous or the new generation, the
# state passes PRAGMA integrity_check, and the next run recovers.
. "$top_srcdir/tests/ops/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { tap_missing "sqlite3 command"; tap_done; exit $?; }

gen_pools 20000
printf '192.0.2.1\n' >"$tmp/ips.txt"
write_conf </dev/null
pw update >/dev/null 2>&1
cp "$tmp/out/pools.hosts" "$tmp/old.hosts"
cp "$tmp/out/all.ioc" "$tmp/old.ioc"
gen_pools 20500
pw update --dry-run >/dev/null 2>&1
# the new generation, made in a scratch copy, for comparison
cp -r "$tmp/state" "$tmp/state.ref"
sed "s|$tmp/out/|$tmp/ref/|; s|state_dir = $tmp/state|state_dir = $tmp/state.ref|" "$tmp/poolwall.conf" >"$tmp/ref.conf"
mkdir -p "$tmp/ref"
"$POOLWALL" -c "$tmp/ref.conf" update >/dev/null 2>&1
tries=${PW_KILL_POINTS:-25}
bad=0
k=0
while [ $k -lt "$tries" ]; do
	cp "$tmp/old.hosts" "$tmp/out/pools.hosts"
	cp "$tmp/old.ioc" "$tmp/out/all.ioc"
	pw update >/dev/null 2>&1 &
	pid=$!
	# a different point each time: 0 to ~0.5 s into the run
	sleep "0.$(( (k * 37) % 50 ))" 2>/dev/null || sleep 0
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	for f in pools.hosts all.ioc; do
		case $f in pools.hosts) o=old.hosts;; *) o=old.ioc;; esac
		if ! cmp -s "$tmp/out/$f" "$tmp/$o" && ! cmp -s "$tmp/out/$f" "$tmp/ref/$f"; then
			bad=$((bad + 1))
			echo "# kill point $k: $f is neither old nor new"
		fi
	done
	r=$(sqlite3 "$tmp/state/state.db" 'PRAGMA integrity_check' 2>&1)
	[ "$r" = ok ] || { bad=$((bad + 1)); echo "# kill point $k: integrity: $r"; }
	k=$((k + 1))
done
tap_ok $bad "$tries kill -9 points: outputs old or new, state consistent"
echo "# kill points tried: $tries"
pw update >/dev/null 2>&1
tap_ok $? "the next run recovers without manual steps"
tap_check "...and publishes the new generation" cmp -s "$tmp/out/pools.hosts" "$tmp/ref/pools.hosts"
tap_done
