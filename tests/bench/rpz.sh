#!/bin/sh
# `make bench-rpz`: 1M domains to an RPZ zone.  Wall time and peak RSS of
#  - the render alone (bench-rpz-render: the zone writer on names made on
#    the fly, without the core's set), target < 1.5 s and < 200 MB;
#  - `poolwall compile -i domains:FILE -t rpz:ZONE` end to end (read,
#    normalize, merge, render), and the render with the real set: the
#    same compile writing two zones, minus the one that writes one;
#  - named-checkzone -k fail and ldns-read-zone on the result.
# Reported, not checked: the figures depend on the machine.
set -u
n=${PW_BENCH_N:-1000000}
: "${POOLWALL:?}" "${PW_BENCH_RPZ:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# measure LABEL COMMAND...: "LABEL  wall s  peak RSS MB" on stdout
if [ -x /usr/bin/time ]; then
	measure() {
		_l=$1
		shift
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" \
			>/dev/null 2>"$tmp/stderr"
		_st=$?
		read -r _s _kb <"$tmp/time"
		printf '%-44s %8.2f s %8.1f MB%s\n' "$_l" "$_s" \
			"$(echo "$_kb" | awk '{print $1 / 1024}')" \
			"$([ $_st -eq 0 ] || echo "  (exit $_st)")"
		echo "$_s" >"$tmp/last"
	}
else
	measure() {
		_l=$1
		shift
		_t0=$(date +%s.%N)
		"$@" >/dev/null 2>"$tmp/stderr"
		_st=$?
		_s=$(echo "$_t0 $(date +%s.%N)" | awk '{print $2 - $1}')
		printf '%-44s %8.2f s %11s%s\n' "$_l" "$_s" "n/a" \
			"$([ $_st -eq 0 ] || echo "  (exit $_st)")"
		echo "$_s" >"$tmp/last"
	}
fi

# n distinct names that look like pool names, deterministic
awk -v n="$n" 'BEGIN {
	split("com net org io xyz ru top info", tld, " ");
	split("pool mine hash xmr stratum eu us asia", w, " ");
	srand(42);
	for (i = 0; i < n; i++) {
		l = "";
		k = 4 + int(rand() * 7);
		for (j = 0; j < k; j++)
			l = l sprintf("%c", 97 + int(rand() * 26));
		printf "%s%d.%s.%s\n", l, i, w[1 + int(rand() * 8)],
			tld[1 + int(rand() * 8)];
	}
}' >"$tmp/names.txt"

echo "rpz: $n names ($(wc -c <"$tmp/names.txt") bytes of input)"
measure "render alone (bench-rpz-render)" \
	"$PW_BENCH_RPZ" "$n" "$tmp/render.zone"
"$PW_BENCH_RPZ" "$n" "$tmp/render.zone" | sed 's/^/  /'
measure "poolwall compile -t domains (the set alone)" \
	"$POOLWALL" -q compile -i domains:"$tmp/names.txt" \
	-t domains:"$tmp/set.txt"
measure "poolwall compile -t rpz (end to end)" \
	"$POOLWALL" -q compile -i domains:"$tmp/names.txt" \
	-t rpz:"$tmp/one.zone"
one=$(cat "$tmp/last")
measure "poolwall compile -t rpz -t rpz (two zones)" \
	"$POOLWALL" -q compile -i domains:"$tmp/names.txt" \
	-t rpz:"$tmp/two-a.zone" -t rpz:"$tmp/two-b.zone"
two=$(cat "$tmp/last")
printf '%-44s %8.2f s\n' "render with the real set (two - one)" \
	"$(echo "$one $two" | awk '{print $2 - $1}')"
echo "zone: $(grep -vc '^[;$]' "$tmp/one.zone") records," \
	"$(wc -c <"$tmp/one.zone") bytes"
if command -v named-checkzone >/dev/null 2>&1; then
	measure "named-checkzone -k fail" \
		named-checkzone -k fail rpz.poolwall "$tmp/one.zone"
else
	echo "named-checkzone: not installed"
fi
if command -v ldns-read-zone >/dev/null 2>&1; then
	measure "ldns-read-zone" ldns-read-zone "$tmp/one.zone"
else
	echo "ldns-read-zone: not installed"
fi
