# Sourced by the dns-*.sh integration tests, after tests/lib/tap.sh and
# tests/integration/lib.sh.  The resolver under test listens on
# 127.0.0.1:$res.
# shellcheck shell=sh

# start_watchdog SECONDS: if the test still runs then, end it: TERM to the
# test's own children (a command that hangs, the servers) and to the test,
# whose EXIT trap cleans up.  Sets watchdog, the pid the trap kills.
start_watchdog() {
	(
		sleep "$1" &
		_s=$!
		trap 'kill $_s; wait $_s; exit 0' TERM
		wait $_s || exit 0
		echo "# timed out after $1 s" >&3
		kill -TERM $$
		pkill -TERM -P $$
	) 3>&1 >/dev/null 2>&1 &
	watchdog=$!
}

# q NAME [TYPE]: "STATUS ANSWER..." from the resolver, e.g. "NXDOMAIN",
# "NOERROR 192.0.2.10", "NOERROR" (no data), "" (no reply)
q() {
	dig +time=2 +tries=1 -p "$res" @127.0.0.1 "$@" >"$tmp/dig" 2>&1
	awk '/status:/ { sub(/.*status: /, ""); sub(/,.*/, ""); st = $0 }
	     /^;; ANSWER SECTION:/ { a = 1; next }
	     /^$/ { a = 0 }
	     a && !/^;/ { ans = ans " " $NF }
	     END { print st ans }' "$tmp/dig"
}

# expect NAME TYPE RESULT DESCRIPTION: one TAP line
expect() {
	_got=$(q "$1" "$2")
	tap_ok "$([ "$_got" = "$3" ]; echo $?)" "$4: $1 $2 -> $_got"
	[ "$_got" = "$3" ] || echo "# expected: $3"
}

# eventually NAME TYPE RESULT: 0 once the resolver says RESULT (10 s)
eventually() {
	for _i in $(seq 1 50); do
		[ "$(q "$1" "$2")" = "$3" ] && return 0
		sleep 0.2
	done
	return 1
}
