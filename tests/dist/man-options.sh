#!/bin/sh
# Every command and option of `poolwall --help` and `poolwall COMMAND
# --help`, every key `poolwall config` prints (and conffile.c reads), and
# every option of every plugin (`poolwall plugins NAME`) is in the manual
# pages the build installs: poolwall(8), poolwall.conf(5) and
# poolwall-plugins(7), each in its own section.
. "$top_srcdir/tests/dist/lib.sh"

if [ "$PW_HAVE_MANS" != yes ]; then
	tap_missing "no manual pages (no asciidoctor and no rendered pages)"
	tap_done
	exit
fi
man8=$(pw_built doc/poolwall.8) && man5=$(pw_built doc/poolwall.conf.5) &&
	man7=$(pw_built doc/poolwall-plugins.7) || {
	tap_ok 1 "rendered pages doc/poolwall.8, doc/poolwall.conf.5, doc/poolwall-plugins.7"
	tap_done
	exit
}

# ---- poolwall(8): global options, commands and their options --------------
help=$("$POOLWALL" --help) || tap_ok 1 "poolwall --help"
opts=$(printf '%s\n' "$help" | sed -n '/^Options:/,$p' | pw_help_options)
sect=$(pw_section "$man8" SH OPTIONS)
missing=
for o in $opts; do
	pw_has_word "$o" "$sect" || missing="$missing $o"
done
tap_ok "$([ -z "$missing" ]; echo $?)" \
	"poolwall(8) OPTIONS has every global option ($(echo $opts | wc -w))${missing:+; missing:$missing}"

cmds=$(printf '%s\n' "$help" | awk '/^Commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on { on = 0 }')
tap_ok "$([ -n "$cmds" ]; echo $?)" "--help lists commands"
synopsis=$(pw_section "$man8" SH SYNOPSIS)
for c in $cmds; do
	sect=$(pw_section "$man8" SS "$c")
	if [ -z "$sect" ]; then
		tap_ok 1 "poolwall(8) has a section for command $c"
		continue
	fi
	pw_has_word "$c" "$synopsis" || {
		tap_ok 1 "poolwall(8) SYNOPSIS names command $c"
		continue
	}
	copts=$("$POOLWALL" "$c" --help 2>&1 | pw_help_options)
	missing=
	for o in $copts; do
		pw_has_word "$o" "$sect" || missing="$missing $o"
	done
	tap_ok "$([ -z "$missing" ]; echo $?)" \
		"poolwall(8) $c: every option ($(echo $copts | wc -w))${missing:+; missing:$missing}"
done

