#!/bin/sh
# The openioc output, checked with the OpenIOC 1.1 schema by xmllint: every
# golden case, the whole shared corpus (whole and per incident), and a
# hostile feed.  Also: ids are stable UUIDs, every term is in the OpenIOC
# term dictionaries with its content type, every IPv4 regular expression
# matches exactly its prefix, and the in-process check (schema=) agrees.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/lib.sh"
need xmllint python3
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
terms=$corpus/../schemas/openioc-1.1/iocterms
xsd=$top_srcdir/outputs/openioc/schema/ioc.xsd
helper="$top_srcdir/tests/integration/pw_outputs.py"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pw() { "$POOLWALL" -q compile "$@"; }
valid() { xmllint --noout --nonet --schema "$xsd" "$1" 2>"$tmp/xmllint.err"; }

tap_check "the shipped schema is the upstream file" \
	grep -q 'targetNamespace="http://openioc.org/schemas/OpenIOC_1.1"' "$xsd"
if [ -f "$corpus/iocs/openioc/OpenIOC_1.1_ioc.xsd" ]; then
	tap_check "...byte for byte" cmp -s "$xsd" \
		"$corpus/iocs/openioc/OpenIOC_1.1_ioc.xsd"
fi

export SOURCE_DATE_EPOCH=1767225600
for set in "$top_srcdir"/tests/outputs/openioc/*.set; do
	case_=$(basename "$set" .set)
	args=
	[ -f "${set%.set}.args" ] && args=$(cat "${set%.set}.args")
	# shellcheck disable=SC2086
	if pw --permit-documentation -i "ioc:$set" -t openioc:"$tmp/case.ioc" \
		$args 2>/dev/null; then
		valid "$tmp/case.ioc"
		tap_ok $? "golden case $case_ validates"
	else
		tap_skip "golden case $case_ is an error case"
	fi
done

if [ -d "$corpus/feeds" ]; then
	# shellcheck disable=SC2046
	inputs=$(python3 "$helper" inputs "$corpus")
	# shellcheck disable=SC2086
	pw $inputs -t openioc:"$tmp/corpus.ioc" -t ioc:"$tmp/corpus.set" \
		-O openioc.event_terms=yes 2>"$tmp/err"
	tap_ok $? "the corpus compiles to OpenIOC"
	valid "$tmp/corpus.ioc"
	tap_ok $? "the corpus document validates"
	tap_diag <"$tmp/xmllint.err" | grep -v validates | head -5
	n=$(grep -c '<IndicatorItem ' "$tmp/corpus.ioc")
	tap_ok $((n < 20000)) "with $n indicator items"
	if [ -d "$terms" ]; then
		python3 "$helper" openioc-check "$tmp/corpus.ioc" \
			"$tmp/corpus.set" "$terms" >"$tmp/check" 2>&1
	else
		python3 "$helper" openioc-check "$tmp/corpus.ioc" \
			"$tmp/corpus.set" >"$tmp/check" 2>&1
	fi
	tap_ok $? "the document agrees with its set and the term dictionaries"
	grep -v '^1\.\.' "$tmp/check" | tap_diag

	# the same set again, an hour later: only the dates change
	SOURCE_DATE_EPOCH=1767229200 pw $inputs -t openioc:"$tmp/again.ioc" \
		-O openioc.event_terms=yes 2>/dev/null
	sed 's/20[0-9-]*T[0-9:]*Z//g' "$tmp/corpus.ioc" >"$tmp/a"
	sed 's/20[0-9-]*T[0-9:]*Z//g' "$tmp/again.ioc" >"$tmp/b"
	tap_check "a re-run gives the same document but for its dates" \
		cmp -s "$tmp/a" "$tmp/b"

	# a per-incident document: the corpus plus one incident file
	cat >"$tmp/ir.ioc" <<'EOF'
domain pool.incident-42.example.com incident=IR-42
url stratum+tcp://pool.incident-42.example.com:14444 incident=IR-42
wallet 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A incident=IR-42
hash 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef incident=IR-42 expires=2026-12-01T00:00:00Z
EOF
	# shellcheck disable=SC2086
	pw $inputs -i ioc:"$tmp/ir.ioc" -t openioc:"$tmp/ir.xml" \
		-O openioc.incident=IR-42 \
		-O openioc.incident_url=https://ir.example.com/case/ 2>/dev/null
	tap_ok $? "a document for incident IR-42 of the corpus"
	valid "$tmp/ir.xml"
	tap_ok $? "...validates"
	tap_check "...links the incident" grep -q \
		'<link rel="incident" href="https://ir.example.com/case/IR-42">IR-42</link>' \
		"$tmp/ir.xml"
	# a name (is, ends-with), its port, the URL, the wallet, the hash
	n=$(grep -c '<IndicatorItem ' "$tmp/ir.xml")
	m=$(grep -c '<Content type="string">[a-z-]*\(\.exe\)\{0,1\}</Content>' "$tmp/ir.xml")
	tap_ok $((n - m != 6)) "...and holds the incident's items only ($((n - m)) besides $m process names)"

	# the in-process check agrees with xmllint
	# shellcheck disable=SC2086
	pw $inputs -t openioc:"$tmp/checked.ioc" -O openioc.schema="$xsd" \
		-O openioc.event_terms=yes 2>"$tmp/err"
	tap_ok $? "schema=: the corpus document passes the in-process check"
	tap_check "...and is the same document" cmp -s "$tmp/corpus.ioc" \
		"$tmp/checked.ioc"
else
	tap_missing "corpus at $corpus"
fi

# a hostile feed
# shellcheck disable=SC2046
pw --permit-documentation $(python3 "$helper" hostile "$tmp/hostile") \
	-t openioc:"$tmp/hostile.ioc" 2>/dev/null
tap_ok $? "a hostile feed compiles"
tap_check "its good names are there" grep -q 'good-1\.example\.test' \
	"$tmp/hostile.ioc"
tap_check "nothing of a hostile line is" sh -c "! grep -qi evil '$tmp/hostile.ioc'"
tap_check "hostile provenance is cleaned" sh -c "! grep -q 'xss[^_]' '$tmp/hostile.ioc'"
valid "$tmp/hostile.ioc"
tap_ok $? "and the document validates"
tap_done
