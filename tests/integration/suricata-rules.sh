#!/bin/sh
# The suricata output in Suricata: every golden case, the whole corpus and
# a hostile feed load with `suricata -T` (exit 0, no rule failed); a capture
# built by pw_outputs.py (DNS, TLS, stratum v1, XMRig, xmr-stak, and
# unrelated web, DNS, TLS and JSON-RPC flows) makes every rule class fire
# at least once and no rule fire on an unrelated flow; sids survive a
# re-run, a changed set and hash collisions, and rev bumps only where a
# rule's text changed.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need suricata python3
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
helper="$top_srcdir/tests/integration/pw_outputs.py"
conf=${SURICATA_YAML:-/etc/suricata/suricata.yaml}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pw() { "$POOLWALL" -q compile "$@"; }
# load RULES: suricata -T with only this file; sets $loaded
load() {
	mkdir -p "$tmp/log"
	timeout 300 suricata -T -v -c "$conf" -S "$1" -l "$tmp/log" \
		>"$tmp/load.log" 2>&1
	_rc=$?
	loaded=$(sed -n 's/.* \([0-9]*\) rules successfully loaded, \([0-9]*\) rules failed.*/\1 \2/p' "$tmp/load.log")
	if [ $_rc -ne 0 ] || [ "${loaded#* }" != 0 ]; then
		grep '^E\|Error' "$tmp/load.log" | head -5 | tap_diag
		return 1
	fi
	return 0
}
sids_unique() {
	n=$(grep -o ' sid:[0-9]*;' "$1" | sort | uniq -d | wc -l)
	[ "$n" -eq 0 ]
}

if [ ! -f "$conf" ]; then
	tap_missing "Suricata configuration $conf"
	tap_done
	exit
fi
export SOURCE_DATE_EPOCH=1767225600
for set in "$top_srcdir"/tests/outputs/suricata/*.set; do
	case_=$(basename "$set" .set)
	args=
	[ -f "${set%.set}.args" ] && args=$(cat "${set%.set}.args")
	# shellcheck disable=SC2086
	if pw --permit-documentation -i "ioc:$set" -t suricata:"$tmp/case.rules" \
		$args 2>/dev/null; then
		load "$tmp/case.rules"
		tap_ok $? "golden case $case_ loads (${loaded%% *} rules)"
		rm -f "$tmp/case.rules"
	else
		tap_skip "golden case $case_ is an error case"
	fi
done

# -- the capture
cat >"$tmp/set.ioc" <<'EOF'
domain pool.example.test
domain exact.example.test match=exact
domain *.wild.example.test
ipv4 198.51.100.7
port tcp/3333
port tcp/14433-14444
wallet 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A
EOF
pw --permit-documentation -i ioc:"$tmp/set.ioc" -t suricata:"$tmp/p.rules" \
	2>/dev/null
tap_ok $? "compile the capture's set"
load "$tmp/p.rules"
tap_ok $? "its rules load"
python3 "$helper" pcap "$tmp/t.pcap"
tap_ok $? "build the capture"
mkdir -p "$tmp/run"
timeout 300 suricata -c "$conf" -S "$tmp/p.rules" -r "$tmp/t.pcap" \
	-l "$tmp/run" -k none --runmode single \
	--set vars.address-groups.HOME_NET="[10.0.0.0/8]" \
	>"$tmp/run.log" 2>&1
tap_ok $? "suricata reads the capture"
# sid -> class (the poolwall_key up to its value) from the rules
sed -n 's/.*metadata:poolwall_key \([a-z]*\)\/\([^;]*\); sid:\([0-9]*\);.*/\3 \1 \2/p' \
	"$tmp/p.rules" | while read -r sid kind val; do
	case $kind in
	stratum) echo "$sid stratum/$val" ;;
	*) echo "$sid $kind" ;;
	esac
