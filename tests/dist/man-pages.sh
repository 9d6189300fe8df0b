#!/bin/sh
# The manual pages: every plugin page beside the code (feeds/*/NAME.adoc,
# outputs/*/NAME.adoc) is rendered and installed, each page is there with
# the version in its title line, and groff reads them without a warning.
. "$top_srcdir/tests/dist/lib.sh"

# every NAME.adoc beside a plugin is listed in doc/Makemodule.am
missing=
for f in "$top_srcdir"/feeds/*/*.adoc "$top_srcdir"/outputs/*/*.adoc; do
	[ -f "$f" ] || continue
	rel=${f#"$top_srcdir"/}
	case " $PW_PLUGIN_ADOCS " in
	*" $rel "*) ;;
	*) missing="$missing $rel" ;;
	esac
done
tap_ok "$([ -z "$missing" ]; echo $?)" "every plugin page source is in doc/Makemodule.am${missing:+; missing:$missing}"
for rel in $missing; do
	kind=${rel%%s/*} name=$(basename "$rel" .adoc)
	echo "# add to PW_PLUGIN_ADOCS: $rel"
	echo "# add to PW_PLUGIN_MANS:  doc/poolwall-$kind-$name.5"
done

# the sources listed exist, and the page names follow their titles
for rel in $PW_PLUGIN_ADOCS; do
	f=$top_srcdir/$rel
	kind=${rel%%s/*} name=$(basename "$rel" .adoc)
	title=$(sed -n '1s/^= *//p' "$f" 2>/dev/null)
	tap_ok "$([ "$title" = "poolwall-$kind-$name(5)" ]; echo $?)" \
		"$rel: title poolwall-$kind-$name(5) (is '$title')"
done

if [ "$PW_HAVE_MANS" != yes ]; then
	tap_missing "no manual pages (no asciidoctor and no rendered pages)"
	tap_done
	exit
fi
for m in doc/poolwall.8 doc/poolwall.conf.5 doc/poolwall-plugins.7 \
	$PW_PLUGIN_MANS; do
	p=$(pw_built "$m") || {
		tap_ok 1 "$m is rendered"
		continue
	}
	th=$(sed -n 's/^\.TH //p' "$p")
	case $th in
	*"poolwall $PW_VERSION"*) tap_ok 0 "$m: rendered, version $PW_VERSION" ;;
	*) tap_ok 1 "$m: rendered, version $PW_VERSION (.TH $th)" ;;
	esac
	if command -v groff >/dev/null 2>&1; then
		warn=$(groff -man -Tutf8 -ww -z "$p" 2>&1 |
			grep -v "can't break line" | head -3)
		tap_ok "$([ -z "$warn" ]; echo $?)" \
			"$m: groff reads it without a warning${warn:+: $warn}"
	fi
done
tap_done
