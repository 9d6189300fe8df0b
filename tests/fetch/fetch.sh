#!/bin/sh
# Fetch against a local HTTP(S) server (tests/fetch/server.py on 127.0.0.1):
# status codes, conditional GET, retries, timeouts, caps, junk, redirects,
# compression, proxies, TLS with a CA made here, and every last-known-good
# path.  Needs python3 (and openssl for the HTTPS part): without them the
# test is skipped, except under CI=true where that fails.
. "$top_srcdir/tests/lib/tap.sh"

tool="$top_builddir/tests/fetch/fetch-tool"
server="$top_srcdir/tests/fetch/server.py"

if ! command -v python3 >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		tap_missing "python3 for the test server"
		tap_done
		exit 1
	fi
	echo "1..0 # SKIP python3 is not installed"
	exit 0
fi

# nothing from the environment may send these requests elsewhere
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
	no_proxy NO_PROXY

tmp=$(mktemp -d) || exit 99
srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	[ -n "$srv_pid" ] && wait "$srv_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

www=$tmp/www
cache=$tmp/cache
mkdir "$www" "$cache"

# a throwaway CA and a server certificate for 127.0.0.1
have_tls=no
if command -v openssl >/dev/null 2>&1; then
	(
		cd "$tmp" &&
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-nodes -keyout ca.key -out ca.pem -days 2 \
			-subj /CN=poolwall-test-ca \
			-addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1 &&
		printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
			'basicConstraints=CA:FALSE' \
			'extendedKeyUsage=serverAuth' >srv.ext &&
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -out srv.pem -days 2 -extfile srv.ext
	) >"$tmp/openssl.log" 2>&1 && have_tls=yes
fi

if [ "$have_tls" = yes ]; then
	python3 "$server" "$www" "$tmp/ports" --tls "$tmp/srv.pem" \
		"$tmp/srv.key" --lifetime 120 2>"$tmp/server.log" &
else
	python3 "$server" "$www" "$tmp/ports" --lifetime 120 \
		2>"$tmp/server.log" &
