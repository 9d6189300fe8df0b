#!/bin/sh
# The version: MAJOR.MINOR.PATCH from configure.ac, printed by `poolwall
# --version` with the enabled plugins, and the same in NEWS, the
# pkg-config module and debian/changelog.
. "$top_srcdir/tests/dist/lib.sh"

echo "$PW_VERSION" | grep -qE '^[0-9]+\.[0-9]+\.[0-9]+$'
tap_ok $? "the version '$PW_VERSION' is MAJOR.MINOR.PATCH"

out=$("$POOLWALL" --version)
tap_ok $? "poolwall --version exits 0"
first=$(printf '%s\n' "$out" | sed -n 1p)
tap_ok "$([ "$first" = "poolwall $PW_VERSION" ]; echo $?)" \
	"poolwall --version prints 'poolwall $PW_VERSION' (got '$first')"
enabled=$(printf '%s\n' "$out" | sed -n 's/^plugins: *//p')
tap_ok "$([ -n "$enabled" ]; echo $?)" "poolwall --version lists the enabled plugins"
found=$("$POOLWALL" plugins 2>/dev/null | awk '{ print $1 "_" $2 }')
missing=
for p in $enabled; do
	printf '%s\n' "$found" | grep -qx "$p" || missing="$missing $p"
done
tap_ok "$([ -z "$missing" ]; echo $?)" \
	"every enabled plugin is built ($(echo $enabled | wc -w))${missing:+; missing:$missing}"

news=$(sed -n '/^poolwall [0-9]/{p;q;}' "$top_srcdir/NEWS")
case $news in
"poolwall $PW_VERSION "* | "poolwall $PW_VERSION") ok=0 ;;
*) ok=1 ;;
esac
tap_ok $ok "NEWS starts with poolwall $PW_VERSION (got '$news')"

pc=$(pw_built plugins/poolwall-plugin.pc) &&
	grep -qx "Version: $PW_VERSION" "$pc"
tap_ok $? "poolwall-plugin.pc has Version: $PW_VERSION"

deb=$(sed -n '1s/^poolwall (\([^)]*\)).*/\1/p' "$top_srcdir/debian/changelog")
tap_ok "$([ "${deb%-*}" = "$PW_VERSION" ]; echo $?)" \
	"debian/changelog packages $PW_VERSION (got '$deb')"
tap_done
