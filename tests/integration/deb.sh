#!/bin/sh
# The Debian packages, from the release tarball: `make dist`, then
# `dpkg-buildpackage -us -uc -b` in a copy, each plugin in the package of
# its library, lintian with no error (warnings are listed), installing the
# packages, `poolwall update` with the shipped configuration (offline: the
# built-in pool list), the installed units through `systemd-analyze
# verify`, and a purge that leaves nothing.  Needs root and a few minutes;
# leaves the machine as it found it (it does nothing where poolwall is
# already installed).  PW_DEB_CHECK=1 also runs `make check` in the build.
. "$top_srcdir/tests/lib/tap.sh"

V=$(sed -n "s/^PACKAGE_VERSION = //p" "$top_builddir/Makefile")
# the plugins of this build, which the packages must hold together; then
# the installed poolwall, with its own plugin directory
nplugins=$("${POOLWALL:-$top_builddir/poolwall}" plugins 2>/dev/null | wc -l)
unset POOLWALL_PLUGIN_DIR
pw=/usr/sbin/poolwall
pkgs="poolwall poolwall-nft poolwall-dns poolwall-xml poolwall-dev"
if [ "$(id -u)" -ne 0 ]; then
	tap_skip "needs root (dpkg -i)"
	tap_done
	exit
fi
missing=
for t in dpkg-buildpackage dpkg-checkbuilddeps dh lintian dpkg xz; do
	command -v $t >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	tap_missing "missing:$missing (dpkg-dev, debhelper, lintian, xz-utils)"
	tap_done
	exit
fi
# never touch a poolwall that is installed here, or its files
for p in $pkgs; do
	if dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'installed\|config-files'; then
		tap_skip "$p is installed on this machine: not touching it"
		tap_done
		exit
	fi
done
for d in /etc/poolwall /var/lib/poolwall /var/cache/poolwall; do
	if [ -e "$d" ]; then
		tap_skip "$d exists on this machine: not touching it"
		tap_done
		exit
	fi
done

tmp=$(mktemp -d /tmp/pw-deb.XXXXXX) || exit 1
installed=no
cleanup() {
	if [ "$installed" = yes ]; then
		# shellcheck disable=SC2086
		dpkg --purge $pkgs >/dev/null 2>&1
		rm -rf /var/lib/poolwall /var/cache/poolwall /etc/poolwall
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${PW_MAKE:-make} -s \
		-C "$top_builddir" "$@"
}

# ---- the release tarball ----------------------------------------------------
# what `make dist` packs (its distdir step), packed here, so that a
# tarball already in the build tree stays as it is
mkdir "$tmp/dist"
if ! mk distdir distdir="$tmp/dist/poolwall-$V" > "$tmp/dist.log" 2>&1 ||
	! tar -C "$tmp/dist" -cJf "$tmp/poolwall_$V.orig.tar.xz" \
		"poolwall-$V"; then
	tap_ok 1 "make distdir, and the tarball of it"
	tail -20 "$tmp/dist.log" | tap_diag
	tap_done
	exit
fi
rm -rf "$tmp/dist"
tar -C "$tmp" -xJf "$tmp/poolwall_$V.orig.tar.xz"
tap_ok $? "the release tarball poolwall_$V.orig.tar.xz"
src=$tmp/poolwall-$V
tap_check "the tarball has debian/ and the rendered manual pages" \
	test -f "$src/debian/control" -a -f "$src/doc/poolwall.8" \
	-a -f "$src/doc/poolwall.conf.5" -a -f "$src/doc/poolwall-plugins.7"

if ! (cd "$src" && dpkg-checkbuilddeps) > "$tmp/deps.log" 2>&1; then
	tap_missing "build dependencies: $(sed 's/.*Unmet build dependencies: //' "$tmp/deps.log")"
	tap_done
	exit
fi

# ---- dpkg-buildpackage -us -uc -b -------------------------------------------
opts="parallel=$(nproc 2>/dev/null || echo 2)"
[ "${PW_DEB_CHECK:-0}" = 1 ] || opts="$opts nocheck"
start=$(date +%s)
(cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u CI \
	DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -us -uc -b) \
	> "$tmp/build.log" 2>&1
