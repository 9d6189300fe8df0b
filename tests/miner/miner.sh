#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `poolwall miner` (TAP): configs from the shared corpus, command lines,
# the binary's hash, the ioc lines read back by the ioc feed, and --pid /
# --preserve against a harmless process of our own (a copy of sleep whose
# argv looks like a miner), which is the only process ever signalled.
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
: "${POOLWALL:=$top_builddir/poolwall}"
: "${PW_CORPUS:=$top_srcdir/../shared/corpus}"
. "$top_srcdir/tests/lib/tap.sh"

tmp="${TMPDIR:-/tmp}/pw-miner.$$"
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$tmp" || exit 99

W=44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A
W2=48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD

pw() {
	"$POOLWALL" "$@"
}

# every line is a comment or `KIND VALUE ...`, as `block -` wants it
ioc_only() {
	! grep -v -e '^#' -e '^url ' -e '^wallet ' -e '^hash ' "$1" >/dev/null
}

# ---- usage ----------------------------------------------------------------
pw miner --help >"$tmp/o" 2>&1
tap_ok $? "--help exits 0"
tap_check "...and names --preserve" grep -q -- '--preserve DIR' "$tmp/o"
pw miner >/dev/null 2>&1
tap_ok $(($? != 2)) "no source is a usage error (2)"
pw miner --cmdline 'xmrig -o a.example.test:3333' --preserve "$tmp/p" \
	>/dev/null 2>&1
tap_ok $(($? != 2)) "--preserve without --pid is a usage error (2)"
pw miner --pid 12x >/dev/null 2>&1
tap_ok $(($? != 2)) "--pid 12x is a usage error (2)"

# ---- configs --------------------------------------------------------------
cfg="$PW_CORPUS/miner-configs/xmrig/api-1-config.json"
if [ -f "$cfg" ]; then
	pw miner --config "$cfg" >"$tmp/o" 2>"$tmp/e"
	tap_ok $? "--config of XMRig's API sample exits 0"
	tap_check "...both pools as stratum URLs with host, port and TLS" \
		sh -c "grep -qx 'url stratum+tcp://pool.monero.hashvault.pro:3333 host=pool.monero.hashvault.pro port=3333 tls=no algo=cryptonight pass=x' '$tmp/o' &&
		       grep -q '^url stratum+tcp://pool.supportxmr.com:3333 ' '$tmp/o'"
	tap_check "...the wallet once" test "$(grep -c "^wallet $W2\$" "$tmp/o")" = 1
	tap_check "...the miner named" grep -qx '# miner: XMRig (matched: pools\[\] config)' "$tmp/o"
	tap_check "...nothing but ioc lines and comments" ioc_only "$tmp/o"
	pw miner --config "$PW_CORPUS/miner-configs/xmrig/config.v6.26.0.json" \
		>"$tmp/o" 2>"$tmp/e"
	tap_ok $(($? != 1)) "a stock config (donation pool only) finds nothing: exit 1"
	tap_check "...the donation pool is named as skipped" \
		grep -q '^# not an indicator (placeholder): donate.v2.xmrig.com:3333' "$tmp/o"
	tap_check "...and the API address as listening" \
		grep -q '^# not an indicator (listen-address): 127.0.0.1' "$tmp/o"
	pw miner --config "$PW_CORPUS/miner-configs/xmr-stak/pools.txt" >"$tmp/o" 2>&1
	tap_ok $? "xmr-stak's pools.txt fragment"
	tap_check "...its pool" grep -q '^url stratum+tcp://pool.supportxmr.com:5555 ' "$tmp/o"
	tap_check "...the miner named" grep -q '^# miner: xmr-stak' "$tmp/o"
else
	tap_missing "shared corpus at $PW_CORPUS"
fi
printf 'pools:\n  - url: x\n' >"$tmp/bad.yml"
pw miner --config "$tmp/bad.yml" >/dev/null 2>"$tmp/e"
tap_ok $(($? != 1)) "a YAML config is refused: exit 1"
tap_check "...with a message" grep -q "not a miner config" "$tmp/e"

