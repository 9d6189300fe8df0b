#!/bin/sh
# The rpz output, loaded by a real BIND: a resolver `named` on 127.0.0.1
# with the generated zones in `response-policy`, in front of a second
# `named` that serves a tiny `test.` zone (the upstream; nothing leaves the
# machine).  A blocked name and the names below it answer NXDOMAIN, an
# exact name only itself, an allowlisted name under a blocked parent
# resolves, an answer that points at a blocked address is rewritten
# (rpz-ip), an observe-only name resolves and is logged, a sinkhole zone
# answers its address; then a name added to the set (what `block` will do)
# is refused after `rndc reload`, with a serial that moved forward.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/dns-lib.sh"
need named named-checkzone rndc rndc-confgen dig ss
tmp=$(mktemp -d) || exit 99
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	[ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# never more than 5 minutes, whatever hangs
start_watchdog 300

up=$(free_port)
res=$(free_port)
ctl=$(free_port)
while [ "$res" = "$up" ]; do res=$(free_port); done
while [ "$ctl" = "$up" ] || [ "$ctl" = "$res" ]; do ctl=$(free_port); done

# ---- the set, the allowlist, the zones ----
cat >"$tmp/iocs" <<'EOF'
domain pool.test
domain exact.test match=exact
domain *.below.test
domain mon.test tier=monitor
ipv4 203.0.113.0/24
ipv6 2001:db8:bad::/48
EOF
echo ok.pool.test >"$tmp/allow"
cat >"$tmp/sink-iocs" <<'EOF'
domain sunk.test
domain under_score.test
EOF
"$POOLWALL" compile --permit-documentation -i ioc:"$tmp/iocs" \
	--allow "$tmp/allow" -t rpz:"$tmp/rpz.zone" 2>"$tmp/err"
tap_ok $? "compile the set to an RPZ zone"
named-checkzone -k fail rpz.poolwall "$tmp/rpz.zone" >"$tmp/check" 2>&1
tap_ok $? "named-checkzone -k fail accepts it"
serial1=$(sed -n 's/.*loaded serial \([0-9]*\).*/\1/p' "$tmp/check")
"$POOLWALL" compile --permit-documentation -i ioc:"$tmp/sink-iocs" \
	-t rpz:"$tmp/sink.zone" -O rpz.origin=sink.poolwall \
	-O rpz.policy=sinkhole -O rpz.sinkhole=192.0.2.99,2001:db8::99 \
	2>"$tmp/err-sink"
tap_ok $? "compile a sinkhole zone"
tap_check "the underscore name is left out of the sinkhole zone" \
	grep -q "under_score.test' left out" "$tmp/err-sink"
named-checkzone -k fail sink.poolwall "$tmp/sink.zone" >/dev/null 2>&1
tap_ok $? "named-checkzone -k fail accepts the sinkhole zone"
# every shape of rpz-ip owner: named logs the ones it finds not canonical
"$POOLWALL" compile --permit-documentation \
	-i ioc:"$top_srcdir/tests/outputs/rpz/017-ipv6-encodings.set" \
	-t rpz:"$tmp/enc.zone" -O rpz.origin=enc.poolwall 2>>"$tmp/err"
tap_ok $? "compile a zone of IPv4 and IPv6 triggers"

# ---- upstream: an authoritative named for test. ----
mkdir -p "$tmp/up" "$tmp/res"
cat >"$tmp/up/test.zone" <<'EOF'
$TTL 60
@		SOA	ns.test. hostmaster.test. 1 3600 600 604800 60
		NS	ns.test.
ns		A	127.0.0.1
pool		A	192.0.2.11
x.pool		A	192.0.2.12
ok.pool		A	192.0.2.10
exact		A	192.0.2.13
sub.exact	A	192.0.2.14
below		A	192.0.2.15
a.below		A	192.0.2.16
mon		A	192.0.2.17
ipbad		A	203.0.113.5
ipbad6		AAAA	2001:db8:bad::5
clean		A	192.0.2.20
sunk		A	192.0.2.21
new		A	192.0.2.22
EOF
cat >"$tmp/up/named.conf" <<EOF
options {
	directory "$tmp/up";
	pid-file "$tmp/up/named.pid";
	listen-on port $up { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
};
zone "test" { type primary; file "$tmp/up/test.zone"; };
EOF

# ---- the resolver ----
rndc-confgen -a -k poolwall-test -c "$tmp/rndc.key" >/dev/null 2>&1
cat >"$tmp/rndc.conf" <<EOF
include "$tmp/rndc.key";
options {
	default-key poolwall-test;
	default-server 127.0.0.1;
	default-port $ctl;
};
EOF
cat >"$tmp/res/named.conf" <<EOF
include "$tmp/rndc.key";
controls {
	inet 127.0.0.1 port $ctl allow { 127.0.0.1; } keys { poolwall-test; };
};
options {
	directory "$tmp/res";
	pid-file "$tmp/res/named.pid";
	listen-on port $res { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion yes;
	allow-recursion { 127.0.0.1; };
	dnssec-validation no;
	response-policy {
		zone "rpz.poolwall" policy given;
		zone "sink.poolwall";
		zone "enc.poolwall";
	} qname-wait-recurse no break-dnssec yes min-update-interval 0;
};
zone "rpz.poolwall" {
	type primary;
	file "$tmp/rpz.zone";
	allow-query { localhost; };
	allow-transfer { none; };
};
zone "sink.poolwall" {
	type primary;
	file "$tmp/sink.zone";
	allow-query { localhost; };
};
zone "enc.poolwall" {
	type primary;
	file "$tmp/enc.zone";
	allow-query { localhost; };
};
zone "test" {
	type forward;
	forward only;
	forwarders { 127.0.0.1 port $up; };
};
logging {
	channel all {
		file "$tmp/res/named.log";
		severity info;
		print-time yes;
	};
	category default { all; };
	category rpz { all; };
};
EOF
named-checkconf -z "$tmp/res/named.conf" >"$tmp/checkconf" 2>&1
tap_ok $? "named-checkconf -z loads the resolver configuration"
named -f -n 1 -c "$tmp/up/named.conf" >"$tmp/up/out" 2>&1 &
pids="$pids $!"
named -f -n 1 -c "$tmp/res/named.conf" >"$tmp/res/out" 2>&1 &
pids="$pids $!"

ready=1
for _i in $(seq 1 50); do
	if [ "$(q clean.test A)" = "NOERROR 192.0.2.20" ]; then
		ready=0
		break
	fi
	sleep 0.2
done
tap_ok $ready "named resolves through the upstream (127.0.0.1:$res)"
if [ $ready -ne 0 ]; then
	tail -20 "$tmp/res/named.log" "$tmp/res/out" "$tmp/up/out" | tap_diag
	tap_done
	exit
fi

expect pool.test A NXDOMAIN "a blocked name"
expect x.pool.test A NXDOMAIN "a name below it"
expect deep.x.pool.test AAAA NXDOMAIN "a name further below"
expect ok.pool.test A "NOERROR 192.0.2.10" "an allowlisted name under it"
expect exact.test A NXDOMAIN "an exact-only name"
expect sub.exact.test A "NOERROR 192.0.2.14" "a name below an exact-only one"
expect below.test A "NOERROR 192.0.2.15" "the parent of a *.name entry"
expect a.below.test A NXDOMAIN "a name below it"
expect ipbad.test A NXDOMAIN "an answer in a blocked IPv4 prefix (rpz-ip)"
expect ipbad6.test AAAA NXDOMAIN "an answer in a blocked IPv6 prefix"
expect mon.test A "NOERROR 192.0.2.17" "an observe-only name"
expect clean.test A "NOERROR 192.0.2.20" "a name nobody listed"
expect sunk.test A "NOERROR 192.0.2.99" "a sinkhole zone name"
expect sunk.test AAAA "NOERROR 2001:db8::99" "and its IPv6 sinkhole"
tap_check "named logs the observe-only name as passthru" \
	grep -q 'rpz QNAME PASSTHRU rewrite mon.test' "$tmp/res/named.log"
tap_check "named logs the rpz-ip rewrite" \
	grep -q 'rpz IP NXDOMAIN rewrite ipbad.test' "$tmp/res/named.log"
tap_check "named loaded the trigger zone" \
	grep -q "zone enc.poolwall/IN: loaded serial" "$tmp/res/named.log"
if grep -i 'rpz.*\(invalid\|canonical\|ignor\|out of zone\)' \
	"$tmp/res/named.log" >"$tmp/bad"; then
	tap_ok 1 "named ignored no trigger of the zones"
	tap_diag <"$tmp/bad"
else
	tap_ok 0 "named ignored no trigger of the zones"
fi

# ---- a name added to the set (`block`), the serial, a reload ----
echo "domain new.test" >>"$tmp/iocs"
expect new.test A "NOERROR 192.0.2.22" "a name not blocked yet"
"$POOLWALL" compile --permit-documentation -i ioc:"$tmp/iocs" \
	--allow "$tmp/allow" -t rpz:"$tmp/rpz.zone" 2>>"$tmp/err"
tap_ok $? "compile again, over the loaded zone"
named-checkzone -k fail rpz.poolwall "$tmp/rpz.zone" >"$tmp/check" 2>&1
serial2=$(sed -n 's/.*loaded serial \([0-9]*\).*/\1/p' "$tmp/check")
tap_ok "$([ "$serial2" -gt "$serial1" ]; echo $?)" \
	"the serial moved forward ($serial1 -> $serial2)"
"$POOLWALL" compile --permit-documentation -i ioc:"$tmp/iocs" \
	--allow "$tmp/allow" -t rpz:"$tmp/rpz.zone" 2>>"$tmp/err"
named-checkzone -k fail rpz.poolwall "$tmp/rpz.zone" >"$tmp/check" 2>&1
serial3=$(sed -n 's/.*loaded serial \([0-9]*\).*/\1/p' "$tmp/check")
tap_ok "$([ "$serial3" -gt "$serial2" ]; echo $?)" \
	"and again within the same second ($serial2 -> $serial3)"
rndc -c "$tmp/rndc.conf" reload rpz.poolwall >"$tmp/rndc" 2>&1
tap_ok $? "rndc reload rpz.poolwall: $(cat "$tmp/rndc")"
got=
for _i in $(seq 1 50); do
	got=$(q new.test A)
	[ "$got" = NXDOMAIN ] && break
	sleep 0.2
done
tap_ok "$([ "$got" = NXDOMAIN ]; echo $?)" \
	"the new name is refused after the reload ($got)"
soa=$(dig +short +time=2 +tries=1 -p "$res" @127.0.0.1 rpz.poolwall SOA |
	awk '{print $3}')
tap_ok "$([ "$soa" = "$serial3" ]; echo $?)" \
	"named serves the new serial ($soa)"
expect ok.pool.test A "NOERROR 192.0.2.10" "the allowlisted name still"

# ---- the real `poolwall block`: state, zone, serial and reload in one step
{
	echo "[general]"
	echo "state_dir = $tmp/state"
	echo "cache_dir = $tmp/cache"
	echo "permit_documentation = yes"
	echo "syslog = no"
	echo "[allow]"
	echo "file = $tmp/allow"
	echo "[feed iocs]"
	echo "url = $tmp/iocs"
	echo "format = ioc"
	echo "[output rpz]"
	echo "plugin = rpz"
	echo "path = $tmp/rpz.zone"
	echo "validate = named-checkzone -q -k fail rpz.poolwall %f"
	echo "reload = rndc -c $tmp/rndc.conf reload rpz.poolwall"
} >"$tmp/poolwall.conf"
"$POOLWALL" -c "$tmp/poolwall.conf" update >/dev/null 2>>"$tmp/err"
rc=$?
tap_ok "$([ $rc -eq 0 ] || [ $rc -eq 3 ]; echo $?)" \
	"poolwall update publishes the zone and reloads named ($rc)"
expect clean.test A "NOERROR 192.0.2.20" "clean.test before the block"
"$POOLWALL" -c "$tmp/poolwall.conf" block --ttl 1h clean.test \
	>/dev/null 2>>"$tmp/err"
tap_ok $? "poolwall block clean.test"
got=
for _i in $(seq 1 50); do
	got=$(q clean.test A)
	[ "$got" = NXDOMAIN ] && break
	sleep 0.2
done
tap_ok "$([ "$got" = NXDOMAIN ]; echo $?)" \
	"named refuses it after the block's reload ($got)"
"$POOLWALL" -c "$tmp/poolwall.conf" unblock clean.test \
	>/dev/null 2>>"$tmp/err"
tap_ok $? "poolwall unblock clean.test"
got=
for _i in $(seq 1 50); do
	got=$(q clean.test A)
	[ "$got" = "NOERROR 192.0.2.20" ] && break
	sleep 0.2
done
tap_ok "$([ "$got" = "NOERROR 192.0.2.20" ]; echo $?)" \
	"and answers it again after the unblock ($got)"
tap_done
