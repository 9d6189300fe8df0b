#!/bin/sh
# The real feeds of the shared corpus (UTF-8 names, underscores, junk),
# merged and compiled to every DNS output, checked by the consumers' own
# tools: `named-checkzone -k fail` for the RPZ zone under every policy (a
# sinkhole address must not make named refuse the zone over check-names),
# `named-checkconf -z` loading it as a response-policy zone,
# `ldns-read-zone`, `unbound-checkconf` with the local-zone include and
# with the zone as an rpz: zone, `dnsmasq --test` with the dnsmasq file.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need named-checkzone named-checkconf ldns-read-zone unbound-checkconf dnsmasq
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
if [ ! -d "$corpus/feeds" ]; then
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - no corpus at $corpus"
		echo 1..1
		exit 1
	fi
	echo "1..0 # SKIP no corpus at $corpus"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

inputs="hosts:feeds/coinblockerlists/hosts
hosts:feeds/coinblockerlists/hosts_browser
hosts:feeds/nocoin/hosts.txt
hosts:feeds/blocklistproject/crypto.txt
domains:feeds/coinblockerlists/list.txt
domains:feeds/coinblockerlists/list_browser.txt
domains:feeds/coinblockerlists/list_optional.txt
domains:feeds/akamai/dhpcd_mining_pool_domains.txt
adblock:feeds/nocoin/nocoin.txt
adblock:feeds/coinblockerlists/list_browser_UBO.txt
netset:feeds/coinblockerlists/MiningServerIPList.txt
netset:feeds/firehol-coinbl/coinbl_ips.ipset
text:feeds/maltrail/crypto_mining.txt
text:iocs/avast/Crackonosh_network.txt"
args=
for i in $inputs; do
	[ -f "$corpus/${i#*:}" ] && args="$args -i ${i%%:*}:$corpus/${i#*:}"
done
allow=
[ -f "$corpus/feeds/coinblockerlists/white_list.txt" ] &&
	allow="--allow $corpus/feeds/coinblockerlists/white_list.txt"

# shellcheck disable=SC2086
"$POOLWALL" -q compile $args $allow -t ioc:"$tmp/all.ioc" \
	-t rpz:"$tmp/rpz.zone" -t unbound:"$tmp/local.conf" \
	-t dnsmasq:"$tmp/dnsmasq.conf" 2>"$tmp/err"
tap_ok $? "the corpus compiles to rpz, unbound and dnsmasq"
names=$(grep -c '^domain' "$tmp/all.ioc")
ips=$(grep -c '^ipv[46]' "$tmp/all.ioc")
tap_ok "$([ "$names" -gt 1000 ] && [ "$ips" -gt 100 ]; echo $?)" \
	"the merged set holds $names names and $ips prefixes"

# ---- RPZ ----
named-checkzone -k fail rpz.poolwall "$tmp/rpz.zone" >"$tmp/check" 2>&1
tap_ok $? "named-checkzone -k fail accepts the zone"
grep -v 'loaded serial\|^OK$' "$tmp/check" | tap_diag
triggers=$(grep -vc '^[;$]' "$tmp/rpz.zone")
tap_ok "$([ "$triggers" -gt "$names" ]; echo $?)" \
	"with $triggers records for $names names and $ips prefixes"
tap_check "IDNs are written as A-labels" \
	grep -q '^xn--' "$tmp/rpz.zone"
if LC_ALL=C grep -n '[^ -~	]' "$tmp/rpz.zone" >"$tmp/bad"; then
	tap_ok 1 "nothing but printable ASCII in the zone"
	head -5 "$tmp/bad" | tap_diag
else
	tap_ok 0 "nothing but printable ASCII in the zone"
fi
ldns-read-zone "$tmp/rpz.zone" >/dev/null 2>"$tmp/ldns"
tap_ok $? "ldns-read-zone reads it $(head -1 "$tmp/ldns")"
cat >"$tmp/named.conf" <<EOF
options {
	directory "$tmp";
	recursion yes;
	response-policy { zone "rpz.poolwall"; } qname-wait-recurse no;
};
zone "rpz.poolwall" { type primary; file "$tmp/rpz.zone"; };
EOF
named-checkconf -z "$tmp/named.conf" >"$tmp/checkconf" 2>&1
tap_ok $? "named-checkconf -z loads it as a response-policy zone"
grep -v 'loaded serial' "$tmp/checkconf" | tap_diag

for p in nodata drop passthru tcp-only "sinkhole -O rpz.sinkhole=0.0.0.0,::" \
	"sinkhole -O rpz.sinkhole=sinkhole.example.net"; do
	# shellcheck disable=SC2086
	"$POOLWALL" -q compile $args $allow -t rpz:"$tmp/p.zone" \
		-O rpz.policy=$p 2>"$tmp/err-p"
	st=$?
	named-checkzone -k fail rpz.poolwall "$tmp/p.zone" >"$tmp/check" 2>&1
	tap_ok $((st + $?)) "policy=$p: named-checkzone -k fail accepts it"
	grep -v 'loaded serial\|^OK$' "$tmp/check" | head -5 | tap_diag
done

# ---- Unbound ----
cat >"$tmp/unbound.conf" <<EOF
server:
	username: ""
	chroot: ""
	directory: "$tmp"
	module-config: "respip iterator"
include: "$tmp/local.conf"
EOF
unbound-checkconf "$tmp/unbound.conf" >"$tmp/ub" 2>&1
tap_ok $? "unbound-checkconf accepts the local-zone include"
grep -v 'no errors' "$tmp/ub" | tap_diag
unbound-checkconf "$tmp/local.conf" >"$tmp/ub" 2>&1
tap_ok $? "unbound-checkconf FILE checks the include file by itself"
grep -v 'no errors' "$tmp/ub" | tap_diag
zones=$(grep -c '^local-zone:' "$tmp/local.conf")
tap_ok "$([ "$zones" -gt 1000 ]; echo $?)" "with $zones local zones"
cat >"$tmp/unbound-rpz.conf" <<EOF
server:
	username: ""
	chroot: ""
	directory: "$tmp"
	module-config: "respip iterator"
rpz:
	name: "rpz.poolwall."
	zonefile: "$tmp/rpz.zone"
EOF
unbound-checkconf "$tmp/unbound-rpz.conf" >"$tmp/ub" 2>&1
tap_ok $? "unbound-checkconf accepts the zone as an rpz: zone"
grep -v 'no errors' "$tmp/ub" | tap_diag

# ---- dnsmasq ----
echo "conf-file=$tmp/dnsmasq.conf" >"$tmp/wrapper.conf"
dnsmasq --test --conf-file="$tmp/wrapper.conf" >"$tmp/dm" 2>&1
tap_ok $? "dnsmasq --test: $(cat "$tmp/dm")"
dnsmasq --test --conf-file="$tmp/dnsmasq.conf" >"$tmp/dm" 2>&1
tap_ok $? "dnsmasq --test --conf-file=FILE checks the file by itself"
tap_done