# ---- command lines --------------------------------------------------------
pw miner --cmdline "nohup /tmp/.k/kdevtmpfsi -o stratum+tcp://pool.example.test:3333 -u $W.rig7 -p 'my pass' -a rx/0 --tls &" \
	>"$tmp/o" 2>"$tmp/e"
tap_ok $? "--cmdline of a Kinsing miner"
tap_check "...family from the program name" \
	grep -qx '# family: Kinsing (matched: program name kdevtmpfsi)' "$tmp/o"
tap_check "...TLS pool, algorithm, worker and password" \
	grep -qx 'url stratum+ssl://pool.example.test:3333 host=pool.example.test port=3333 tls=yes algo=rx/0 worker=rig7 pass=my%20pass' "$tmp/o"
tap_check "...the wallet" grep -qx "wallet $W" "$tmp/o"
pw miner --cmdline "xmrig -o 194.145.227.21:5443 -u x" >"$tmp/o" 2>&1
tap_check "a Sysrv-hello pool address names the family" \
	grep -qx '# family: Sysrv-hello (matched: pool 194.145.227.21)' "$tmp/o"
pw miner --cmdline "xmrig --bench=1M" >"$tmp/o" 2>&1
tap_ok $(($? != 1)) "a benchmark command line has no pool: exit 1"
pw miner --cmdline "curl -o /tmp/x http://dl.example.test:8080/x" >/dev/null 2>&1
tap_ok $(($? != 1)) "curl -o is not a pool: exit 1"

# what miner prints, the ioc feed reads back without a complaint
pw miner --cmdline "xmrig -o pool.example.test:3333 -u $W.w1 -p x -a rx/0 --coin monero" |
	pw -v compile -i ioc:- --permit-documentation --stats >"$tmp/o" 2>"$tmp/e"
tap_ok $? "miner | compile -i ioc:-"
tap_check "...every line taken, no key unknown" \
	grep -q 'tokens 2 accepted 2 rejected 0 skipped 0' "$tmp/e"
tap_check "...the pool's name and wallet reach the set" \
	sh -c "grep -q '^domain pool.example.test ' '$tmp/o' && grep -q '^wallet $W ' '$tmp/o'"

# ...and `block -` takes it (state only: --no-apply)
mkdir "$tmp/state" || exit 99
printf '[general]\nstate_dir = %s/state\ncache_dir = %s/cache\npermit_documentation = yes\n' \
	"$tmp" "$tmp" >"$tmp/pw.conf"
pw miner --cmdline "xmrig -o pool.example.test:3333 -u $W.w1 -p x --tls" |
	pw -c "$tmp/pw.conf" block --no-apply --incident IR-7 - >"$tmp/o" 2>&1
tap_ok $? "miner | block --no-apply -"
tap_diag <"$tmp/o"
pw -c "$tmp/pw.conf" list --expiring >"$tmp/o" 2>&1
tap_check "...the pool URL, its name, its stratum port and the wallet are blocked" \
	sh -c "grep -q '^url stratum+ssl://pool.example.test:3333 .*incident=IR-7' '$tmp/o' &&
	       grep -q '^domain pool.example.test ' '$tmp/o' &&
	       grep -q '^port tcp/3333 ' '$tmp/o' && grep -q '^wallet $W ' '$tmp/o'"

pw miner --json --cmdline "xmrig -o pool.example.test:3333 -u $W --tls" >"$tmp/o" 2>&1
tap_ok $? "--json"
tap_check "...the pool as JSON" sh -c "grep -q '\"url\": \"stratum+ssl://pool.example.test:3333\"' '$tmp/o' &&
	grep -q '\"tls\": true' '$tmp/o' && grep -q '\"wallet\": \"$W\"' '$tmp/o'"

