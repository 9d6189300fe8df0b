#!/bin/sh
# The squid output in a live proxy: Squid runs as this test's own process on
# a free 127.0.0.1 port with the generated include, and curl goes through it.
# Requests to blocked names, addresses and stratum ports (plain and CONNECT)
# get 403; a local test target (python3 http.server) and names the set does
# not cover pass.  No name is resolved outside: blocked names are decided by
# their ACLs before any lookup, the allowed ones are in Squid's hosts_file,
# and dns_nameservers points at a closed local port.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need squid curl python3 ss timeout
tmp=$(mktemp -d) || exit 99
sq_pid=
www_pid=
cleanup() {
	[ -n "$sq_pid" ] && kill "$sq_pid" 2>/dev/null && wait "$sq_pid" 2>/dev/null
	[ -n "$www_pid" ] && kill "$www_pid" 2>/dev/null && wait "$www_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cat >"$tmp/set.ioc" <<'EOF'
domain pool.example.test
domain exact.example.test match=exact
domain *.wild.example.test
domain watch.example.test tier=monitor
ipv4 192.0.2.0/24
ipv4 198.51.100.7
ipv6 2001:db8::/32
port tcp/3333
port tcp/14433-14444
EOF
mkdir -p "$tmp/squid"
"$POOLWALL" -q compile --permit-documentation -i ioc:"$tmp/set.ioc" \
	-t squid:"$tmp/squid/poolwall.conf" 2>"$tmp/err"
tap_ok $? "compile the test set to a squid include"

# the local test target
mkdir -p "$tmp/www"
echo "hello" >"$tmp/www/index.html"
www=$(free_port)
python3 -m http.server "$www" --bind 127.0.0.1 --directory "$tmp/www" \
	>/dev/null 2>&1 &
www_pid=$!

port=$(free_port)
user=
if [ "$(id -u)" = 0 ]; then
	# squid started as root switches to an unprivileged user, which must
	# reach its logs
	user=proxy
	id proxy >/dev/null 2>&1 || user=nobody
fi
cat >"$tmp/squid/squid.conf" <<EOF
http_port 127.0.0.1:$port
pid_filename none
cache_log $tmp/squid/cache.log
access_log stdio:$tmp/squid/access.log
cache deny all
cache_mem 8 MB
coredump_dir $tmp/squid
netdb_filename none
pinger_enable off
dns_nameservers 127.0.0.1
hosts_file $tmp/squid/hosts
shutdown_lifetime 1 seconds
${user:+cache_effective_user $user}
include $tmp/squid/poolwall.conf
http_access allow localhost
http_access deny all
EOF
printf '127.0.0.1 allowed.test sub.exact.example.test wild.example.test watch.example.test\n' \
	>"$tmp/squid/hosts"
if [ -n "$user" ]; then
	chmod 755 "$tmp"
	chown -R "$user" "$tmp/squid"
fi
timeout 120 squid -N -f "$tmp/squid/squid.conf" >"$tmp/squid.out" 2>&1 &
sq_pid=$!
up=1
for _i in $(seq 50); do
	if grep -q 'Accepting HTTP Socket connections' "$tmp/squid/cache.log" \
		2>/dev/null; then
		up=0
		break
	fi
	kill -0 "$sq_pid" 2>/dev/null || break
	sleep 0.2
done
tap_ok $up "squid starts on 127.0.0.1:$port"
if [ $up -ne 0 ]; then
	tail -5 "$tmp/squid.out" "$tmp/squid/cache.log" 2>/dev/null | tap_diag
	tap_done
	exit 1
fi

# code URL [curl options]: the HTTP status of a request through the proxy;
# for CONNECT (-p) the proxy's answer to the CONNECT
code() {
	_u=$1
	shift
	curl -s -o /dev/null -m 10 -x "http://127.0.0.1:$port" \
		-w '%{http_code} %{http_connect}' "$@" "$_u" 2>/dev/null
}
expect() {	# expect WANT DESCRIPTION URL [curl options]
	_want=$1 _d=$2
	shift 2
	_got=$(code "$@")
	case " $_got" in
	*" $_want"*) tap_ok 0 "$_d ($_got)" ;;
	*) tap_ok 1 "$_d (got '$_got', want $_want)" ;;
	esac
}
expect 200 "the local test target passes" "http://127.0.0.1:$www/"
expect 200 "a name outside the set passes" "http://allowed.test:$www/"
expect 403 "a blocked name is denied" "http://pool.example.test/"
expect 403 "...and the names below it" "http://a.b.pool.example.test/"
expect 403 "an exact name is denied" "http://exact.example.test/"
expect 200 "...but not the names below it" "http://sub.exact.example.test:$www/"
expect 403 "a *.name entry denies the names below" "http://x.wild.example.test/"
expect 200 "...but not the name itself" "http://wild.example.test:$www/"
expect 200 "a monitor-tier name is not denied" "http://watch.example.test:$www/"
expect 403 "an address in a blocked /24" "http://192.0.2.55/"
expect 403 "a blocked single address" "http://198.51.100.7/"
expect 403 "an address in a blocked IPv6 prefix" "http://[2001:db8::1]/"
expect 403 "a plain request to a stratum port" "http://127.0.0.1:3333/"
expect 403 "a plain request to a port in a stratum range" "http://127.0.0.1:14440/"
expect 403 "CONNECT to a blocked name" "https://pool.example.test/" -p
expect 403 "CONNECT to a name below a blocked name" "https://eu.pool.example.test/" -p
expect 403 "CONNECT to an allowed name on a stratum port" "https://allowed.test:3333/" -p
expect 403 "CONNECT to an address on a stratum port" "https://127.0.0.1:14444/" -p
expect 403 "CONNECT to a blocked address" "https://198.51.100.7:443/" -p
expect 200 "CONNECT to the test target passes" "http://127.0.0.1:$www/" -p
n=$(grep -c 'TCP_DENIED/403' "$tmp/squid/access.log")
tap_ok $((n != 14)) "squid logged 14 denials ($n)"
tap_check "squid logged no WARNING" sh -c "! grep -q WARNING '$tmp/squid/cache.log'"
tap_done
