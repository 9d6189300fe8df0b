#!/bin/sh
# `poolwall compile`, `extract` and `plugins` end to end: exit codes, the
# built-in default, atomic output, bad input never reaching an output,
# allowlists, stdin, round trips.
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pw() { "$POOLWALL" "$@"; }
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}

# -- version, help, usage errors
pw --version >"$tmp/v"
tap_check "--version names the version" grep -q '^poolwall [0-9]' "$tmp/v"
tap_check "--version lists the enabled plugins" grep -q 'output_ioc' "$tmp/v"
pw compile --help >"$tmp/h"
tap_check "compile --help exits 0 and documents -i" grep -q -- '-i, --input' "$tmp/h"
pw compile --bogus >/dev/null 2>&1
tap_ok $(($? != 2)) "an unknown option exits 2"
pw frobnicate >/dev/null 2>&1
tap_ok $(($? != 2)) "an unknown command exits 2"
pw compile -i nosuch:/dev/null >/dev/null 2>"$tmp/e"
tap_ok $(($? != 2)) "an unknown feed plugin exits 2"
tap_check "...and says which" grep -q "no feed plugin 'nosuch'" "$tmp/e"
pw compile -i domains >/dev/null 2>&1
tap_ok $(($? != 2)) "-i without a path exits 2"
pw compile -O ioc.nosuch=1 >/dev/null 2>"$tmp/e"
tap_ok $(($? != 2)) "an unknown plugin option exits 2"
pw compile -t hosts -O hosts.ipv6=maybe >/dev/null 2>"$tmp/e"
tap_ok $(($? != 2)) "a bad option value exits 2"
tap_check "...naming option and type" grep -q "option 'ipv6' wants a boolean" "$tmp/e"

# -- the built-in default
pw compile >"$tmp/b.ioc" 2>"$tmp/e"
tap_ok $? "compile with no input uses the built-in list"
tap_check "built-in: supportxmr.com (tree)" grep -qx 'domain supportxmr.com sources=builtin' "$tmp/b.ioc"
tap_check "built-in: the donation pool is exact" grep -qx 'domain donate.v2.xmrig.com match=exact sources=builtin' "$tmp/b.ioc"
tap_check "built-in: stratum port 3333" grep -q '^port tcp/3333' "$tmp/b.ioc"
tap_check "built-in: stratum port 14444" grep -q '^port tcp/14433-14444\|^port tcp/14444' "$tmp/b.ioc"
tap_check "built-in: no error output" test ! -s "$tmp/e"
n=$(grep -c '^domain ' "$tmp/b.ioc")
want=$(grep -c '^[a-z0-9]' "$top_srcdir/data/pools.list")
tap_ok $((n != want)) "built-in: every pool name is kept ($n of $want)"

# -- outputs go to files atomically
printf 'pool.example.test\n' >"$tmp/one.txt"
pw compile --permit-documentation -i domains:"$tmp/one.txt" -t hosts:"$tmp/out.hosts" -t domains:"$tmp/out.dom" 2>/dev/null
tap_ok $? "two outputs to files"
tap_check "hosts file written" grep -qx '0.0.0.0 pool.example.test' "$tmp/out.hosts"
tap_check "domains file written" grep -qx 'pool.example.test' "$tmp/out.dom"
mode=$(stat -c %a "$tmp/out.hosts")
tap_ok $(($mode != 644)) "output mode is 0644 ($mode)"
cp "$tmp/out.hosts" "$tmp/before"
pw compile -i domains:"$tmp/missing.txt" -t hosts:"$tmp/out.hosts" 2>"$tmp/e"
tap_ok $(($? != 1)) "a missing input exits 1"
tap_check "...with the path and the reason" grep -q "missing.txt.*No such file" "$tmp/e"
tap_check "...and the old output is untouched" cmp -s "$tmp/before" "$tmp/out.hosts"
left=$(find "$tmp" -name '.out.hosts.*' | wc -l)
tap_ok $((left != 0)) "no temporary file is left behind"
pw compile -i domains:"$tmp/one.txt" -t hosts:"$tmp/nodir/x" 2>"$tmp/e"
tap_ok $(($? != 1)) "an unwritable output exits 1"