# ---- poolwall.conf(5): every key -------------------------------------------
# A configuration that sets the optional keys too, so that `config` prints
# every one it knows.
mkdir -p "$pw_tmp/state" && : > "$pw_tmp/allow" && : > "$pw_tmp/feed"
cat > "$pw_tmp/full.conf" <<CONF
[general]
ca_file = $pw_tmp/ca.pem
proxy = http://proxy.invalid:3128
own_networks = 198.51.100.0/24
[allow]
file = $pw_tmp/allow
entries = example.net
[incidents]
dir = $pw_tmp/incidents
[feed all-keys]
url = $pw_tmp/feed
format = domains
enabled = yes
refresh = 1h
max_age = 2d
subdomains = yes
action = monitor
min_entries = 3
licence = CC0-1.0
description = every key
[output all-keys]
plugin = domains
path = $pw_tmp/out
validate = true %f
reload = true
enabled = yes
CONF
printed=$("$POOLWALL" -c "$pw_tmp/full.conf" -S "$pw_tmp/state" config 2>&1)
tap_ok $? "poolwall config prints the configuration"
# section of the man page for a section of the file
man_section() {
	case $1 in
	general | allow | incidents) echo "[$1]" ;;
	feed\ *) echo "[feed NAME]" ;;
	output\ *) echo "[output NAME]" ;;
	esac
}
keys=$(printf '%s\n' "$printed" | awk '
	/^\[/ { s = substr($0, 2, length($0) - 2); next }
	/^[a-z_]+ =/ { print s "|" $1 }' | sort -u)
n=0
missing=
old_ifs=$IFS
IFS='
'
for sk in $keys; do
	s=${sk%|*} k=${sk#*|}
	n=$((n + 1))
	text=$(pw_section "$man5" SH "$(man_section "$s")")
	# in a feed or output section, a plugin's option is documented with
	# the plugin
	case $s in
	feed\ * | output\ *)
		text="$text
$(pw_section "$man5" SH "FEED AND OUTPUT PLUGINS")" ;;
	esac
	pw_has_word "$k" "$text" || missing="$missing $(man_section "$s")$k"
done
IFS=$old_ifs
tap_ok "$([ -z "$missing" ] && [ "$n" -gt 20 ]; echo $?)" \
	"poolwall.conf(5) has every key poolwall config prints ($n)${missing:+; missing:$missing}"

# the keys the parser compares, from the source: cfg_general, cfg_feed,
# cfg_output, and [allow]/[incidents] in cfg_handler
src=$top_srcdir/core/conffile.c
if [ -f "$src" ]; then
	srckeys=$(awk '
		/^static int cfg_general\(/ { f = "general" }
		/^static int cfg_feed\(/ { f = "feed" }
		/^static int cfg_output\(/ { f = "output" }
		/^static int cfg_handler\(/ { f = "handler" }
		/^}/ { f = "" }
		f == "handler" && /strcmp\(section, "allow"\)/ { h = "allow" }
		f == "handler" && /strcmp\(section, "incidents"\)/ { h = "incidents" }
		f != "" {
			l = $0
			while (match(l, /strcmp\((n|name), "[a-z_]+"\)/)) {
				k = substr(l, RSTART, RLENGTH)
				sub(/^[^"]*"/, "", k); sub(/".*/, "", k)
				print (f == "handler" ? h : f) "|" k
				l = substr(l, RSTART + RLENGTH)
			}
		}' "$src" | sort -u)
	n=0
	missing=
	IFS='
'
	for sk in $srckeys; do
		s=${sk%|*} k=${sk#*|}
		case $s in feed | output) s="$s x" ;; esac
		n=$((n + 1))
		text=$(pw_section "$man5" SH "$(man_section "$s")")
		pw_has_word "$k" "$text" || missing="$missing $(man_section "$s")$k"
	done
	IFS=$old_ifs
	tap_ok "$([ -z "$missing" ] && [ "$n" -gt 20 ]; echo $?)" \
		"poolwall.conf(5) has every key core/conffile.c reads ($n)${missing:+; missing:$missing}"
fi

# ---- every plugin's options, in poolwall.conf(5) and poolwall-plugins(7) ----
plugins=$("$POOLWALL" plugins 2>/dev/null | awk '{ print $1 "|" $2 }')
tap_ok "$([ -n "$plugins" ]; echo $?)" "poolwall plugins lists plugins"
for kp in $plugins; do
	kind=${kp%|*} name=${kp#*|}
	popts=$("$POOLWALL" plugins "$name" | awk -v h="$kind plugin $name:" '
		index($0, h) == 1 { on = 1; next }
		/^[a-z]+ plugin / { on = 0 }
		on && /^    [a-z]/ { print $1 }')
	for page in "$man5" "$man7"; do
		sect=$(pw_section "$page" SS "$kind plugin $name")
		if [ -z "$sect" ]; then
			tap_ok 1 "$(basename "$page"): a section for $kind plugin $name"
			continue
		fi
		missing=
		for o in $popts; do
			pw_has_word "$o" "$sect" || missing="$missing $o"
		done
		tap_ok "$([ -z "$missing" ]; echo $?)" \
			"$(basename "$page"): $kind plugin $name, every option ($(echo $popts | wc -w))${missing:+; missing:$missing}"
	done
done
tap_done
