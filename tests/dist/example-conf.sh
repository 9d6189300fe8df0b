#!/bin/sh
# The shipped configuration (etc/poolwall.conf) is valid, stays valid with
# every example in it turned on (so the examples follow the plugins'
# options), and works offline: `poolwall update` publishes the built-in
# pool list and stratum ports with it.  builtin.ioc is the built-in list.
. "$top_srcdir/tests/dist/lib.sh"

conf=$(pw_built etc/poolwall.conf) || {
	tap_ok 1 "etc/poolwall.conf is built"
	tap_done
	exit
}
ioc=$(pw_built contrib/builtin.ioc) || tap_ok 1 "contrib/builtin.ioc is built"
allow=$top_srcdir/etc/allow.list

# the directories the file names, as configured
statedir=$(sed -n 's/^;state_dir = //p' "$conf")
cachedir=$(sed -n 's/^;cache_dir = //p' "$conf")
pkgdatadir=$(sed -n 's|^url = \(.*\)/builtin.ioc$|\1|p' "$conf")
sysconfdir=$(sed -n 's|^file = \(.*\)/poolwall/allow.list$|\1|p' "$conf")
tap_ok "$([ -n "$statedir" ] && [ -n "$cachedir" ] && [ -n "$pkgdatadir" ] &&
	[ -n "$sysconfdir" ]; echo $?)" \
	"the paths are substituted ($statedir, $cachedir, $pkgdatadir, $sysconfdir)"
grep -q '@[a-z_]*@' "$conf"
tap_ok "$([ $? -ne 0 ]; echo $?)" "no @variable@ left in poolwall.conf"

# the same file with its paths moved into a temporary directory
mkdir -p "$pw_tmp/state" "$pw_tmp/cache"
sed -e "s|$statedir|$pw_tmp/state|g" -e "s|$cachedir|$pw_tmp/cache|g" \
    -e "s|$pkgdatadir/builtin.ioc|$ioc|" \
    -e "s|$sysconfdir/poolwall/allow.list|$allow|" \
    -e "s|^;state_dir = .*|state_dir = $pw_tmp/state|" \
    -e "s|^;cache_dir = .*|cache_dir = $pw_tmp/cache|" \
    "$conf" > "$pw_tmp/poolwall.conf"

out=$("$POOLWALL" -c "$pw_tmp/poolwall.conf" config --check 2>&1)
tap_ok $? "poolwall config --check accepts the shipped configuration${out:+: $out}"

# every commented key and section turned on, but the sections of plugins
# this build does not have
have=" $("$POOLWALL" plugins 2>/dev/null | awk '$1 == "output" { printf "%s ", $2 }')metrics "
awk -v have="$have" '
	function flush(   i, on) {
		on = (plugin == "" || index(have, " " plugin " ") > 0)
		for (i = 1; i <= n; i++)
			print (on && buf[i] ~ /^;[a-z[]/) ? substr(buf[i], 2) : buf[i]
		n = 0; plugin = ""
	}
	/^;?\[/ { flush() }
	/^;plugin = / { plugin = $3 }
	{ buf[++n] = $0 }
	END { flush() }' "$pw_tmp/poolwall.conf" > "$pw_tmp/all.conf"
n=$(grep -c '^\[' "$pw_tmp/all.conf")
out=$("$POOLWALL" -c "$pw_tmp/all.conf" config --check 2>&1)
tap_ok $? "every example in it turned on ($n sections) is valid${out:+: $out}"

# offline: the built-in pool list and ports, published
out=$("$POOLWALL" -c "$pw_tmp/poolwall.conf" update 2>&1)
rc=$?
tap_ok "$([ $rc -eq 0 ]; echo $?)" "poolwall update with it publishes (exit $rc)"
[ $rc -eq 0 ] || printf '%s\n' "$out" | tap_diag
exp=$pw_tmp/state/export.ioc
tap_check "the export blocks supportxmr.com and its subdomains" \
	grep -q '^domain supportxmr.com\( \|$\)' "$exp"
tap_check "the export keeps exact names exact" \
	grep -q '^domain donate.v2.xmrig.com .*match=exact' "$exp"
tap_check "the export blocks the stratum port 14444" \
	grep -q '^port tcp/14444\( \|$\)' "$exp"
tap_check "the domains output lists supportxmr.com" \
	grep -qx 'supportxmr.com' "$pw_tmp/state/domains.txt"
out=$("$POOLWALL" -c "$pw_tmp/poolwall.conf" update --offline 2>&1)
tap_ok $? "a second update, offline, publishes again"
"$POOLWALL" -c "$pw_tmp/poolwall.conf" check supportxmr.com >/dev/null 2>&1
tap_ok $? "poolwall check supportxmr.com: blocked"

# builtin.ioc holds what `compile` builds in
strip() { grep -v '^#' | sed 's/ sources=[^ ]*//' | sort; }
"$POOLWALL" compile -t ioc 2>/dev/null | strip > "$pw_tmp/builtin"
"$POOLWALL" compile -i "ioc:$ioc" -t ioc 2>/dev/null | strip > "$pw_tmp/file"
tap_ok "$([ -s "$pw_tmp/builtin" ] && cmp -s "$pw_tmp/builtin" "$pw_tmp/file"; echo $?)" \
	"builtin.ioc is the built-in pool list and stratum ports ($(wc -l < "$pw_tmp/file") indicators)"
diff "$pw_tmp/builtin" "$pw_tmp/file" | head -5 | tap_diag

# the allowlist shipped is all comments and reads as an empty allowlist
"$POOLWALL" compile --allow "$allow" -t ioc 2>/dev/null | strip > "$pw_tmp/allowed"
tap_ok "$(cmp -s "$pw_tmp/builtin" "$pw_tmp/allowed"; echo $?)" \
	"the shipped allow.list reads and allows nothing"
tap_done
