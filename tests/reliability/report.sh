#!/bin/sh
# report.sh BUILDDIR TEST...: the table of `make reliability-report`, from
# the logs `make check` left for each TEST and tests/reliability/fuzz.log.
# Per suite: the cases it tried (its "# figures:" line, else its test
# points), the failures (not ok, without the known ones), the known
# failures (TODO: reported, awaiting a fix), and the result.
b=$1
shift
line() { printf '%-34s %11s %9s %6s  %s\n' "$@"; }
echo "poolwall reliability report, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc 2>/dev/null || echo '?') CPUs"
echo
line suite "cases" failures known result
line ----- ----- -------- ----- ------
for t in "$@"; do
	log=$b/${t%.sh}.log
	trs=$b/${t%.sh}.trs
	name=${t#tests/}
	name=${name%.sh}
	if [ ! -f "$log" ]; then
		line "$name" - - - "not run"
		continue
	fi
	res=$(sed -n 's/^:global-test-result: //p' "$trs" 2>/dev/null)
	fig=$(grep '^# figures:' "$log" | tail -1)
	tried=$(echo "$fig" | sed -n 's/.* tried=\([0-9]*\).*/\1/p')
	case $name in
	ops/crash) tried=$(sed -n 's/^# kill points tried: //p' "$log") ;;
	esac
	points=$(grep -c '^\(not \)\{0,1\}ok ' "$log")
	[ -n "$tried" ] || tried=$points
	fail=$(grep '^not ok ' "$log" | grep -vc '# TODO')
	known=$(grep '^not ok ' "$log" | grep -c '# TODO')
	skip=$(grep -c '^ok .*# SKIP' "$log")
	note=
	[ "$skip" -gt 0 ] && note=" ($skip skipped)"
	grep -q '^1\.\.0 # SKIP' "$log" && res="SKIP: $(sed -n 's/^1\.\.0 # SKIP //p' "$log")"
	line "$name" "$tried" "$fail" "$known" "${res:-?}$note"
done

fz=$b/tests/reliability/fuzz.log
if [ -s "$fz" ] && grep -q 'ok - fuzz ' "$fz"; then
	echo
	printf '%-34s %11s %7s %9s %7s %6s  %s\n' "fuzz target" executions cov features corpus "MB" result
	printf '%-34s %11s %7s %9s %7s %6s  %s\n' ----------- ---------- --- -------- ------ -- ------
	# "ok - fuzz NAME: Ns, N runs, cov: N" lines of `make fuzz`, and the
	# final statistics libFuzzer left in tests/fuzz/work/NAME.log
	sed -n 's/^\(not \)\{0,1\}ok - fuzz \([a-z0-9_-]*\): *\(.*\)$/\1 \2 \3/p' "$fz" |
	while read -r a rest; do
		if [ "$a" = not ]; then
			res=CRASH
			set -- $rest
		else
			res=ok
			set -- $a $rest
		fi
		t=$1
		secs=$(echo "$*" | sed -n 's/.* \([0-9]*\)s,.*/\1/p')
		w=$b/tests/fuzz/work/$t.log
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$w" 2>/dev/null)
		rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$w" 2>/dev/null)
		last=$(grep '^#[0-9].* cov: ' "$w" 2>/dev/null | tail -1)
		cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
		ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
		corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
		secs=${secs:-${PW_FUZZ_SECONDS:-?}}
		printf '%-34s %11s %7s %9s %7s %6s  %s\n' "fuzz/$t ($secs s)" \
			"${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${rss:-?}" "$res"
	done
else
	echo
	echo "fuzzing: not run (configure with CC=clang --enable-fuzzing for the figures)"
fi
grep -h '^# \(hostile\|xml-json\|kill points\|slowest\|most memory\|A:\|B:\)' \
	"$b"/tests/reliability/*.log "$b"/tests/ops/crash.log 2>/dev/null |
	grep -v 'messages seen\|^# [AB]: *[0-9]* ' | sed 's/^# /  /' | head -30
