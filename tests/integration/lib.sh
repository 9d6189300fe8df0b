# Sourced by the integration tests, after tests/lib/tap.sh.
# need TOOL...: skip the whole test when a tool is missing (a TAP plan of
# 0 with SKIP: the TAP driver turns any other exit status into an error),
# or fail under CI=true, where every tool must be installed.
need() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 && continue
		if [ "${CI:-}" = true ]; then
			echo "not ok 1 - $t is not installed (CI=true)"
			echo "1..1"
			exit 1
		fi
		echo "1..0 # SKIP $t is not installed"
		exit 0
	done
}
# A free TCP/UDP port on 127.0.0.1 (best effort: a random high port that
# nothing listens on now).
free_port() {
	while :; do
		p=$(( (($(od -An -N2 -tu2 /dev/urandom) % 20000)) + 40000 ))
		ss -Hlnu "sport = :$p" 2>/dev/null | grep -q . && continue
		ss -Hlnt "sport = :$p" 2>/dev/null | grep -q . && continue
		echo "$p"
		return
	done
}
# Run dnsmasq on 127.0.0.1:$1 with extra arguments; sets dnsmasq_pid.
start_dnsmasq() {
	_port=$1
	shift
	dnsmasq --keep-in-foreground --conf-file=/dev/null --port="$_port" \
		--listen-address=127.0.0.1 --bind-interfaces --no-resolv \
		--no-hosts --pid-file= --user=root --log-facility=- "$@" \
		2>"$tmp/dnsmasq.log" &
	dnsmasq_pid=$!
	for _i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q 'started' "$tmp/dnsmasq.log" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}
# wait_log REGEX: dnsmasq logs what it read a moment after it starts
wait_log() {
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 \
		21 22 23 24 25 26 27 28 29 30; do
		grep -Eq "$1" "$tmp/dnsmasq.log" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}
# dnsmasq can lose a SIGTERM that comes while it starts (seen under load:
# the test then waited for it for ever): send it again, then SIGKILL.
stop_dnsmasq() {
	[ -n "${dnsmasq_pid:-}" ] || return 0
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		kill -0 "$dnsmasq_pid" 2>/dev/null || break
		[ $((_i % 5)) = 1 ] && kill "$dnsmasq_pid" 2>/dev/null
		sleep 0.1
	done
	kill -9 "$dnsmasq_pid" 2>/dev/null
	wait "$dnsmasq_pid" 2>/dev/null
	dnsmasq_pid=
}
