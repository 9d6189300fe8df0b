#!/bin/sh
# A hostile feed never reaches the squid, openioc, stix or suricata output:
# every hostile line of pw_outputs.py hostile holds "evil" and must be
# refused as a whole; hostile provenance (incident=, sources=) is cleaned
# by the core, so what is left of its "xss" is always followed by "_".
# No consumer is needed here; the integration tests also load each file
# into its consumer.
. "$top_srcdir/tests/lib/tap.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is not installed"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
args=$(python3 "$top_srcdir/tests/integration/pw_outputs.py" hostile \
	"$tmp/in") || exit 99
for out in squid openioc stix suricata; do
	if ! "$POOLWALL" plugins 2>/dev/null | grep -q "^output  *$out "; then
		tap_skip "output $out is not built"
		continue
	fi
	# shellcheck disable=SC2086
	"$POOLWALL" -q compile --permit-documentation $args \
		-t "$out:$tmp/out.$out" 2>"$tmp/err.$out"
	tap_ok $? "$out: the hostile feeds compile"
	tap_check "$out: the good names are written" \
		grep -q 'good-1\.example\.test' "$tmp/out.$out"
	tap_check "$out: nothing of a hostile line is" \
		sh -c "! grep -qi evil '$tmp/out.$out'"
	tap_check "$out: hostile provenance is cleaned" \
		sh -c "! grep -q 'xss[^_]' '$tmp/out.$out'"
	n=$(LC_ALL=C grep -c '[^ -~]' "$tmp/out.$out")
	tap_ok $((n != 0)) "$out: printable ASCII only ($n lines)"
	tap_check "$out: nothing on stderr but the core's rejections" \
		sh -c "! grep -v 'rejected\|skipped\|more \|note' '$tmp/err.$out' | grep -q ."
done
tap_done
