# Sourced by the operations tests: a private configuration, state and
# cache in a temporary directory, and local-file feeds.
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state" "$tmp/cache" "$tmp/out" "$tmp/incidents"
# pw ARGS...: poolwall with this test's configuration
pw() { "$POOLWALL" -c "$tmp/poolwall.conf" "$@"; }
write_conf() {	# extra lines for [general] on stdin
	{
		echo "[general]"
		echo "state_dir = $tmp/state"
		echo "cache_dir = $tmp/cache"
		echo "permit_documentation = yes"
		echo "syslog = no"
		echo "lock_timeout = 5s"
		cat
		echo "[incidents]"
		echo "dir = $tmp/incidents"
		echo "[feed pools]"
		echo "url = $tmp/pools.txt"
		echo "format = domains"
		echo "[feed ips]"
		echo "url = $tmp/ips.txt"
		echo "format = netset"
		echo "[output hosts]"
		echo "path = $tmp/out/pools.hosts"
		echo "[output ioc]"
		echo "path = $tmp/out/all.ioc"
		echo "[output metrics]"
		echo "plugin = metrics"
		echo "path = $tmp/out/poolwall.prom"
	} >"$tmp/poolwall.conf"
}
gen_pools() {	# gen_pools N: N pool names plus the canary
	i=0
	{
		echo "supportxmr.com"
		while [ "$i" -lt "$1" ]; do
			echo "pool$i.example.test"
			i=$((i + 1))
		done
	} >"$tmp/pools.txt"
}