pw compile -i domains:"$tmp/one.txt" -t hosts:/dev/null 2>/dev/null
tap_ok $? "an output to /dev/null"
tap_check "...leaves /dev/null a character device" test -c /dev/null
ln -s "$tmp/out.dom" "$tmp/link.dom"
pw compile --permit-documentation -i domains:"$tmp/one.txt" -t domains:"$tmp/link.dom" 2>/dev/null
tap_check "an output through a symlink replaces the file, keeps the link" test -L "$tmp/link.dom"

# -- bad input never reaches an output
{
	printf 'good.example.test\n'
	printf 'bad"quote.example.test\n'
	printf 'semi;colon.example.test\n'
	printf 'brace{x}.example.test\n'
	printf 'back\\slash.example.test\n'
	printf 'nul\000byte.example.test\n'
	printf 'ctrl\001x.example.test\n'
	printf 'crlf.example.test\r\n'
	printf '\357\273\277bom.example.test\n'
	printf 'bad\377utf8.example.test\n'
	printf 'dollar$INCLUDE.example.test\n'
	printf 'com\n'
	printf 'co.uk\n'
	printf '*.*.example.test\n'
	printf 'a..b.example.test\n'
	printf -- '-lead.example.test\n'
	printf '192.0.2.1\n'
	printf '%0300d.example.test\n' 0
	head -c 1048576 /dev/zero | tr '\0' a
	printf '\n'
	head -c 4096 /dev/urandom | tr -d '\n'
	printf '\nlast.example.test'
} >"$tmp/junk.txt"
pw compile --permit-documentation --stats -i domains:"$tmp/junk.txt" -t domains:"$tmp/junk.out" -t ioc:"$tmp/junk.ioc" 2>"$tmp/junk.err"
tap_ok $? "junk input still compiles (exit 0)"
tap_check "good names pass" grep -qx 'good.example.test' "$tmp/junk.out"
tap_check "CRLF line ending is not part of the name" grep -qx 'crlf.example.test' "$tmp/junk.out"
tap_check "a BOM is not part of the name" grep -qx 'bom.example.test' "$tmp/junk.out"
tap_check "a last line without newline is read" grep -qx 'last.example.test' "$tmp/junk.out"
bad=$(LC_ALL=C grep -c '[^a-z0-9._*-]' "$tmp/junk.out")
tap_ok $((bad != 0)) "no output line has a byte outside [a-z0-9._*-] ($bad)"
n=$(wc -l <"$tmp/junk.out")
tap_ok $((n != 4)) "exactly the 4 valid names are written ($n)"
tap_check "rejections are counted in --stats" grep -q 'rejected 1[0-9] ' "$tmp/junk.err"
tap_check "a rejection names source:line and the value" grep -q 'junk.txt:2: rejected.*bad\\"quote' "$tmp/junk.err"
tap_check "the bare TLD is refused as such" grep -q 'junk.txt:12: rejected (bare TLD' "$tmp/junk.err"
tap_check "a public suffix is refused as such" grep -q 'junk.txt:13: rejected (a public suffix' "$tmp/junk.err"

# -- a bare TLD line cannot swallow the names below it
printf '0.0.0.0 net\n0.0.0.0 pool.example.net\n0.0.0.0 a.pool.example.net\n' >"$tmp/tld.hosts"
pw compile -O hosts.subdomains=yes -i hosts:"$tmp/tld.hosts" -t domains 2>/dev/null >"$tmp/tld.out"
tap_check "'0.0.0.0 net' is refused, pool.example.net kept" grep -qx 'pool.example.net' "$tmp/tld.out"
n=$(wc -l <"$tmp/tld.out")
tap_ok $((n != 1)) "...and its subdomain is collapsed under it ($n line)"