done >"$tmp/classes"
# fired: sid and client port of each alert
sed -n 's/.*\[1:\([0-9]*\):[0-9]*\].*} 10\.0\.0\.2:\([0-9]*\) ->.*/\1 \2/p' \
	"$tmp/run/fast.log" >"$tmp/fired"
n=$(wc -l <"$tmp/fired")
tap_ok $((n == 0)) "the capture raised $n alerts"
for class in $(cut -d' ' -f2 "$tmp/classes" | sort -u); do
	hit=0
	for sid in $(grep " $class\$" "$tmp/classes" | cut -d' ' -f1); do
		grep -q "^$sid " "$tmp/fired" && hit=1
	done
	tap_ok $((hit == 0)) "rule class $class fires"
done
n=$(awk '$2 >= 50000' "$tmp/fired" | wc -l)
tap_ok $((n != 0)) "no rule fires on an unrelated flow ($n)"
awk '$2 >= 50000' "$tmp/fired" | tap_diag
n=$(grep -vc '10\.0\.0\.2:[0-9]* ->' "$tmp/run/fast.log")
tap_ok $((n != 0)) "every alert is on a flow from the client ($n others)"

# -- sids and revs across runs
cp "$tmp/p.rules" "$tmp/v.rules"
pw --permit-documentation -i ioc:"$tmp/set.ioc" -t suricata:"$tmp/v.rules" \
	2>/dev/null
tap_check "a re-run writes the same rules" cmp -s "$tmp/p.rules" "$tmp/v.rules"
sed -e 's/^domain exact.example.test match=exact/domain exact.example.test match=exact tier=monitor/' \
	-e '/^ipv4 198.51.100.7/d' "$tmp/set.ioc" >"$tmp/set2.ioc"
echo "domain new.example.test" >>"$tmp/set2.ioc"
pw --permit-documentation -i ioc:"$tmp/set2.ioc" -t suricata:"$tmp/v.rules" \
	2>/dev/null
# sid rev key of every rule, before and after
keys() { sed -n 's/.*metadata:poolwall_key \([^;]*\); sid:\([0-9]*\); rev:\([0-9]*\);.*/\1 \2 \3/p' "$1" | sort; }
keys "$tmp/p.rules" >"$tmp/k1"
keys "$tmp/v.rules" >"$tmp/k2"
tap_check "a changed rule keeps its sid and gets rev 2" \
	grep -q "^dns/exact.example.test $(grep '^dns/exact.example.test ' "$tmp/k1" | cut -d' ' -f2) 2\$" "$tmp/k2"
n=$(join "$tmp/k1" "$tmp/k2" | grep -v 'exact.example.test' | awk '$2 != $4 || $3 != $5' | wc -l)
tap_ok $((n != 0)) "every other kept rule keeps sid and rev ($n differ)"
tap_check "a removed indicator's rule is gone" sh -c "! grep -q '^ip/' '$tmp/k2'"
tap_check "a new indicator gets rev 1" grep -q '^dns/new.example.test [0-9]* 1$' "$tmp/k2"
tap_check "no sid is used twice" sids_unique "$tmp/v.rules"

# a previous file that is not ours: numbers within bounds only, no text
key=$(sed -n 's/.*metadata:poolwall_key \(dns\/pool.example.test\); sid:\([0-9]*\);.*/\1 \2/p' "$tmp/p.rules")
{
	echo 'garbage line'
	echo "alert dns any any -> any any (msg:\"evil\"; metadata:poolwall_key ${key% *}; sid:${key#* }; rev:41;)"
	echo "alert tls any any -> any any (msg:\"evil\"; metadata:poolwall_key tls/pool.example.test; sid:5; rev:99999999999999999999;)"
	head -c 5000 /dev/zero | tr '\0' x
	echo
} >"$tmp/w.rules"
pw --permit-documentation -i ioc:"$tmp/set.ioc" -t suricata:"$tmp/w.rules" \
	2>/dev/null
tap_check "a foreign previous file: nothing of its text is copied" \
	sh -c "! grep -qi evil '$tmp/w.rules'"
