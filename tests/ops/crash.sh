#!/bin/sh
# kill -9 of `update` at many points during a large run: afterwards every
# output is byte-identical to the previous or the new generation (apart
# from the header comments that name the generation), the
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
for f in old.hosts old.ioc ref/pools.hosts ref/all.ioc; do
	grep -v '^#' "$tmp/$f" >"$tmp/$f.body"
done
tries=${PW_KILL_POINTS:-25}
bad=0
k=0
while [ $k -lt "$tries" ]; do
	cp "$tmp/old.hosts" "$tmp/out/pools.hosts"
	cp "$tmp/old.ioc" "$tmp/out/all.ioc"
	"$POOLWALL" -c "$tmp/poolwall.conf" update >/dev/null 2>&1 &
	pid=$!
	# a different point each time: 0 to ~0.5 s into the run
	sleep "0.$(( (k * 37) % 50 ))" 2>/dev/null || sleep 0
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	for f in pools.hosts all.ioc; do
		case $f in pools.hosts) o=old.hosts;; *) o=old.ioc;; esac
		# the header comments name the generation: compare the rest
		grep -v '^#' "$tmp/out/$f" >"$tmp/cur"
		if ! cmp -s "$tmp/cur" "$tmp/$o.body" && ! cmp -s "$tmp/cur" "$tmp/ref/$f.body"; then
			bad=$((bad + 1))
			echo "# kill point $k: $f is neither old nor new"
			diff "$tmp/out/$f" "$tmp/ref/$f" | head -4 | tap_diag
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
left=$(find "$tmp/out" -name '.*' -type f | wc -l)
tap_ok $((left != 0)) "...and clears the temporary files killed runs left ($left)"
grep -v '^#' "$tmp/out/pools.hosts" >"$tmp/cur"
tap_check "...and publishes the new generation" cmp -s "$tmp/cur" "$tmp/ref/pools.hosts.body"
tap_done
