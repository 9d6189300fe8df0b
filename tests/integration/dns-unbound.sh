#!/bin/sh
# The unbound output, loaded by a real Unbound on 127.0.0.1, in front of a
# second Unbound that serves a tiny `test.` zone from local data (the
# upstream; nothing leaves the machine):
#  - mode=local-zone: a blocked name and the names below it answer
#    NXDOMAIN, an exact-only name null addresses (its subdomains resolve),
#    an allowlisted name under a blocked parent resolves, an observe-only
#    name resolves and is logged; `unbound-control local_zones` with the
#    mode=control lines refuses a new name at once (the emergency path),
#    `local_zones_remove` with mode=control-remove lets it through again,
#    and the rewritten include file refuses it after `unbound-control
#    reload`;
#  - mode=rpz: the same through Unbound's RPZ (plus `*.name` and rpz-ip),
#    and a name added to the set refused after `auth_zone_reload`.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/dns-lib.sh"
need unbound unbound-checkconf unbound-control dig ss
tmp=$(mktemp -d) || exit 99
pids=
stop_all() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	for p in $pids; do
		wait "$p" 2>/dev/null
	done
	pids=
}
cleanup() {
	stop_all
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
		--allow "$tmp/allow" "$@" 2>>"$tmp/err"
}

# ---- upstream: local data for test. ----
mkdir -p "$tmp/up" "$tmp/res"
cat >"$tmp/up/unbound.conf" <<EOF
server:
	interface: 127.0.0.1
	port: $up
	do-ip6: no
	num-threads: 1
	username: ""
	chroot: ""
	directory: "$tmp/up"
	pidfile: "$tmp/up/unbound.pid"
	logfile: "$tmp/up/unbound.log"
	use-syslog: no
	access-control: 127.0.0.0/8 allow
	module-config: "iterator"
	local-zone: "test." static
	local-data: "test. 60 IN SOA ns.test. h.test. 1 3600 600 604800 60"
	local-data: "test. 60 IN NS ns.test."
	local-data: "ns.test. 60 IN A 127.0.0.1"
	local-data: "pool.test. 60 IN A 192.0.2.11"
	local-data: "x.pool.test. 60 IN A 192.0.2.12"
	local-data: "ok.pool.test. 60 IN A 192.0.2.10"
	local-data: "exact.test. 60 IN A 192.0.2.13"
	local-data: "sub.exact.test. 60 IN A 192.0.2.14"
	local-data: "below.test. 60 IN A 192.0.2.15"
	local-data: "a.below.test. 60 IN A 192.0.2.16"
	local-data: "mon.test. 60 IN A 192.0.2.17"
	local-data: "ipbad.test. 60 IN A 203.0.113.5"
	local-data: "clean.test. 60 IN A 192.0.2.20"
	local-data: "new.test. 60 IN A 192.0.2.22"
EOF

# the resolver: $1 = local-zone or rpz
resolver_conf() {
	if [ "$1" = rpz ]; then
		modules="respip iterator"
	else
		modules="iterator"
	fi
	cat <<EOF
server:
	interface: 127.0.0.1
	port: $res
	do-ip6: no
	num-threads: 1
	username: ""
	chroot: ""
	directory: "$tmp/res"
	pidfile: "$tmp/res/unbound.pid"
	logfile: "$tmp/res/unbound.log"
	use-syslog: no
	verbosity: 1
	access-control: 127.0.0.0/8 allow
	do-not-query-localhost: no
	module-config: "$modules"
	# Unbound answers test. itself unless told not to
	local-zone: "test." nodefault
stub-zone:
	name: "test."
	stub-addr: 127.0.0.1@$up
remote-control:
	control-enable: yes
	control-interface: "$tmp/res/control.sock"
EOF
	if [ "$1" = rpz ]; then
		cat <<EOF
rpz:
	name: "rpz.poolwall."
	zonefile: "$tmp/rpz.zone"
	rpz-log: yes
	rpz-log-name: "poolwall"
EOF
	else
		echo "include: \"$tmp/block.conf\""
	fi
}

ctl() {
	unbound-control -c "$tmp/res/unbound.conf" "$@"
}
ctl_serial() {	# the serial of rpz.poolwall. in the running unbound
	ctl list_auth_zones |
		sed -n 's/^rpz.poolwall.*serial \([0-9]*\).*/\1/p'
}
start() {	# start DIR: run unbound in the foreground on DIR/unbound.conf
	unbound -d -c "$1/unbound.conf" >"$1/out" 2>&1 &
	pids="$pids $!"
}

start "$tmp/up"

