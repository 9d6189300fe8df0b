#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `make bench`: generate BENCH_N-line inputs (default 1,000,000) with
# tests/bench/gen, then measure wall time and peak RSS of `poolwall
# compile` on them, next to reference tools, and print a table.  The
# user CPU time is shown too: on a busy machine it moves less than the
# wall time, so compare it between two builds.
#
# Environment (set by the make rule): POOLWALL, POOLWALL_PLUGIN_DIR,
# PW_GEN (the generator), PW_BENCH_SET (optional set micro-benchmark).
# Exit status: 1 when a command fails; a missed target is a FAIL in the
# table, and fails the run too with BENCH_STRICT=1.

set -u

N=${BENCH_N:-1000000}
: "${POOLWALL:?POOLWALL must name the poolwall binary}"
: "${POOLWALL_PLUGIN_DIR:?POOLWALL_PLUGIN_DIR must name the plugin dir}"
export POOLWALL_PLUGIN_DIR
GEN=${PW_GEN:-$(dirname "$POOLWALL")/tests/bench/gen}
BENCH_SET=${PW_BENCH_SET:-}
TIME=/usr/bin/time
LC_ALL=C
export LC_ALL

if [ ! -x "$TIME" ]; then
	echo "bench: $TIME not found (Debian package: time)" >&2
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

status=0
last_sec=
last_user=

# row NAME SECONDS USER MB TARGET VERDICT
row() {
	printf '%-36s %8s %8s %8s  %-16s %s\n' "$1" "$2" "$3" "$4" "$5" "$6"
}

# run NAME MAX_SECONDS MAX_MB CMD...: time CMD (stdout discarded); a
# target of - means a reference measurement with no verdict.
run() {
	name=$1 max_s=$2 max_mb=$3
	shift 3
	last_sec=
	last_user=
	if ! "$TIME" -f '%e %U %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err"
	then
		row "$name" - - - "" ERROR
		sed -n '1,5s/^/    /p' "$tmp/err"
		status=1
		return
	fi
	read -r sec user kb <<EOF
$(tail -n 1 "$tmp/time")
EOF
	mb=$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')
	last_sec=$sec
	last_user=$user
	if [ "$max_s" = - ]; then
		row "$name" "$sec" "$user" "$mb" "(reference)" ""
		return
	fi
	if awk -v s="$sec" -v m="$mb" -v ms="$max_s" -v mm="$max_mb" \
		'BEGIN { exit !(s < ms && m < mm) }'; then
		verdict=PASS
	else
		verdict=FAIL
		[ "${BENCH_STRICT:-0}" = 1 ] && status=1
	fi
	row "$name" "$sec" "$user" "$mb" "< ${max_s} s, ${max_mb} MB" "$verdict"
}

echo "bench: generating $N lines each into $tmp"
for kind in hosts adblock ipv4; do
	if ! "$GEN" "$kind" "$N" > "$tmp/$kind.txt"; then
		echo "bench: $GEN $kind failed" >&2
		exit 1
	fi
done
for kind in hosts adblock ipv4; do
	wc -c < "$tmp/$kind.txt" | awk -v n="$kind.txt" \
		'{ printf "  %-12s %6.1f MB\n", n, $1 / 1048576 }'
done
echo

row name seconds user MB target result
row ---- ------- ---- -- ------ ------

run "compile hosts -> domains" 1.0 200 \
	"$POOLWALL" compile -i "hosts:$tmp/hosts.txt" -t domains:/dev/null
run "compile adblock -> domains" 1.0 200 \
	"$POOLWALL" compile -i "adblock:$tmp/adblock.txt" -t domains:/dev/null
# shellcheck disable=SC2016 # $1 is for the inner shell
run "tr A-Z a-z | sort -u (hosts)" - - \
	sh -c 'tr A-Z a-z < "$1" | sort -u' sh "$tmp/hosts.txt"

run "compile netset -> ioc (ipv4)" 1.0 200 \
	"$POOLWALL" compile -i "netset:$tmp/ipv4.txt" -t ioc:/dev/null
pw_sec=$last_sec
pw_user=$last_user
if command -v iprange >/dev/null 2>&1; then
	run "iprange (ipv4)" - - iprange "$tmp/ipv4.txt"
	ip_sec=$last_sec
	ip_user=$last_user
	if [ -n "$pw_sec" ] && [ -n "$ip_sec" ]; then
		awk -v a="$pw_sec" -v b="$ip_sec" -v c="$pw_user" \
			-v d="$ip_user" 'BEGIN { if (b > 0)
			printf "  poolwall / iprange time: %.2f", a / b
			if (b > 0 && d > 0) printf " (user CPU: %.2f)", c / d
			if (b > 0) printf "\n" }'
	fi
else
	row "iprange (ipv4)" - - - "(not installed)" SKIP
fi

if [ -n "$BENCH_SET" ] && [ -x "$BENCH_SET" ]; then
	echo
	echo "set only (tests/bench/bench-set, $N indicators, no parsing):"
	for kind in domains ipv4; do
		"$BENCH_SET" "$kind" "$N" | sed 's/^/  /'
	done
fi

exit $status
