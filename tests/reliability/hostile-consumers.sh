#!/bin/sh
# The hostile-feed corpus (tests/reliability/hostile-corpus/), through
# every feed format into every output, and each output loaded by its real
# consumer: named-checkzone -k fail (rpz), unbound-checkconf (unbound
# include), dnsmasq --test (dnsmasq conf-file) and a dnsmasq that reads
# the hosts file, squid -k parse (squid include), xmllint --schema with
# the OpenIOC 1.1 XSD (openioc), the STIX checks of pw_outputs.py (stix),
# suricata -T (suricata), nft -c -f in a network namespace of its own
# (nft, as root), and poolwall itself reading back the ioc and domains
# outputs.  One document per feed format: the cases that got through it,
# together.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need python3
tmp=$(mktemp -d) || exit 99
trap 'stop_dnsmasq; rm -rf "$tmp"' EXIT
xsd=$top_srcdir/outputs/openioc/schema/ioc.xsd
helper=$top_srcdir/tests/integration/pw_outputs.py
suri_conf=${SURICATA_YAML:-/etc/suricata/suricata.yaml}

# the scan itself is hostile.sh's job (make check); here it only makes
# the files
python3 "$top_srcdir/tests/reliability/hostile.py" run "$tmp/w" \
	>"$tmp/scan.tap" 2>&1
tap_check "the hostile corpus compiles through every feed format" \
	test -s "$tmp/w/union.list"
grep '^# hostile:' "$tmp/scan.tap" | tap_diag
[ -s "$tmp/w/union.list" ] || { tap_done; exit; }

tried=0
failed=0
# check FORMAT OUTPUT TOOL COMMAND...: one consumer run, one TAP line
check() {
	_f=$1 _o=$2 _t=$3
	shift 3
	tried=$((tried + 1))
	if "$@" >"$tmp/check.log" 2>&1 </dev/null; then
		tap_ok 0 "$_f -> $_o: $_t accepts it"
	else
		tap_ok 1 "$_f -> $_o: $_t accepts it"
		failed=$((failed + 1))
		head -8 "$tmp/check.log" | tap_diag
	fi
}
have() { command -v "$1" >/dev/null 2>&1; }
missing() {	# once per tool
	case " $warned " in *" $1 "*) return ;; esac
	warned="$warned $1"
	tap_missing "$1 is not installed: $2 not loaded by its consumer"
}
warned=

unbound_check() {
	cat >"$tmp/unbound.conf" <<EOF
server:
	username: ""
	chroot: ""
	directory: "$tmp"
	module-config: "respip iterator"
include: "$1"
EOF
	unbound-checkconf "$tmp/unbound.conf"
}
dnsmasq_check() {
	echo "conf-file=$1" >"$tmp/dnsmasq-wrap.conf"
	dnsmasq --test --conf-file="$tmp/dnsmasq-wrap.conf"
}
hosts_check() {	# dnsmasq reads the file and counts every line
	_n=$(grep -vc '^#' "$1")
	_p=$(free_port)
	start_dnsmasq "$_p" --addn-hosts="$1"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		# a port taken meanwhile, or a slow start: once more
		stop_dnsmasq
		cat "$tmp/dnsmasq.log"
		_p=$(free_port)
		start_dnsmasq "$_p" --addn-hosts="$1"
		_rc=$?
	fi
	stop_dnsmasq
	cat "$tmp/dnsmasq.log"
	[ $_rc -eq 0 ] && ! grep -qi 'bad \|error\|failed' "$tmp/dnsmasq.log" &&
		grep -Eq "read $1 - $_n (addresses|names)" "$tmp/dnsmasq.log"
}
squid_check() {
	{
		echo "http_port 127.0.0.1:3128"
		echo "pid_filename none"
		echo "cache_log $tmp/cache.log"
		echo "include $1"
		echo "http_access deny all"
	} >"$tmp/squid.conf"
	squid -k parse -f "$tmp/squid.conf" >"$tmp/squid.log" 2>&1
	_rc=$?
	cat "$tmp/squid.log"
	[ $_rc -eq 0 ] && ! grep -q 'WARNING\|ERROR\|FATAL' "$tmp/squid.log"
}
suricata_check() {
	mkdir -p "$tmp/suri"
	timeout 300 suricata -T -v -c "$suri_conf" -S "$1" -l "$tmp/suri" \
		>"$tmp/suri.log" 2>&1
	_rc=$?
	grep '^E\|Error\|rules failed' "$tmp/suri.log"
	[ $_rc -eq 0 ] && grep -q ' 0 rules failed' "$tmp/suri.log"
}
nft_check() {
	unshare -n nft -c -f "$1"
}
readback() {	# readback FORMAT FILE: poolwall reads its own output again
	"$POOLWALL" -q compile --permit-documentation -i "$1:$2" \
		-t ioc:"$tmp/rb.ioc"
}

# the list on descriptor 3: nothing a consumer does can eat it
while read -r fmt dir <&3; do
	for o in ioc domains hosts dnsmasq rpz unbound squid openioc stix \
		suricata nft; do
		f=$dir/$o
		[ -f "$f" ] || continue
		case $o in
		ioc|domains)
			check "$fmt" "$o" "poolwall -i $o" readback "$o" "$f" ;;
		hosts)
			if have dnsmasq; then
				check "$fmt" "$o" "dnsmasq --addn-hosts" hosts_check "$f"
			else missing dnsmasq "$o"; fi ;;
		dnsmasq)
			if have dnsmasq; then
				check "$fmt" "$o" "dnsmasq --test" dnsmasq_check "$f"
			else missing dnsmasq "$o"; fi ;;
		rpz)
			if have named-checkzone; then
				check "$fmt" "$o" "named-checkzone -k fail" \
					named-checkzone -k fail rpz.poolwall "$f"
			else missing named-checkzone "$o"; fi ;;
		unbound)
			if have unbound-checkconf; then
				check "$fmt" "$o" "unbound-checkconf" unbound_check "$f"
			else missing unbound-checkconf "$o"; fi ;;
		squid)
			if have squid; then
				check "$fmt" "$o" "squid -k parse" squid_check "$f"
			else missing squid "$o"; fi ;;
		openioc)
			if have xmllint; then
				check "$fmt" "$o" "xmllint --schema ioc.xsd" \
					xmllint --noout --nonet --schema "$xsd" "$f"
			else missing xmllint "$o"; fi ;;
		stix)
			check "$fmt" "$o" "the STIX 2.1 checks" \
				python3 "$helper" stix-check "$f" ;;
		suricata)
			if have suricata && [ -f "$suri_conf" ]; then
				check "$fmt" "$o" "suricata -T" suricata_check "$f"
			else missing suricata "$o"; fi ;;
		nft)
			if ! have nft || ! have unshare; then
				missing nft "$o"
			elif [ "$(id -u)" != 0 ]; then
				missing "root (for nft -c in a namespace)" "$o"
			else
				check "$fmt" "$o" "nft -c -f" nft_check "$f"
			fi ;;
		esac
	done
done 3<"$tmp/w/union.list"
echo "# hostile-consumers: $tried consumer checks, $failed failed"
echo "# figures: suite=hostile-consumers tried=$tried failures=$failed"
tap_done