# ---- a binary -------------------------------------------------------------
bin=$(command -v sleep)
cp "$bin" "$tmp/xmrig-notreally" || exit 99
sum=$(sha256sum "$tmp/xmrig-notreally" 2>/dev/null | cut -d ' ' -f 1)
pw miner --binary "$tmp/xmrig-notreally" >"$tmp/o" 2>&1
tap_ok $? "--binary exits 0"
if [ -n "$sum" ]; then
	tap_check "...its SHA-256 as a hash line" grep -qx "hash $sum type=sha256" "$tmp/o"
else
	tap_missing "sha256sum"
fi
tap_check "...named from its file name" grep -q '^# miner: XMRig (matched: binary name xmrig-notreally)' "$tmp/o"
pw miner --binary "$tmp/none" >/dev/null 2>&1
tap_ok $(($? != 1)) "--binary of a missing file: exit 1"
pw miner --pid 999999999 >/dev/null 2>&1
tap_ok $(($? != 1)) "--pid of no process: exit 1"

# ---- a running process of our own ------------------------------------------
if ! command -v bash >/dev/null 2>&1 || [ ! -d /proc/self ]; then
	tap_missing "bash and /proc for --pid"
	tap_done
	exit $?
fi
mkdir -p "$tmp/bin" "$tmp/work" "$tmp/root/etc/cron.d" \
	"$tmp/root/etc/systemd/system" "$tmp/root/var/spool/cron/crontabs" || exit 99
cp "$bin" "$tmp/bin/kdevtmpfsi" || exit 99
exesum=$(sha256sum "$tmp/bin/kdevtmpfsi" 2>/dev/null | cut -d ' ' -f 1)
cat >"$tmp/work/config.json" <<EOF
{
    "pools": [
        { "url": "cfg.example.test:14444", "user": "$W+50000", "pass": "w1", "algo": "rx/0" },
        { "url": "donate.v2.xmrig.com:3333", "user": "YOUR_WALLET_ADDRESS" }
    ]
}
EOF
printf '*/10 * * * * root %s/bin/kdevtmpfsi -o pool.example.test:3333\n0 0 * * * root /usr/bin/true\n' \
	"$tmp" >"$tmp/root/etc/cron.d/miner"
printf '@reboot %s/bin/kdevtmpfsi\n' "$tmp" >"$tmp/root/var/spool/cron/crontabs/www"
printf '[Service]\nExecStart=%s/bin/kdevtmpfsi\n' "$tmp" \
	>"$tmp/root/etc/systemd/system/kd.service"
printf '[Service]\nExecStart=/usr/bin/true\n' >"$tmp/root/etc/systemd/system/ok.service"
cp -R "$tmp/root" "$tmp/root.before" || exit 99

# argv[0] holds the whole miner command line, as `exec -a` leaves it
(cd "$tmp/work" && exec bash -c 'exec -a "$0" "$1" 600' \
	"kdevtmpfsi -o stratum+tcp://pool.example.test:3333 -u $W -p rig1 --tls" \
	"$tmp/bin/kdevtmpfsi") &
pid=$!
i=0
while [ $i -lt 50 ] && ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
	grep -q '^kdevtmpfsi -o'; do
	sleep 0.1
	i=$((i + 1))
done
# the binary is deleted from disk, as miners do
rm -f "$tmp/bin/kdevtmpfsi"

pw miner --pid "$pid" >"$tmp/o" 2>"$tmp/e"
tap_ok $? "--pid of a process whose argv looks like a miner"
tap_diag <"$tmp/e"
tap_check "...family from the binary's name" \
	grep -qx '# family: Kinsing (matched: binary name kdevtmpfsi)' "$tmp/o"
tap_check "...the binary is known to be deleted" \
	grep -qx "# binary: $tmp/bin/kdevtmpfsi (deleted from disk)" "$tmp/o"
tap_check "...the pool of its command line" \
	grep -qx 'url stratum+ssl://pool.example.test:3333 host=pool.example.test port=3333 tls=yes pass=rig1' "$tmp/o"