rc=$?
tap_ok $rc "dpkg-buildpackage -us -uc -b ($(($(date +%s) - start))s, $opts)"
if [ $rc -ne 0 ]; then
	grep -E '^(FAIL|ERROR|not ok)' "$tmp/build.log" | head -20 | tap_diag
	tail -40 "$tmp/build.log" | tap_diag
	tap_done
	exit
fi
arch=$(dpkg --print-architecture)
debs=
for p in $pkgs; do
	debs="$debs $tmp/${p}_$V-1_$arch.deb"
done
missing=
for d in $debs; do
	[ -f "$d" ] || missing="$missing $(basename "$d")"
done
tap_ok "$([ -z "$missing" ]; echo $?)" "five packages: $pkgs${missing:+; missing:$missing}"

# each plugin in the package of its library
contents() { dpkg-deb -c "$tmp/${1}_$V-1_$arch.deb" | awk '{ print $NF }'; }
plugins_of() {
	contents "$1" | sed -n 's|.*/poolwall/\([a-z]*_[a-z]*\)\.so$|\1|p' |
		sort | tr '\n' ' '
}
check_plugins() {	# PACKAGE EXPECTED...
	_p=$1
	shift
	_got=$(plugins_of "$_p")
	_want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	tap_ok "$([ "$_got" = "$_want" ]; echo $?)" "$_p holds: $_want${_got:+(got: $_got)}"
}
check_plugins poolwall feed_adblock feed_cmdline feed_csv feed_domains \
	feed_hosts feed_ioc feed_misp feed_netset feed_stix feed_text \
	feed_xmrig output_dnsmasq output_domains output_hosts output_ioc \
	output_squid output_stix output_suricata
check_plugins poolwall-nft output_nft
check_plugins poolwall-dns output_rpz output_unbound
check_plugins poolwall-xml feed_openioc output_openioc
contents poolwall-dev | grep -q '/usr/include/poolwall/plugin.h$' &&
	contents poolwall-dev | grep -q '/pkgconfig/poolwall-plugin.pc$'
tap_ok $? "poolwall-dev holds plugin.h and poolwall-plugin.pc"
c=$(contents poolwall)
ok=0
for f in /usr/sbin/poolwall /etc/poolwall/poolwall.conf \
	/etc/poolwall/allow.list /usr/share/poolwall/builtin.ioc \
	/usr/share/poolwall/feeds.conf /lib/systemd/system/poolwall-update.service \
	/lib/systemd/system/poolwall-update.timer \
	/lib/systemd/system/poolwall-expire.service \
	/lib/systemd/system/poolwall-expire.timer \
	/usr/share/bash-completion/completions/poolwall \
	/usr/share/man/man8/poolwall.8.gz /usr/share/man/man5/poolwall.conf.5.gz \
	/usr/share/man/man7/poolwall-plugins.7.gz \
	/usr/share/doc/poolwall/examples/poolwall.cron; do
	printf '%s\n' "$c" | grep -qx ".$f" || { echo "# poolwall: no $f"; ok=1; }
done
tap_ok $ok "poolwall holds the command, configuration, data, units, completion, pages"
dpkg-deb -f "$tmp/poolwall-nft_$V-1_$arch.deb" Depends | grep -q libnftnl &&
	! dpkg-deb -f "$tmp/poolwall_$V-1_$arch.deb" Depends |
		grep -q 'libnftnl\|libmnl\|libldns\|libxml2'
tap_ok $? "only the plugin packages depend on libnftnl, libmnl, ldns, libxml2"

# ---- lintian ------------------------------------------------------------------
lintian --no-tag-display-limit "$tmp/poolwall_$V-1_${arch}.changes" \
	> "$tmp/lintian.log" 2>&1
errors=$(grep -c '^E: ' "$tmp/lintian.log")
warnings=$(grep -c '^W: ' "$tmp/lintian.log")
tap_ok "$([ "$errors" -eq 0 ]; echo $?)" \
	"lintian: $errors errors, $warnings warnings"
