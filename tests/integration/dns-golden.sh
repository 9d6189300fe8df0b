#!/bin/sh
# Every golden file of the DNS outputs (tests/outputs/{rpz,unbound,
# dnsmasq}, with and without an allowlist) that is a zone or a
# configuration is accepted by its consumer's own checker: the zones by
# `named-checkzone -k fail` and `ldns-read-zone`, the local-zone include
# files by `unbound-checkconf`, the dnsmasq files by `dnsmasq --test`.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need named-checkzone ldns-read-zone unbound-checkconf dnsmasq
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
g=$top_srcdir/tests/outputs

for f in "$g"/rpz/*.out "$g"/rpz/allow/*.out "$g"/unbound/*.out \
	"$g"/unbound/allow/*.out "$g"/dnsmasq/*.out "$g"/dnsmasq/allow/*.out
do
	[ -s "$f" ] || continue	# a case that fails writes nothing
	case_=${f#"$g"/}
	origin=$(sed -n 's/^\$ORIGIN \(.*\)\.$/\1/p' "$f")
	if [ -n "$origin" ]; then
		named-checkzone -k fail "$origin" "$f" >"$tmp/out" 2>&1 &&
			ldns-read-zone "$f" >/dev/null 2>>"$tmp/out"
		tap_ok $? "$case_: named-checkzone -k fail, ldns-read-zone"
	elif grep -q '^server:$' "$f"; then
		unbound-checkconf "$f" >"$tmp/out" 2>&1
		tap_ok $? "$case_: unbound-checkconf"
	elif grep -q '^# dnsmasq' "$f"; then
		dnsmasq --test --conf-file="$f" >"$tmp/out" 2>&1
		tap_ok $? "$case_: dnsmasq --test"
	else
		continue	# unbound-control lines
	fi
	grep -iv 'no errors\|syntax check OK\|loaded serial\|^OK$' \
		"$tmp/out" | tap_diag
done
tap_done