# -- allowlist
printf 'pool.example.test\nkeep.example.test\nx.cdn.example.test\n' >"$tmp/a.txt"
printf '198.51.100.0/24\n203.0.113.0/24\n' >"$tmp/a.net"
printf '# allow\nkeep.example.test\n.cdn.example.test\n198.51.100.77\n203.0.113.0/24\n' >"$tmp/allow"
pw compile --permit-documentation --allow "$tmp/allow" -i domains:"$tmp/a.txt" -i netset:"$tmp/a.net" -t ioc 2>/dev/null | grep -v '^#' >"$tmp/a.out"
tap_check "allowlist: other names stay" grep -q '^domain pool.example.test' "$tmp/a.out"
tap_check "allowlist: exact name spared" sh -c "! grep -q '^domain keep.example.test' '$tmp/a.out'"
tap_check "allowlist: ...but not the names below it" grep -q '^domain \*.keep.example.test' "$tmp/a.out"
tap_check "allowlist: .suffix spares the names below" sh -c "! grep -q cdn.example.test '$tmp/a.out'"
n=$(grep -c '^ipv4 198\.51\.100\.' "$tmp/a.out")
tap_ok $((n != 8)) "allowlist: an allowed /32 splits a /24 into 8 prefixes ($n)"
tap_check "allowlist: the allowed /32 is not blocked" sh -c "! grep -q '198.51.100.77\$\|198.51.100.77 ' '$tmp/a.out'"
tap_check "allowlist: an allowed /24 removes the blocked /24" sh -c "! grep -q '203.0.113' '$tmp/a.out'"

# -- documentation ranges are reserved unless permitted
printf '192.0.2.1\n' >"$tmp/doc.net"
pw compile -i netset:"$tmp/doc.net" -t ioc 2>"$tmp/e" | grep -c '^ipv4' >"$tmp/n"
tap_check "documentation addresses are reserved by default" grep -qx 0 "$tmp/n"
tap_check "...with a reason" grep -q 'reserved' "$tmp/e"

# -- stdin, extract, round trip
printf 'pool.example.test\n' | pw compile --permit-documentation -i domains:- -t domains >"$tmp/stdin.out" 2>/dev/null
tap_check "stdin input" grep -qx 'pool.example.test' "$tmp/stdin.out"
printf 'The miner connected to pool[.]supportxmr[.]com:3333 and hxxps://evil-pool[.]example[.]com/x.\n' >"$tmp/report.txt"
pw extract "$tmp/report.txt" >"$tmp/x.ioc" 2>/dev/null
tap_ok $? "extract exits 0"
tap_check "extract: refanged pool host" grep -q '^domain pool.supportxmr.com' "$tmp/x.ioc"
tap_check "extract: stratum port from host:port" grep -q '^port tcp/3333' "$tmp/x.ioc"
tap_check "extract: the https URL is kept" grep -q '^url https://evil-pool.example.com/x' "$tmp/x.ioc"
tap_check "extract: 443 never becomes a port block" sh -c "! grep -q '^port tcp/443' '$tmp/x.ioc'"
if [ -f "$corpus/feeds/nocoin/hosts.txt" ]; then
	pw compile -i hosts:"$corpus/feeds/nocoin/hosts.txt" -t ioc:"$tmp/r1.ioc" 2>/dev/null
	pw compile -i ioc:"$tmp/r1.ioc" -t ioc:"$tmp/r2.ioc" 2>/dev/null
	tap_check "round trip: ioc -> ioc is a fixed point" cmp -s "$tmp/r1.ioc" "$tmp/r2.ioc"
	n=$(grep -c '^domain' "$tmp/r1.ioc")
	tap_ok $((n != 313)) "round trip: the nocoin hosts list gives 313 names ($n)"
else
	tap_missing "corpus nocoin/hosts.txt"
fi

# -- plugins
pw plugins >"$tmp/p"
tap_ok $? "plugins exits 0"
n=$(grep -c '^feed ' "$tmp/p")
tap_ok $((n < 6)) "the feed plugins listed ($n)"
n=$(grep -c '^output ' "$tmp/p")
tap_ok $((n < 3)) "the output plugins listed ($n)"
pw plugins hosts >"$tmp/p"
tap_check "plugins NAME shows options and defaults" grep -q 'address .*default: 0.0.0.0' "$tmp/p"
pw plugins nosuch >/dev/null 2>&1
tap_ok $(($? != 1)) "plugins of an unknown name exits 1"
tap_done
