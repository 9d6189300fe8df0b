#!/bin/sh
# kill -9 of `block` at many points during a large run (a 20,000-name
# feed: `block` writes the state, then regenerates every file output from
# the cached feeds).  Each kill point starts from the same state and
# outputs; afterwards every output is byte-identical to the previous or
# the new generation (apart from the header comments that name the
# generation), the state passes PRAGMA integrity_check, and the same
# `block` run again recovers with no manual step.  The kill points are
# spread over the measured length of an unkilled run (PW_KILL_POINTS,
# default 40; PW_CRASH_NAMES sets the feed size).
. "$top_srcdir/tests/ops/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { tap_missing "sqlite3 command"; tap_done; exit $?; }

names=${PW_CRASH_NAMES:-20000}
tries=${PW_KILL_POINTS:-40}
ms() { echo $(($(date +%s%N) / 1000000)); }

gen_pools "$names"
printf '192.0.2.1\n' >"$tmp/ips.txt"
write_conf </dev/null
pw update >/dev/null 2>&1
tap_ok $? "a first generation of $names names"
outs="pools.hosts all.ioc"
for f in $outs; do
	grep -v '^#' "$tmp/out/$f" >"$tmp/$f.old"
done
rm -rf "$tmp/state.orig" "$tmp/out.orig"
cp -a "$tmp/state" "$tmp/state.orig"
cp -a "$tmp/out" "$tmp/out.orig"
restore() {
	rm -rf "$tmp/state" "$tmp/out"
	cp -a "$tmp/state.orig" "$tmp/state"
	cp -a "$tmp/out.orig" "$tmp/out"
}

# the new generation, and how long an unkilled block takes
victim=crash-victim.example.test
t0=$(ms)
pw block --ttl 0 "$victim" >/dev/null 2>&1
rc=$?
took=$(($(ms) - t0))
tap_ok $rc "an unkilled block takes $took ms"
for f in $outs; do
	grep -v '^#' "$tmp/out/$f" >"$tmp/$f.new"
done
tap_check "...and publishes the name" grep -qx "0.0.0.0 $victim" "$tmp/out/pools.hosts"
in_state() {
	sqlite3 "$tmp/state/state.db" \
		"SELECT count(*) FROM emergency WHERE value = '$victim'" 2>&1
}

bad=0
recover_bad=0
litter=0		# temporary files the next run did not remove
before=0	# killed before the state had the block
between=0	# the state has it, the outputs not yet (all or some)
after=0		# everything published
span=$((took + took / 5 + 5))
k=0
while [ $k -lt "$tries" ]; do
	restore
	# a different point each time, spread over the whole run
	at=$(( (k * 7919 % tries) * span / tries ))
	"$POOLWALL" -c "$tmp/poolwall.conf" block --ttl 0 "$victim" \
		>/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	new=0
	for f in $outs; do
		grep -v '^#' "$tmp/out/$f" >"$tmp/cur"
		if cmp -s "$tmp/cur" "$tmp/$f.new"; then
			new=$((new + 1))
		elif ! cmp -s "$tmp/cur" "$tmp/$f.old"; then
			bad=$((bad + 1))
			echo "# kill point $k ($at ms): $f is neither old nor new"
			diff "$tmp/cur" "$tmp/$f.new" | head -4 | tap_diag
		fi
	done
	r=$(sqlite3 "$tmp/state/state.db" 'PRAGMA integrity_check' 2>&1)
	[ "$r" = ok ] || { bad=$((bad + 1)); echo "# kill point $k: integrity: $r"; }
	s=$(in_state)
	if [ "$s" = 0 ]; then
		before=$((before + 1))
		[ $new -eq 0 ] || { bad=$((bad + 1)); echo "# kill point $k: published but not in the state"; }
	elif [ $new -lt 2 ]; then
		between=$((between + 1))
	else
		after=$((after + 1))
	fi
	# the next run recovers: the same block, unkilled
	pw block --ttl 0 "$victim" >/dev/null 2>"$tmp/err"
	rc=$?
	for f in $outs; do
		grep -v '^#' "$tmp/out/$f" >"$tmp/cur"
		cmp -s "$tmp/cur" "$tmp/$f.new" || rc=$((rc + 1))
	done
	if [ $rc -ne 0 ]; then
		recover_bad=$((recover_bad + 1))
		echo "# kill point $k ($at ms): the next block: exit or differences: $rc"
		tap_diag <"$tmp/err"
	fi
	left=$(cd "$tmp/out" && find . -name '.*' -type f | sed 's|^\./||')
	for f in $left; do
		litter=$((litter + 1))
		echo "# kill point $k ($at ms): the next block left $f"
	done
	k=$((k + 1))
done
tap_ok $bad "$tries kill -9 points of block: outputs old or new, state consistent"
echo "# kill points: $tries over 0-$span ms; $before before the state had the block, $between with the block in the state but not (all) in the outputs, $after after it was published"
tap_ok $recover_bad "...and after each, the next block recovers with no manual step"
tap_ok $litter "...and removes the temporary files the killed run left"
# the distribution above shows where the points fell; at least one must
# have interrupted a run, or the test proves nothing
tap_ok $((before + between == 0)) "...and kill points interrupted runs ($((before + between)) of $tries)"

# update and block killed alike, one after the other: the next update
# puts everything right
restore
"$POOLWALL" -c "$tmp/poolwall.conf" update --force >/dev/null 2>&1 &
upd=$!
"$POOLWALL" -c "$tmp/poolwall.conf" block --ttl 0 "$victim" >/dev/null 2>&1 &
blk=$!
sleep 0.1
kill -9 $upd $blk 2>/dev/null
wait $upd $blk 2>/dev/null
r=$(sqlite3 "$tmp/state/state.db" 'PRAGMA integrity_check' 2>&1)
tap_ok "$([ "$r" = ok ]; echo $?)" "update and block killed at once: state consistent ($r)"
pw block --ttl 0 "$victim" >/dev/null 2>&1 && pw update >/dev/null 2>&1
tap_ok $? "...the next block and update run"
tap_check "...and publish the block" grep -qx "0.0.0.0 $victim" "$tmp/out/pools.hosts"
echo "# figures: suite=crash-block tried=$tries failures=$((bad + recover_bad))"
tap_done
