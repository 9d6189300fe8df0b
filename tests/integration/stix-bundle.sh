#!/bin/sh
# The stix output against the STIX 2.1 rules, stated as assertions in
# pw_outputs.py stix-check: required properties, id formats (UUIDv5 of the
# pattern, the SCO id rule for wallets), timestamps, references inside the
# bundle, and the patterning grammar with the values of every object path
# we emit.  Every golden case, the corpus, one incident, a hostile feed;
# and versioning: a re-run keeps created/modified of unchanged objects and
# bumps modified of changed ones only.  The checker is shown to catch
# broken bundles too.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need python3
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
helper="$top_srcdir/tests/integration/pw_outputs.py"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pw() { "$POOLWALL" -q compile "$@"; }
check() { python3 "$helper" stix-check "$@" >"$tmp/check" 2>&1; _rc=$?; grep '^not ok\|^#' "$tmp/check" | tap_diag; return $_rc; }

export SOURCE_DATE_EPOCH=1767225600
for set in "$top_srcdir"/tests/outputs/stix/*.set; do
	case_=$(basename "$set" .set)
	args=
	[ -f "${set%.set}.args" ] && args=$(cat "${set%.set}.args")
	# shellcheck disable=SC2086
	if pw --permit-documentation -i "ioc:$set" -t stix:"$tmp/case.json" \
		$args 2>/dev/null; then
		check "$tmp/case.json"
		tap_ok $? "golden case $case_ follows STIX 2.1"
	else
		tap_skip "golden case $case_ is an error case"
	fi
done

# the checker is not vacuous
pw --permit-documentation -i "ioc:$top_srcdir/tests/outputs/stix/001-every-kind.set" \
	-t stix:"$tmp/good.json" 2>/dev/null
for mutation in \
	"s/ OR domain-name:value LIKE/ OR LIKE/" \
	"s/\"pattern_type\": \"stix\", //" \
	"s/indicator--\([0-9a-f]\)/indicator--x\1/" \
	"s/ISSUBSET '198.51.100.0\/24'/ISSUBSET '198.51.100.1\/24'/" \
	"s/\"valid_until\": \"2026-12-01/\"valid_until\": \"2025-12-01/" \
	"s/'SHA-256' = '0123/'SHA-256' = '123/" \
	"s/\"created\": \"2026-01-01T00:00:00.000Z\"/\"created\": \"2026-01-01T00:00:00Z\"/" \
	"s/dst_port = 3333/dst_port = 'x'/"
do
	sed "$mutation" "$tmp/good.json" >"$tmp/bad.json"
	if cmp -s "$tmp/good.json" "$tmp/bad.json"; then
		tap_ok 1 "mutation '$mutation' applies"
		continue
	fi
	python3 "$helper" stix-check "$tmp/bad.json" >/dev/null 2>&1
	tap_ok $(($? == 0)) "the checker refuses a bundle with '$mutation'"
done

if [ -d "$corpus/feeds" ]; then
	# shellcheck disable=SC2046
	inputs=$(python3 "$helper" inputs "$corpus")
	# shellcheck disable=SC2086
	pw $inputs -t stix:"$tmp/corpus.json" -O stix.labels=cryptomining \
		2>"$tmp/err"
	tap_ok $? "the corpus compiles to a STIX bundle"
	check "$tmp/corpus.json"
	tap_ok $? "the corpus bundle follows STIX 2.1"
	n=$(grep -c '"type": "indicator"' "$tmp/corpus.json")
	tap_ok $((n < 10000)) "with $n indicators"
	n=$(grep -c '"type": "cryptocurrency-wallet"' "$tmp/corpus.json")
	tap_ok $((n < 5)) "and $n wallet observables"
	tap_check "miner families become labels (h2miner)" \
		grep -q '"labels": \["cryptomining", "h2miner"\]' "$tmp/corpus.json"

	# one incident
	cat >"$tmp/ir.ioc" <<'EOF'
domain pool.incident-42.example.com incident=IR-42 expires=2026-12-01T00:00:00Z
wallet 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A incident=IR-42
EOF
	# shellcheck disable=SC2086
	pw $inputs -i ioc:"$tmp/ir.ioc" -t stix:"$tmp/ir.json" \
		-O stix.incident=IR-42 \
		-O stix.incident_url=https://ir.example.com/case/ 2>/dev/null
	tap_ok $? "a bundle of incident IR-42"
	check "$tmp/ir.json"
	tap_ok $? "...follows STIX 2.1"
	n=$(grep -c '"type": "indicator"' "$tmp/ir.json")
	tap_ok $((n != 2)) "...with the incident's 2 indicators ($n)"
	tap_check "...referring to the incident" grep -q \
		'"external_id": "IR-42", "url": "https://ir.example.com/case/IR-42"' \
		"$tmp/ir.json"
	tap_check "...and the emergency expiry as valid_until" grep -q \
		'"valid_until": "2026-12-01T00:00:00.000Z"' "$tmp/ir.json"
else
	tap_missing "corpus at $corpus"
fi

# versioning through the previous bundle at the target path
cat >"$tmp/v1.ioc" <<'EOF'
domain pool.example.test
domain change.example.test
ipv4 198.51.100.7
EOF
cat >"$tmp/v2.ioc" <<'EOF'
domain pool.example.test
domain change.example.test incident=IR-9
ipv4 198.51.100.7
ipv4 203.0.113.9
EOF
T1=2026-01-01T00:00:00.000Z
T3=2026-01-03T00:00:00.000Z
SOURCE_DATE_EPOCH=1767225600 pw --permit-documentation -i ioc:"$tmp/v1.ioc" \
	-t stix:"$tmp/v.json" 2>/dev/null
cp "$tmp/v.json" "$tmp/v1.json"
SOURCE_DATE_EPOCH=1767312000 pw --permit-documentation -i ioc:"$tmp/v1.ioc" \
	-t stix:"$tmp/v.json" 2>/dev/null
tap_check "a re-run a day later with the same set writes the same bundle" \
	cmp -s "$tmp/v1.json" "$tmp/v.json"
SOURCE_DATE_EPOCH=1767398400 pw --permit-documentation -i ioc:"$tmp/v2.ioc" \
	-t stix:"$tmp/v.json" 2>/dev/null
check "$tmp/v.json"
tap_ok $? "the changed set's bundle follows STIX 2.1"
tap_check "an unchanged indicator keeps created and modified" sh -c \
	"grep \"'pool.example.test'\" '$tmp/v.json' | grep -q '\"created\": \"$T1\", \"modified\": \"$T1\"'"
tap_check "a changed indicator keeps created, with a new modified" sh -c \
	"grep \"'change.example.test'\" '$tmp/v.json' | grep -q '\"created\": \"$T1\", \"modified\": \"$T3\"'"
tap_check "...and valid_from stays its creation" sh -c \
	"grep \"'change.example.test'\" '$tmp/v.json' | grep -q '\"valid_from\": \"$T1\"'"
tap_check "a new indicator is created now" sh -c \
	"grep \"'203.0.113.9'\" '$tmp/v.json' | grep -q '\"created\": \"$T3\", \"modified\": \"$T3\"'"
a=$(grep "'198.51.100.7'" "$tmp/v1.json" | sed 's/,$//')
b=$(grep "'198.51.100.7'" "$tmp/v.json" | sed 's/,$//')
tap_ok $([ "$a" = "$b" ]; echo $?) "an unchanged object is written byte for byte as before"

# a previous file that is not ours: nothing of it is copied
id=$(sed -n "s/.*\"id\": \"\(indicator--[^\"]*\)\".*'pool.example.test'.*/\1/p" "$tmp/v1.json")
printf '{"objects": [{"id": "%s", "created": "evil", "modified": "2026-01-01T00:00:00.000Zevil"}]}\n' \
	"$id" >"$tmp/w.json"
