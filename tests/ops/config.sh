#!/bin/sh
# poolwall.conf: defaults, the effective configuration, and errors with
# file:line before anything is touched.
. "$top_srcdir/tests/ops/lib.sh"

"$POOLWALL" -S "$tmp/state" config >"$tmp/eff" 2>"$tmp/err"
tap_ok $? "config with no file uses the built-in defaults"
tap_check "defaults: the shrink guard" grep -qx 'shrink_guard = 50%' "$tmp/eff"
tap_check "defaults: stratum ports" grep -q '^stratum_ports = .*3333.*14444' "$tmp/eff"
tap_check "defaults: the catalog feeds are off" sh -c "grep -A2 '^\[feed nocoin\]' '$tmp/eff' | grep -qx 'enabled = no'"
tap_check "defaults: a canonical export in the state directory" grep -qx "path = $tmp/state/export.ioc" "$tmp/eff"

printf 'pool.example.test\n' >"$tmp/pools.txt"
printf '192.0.2.1\n' >"$tmp/ips.txt"
write_conf </dev/null
pw config --check >"$tmp/o" 2>&1
tap_ok $? "a good file passes --check"
tap_check "...and says so" grep -q 'configuration OK' "$tmp/o"

bad() {	# bad DESCRIPTION EXPECTED-MESSAGE PRINTF-ARGS...: must fail
	_d=$1
	_m=$2
	shift 2
	# shellcheck disable=SC2059
	printf "$@" >"$tmp/bad.conf"
	set -- "$_d" "$_m"
	"$POOLWALL" -c "$tmp/bad.conf" config --check >/dev/null 2>"$tmp/e"
	rc=$?
	tap_ok $((rc != 1)) "$1 (exit $rc)"
	if grep -q -- "$2" "$tmp/e"; then tap_ok 0 "...message: $2"
	else tap_ok 1 "...message: $2"; tap_diag <"$tmp/e"; fi
}
bad "unknown key" "bad.conf:3: unknown key 'frobnicate' in \[general\]" '[general]\nstate_dir = /x\nfrobnicate = 1\n'
bad "bad duration" "bad.conf:2: max_age wants a duration" '[general]\nmax_age = soon\n'
bad "bad percentage" "bad.conf:2: shrink_guard wants a percentage" '[general]\nshrink_guard = 150%%\n'
bad "bad port" "bad.conf:2: '99999' is not a port" '[general]\nstratum_ports = 3333, 99999\n'
bad "unknown section" "bad.conf:2: unknown section \[nonsense\]" '[nonsense]\nx = 1\n'
bad "missing url" "\[feed x\]: url is required" '[feed x]\nformat = domains\n'
bad "unknown format" "no feed plugin 'nosuch'" '[feed x]\nurl = /dev/null\nformat = nosuch\n'
bad "bad plugin option value" "bad.conf:4: hosts: option 'ipv6' wants a boolean" '[output h]\nplugin = hosts\npath = /tmp/x\nipv6 = maybe\n'
bad "unknown plugin option" "bad.conf:4: hosts: unknown option 'colour'" '[output h]\nplugin = hosts\npath = /tmp/x\ncolour = red\n'
bad "output without a path" "\[output h\]: path is required" '[output h]\nplugin = hosts\n'
bad "over-long line" "bad.conf:2: line longer than" '[general]\nstate_dir = %0300d\n' 0
bad "syntax error" "bad.conf:1: syntax error" 'garbage\n'
"$POOLWALL" -c "$tmp/nonexistent.conf" config --check >/dev/null 2>"$tmp/e"
tap_ok $(($? != 1)) "a missing file is an error"
tap_done
