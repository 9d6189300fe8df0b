#!/bin/sh
# plugins/skeleton builds out of tree with only <poolwall/plugin.h> and the
# poolwall-plugin.pc file, loads, and renders.  With PW_SKELETON_INSTALLED
# set (make installcheck) it uses the installed header and .pc file instead
# of the source tree's.
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cp "$top_srcdir/plugins/skeleton/skeleton.c" "$top_srcdir/plugins/skeleton/Makefile" "$tmp/"
if [ -n "${PW_SKELETON_INSTALLED:-}" ]; then
	pc="pkg-config"
else
	PKG_CONFIG_PATH="$top_builddir/plugins${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
	export PKG_CONFIG_PATH
	pc="pkg-config --define-variable=includedir=$top_srcdir/plugins/include"
fi
make -s -C "$tmp" PKG_CONFIG="$pc" CFLAGS="-O2 -Wall -Wextra -Werror" >"$tmp/log" 2>&1
tap_ok $? "skeleton builds out of tree against the plugin header"
tap_diag <"$tmp/log"
tap_check "it exports poolwall_plugin" sh -c "nm -D '$tmp/output_skeleton.so' | grep -q ' poolwall_plugin\$'"
"$POOLWALL" --plugin-dir "$tmp" plugins skeleton >"$tmp/desc" 2>&1
tap_ok $? "poolwall loads it"
tap_check "and shows its option" grep -q 'title .*default: indicators' "$tmp/desc"
printf 'pool.example.test\nother.example.test\n' >"$tmp/in"
# the feed comes from the build's plugin directory, the output from tmp
mkdir "$tmp/pl"
ln -s "$POOLWALL_PLUGIN_DIR/feed_domains.so" "$tmp/pl/"
ln -s "$tmp/output_skeleton.so" "$tmp/pl/"
"$POOLWALL" --plugin-dir "$tmp/pl" compile --permit-documentation \
	-i domains:"$tmp/in" -t skeleton -O skeleton.title=n >"$tmp/out" 2>&1
tap_ok $? "compile renders through it"
tap_check "with the counts of the set" grep -qx 'n domain 2' "$tmp/out"
tap_done
