#!/bin/sh
# `make install DESTDIR=...` puts every file where the autotools
# variables say (binary, plugins, header and pkg-config module,
# configuration, data, man pages, systemd units, completion, cron
# example), the installed binary finds its plugins, state and cache there,
# a changed configuration survives a reinstall, and `make uninstall`
# leaves no file behind.
. "$top_srcdir/tests/dist/lib.sh"

mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${PW_MAKE:-make} -s \
		-C "$top_builddir" "$@"
}
dirs=$(mk pw-print-dirs) || {
	tap_ok 1 "make pw-print-dirs"
	tap_done
	exit
}
eval "$dirs"
D=$pw_tmp/root
if ! mk install DESTDIR="$D" > "$pw_tmp/install.log" 2>&1; then
	tap_ok 1 "make install DESTDIR=..."
	tail -20 "$pw_tmp/install.log" | tap_diag
	tap_done
	exit
fi
tap_ok 0 "make install DESTDIR=..."

there() {	# DESCRIPTION FILE...
	_d=$1
	shift
	_miss=
	for _f in "$@"; do
		[ -f "$D$_f" ] || _miss="$_miss $_f"
	done
	tap_ok "$([ -z "$_miss" ]; echo $?)" "$_d${_miss:+; missing:$_miss}"
}
there "the command in sbindir" "$sbindir/poolwall"
plugins=$("$POOLWALL" plugins 2>/dev/null | awk -v d="$plugindir" \
	'{ printf "%s/%s_%s.so ", d, $1, $2 }')
there "every plugin in plugindir" $plugins
there "the plugin header and pkg-config module" \
	"$includedir/poolwall/plugin.h" "$pkgconfigdir/poolwall-plugin.pc"
there "poolwall.conf and allow.list in sysconfdir/poolwall" \
	"$sysconfdir/poolwall/poolwall.conf" "$sysconfdir/poolwall/allow.list"
there "the catalog and built-in lists in pkgdatadir" \
	"$pkgdatadir/feeds.conf" "$pkgdatadir/pools.list" \
	"$pkgdatadir/stratum-ports.list" "$pkgdatadir/cdn-ranges.list" \
	"$pkgdatadir/builtin.ioc"
there "the cron example in docdir" "$docdir/examples/poolwall.cron"
if [ "$PW_HAVE_MANS" = yes ]; then
	there "the manual pages" "$mandir/man8/poolwall.8" \
		"$mandir/man5/poolwall.conf.5" "$mandir/man7/poolwall-plugins.7" \
		$(for m in $PW_PLUGIN_MANS; do
			b=$(basename "$m"); echo "$mandir/man${b##*.}/$b"; done)
else
	tap_missing "no manual pages"
fi
if [ "$systemdsystemunitdir" != no ]; then
	there "the systemd units" \
		"$systemdsystemunitdir/poolwall-update.service" \
		"$systemdsystemunitdir/poolwall-update.timer" \
		"$systemdsystemunitdir/poolwall-expire.service" \
		"$systemdsystemunitdir/poolwall-expire.timer"
	grep -q "^ExecStart=$sbindir/poolwall update\$" \
		"$D$systemdsystemunitdir/poolwall-update.service"
	tap_ok $? "the update unit runs $sbindir/poolwall"
fi
[ "$bashcompletiondir" = no ] ||
	there "the bash completion" "$bashcompletiondir/poolwall"

# the installed binary, with the installed plugins
n=$(POOLWALL_PLUGIN_DIR=$D$plugindir "$D$sbindir/poolwall" plugins 2>/dev/null |
	wc -l)
tap_ok "$([ "$n" -gt 0 ] && [ "$n" -eq "$(echo $plugins | wc -w)" ]; echo $?)" \
	"the installed poolwall loads the installed plugins ($n)"
"$D$sbindir/poolwall" --help | grep -qF "else $plugindir)"
tap_ok $? "its default plugin directory is $plugindir"
cfg=$(POOLWALL_PLUGIN_DIR=$D$plugindir "$D$sbindir/poolwall" \
	-c /dev/null config 2>&1)
printf '%s\n' "$cfg" | grep -qx "state_dir = $localstatedir/lib/poolwall" &&
	printf '%s\n' "$cfg" | grep -qx "cache_dir = $localstatedir/cache/poolwall" &&
	printf '%s\n' "$cfg" | grep -qx "dir = $sysconfdir/poolwall/incidents.d"
tap_ok $? "its state, cache and incidents are under localstatedir and sysconfdir"

# a changed configuration is the admin's: kept by install and uninstall
echo "; changed" >> "$D$sysconfdir/poolwall/poolwall.conf"
mk install DESTDIR="$D" > "$pw_tmp/install2.log" 2>&1
tap_ok $? "make install again"
tail -1 "$D$sysconfdir/poolwall/poolwall.conf" | grep -qx '; changed'
tap_ok $? "a reinstall keeps the changed poolwall.conf"

mk uninstall DESTDIR="$D" > "$pw_tmp/uninstall.log" 2>&1
tap_ok $? "make uninstall DESTDIR=..."
tap_check "make uninstall keeps the changed poolwall.conf" \
	test -f "$D$sysconfdir/poolwall/poolwall.conf"
rm -f "$D$sysconfdir/poolwall/poolwall.conf"
left=$(cd "$D" && find . ! -type d | head -5)
tap_ok "$([ -z "$left" ]; echo $?)" "make uninstall leaves no file behind${left:+: $(echo $left)}"
tap_done