pw --permit-documentation -i ioc:"$tmp/v1.ioc" -t stix:"$tmp/w.json" 2>/dev/null
tap_check "a previous file with junk dates: nothing of it is copied" \
	sh -c "! grep -qi evil '$tmp/w.json'"
check "$tmp/w.json"
tap_ok $? "...and the bundle follows STIX 2.1"
echo 'not JSON {' >"$tmp/w.json"
pw --permit-documentation -i ioc:"$tmp/v1.ioc" -t stix:"$tmp/w.json" 2>/dev/null
tap_ok $? "a previous file that is not JSON is replaced"
check "$tmp/w.json"
tap_ok $? "...by a bundle that follows STIX 2.1"

# a hostile feed
# shellcheck disable=SC2046
pw --permit-documentation $(python3 "$helper" hostile "$tmp/hostile") \
	-t stix:"$tmp/hostile.json" 2>/dev/null
tap_ok $? "a hostile feed compiles"
tap_check "its good names are there" grep -q 'good-1\.example\.test' \
	"$tmp/hostile.json"
tap_check "nothing of a hostile line is" sh -c "! grep -qi evil '$tmp/hostile.json'"
tap_check "hostile provenance is cleaned" sh -c "! grep -q 'xss[^_]' '$tmp/hostile.json'"
check "$tmp/hostile.json"
tap_ok $? "and the bundle follows STIX 2.1"
tap_done
