#!/bin/sh
# The dnsmasq output, loaded by a real dnsmasq on 127.0.0.1 in front of a
# second dnsmasq that answers a tiny `test.` zone from host records (the
# upstream; nothing leaves the machine).  `dnsmasq --test` accepts a
# wrapper configuration that includes the file; a blocked name and the
# names below it answer NXDOMAIN, an exact-only name null addresses (its
# subdomains resolve), `*.name` only the names below, an allowlisted name
# under a blocked parent resolves, an answer with a blocked address is
# NXDOMAIN (bogus-nxdomain); a name added to the set is refused after a
# restart (dnsmasq does not re-read its configuration on SIGHUP).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/dns-lib.sh"
need dnsmasq dig ss
tmp=$(mktemp -d) || exit 99
up_pid=
res_pid=
stop() {	# stop PID
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
cleanup() {
	stop "$res_pid"
	stop "$up_pid"
	[ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# never more than 5 minutes, whatever hangs
start_watchdog 300

up=$(free_port)
res=$(free_port)
while [ "$res" = "$up" ]; do res=$(free_port); done

cat >"$tmp/iocs" <<'EOF'
domain pool.test
domain exact.test match=exact
domain *.below.test
domain mon.test tier=monitor
ipv4 203.0.113.0/24
EOF
echo ok.pool.test >"$tmp/allow"
pw() {
	"$POOLWALL" compile --permit-documentation -i ioc:"$tmp/iocs" \
		--allow "$tmp/allow" -t dnsmasq:"$tmp/block.conf" 2>>"$tmp/err"
}

# dnsmasq in the foreground: dnsmasq_run LOG ARGS...; sets run_pid
dnsmasq_run() {
	_log=$1
	shift
	dnsmasq --keep-in-foreground --conf-file=/dev/null \
		--listen-address=127.0.0.1 --bind-interfaces --no-hosts \
		--pid-file= --user=root --log-facility=- "$@" 2>"$_log" &
	run_pid=$!
	for _i in $(seq 1 25); do
		grep -q 'started' "$_log" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}
dnsmasq_run "$tmp/up.log" --port="$up" --no-resolv \
	--host-record=pool.test,192.0.2.11 \
	--host-record=x.pool.test,192.0.2.12 \
	--host-record=ok.pool.test,192.0.2.10 \
	--host-record=exact.test,192.0.2.13 \
	--host-record=sub.exact.test,192.0.2.14 \
	--host-record=below.test,192.0.2.15 \
	--host-record=a.below.test,192.0.2.16 \
	--host-record=mon.test,192.0.2.17 \
	--host-record=ipbad.test,203.0.113.5 \
	--host-record=clean.test,192.0.2.20 \
	--host-record=new.test,192.0.2.22
st=$?
up_pid=$run_pid
tap_ok $st "the upstream dnsmasq starts on 127.0.0.1:$up"

pw
tap_ok $? "compile the set to a dnsmasq configuration file"
echo "conf-file=$tmp/block.conf" >"$tmp/wrapper.conf"
dnsmasq --test --conf-file="$tmp/wrapper.conf" >"$tmp/test" 2>&1
tap_ok $? "dnsmasq --test: $(cat "$tmp/test")"
resolver() {
	dnsmasq_run "$tmp/res.log" --port="$res" --no-resolv \
		--server=127.0.0.1#"$up" --conf-file="$tmp/wrapper.conf" \
		--log-queries
	_st=$?
	res_pid=$run_pid
	return $_st
}
resolver
tap_ok $? "dnsmasq starts with it on 127.0.0.1:$res"

expect pool.test A NXDOMAIN "a blocked name"
expect x.pool.test A NXDOMAIN "a name below it"
expect x.pool.test MX NXDOMAIN "any type"
expect ok.pool.test A "NOERROR 192.0.2.10" "an allowlisted name under it"
expect exact.test A "NOERROR 0.0.0.0" "an exact-only name: null address"
expect exact.test AAAA "NOERROR ::" "and null IPv6 address"
expect sub.exact.test A "NOERROR 192.0.2.14" "a name below an exact-only one"
expect below.test A "NOERROR 192.0.2.15" "the parent of a *.name entry"
expect a.below.test A NXDOMAIN "a name below it"
expect ipbad.test A NXDOMAIN "an answer with a blocked address"
expect mon.test A "NOERROR 192.0.2.17" "an observe-only name (not written)"
expect clean.test A "NOERROR 192.0.2.20" "a name nobody listed"

# ---- a name added to the set (`block`), then a restart ----
expect new.test A "NOERROR 192.0.2.22" "a name not blocked yet"
echo "domain new.test" >>"$tmp/iocs"
pw
tap_ok $? "compile again with the new name"
stop "$res_pid"
res_pid=
resolver
tap_ok $? "dnsmasq restarts with it"
expect new.test A NXDOMAIN "the new name is refused after the restart"
expect ok.pool.test A "NOERROR 192.0.2.10" "the allowlisted name still"
tap_done