fi
srv_pid=$!
i=0
while [ ! -s "$tmp/ports" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$tmp/ports" ]; then
	tap_ok 1 "the test server starts"
	tap_diag <"$tmp/server.log"
	tap_done
	exit 1
fi
read -r port tls_port dead_port <"$tmp/ports"
base="http://127.0.0.1:$port"

# fetch NAME URL [options]: the tool's output in $tmp/out
fetch() {
	_name=$1
	_url=$2
	shift 2
	"$tool" "$_url" "$_name" "$cache" "$@" >"$tmp/out" 2>"$tmp/err"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		echo "# fetch-tool exited with $_rc" >&2
		tap_diag <"$tmp/err" >&2
	fi
}
# has PATTERN: the output has a line matching the extended regex
has() {
	if grep -Eq -- "$1" "$tmp/out"; then
		return 0
	fi
	sed 's/^/# got: /' "$tmp/out"
	return 1
}
lacks() {
	if grep -Eq -- "$1" "$tmp/out"; then
		sed 's/^/# got: /' "$tmp/out"
		return 1
	fi
	return 0
}
hits() {	# hits PATH: how often the server saw it
	"$tool" "$base/stats" stats none --body "$tmp/stats" >/dev/null 2>&1
	awk -v p="$1" '$1 == "hits" && $2 == p { print $3 }' "$tmp/stats"
}
peak() {
	"$tool" "$base/stats" stats none --body "$tmp/stats" >/dev/null 2>&1
	awk -v g="$1" '$1 == "peak" && $2 == g { print $3 }' "$tmp/stats"
}
save_cache() {	# save_cache NAME: keep a copy of its good copy
	cp "$cache/$1.body" "$tmp/$1.saved-body" &&
	cp "$cache/$1.json" "$tmp/$1.saved-json"
}
cache_kept() {	# cache_kept NAME: the good copy is what it was
	cmp -s "$cache/$1.body" "$tmp/$1.saved-body" &&
	cmp -s "$cache/$1.json" "$tmp/$1.saved-json"
}
no_temp_files() {
	[ -z "$(find "$cache" -name '.*' -type f)" ]
}

# ---- 200, cache, 304 ------------------------------------------------------
printf 'one.example.test\ntwo.example.test\n' >"$www/list.txt"
fetch list "$base/doc/list.txt" --commit --body "$tmp/body"
tap_check "200: a new body" has '^list new http=200 bytes=34 '
tap_check "the body is the document" cmp -s "$tmp/body" "$www/list.txt"
tap_check "commit stores the body" cmp -s "$cache/list.body" "$www/list.txt"
tap_check "and metadata with its ETag" grep -qF '"etag": "\"' "$cache/list.json"
tap_check "its status" grep -qF '"status": "good"' "$cache/list.json"
tap_check "its SHA-256" grep -Eq '"sha256": "[0-9a-f]{64}"' "$cache/list.json"
tap_check "its size" grep -qF '"bytes": 34,' "$cache/list.json"
tap_check "and when, in ISO 8601" \
	grep -Eq '"fetched_at_iso": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"' \
	"$cache/list.json"
tap_check "no temporary file is left in the cache" no_temp_files

fetch list "$base/doc/list.txt" --body "$tmp/body"
tap_check "304: the cached body is reused" has '^list unchanged http=304 bytes=34 '
tap_check "unchanged gives the cached bytes" cmp -s "$tmp/body" "$www/list.txt"

printf 'one.example.test\ntwo.example.test\nthree.example.test\n' \
	>"$www/list.txt"
fetch list "$base/doc/list.txt" --commit
tap_check "a changed document is new again" has '^list new http=200 bytes=53 '

fetch ok "$base/ok" --commit
fetch ok "$base/ok"
tap_check "200 with the same SHA-256 as the good copy: unchanged" \
	has '^ok unchanged http=200 bytes=60 '

# ---- failures fall back to the good copy ---------------------------------
save_cache list
fetch list "$base/status/404"
tap_check "404: the last good copy, reported stale" \
	has '^list stale http=404 bytes=53 '
tap_check "with the reason" has '^list error: fetch .*HTTP 404; using the last good copy'
tap_check "the good copy is kept" cache_kept list

fetch nolist "$base/status/404?n" --retries 2
tap_check "404 without a good copy: failed" has '^nolist failed http=404 bytes=0 '
tap_check "saying so" has 'no usable good copy \(no cached copy\)'
tap_check "404 is not retried" [ "$(hits '/status/404?n')" = 1 ]

fetch list "$base/status/500" --retries 1
tap_check "500: stale after a retry" has '^list error: .*HTTP 500 \(2 attempts\)'
tap_check "the server saw two attempts" [ "$(hits /status/500)" = 2 ]
tap_check "the good copy is kept after 500" cache_kept list

fetch list "$base/status/429" --retries 1
tap_check "429 is retried too" [ "$(hits /status/429)" = 2 ]

fetch flaky "$base/flaky/a" --retries 1
tap_check "503 then 200: the retry brings the body" \
	has '^flaky new http=200 bytes=19 '
fetch flaky2 "$base/flaky/b"
tap_check "without retries the 503 stands" has '^flaky2 failed http=503 '

fetch list "http://127.0.0.1:$dead_port/feed"
tap_check "connection refused: stale" has '^list stale http=0 bytes=53 '
tap_check "with curl's reason" has '^list error: fetch .*(onnect|refused)'

start=$(date +%s)
fetch list "$base/slow" --timeout 2
end=$(date +%s)
tap_check "a slow body hits the total timeout: stale" \
	has '^list error: fetch .*(timed out|Timeout).*using the last good copy'
tap_check "within a few seconds" [ $((end - start)) -lt 10 ]

fetch list "$base/truncated"
tap_check "a truncated transfer: stale" \
	has '^list error: fetch .*truncated transfer'
tap_check "the good copy is kept after truncation" cache_kept list

fetch list "$base/html"
tap_check "an HTML error page with 200: stale" \
	has '^list error: fetch .*an HTML page where a list was expected'
fetch list "$base/html-sniff"
tap_check "found by its first bytes too" \
	has '^list error: fetch .*an HTML page where a list was expected'
fetch page "$base/html" --expect-html
tap_check "unless the format expects HTML" has '^page new http=200 '
tap_check "the good copy is kept after HTML" cache_kept list

start=$(date +%s)
fetch list "$base/huge"
end=$(date +%s)
tap_check "a 2 GiB body is refused by its announced size" \
	has '^list error: fetch .*announced size \(2147483648 bytes\) exceeds the cap of 268435456 bytes'
tap_check "at once" [ $((end - start)) -lt 10 ]
fetch list "$base/endless" --max-bytes 1048576
tap_check "an endless body stops at the cap" \
	has '^list error: fetch .*exceeds the cap of 1048576 bytes'
tap_check "the good copy is kept after the cap" cache_kept list

fetch gz "$base/gzip" --body "$tmp/body"
printf 'pool-a.example.test\npool-b.example.test\npool-c.example.test\n' \
	>"$tmp/list"
tap_check "gzip is decoded" has '^gz new http=200 bytes=60 '
tap_check "to the list" cmp -s "$tmp/body" "$tmp/list"
fetch list "$base/bomb" --max-bytes 1048576
tap_check "a gzip bomb stops at the cap on decoded bytes" \
	has '^list error: fetch .*exceeds the cap of 1048576 bytes \(after decompression\)'
tap_check "the good copy is kept after the bomb" cache_kept list

# ---- junk by size, and rejected after parsing ----------------------------
awk 'BEGIN { for (i = 0; i < 500; i++) printf "host%d.example.test\n", i }' \
	>"$www/big.txt"
fetch shrink "$base/doc/big.txt" --commit
save_cache shrink
echo 'only.example.test' >"$www/big.txt"
fetch shrink "$base/doc/big.txt"
tap_check "a body under 10% of the good one: stale" \
	has '^shrink error: fetch .*18 bytes, under 10% of the last good copy'
: >"$www/big.txt"
fetch shrink "$base/doc/big.txt"
tap_check "an empty body: stale" has '^shrink error: fetch .*an empty body'
tap_check "the good copy is kept after shrinking" cache_kept shrink

awk 'BEGIN { for (i = 0; i < 100; i++) printf "host%d.example.test\n", i }' \
	>"$www/big.txt"
fetch shrink "$base/doc/big.txt" --min-lines 400 --commit
tap_check "fewer accepted lines than the minimum: stale" \
	has '^shrink stale http=200 bytes=10390 '
tap_check "with the caller's reason" \
	has '^shrink error: check .*100 lines, fewer than the minimum 400; using the last good copy'
tap_check "the good copy is kept after a rejection" cache_kept shrink

now=$(date +%s)
fetch list "$base/status/500" --now $((now + 8 * 86400))
tap_check "a good copy older than max_age: failed" \
	has '^list failed http=500 bytes=0 '
tap_check "saying it is too old" has 'is too old \(8d > max_age 7d\)'
fetch list "$base/status/500" --now $((now + 2 * 86400)) --max-age 86400
tap_check "max_age is configurable" has '^list failed http=500 '

# ---- the cache itself ----------------------------------------------------
fetch list "$base/doc/nothing" --offline
tap_check "offline: the good copy, unchanged" has '^list unchanged http=0 bytes=53 '
fetch other "$base/doc/nothing" --offline
tap_check "offline without a copy: failed" has '^other failed http=0 '
tap_check "and nothing was asked from the server" [ -z "$(hits /doc/nothing)" ]

echo '{ "status": "good", ' >"$cache/list.json"
fetch list "$base/status/404"
tap_check "broken metadata: no usable copy" has '^list failed http=404 '
tap_check "reported as such" has "cache 'list.json' does not parse"
cp "$tmp/list.saved-json" "$cache/list.json"
echo 'tampered.example.test' >>"$cache/list.body"
fetch list "$base/status/404"
tap_check "a body that does not match its metadata: failed" \
	has "cache 'list.body' has 75 bytes, its metadata says 53"

# ---- redirects, protocols, headers, proxies ---------------------------------
fetch redir "$base/redirect" --body "$tmp/body"
tap_check "a redirect is followed" has '^redir new http=200 bytes=60 '
fetch loop "$base/redirect-loop" --max-redirects 3
tap_check "a redirect loop stops at max_redirects" \
	has '^loop error: fetch .*[Rr]edirect'
fetch tofile "$base/redirect-file" --body "$tmp/body"
tap_check "a redirect to file:// is refused" has '^tofile failed '
tap_check "with a reason" has '^tofile error: fetch .*(rotocol|file)'

fetch ua "$base/ua" --body "$tmp/body"
tap_check "the User-Agent names poolwall and its version" \
	grep -Eq '^poolwall/[0-9]+\.[0-9]+' "$tmp/body"

fetch proxied "http://feeds.invalid/list.txt" --proxy "$base" --body "$tmp/body"
tap_check "the proxy option is used" \
	grep -qx 'proxied http://feeds.invalid/list.txt' "$tmp/body"

fetch secret "http://alice:hunter2@127.0.0.1:$port/status/404?token=s3cr3t&x=1"
tap_check "credentials never reach a message" lacks 'hunter2|alice|s3cr3t'
tap_check "the URL is shown redacted" \
	has "'http://127.0.0.1:$port/status/404\\?token=REDACTED&x=1'"
fetch secret "http://alice:hunter2@127.0.0.1:$port/ok?api_key=s3cr3t" --commit
tap_check "nor the cache metadata" sh -c \
	"! grep -Eq 'hunter2|alice|s3cr3t' '$cache/secret.json'"
tap_check "which keeps the redacted URL" \
	grep -qF 'api_key=REDACTED' "$cache/secret.json"

# ---- several at once -------------------------------------------------------
start=$(date +%s)
"$tool" "$base/hold/p4" h1 "$cache" --feed "$base/hold/p4?2" h2 \
	--feed "$base/hold/p4?3" h3 --feed "$base/hold/p4?4" h4 \
	--parallel 4 >"$tmp/out" 2>"$tmp/err"
end=$(date +%s)
tap_check "four feeds in parallel all arrive" \
	[ "$(grep -c '^h[1-4] new http=200 ' "$tmp/out")" = 4 ]
tap_check "at the same time" [ "$(peak p4)" = 4 ]
"$tool" "$base/hold/p1" h1 "$cache" --feed "$base/hold/p1?2" h2 \
	--parallel 1 >"$tmp/out" 2>"$tmp/err"
tap_check "and one at a time with parallel 1" [ "$(peak p1)" = 1 ]

# ---- TLS -----------------------------------------------------------------
if [ "$have_tls" = yes ]; then
	tbase="https://127.0.0.1:$tls_port"
	fetch tls "$tbase/ok" --ca-file "$tmp/ca.pem" --commit
	tap_check "HTTPS with the test CA" has '^tls new http=200 bytes=60 '
	fetch tls2 "$tbase/ok"
	tap_check "without it, verification fails" has '^tls2 failed http=0 '
	tap_check "and says why" has '^tls2 error: fetch .*(certificate|SSL)'
	fetch tls "$tbase/status/500" --ca-file "$tmp/ca.pem"
	tap_check "HTTPS failures fall back too" has '^tls stale http=500 '
	fetch down "$tbase/redirect-http/$port" --ca-file "$tmp/ca.pem"
	tap_check "no redirect from https down to http" has '^down failed '
else
	tap_diag <"$tmp/openssl.log"
	tap_missing "openssl for the HTTPS tests"
fi

tap_check "the server is still up" kill -0 "$srv_pid"
tap_check "no temporary file is left in the cache at the end" no_temp_files
tap_done