tap_check "...its sid is kept and its rev bumped (the text differs)" \
	grep -q "poolwall_key ${key% *}; sid:${key#* }; rev:42;)" "$tmp/w.rules"
tap_check "...an absurd rev is ignored" \
	grep -q 'poolwall_key tls/pool.example.test; sid:[0-9]*; rev:1;)' "$tmp/w.rules"
load "$tmp/w.rules"
tap_ok $? "...and the rules load"

# collisions: 40 names in 64 sids collide; the losers keep their sids when
# the winners go
: >"$tmp/c.ioc"
for i in $(seq 1 40); do echo "domain pool$i.example.test" >>"$tmp/c.ioc"; done
pw --permit-documentation -i ioc:"$tmp/c.ioc" -t suricata:"$tmp/c.rules" \
	-O suricata.sid_base=1000 -O suricata.sid_range=64 \
	-O suricata.tls=no -O suricata.stratum=no 2>/dev/null
tap_ok $? "40 rules in a range of 64 sids"
tap_check "...each with its own sid" sids_unique "$tmp/c.rules"
keys "$tmp/c.rules" >"$tmp/c1"
grep -v '^domain pool\(1\|2\|3\|4\|5\|6\|7\|8\|9\)\.' "$tmp/c.ioc" >"$tmp/c2.ioc"
pw --permit-documentation -i ioc:"$tmp/c2.ioc" -t suricata:"$tmp/c.rules" \
	-O suricata.sid_base=1000 -O suricata.sid_range=64 \
	-O suricata.tls=no -O suricata.stratum=no 2>/dev/null
keys "$tmp/c.rules" >"$tmp/c2"
n=$(join "$tmp/c1" "$tmp/c2" | awk '$2 != $4' | wc -l)
m=$(wc -l <"$tmp/c2")
tap_ok $((n != 0 || m != 31)) "after removing 9, the other $m keep their sids ($n moved)"
pw --permit-documentation -i ioc:"$tmp/c.ioc" -t suricata:"$tmp/c.rules" \
	-O suricata.sid_base=1000 -O suricata.sid_range=16 \
	-O suricata.tls=no -O suricata.stratum=no 2>"$tmp/err"
tap_ok $(($? == 0)) "40 rules in 16 sids is an error"
tap_check "...that says so" grep -q 'do not fit in 16 sids' "$tmp/err"

if [ -d "$corpus/feeds" ]; then
	# shellcheck disable=SC2046
	pw $(python3 "$helper" inputs "$corpus") -t suricata:"$tmp/corpus.rules" \
		2>"$tmp/err"
	tap_ok $? "the corpus compiles to Suricata rules"
	n=$(grep -c '^alert ' "$tmp/corpus.rules")
	load "$tmp/corpus.rules"
	tap_ok $? "all $n corpus rules load (${loaded%% *} loaded, ${loaded#* } failed)"
	tap_check "no sid is used twice" sids_unique "$tmp/corpus.rules"
else
	tap_missing "corpus at $corpus"
fi

# a hostile feed
# shellcheck disable=SC2046
pw --permit-documentation $(python3 "$helper" hostile "$tmp/hostile") \
	-t suricata:"$tmp/hostile.rules" 2>/dev/null
tap_ok $? "a hostile feed compiles"
tap_check "its good names are there" grep -q 'good-1\.example\.test' \
	"$tmp/hostile.rules"
tap_check "nothing of a hostile line is" sh -c "! grep -qi evil '$tmp/hostile.rules'"
n=$(grep -v '^#' "$tmp/hostile.rules" | grep -vc '^alert [a-z]* [^(]*(msg:"POOLWALL [^";\\]*"; .* sid:[0-9]*; rev:[0-9]*;)$')
tap_ok $((n != 0)) "every line is a comment or one well-formed rule ($n others)"
load "$tmp/hostile.rules"
tap_ok $? "and the rules load"
tap_done