grep '^[EW]: ' "$tmp/lintian.log" | tap_diag

# ---- install, update with the shipped configuration -------------------------
# shellcheck disable=SC2086
if dpkg -i $debs > "$tmp/install.log" 2>&1; then
	installed=yes
	tap_ok 0 "dpkg -i the five packages"
else
	installed=yes
	tap_ok 1 "dpkg -i the five packages"
	tail -20 "$tmp/install.log" | tap_diag
	tap_done
	exit
fi
out=$($pw --version)
tap_ok "$(printf '%s\n' "$out" | grep -qx "poolwall $V"; echo $?)" "poolwall --version: $V"
n=$($pw plugins 2>/dev/null | wc -l)
tap_ok "$([ "$n" -gt 0 ] && [ "$n" -eq "$nplugins" ]; echo $?)" \
	"poolwall plugins: the $nplugins plugins of the build are installed ($n)"
out=$($pw config --check 2>&1)
tap_ok $? "poolwall config --check: the shipped /etc/poolwall/poolwall.conf${out:+: $out}"
out=$($pw update 2>&1)
rc=$?
tap_ok $rc "poolwall update with the shipped configuration (exit $rc)"
printf '%s\n' "$out" | tap_diag
tap_check "it published /var/lib/poolwall/export.ioc with the pool list" \
	grep -q '^domain supportxmr.com' /var/lib/poolwall/export.ioc
tap_check "and /var/lib/poolwall/domains.txt" \
	grep -qx 'supportxmr.com' /var/lib/poolwall/domains.txt
$pw check supportxmr.com > /dev/null 2>&1
tap_ok $? "poolwall check supportxmr.com: blocked"
$pw compile -t rpz 2>/dev/null | grep -q 'supportxmr.com' &&
	$pw compile -t nft 2>/dev/null | grep -q 'table inet poolwall' &&
	$pw compile -t openioc 2>/dev/null | grep -q 'supportxmr.com'
tap_ok $? "the installed rpz, nft and openioc plugins render"
if command -v systemd-analyze >/dev/null 2>&1; then
	man=yes
	command -v man >/dev/null 2>&1 || man=no
	out=$(systemd-analyze verify --man=$man \
		/lib/systemd/system/poolwall-update.service \
		/lib/systemd/system/poolwall-update.timer \
		/lib/systemd/system/poolwall-expire.service \
		/lib/systemd/system/poolwall-expire.timer 2>&1)
	tap_ok "$([ $? -eq 0 ] && [ -z "$out" ]; echo $?)" \
		"systemd-analyze verify --man=$man: the installed units"
	printf '%s\n' "$out" | grep . | tap_diag
else
	tap_missing "systemd-analyze"
fi
if command -v man >/dev/null 2>&1; then
	for p in 8:poolwall 5:poolwall.conf 7:poolwall-plugins; do
		man -w "${p#*:}.${p%%:*}" >/dev/null 2>&1 ||
			man -w "${p%%:*}" "${p#*:}" >/dev/null 2>&1
		tap_ok $? "man ${p%%:*} ${p#*:} is installed"
	done
fi

# ---- purge ----------------------------------------------------------------------
# shellcheck disable=SC2086
dpkg --purge $pkgs > "$tmp/purge.log" 2>&1
tap_ok $? "dpkg --purge the five packages"
installed=no
left=
for f in /usr/sbin/poolwall /etc/poolwall /var/lib/poolwall \
	/var/cache/poolwall /usr/share/poolwall /lib/systemd/system/poolwall-update.service; do
	[ -e "$f" ] && left="$left $f"
done
left="$left$(ls /var/lib/systemd/deb-systemd-helper-enabled/ 2>/dev/null |
	grep poolwall | sed 's/^/ /')"
left="$left$(dpkg -l 'poolwall*' 2>/dev/null | awk '/^[a-z][a-z] +poolwall/ { printf " %s", $2 }')"
tap_ok "$([ -z "$left" ]; echo $?)" "nothing is left${left:+:$left}"
tap_done
