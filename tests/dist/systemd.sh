#!/bin/sh
# The systemd units: `systemd-analyze verify` accepts them (the built
# binary standing in for the installed one), the update service has the
# promised hardening, the timers their schedules, and `systemd-analyze
# security` rates the service well.  Skipped without systemd-analyze.
. "$top_srcdir/tests/dist/lib.sh"

units=$top_builddir/contrib/systemd
src=$top_srcdir/contrib/systemd
for u in poolwall-update.service poolwall-expire.service; do
	if [ -f "$units/$u" ]; then
		sed "s|^ExecStart=[^ ]*|ExecStart=$POOLWALL|" "$units/$u" > "$pw_tmp/$u"
	else
		tap_ok 1 "contrib/systemd/$u is built"
	fi
done
cp "$src/poolwall-update.timer" "$src/poolwall-expire.timer" "$pw_tmp/"

# what the unit files promise
has() {	# FILE LINE
	grep -qxF "$2" "$pw_tmp/$1" || { echo "# $1: no '$2'"; return 1; }
}
ok=0
for l in Type=oneshot ProtectSystem=strict NoNewPrivileges=yes \
	CapabilityBoundingSet=CAP_NET_ADMIN PrivateTmp=yes \
	"RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX" \
	StateDirectory=poolwall CacheDirectory=poolwall; do
	has poolwall-update.service "$l" || ok=1
	has poolwall-expire.service "$l" || ok=1
done
tap_ok $ok "both services: oneshot, hardened, own state and cache directories"
grep -q "^ExecStart=$POOLWALL update\$" "$pw_tmp/poolwall-update.service"
tap_ok $? "poolwall-update.service runs poolwall update"
grep -q "^ExecStart=$POOLWALL expire\$" "$pw_tmp/poolwall-expire.service"
tap_ok $? "poolwall-expire.service runs poolwall expire"
ok=0
for l in OnCalendar=hourly RandomizedDelaySec=15min Persistent=true \
	WantedBy=timers.target; do
	has poolwall-update.timer "$l" || ok=1
done
tap_ok $ok "poolwall-update.timer: hourly, randomized delay, persistent"
ok=0
for l in "OnCalendar=*:0/5" WantedBy=timers.target; do
	has poolwall-expire.timer "$l" || ok=1
done
tap_ok $ok "poolwall-expire.timer: every five minutes"
sed -n 's#.* || /.*/sbin/poolwall -q \([a-z]*\)$#\1#p' \
	"$(pw_built contrib/cron/poolwall.cron)" | sort | tr '\n' ' ' |
	grep -qx 'expire update '
tap_ok $? "the cron example runs update and expire"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	tap_skip "systemd-analyze not installed"
	tap_done
	exit
fi
out=$(cd "$pw_tmp" && systemd-analyze verify --man=no ./poolwall-update.service \
	./poolwall-update.timer ./poolwall-expire.service \
	./poolwall-expire.timer 2>&1)
rc=$?
tap_ok "$([ $rc -eq 0 ] && [ -z "$out" ]; echo $?)" \
	"systemd-analyze verify: the services and timers"
[ -z "$out" ] || printf '%s\n' "$out" | tap_diag
for u in poolwall-update.service poolwall-expire.service; do
	level=$(cd "$pw_tmp" && systemd-analyze security --offline=true \
		"./$u" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -z "$level" ]; then
		tap_skip "systemd-analyze security --offline: not supported"
		continue
	fi
	tap_ok "$(echo "$level" | awk '{ exit !($1 <= 3.0) }'; echo $?)" \
		"systemd-analyze security $u: exposure $level (at most 3.0)"
done
tap_done