# ======== mode=local-zone ========
pw -t unbound:"$tmp/block.conf"
tap_ok $? "compile the set to a local-zone include file"
resolver_conf local-zone >"$tmp/res/unbound.conf"
unbound-checkconf "$tmp/res/unbound.conf" >"$tmp/checkconf" 2>&1
tap_ok $? "unbound-checkconf accepts a configuration that includes it"
grep -v 'no errors' "$tmp/checkconf" | tap_diag
start "$tmp/res"
eventually clean.test A "NOERROR 192.0.2.20"
tap_ok $? "unbound resolves through the upstream (127.0.0.1:$res)"
expect pool.test A NXDOMAIN "a blocked name"
expect x.pool.test A NXDOMAIN "a name below it"
expect deep.x.pool.test AAAA NXDOMAIN "a name further below"
expect ok.pool.test A "NOERROR 192.0.2.10" "an allowlisted name under it"
expect exact.test A "NOERROR 0.0.0.0" "an exact-only name: null address"
expect exact.test AAAA "NOERROR ::" "and null IPv6 address"
expect exact.test MX "NOERROR" "and no other data"
expect sub.exact.test A "NOERROR 192.0.2.14" "a name below an exact-only one"
expect mon.test A "NOERROR 192.0.2.17" "an observe-only name"
expect clean.test A "NOERROR 192.0.2.20" "a name nobody listed"
tap_check "unbound logs the observe-only query (inform)" \
	grep -q 'mon.test. inform 127.0.0.1@[0-9]* mon.test. A IN' \
	"$tmp/res/unbound.log"

# ---- the emergency path: unbound-control, then the file ----
echo "domain new.test" >"$tmp/new-iocs"
expect new.test A "NOERROR 192.0.2.22" "a name not blocked yet"
"$POOLWALL" compile --permit-documentation -i ioc:"$tmp/new-iocs" \
	-t unbound:"$tmp/add" -O unbound.mode=control 2>>"$tmp/err"
ctl local_zones <"$tmp/add" >"$tmp/ctl" 2>&1
tap_ok $? "unbound-control local_zones < mode=control lines: $(cat "$tmp/ctl")"
expect new.test A NXDOMAIN "refused at once, no reload"
expect a.new.test A NXDOMAIN "with the names below"
"$POOLWALL" compile --permit-documentation -i ioc:"$tmp/new-iocs" \
	-t unbound:"$tmp/del" -O unbound.mode=control-remove 2>>"$tmp/err"
ctl local_zones_remove <"$tmp/del" >"$tmp/ctl" 2>&1
tap_ok $? "unbound-control local_zones_remove < control-remove lines:\
 $(cat "$tmp/ctl")"
expect new.test A "NOERROR 192.0.2.22" "let through again (unblock)"
cat "$tmp/new-iocs" >>"$tmp/iocs"
pw -t unbound:"$tmp/block.conf"
tap_ok $? "compile the include file again with the new name"
ctl reload >"$tmp/ctl" 2>&1
tap_ok $? "unbound-control reload: $(cat "$tmp/ctl")"
eventually new.test A NXDOMAIN
tap_ok $? "the new name is refused after the reload"
expect ok.pool.test A "NOERROR 192.0.2.10" "the allowlisted name still"
stop_all
start "$tmp/up"

# ======== mode=rpz ========
pw -t unbound:"$tmp/rpz.zone" -O unbound.mode=rpz
tap_ok $? "compile the set to an RPZ zone (mode=rpz)"
tap_check "the zone carries the rpz: clause that loads it" \
	grep -q "zonefile: \"$tmp/rpz.zone\"" "$tmp/rpz.zone"
resolver_conf rpz >"$tmp/res/unbound.conf"
unbound-checkconf "$tmp/res/unbound.conf" >"$tmp/checkconf" 2>&1
tap_ok $? "unbound-checkconf accepts it as an rpz: zone"
grep -v 'no errors' "$tmp/checkconf" | tap_diag
rm -f "$tmp/res/unbound.log"
start "$tmp/res"
eventually clean.test A "NOERROR 192.0.2.20"
tap_ok $? "unbound with the RPZ resolves through the upstream"
expect pool.test A NXDOMAIN "a blocked name"
expect x.pool.test A NXDOMAIN "a name below it"
expect ok.pool.test A "NOERROR 192.0.2.10" "an allowlisted name under it"
expect exact.test A NXDOMAIN "an exact-only name"
expect sub.exact.test A "NOERROR 192.0.2.14" "a name below an exact-only one"
expect below.test A "NOERROR 192.0.2.15" "the parent of a *.name entry"
expect a.below.test A NXDOMAIN "a name below it"
expect ipbad.test A NXDOMAIN "an answer in a blocked prefix (rpz-ip)"
expect mon.test A "NOERROR 192.0.2.17" "an observe-only name"
tap_check "unbound logs the rewrites (rpz-log)" \
	grep -q 'rpz: applied \[poolwall\] pool.test. rpz-nxdomain' \
	"$tmp/res/unbound.log"
serial1=$(ctl_serial)
echo "domain new.test" >>"$tmp/iocs"
pw -t unbound:"$tmp/rpz.zone" -O unbound.mode=rpz
tap_ok $? "compile the zone again with a new name"
ctl auth_zone_reload rpz.poolwall. >"$tmp/ctl" 2>&1
tap_ok $? "unbound-control auth_zone_reload rpz.poolwall.: $(cat "$tmp/ctl")"
eventually new.test A NXDOMAIN
tap_ok $? "the new name is refused after the reload"
serial2=$(ctl_serial)
tap_ok "$([ -n "$serial1" ] && [ "$serial2" -gt "$serial1" ]; echo $?)" \
	"the serial moved forward ($serial1 -> $serial2)"
if grep -i 'error\|fatal' "$tmp/res/unbound.log" >"$tmp/bad"; then
	tap_ok 1 "no error in unbound's log"
	tap_diag <"$tmp/bad"
else
	tap_ok 0 "no error in unbound's log"
fi
tap_done
