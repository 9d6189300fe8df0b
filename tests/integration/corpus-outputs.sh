#!/bin/sh
# Every feed file of the shared corpus, compiled with the format it is in,
# through every output of this build: no crash, and the hosts output is
# accepted line for line by dnsmasq.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need dnsmasq ss
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
if [ ! -d "$corpus/feeds" ]; then
	if [ "${CI:-}" = true ]; then echo "not ok 1 - no corpus at $corpus"; echo 1..1; exit 1; fi
	echo "1..0 # SKIP no corpus at $corpus"
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'stop_dnsmasq; rm -rf "$tmp"' EXIT

# format of each feed file (the corpus PROVENANCE.md says what each is)
inputs="hosts:feeds/coinblockerlists/hosts
hosts:feeds/coinblockerlists/hosts_browser
hosts:feeds/coinblockerlists/hosts_optional
hosts:feeds/nocoin/hosts.txt
hosts:feeds/blocklistproject/crypto.txt
domains:feeds/coinblockerlists/list.txt
domains:feeds/coinblockerlists/list_browser.txt
domains:feeds/coinblockerlists/list_optional.txt
domains:feeds/blocklistproject/crypto-nl.txt
domains:feeds/akamai/dhpcd_mining_pool_domains.txt
domains:feeds/unit42/coinhive_top_domains.txt
adblock:feeds/nocoin/nocoin.txt
adblock:feeds/blocklistproject/crypto-ags.txt
adblock:feeds/coinblockerlists/list_browser_UBO.txt
netset:feeds/coinblockerlists/MiningServerIPList.txt
netset:feeds/firehol-coinbl/coinbl_hosts.ipset
netset:feeds/firehol-coinbl/coinbl_ips.ipset
text:feeds/maltrail/crypto_mining.txt
text:feeds/unit42/6908_of_8712_coin_mining_urls_in_pandb.txt
text:iocs/akamai/cryptominers_part2_ioc.md
text:iocs/avast/Crackonosh_network.txt
text:iocs/lacework/h2miner.csv"
args=
for i in $inputs; do
	f=${i#*:}
	"$POOLWALL" -q compile -i "${i%%:*}:$corpus/$f" -t ioc:/dev/null
	tap_ok $? "compile ${i%%:*}:$f"
	args="$args -i ${i%%:*}:$corpus/$f"
done
# shellcheck disable=SC2086
"$POOLWALL" -q compile $args -t hosts:"$tmp/all.hosts" -t domains:"$tmp/all.dom" -t ioc:"$tmp/all.ioc"
tap_ok $? "all of them at once into every output"
n=$(grep -c '^domain' "$tmp/all.ioc")
# at least the largest single list (coinblockerlists/list.txt: 5834 names
# accepted, tests/feeds/corpus-accept.expected); collapse and dedup make
# the union smaller than the sum
tap_ok $((n < 5834)) "the merged set holds $n names"
names=$(grep -vc '^#' "$tmp/all.hosts")
port=$(free_port)
start_dnsmasq "$port" --addn-hosts="$tmp/all.hosts"
tap_ok $? "dnsmasq starts with the merged hosts file"
tap_check "dnsmasq read every one of its $names lines" \
	wait_log "read $tmp/all.hosts - $names (addresses|names)"
tap_done
