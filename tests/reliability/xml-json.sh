#!/bin/sh
# XML and JSON attacks on the openioc, stix, misp and xmrig feeds (the
# documents and checks are in xmljson.py): external entities (a local file,
# HTTP to a loopback listener), parameter entities, billion laughs,
# quadratic blowup, XInclude, 100,000-deep nesting, huge strings and
# numbers, documents over the caps; each compile under `timeout`-like
# limits of 20 s and 1 GB of address space.  Then the same attacks
# through `update`: a feed that turns hostile falls back to its last good
# copy (exit 3, the outputs unchanged).
. "$top_srcdir/tests/lib/tap.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is not installed"
	exit 0
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/reliability/xmljson.py" run "$tmp/xj" >"$tmp/xj.tap"
rc=$?
# renumber its TAP lines into this test's plan
while IFS= read -r line; do
	case $line in
	"ok "*"# SKIP"*) tap_skip "${line#*# SKIP }" ;;
	"ok "*) tap_ok 0 "${line#ok * - }" ;;
	"not ok "*) tap_ok 1 "${line#not ok * - }" ;;
	"1.."*) ;;
	"# figures:"*) xj_tried=$(echo "$line" | sed -n 's/.* tried=\([0-9]*\).*/\1/p') ;;
	*) echo "$line" ;;
	esac
done <"$tmp/xj.tap"
tap_ok $((rc > 1)) "xmljson.py ran to its end (exit $rc)"

# -- through update: the last good copy stays, the other feeds go on
mkdir -p "$tmp/u/state" "$tmp/u/cache" "$tmp/u/out"
good='good-update.example.test'
doc() {	# doc FORMAT good|hostile: a document for the update feed
	case $1:$2 in
	openioc:good) printf '<?xml version="1.0"?>\n<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="x"><criteria><Indicator operator="OR" id="y"><IndicatorItem id="z" condition="is"><Context document="DnsEntryItem" search="DnsEntryItem/Host" type="mir"/><Content type="string">%s</Content></IndicatorItem></Indicator></criteria></OpenIOC>\n' "$good" ;;
	openioc:hostile) printf '<?xml version="1.0"?>\n<!DOCTYPE OpenIOC [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<OpenIOC xmlns="http://openioc.org/schemas/OpenIOC_1.1" id="x"><criteria><Indicator operator="OR" id="y"><IndicatorItem id="z" condition="is"><Context document="DnsEntryItem" search="DnsEntryItem/Host" type="mir"/><Content type="string">&c;</Content></IndicatorItem></Indicator></criteria></OpenIOC>\n' ;;
	stix:good) printf '{"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": [{"type": "domain-name", "spec_version": "2.1", "id": "domain-name--00000000-0000-4000-8000-000000000001", "value": "%s"}]}\n' "$good" ;;
	misp:good) printf '{"Event": {"id": "1", "info": "x", "Attribute": [{"uuid": "00000000-0000-4000-8000-000000000001", "type": "domain", "category": "Network activity", "to_ids": true, "value": "%s"}]}}\n' "$good" ;;
	xmrig:good) printf '{"pools": [{"url": "%s:3333", "user": "x", "pass": "x"}]}\n' "$good" ;;
	*:hostile) python3 -c 'import sys; sys.stdout.write("{\"a\": " + "[" * 100000 + "]" * 100000 + "}\n")' ;;
	esac
}
upd=0
for fmt in openioc stix misp xmrig; do
	if ! "$POOLWALL" plugins 2>/dev/null | grep -q "^feed  *$fmt "; then
		tap_skip "feed $fmt is not built"
		continue
	fi
	upd=$((upd + 1))
	rm -rf "$tmp/u/state"/* "$tmp/u/cache"/* "$tmp/u/out"/*
	cat >"$tmp/u/poolwall.conf" <<EOC
[general]
state_dir = $tmp/u/state
cache_dir = $tmp/u/cache
permit_documentation = yes
syslog = no
canaries = good-update.example.test
[feed f]
url = $tmp/u/feed
format = $fmt
[feed other]
url = $tmp/u/other
format = domains
[output domains]
plugin = domains
path = $tmp/u/out/domains
EOC
	doc $fmt good >"$tmp/u/feed"
	echo other-1.example.test >"$tmp/u/other"
	"$POOLWALL" -c "$tmp/u/poolwall.conf" update >/dev/null 2>"$tmp/u/err"
	rc=$?
	tap_ok $rc "update: a good $fmt feed is published (exit $rc)"
	tap_diag <"$tmp/u/err"
	cp "$tmp/u/out/domains" "$tmp/u/before"
	doc $fmt hostile >"$tmp/u/feed"
	printf 'other-1.example.test\nother-2.example.test\n' >"$tmp/u/other"
	timeout 60 "$POOLWALL" -c "$tmp/u/poolwall.conf" update >/dev/null \
		2>"$tmp/u/err"
	rc=$?
	[ $rc -ne 124 ] && [ $rc -lt 128 ]
	tap_ok $? "update: the $fmt feed turned hostile: no crash, no hang (exit $rc)"
	tap_ok $((rc != 3)) "...its last good copy is used (exit $rc, 3 expected)"
	tap_diag <"$tmp/u/err"
	tap_check "...and the refusal is explained" grep -q "feed f\|$fmt" "$tmp/u/err"
	tap_check "...its good name is still blocked" grep -q "$good" "$tmp/u/out/domains"
	grep -q other-2.example.test "$tmp/u/out/domains"
	tap_ok $? "...and the other feed's change is published"
done
echo "# figures: suite=xml-json tried=$((${xj_tried:-0} + upd)) failures=$tap_failed (the attacks: ${xj_tried:-0}, through update: $upd)"
tap_done