tap_check "...the pool of config.json in its working directory" \
	grep -qx 'url stratum+tcp://cfg.example.test:14444 host=cfg.example.test port=14444 tls=no algo=rx/0 pass=w1' "$tmp/o"
tap_check "...the wallet once" test "$(grep -c "^wallet $W\$" "$tmp/o")" = 1
if [ -n "$exesum" ]; then
	tap_check "...the SHA-256 of the deleted binary" grep -qx "hash $exesum type=sha256" "$tmp/o"
else
	tap_missing "sha256sum"
fi
tap_check "...the donation pool skipped" grep -q '^# not an indicator (placeholder): donate.v2.xmrig.com:3333' "$tmp/o"
tap_check "...nothing but ioc lines and comments" ioc_only "$tmp/o"
kill -0 "$pid" 2>/dev/null
tap_ok $? "...the process still runs"

POOLWALL_MINER_ROOT="$tmp/root" pw miner --pid "$pid" --preserve "$tmp/ev" \
	>"$tmp/o" 2>"$tmp/e"
tap_ok $? "--preserve"
tap_diag <"$tmp/e"
for f in exe cmdline environ status cwd.txt config-1-config.json \
	 crontab.txt systemd/etc_systemd_system_kd.service info.txt; do
	tap_check "...MANIFEST.sha256 lists $f" \
		grep -q "^[0-9a-f]\{64\}  $f\$" "$tmp/ev/MANIFEST.sha256"
done
tap_check "...and nothing else" test "$(wc -l <"$tmp/ev/MANIFEST.sha256")" -eq 9
if command -v sha256sum >/dev/null 2>&1; then
	(cd "$tmp/ev" && sha256sum -c --quiet MANIFEST.sha256) >"$tmp/c" 2>&1
	tap_ok $? "...every sum in the manifest is right"
	tap_diag <"$tmp/c"
	tap_check "...the copied binary is the deleted one" \
		grep -q "^$exesum  exe\$" "$tmp/ev/MANIFEST.sha256"
else
	tap_missing "sha256sum"
fi
tap_check "...the command line as the kernel has it" \
	sh -c "cat /proc/$pid/cmdline | cmp -s '$tmp/ev/cmdline' -"
tap_check "...the working-directory listing names config.json" \
	grep -q ' config.json$' "$tmp/ev/cwd.txt"
tap_check "...both crontab lines that name the binary, not the other" \
	sh -c "grep -q '^/etc/cron.d/miner:1: ' '$tmp/ev/crontab.txt' &&
	       grep -q '^/var/spool/cron/crontabs/www:1: @reboot' '$tmp/ev/crontab.txt' &&
	       ! grep -q true '$tmp/ev/crontab.txt'"
tap_check "...the unit that starts it, not the other" \
	sh -c "test -f '$tmp/ev/systemd/etc_systemd_system_kd.service' &&
	       test ! -e '$tmp/ev/systemd/etc_systemd_system_ok.service'"
kill -0 "$pid" 2>/dev/null
tap_ok $? "...the process still runs"
tap_check "...the crontabs and units are untouched" \
	diff -r "$tmp/root.before" "$tmp/root"
POOLWALL_MINER_ROOT="$tmp/root" pw miner --pid "$pid" --preserve "$tmp/ev" \
	>/dev/null 2>"$tmp/e"
tap_ok $(($? != 1)) "--preserve into a directory that is not empty: exit 1"
tap_check "...and says why" grep -q 'not empty' "$tmp/e"

pw miner --json --pid "$pid" >"$tmp/o" 2>&1
tap_ok $? "--json --pid"
tap_check "...pid, deleted binary and family" sh -c "grep -q '\"pid\": $pid' '$tmp/o' &&
	grep -q '\"deleted\": true' '$tmp/o' && grep -q '\"name\": \"Kinsing\"' '$tmp/o'"

tap_done
