#!/bin/sh
# The bash completion (contrib/bash-completion/poolwall): commands and
# options come from the binary's --help, plugin names from `poolwall
# plugins`, feed and output names from `poolwall config -c FILE`.
. "$top_srcdir/tests/dist/lib.sh"

if ! command -v bash >/dev/null 2>&1; then
	tap_skip "bash not installed"
	tap_done
	exit
fi
comp=$top_srcdir/contrib/bash-completion/poolwall
cat > "$pw_tmp/c.conf" <<CONF
[general]
state_dir = $pw_tmp/state
[feed team-list]
url = $pw_tmp/feed.txt
format = domains
[output edge-nft]
plugin = ioc
path = $pw_tmp/a
[output resolver]
plugin = domains
path = $pw_tmp/b
CONF
: > "$pw_tmp/feed.txt"

# run the completion in bash: complete WORD... (the last one is completed;
# words are given as bash splits them, ':' and '=' apart)
cat > "$pw_tmp/run.bash" <<'BASH'
. "$1"
mapfile -t COMP_WORDS < "$2"
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=""
for w in "${COMP_WORDS[@]}"; do
	case $w in
	: | =) COMP_LINE=${COMP_LINE% }$w ;;
	*) [[ $COMP_LINE == *[:=] ]] && COMP_LINE=$COMP_LINE$w ||
		COMP_LINE=${COMP_LINE:+$COMP_LINE }$w ;;
	esac
done
[[ ${COMP_WORDS[COMP_CWORD]} == "" && $COMP_LINE != *[:=] ]] &&
	COMP_LINE="$COMP_LINE "
COMP_POINT=${#COMP_LINE}
_poolwall
printf '%s\n' "${COMPREPLY[@]}" | sort
BASH
# expect WORDS... @@ EXPECTED...: every EXPECTED is among the completions
expect() {
	echo "$POOLWALL" > "$pw_tmp/words"
	_w=
	while [ $# -gt 0 ] && [ "$1" != "@@" ]; do
		printf '%s\n' "$1" >> "$pw_tmp/words"
		_w="$_w $1"
		shift
	done
	[ $# -gt 0 ] && shift
	_got=$(cd "$pw_tmp" && bash "$pw_tmp/run.bash" "$comp" "$pw_tmp/words" 2>&1)
	_miss=
	for _e in "$@"; do
		printf '%s\n' "$_got" | grep -qxF -- "$_e" || _miss="$_miss $_e"
	done
	tap_ok "$([ -z "$_miss" ]; echo $?)" \
		"complete 'poolwall$_w': $*${_miss:+; missing:$_miss; got: $(echo $_got)}"
}

bash -c ". '$comp' && complete -p poolwall" | grep -q -- '-F _poolwall'
tap_ok $? "the script registers _poolwall for poolwall"

cmds=$("$POOLWALL" --help | awk '/^Commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1; next } on { on = 0 }')
expect "" @@ $cmds
expect up @@ update
expect "--" @@ --config --state-dir --plugin-dir --quiet --verbose --json \
	--help --version
for c in $cmds; do
	copts=$("$POOLWALL" "$c" --help 2>&1 | pw_help_options | grep -- '^--')
	[ -n "$copts" ] && expect "$c" "--" @@ $copts
done
expect plugins h @@ hosts
expect compile -i ho @@ hosts:
expect compile -t do @@ domains:
expect compile -i hosts : @@ feed.txt
expect compile -i hosts : f @@ feed.txt
expect compile -O hosts. @@ hosts.address= hosts.ipv6=
expect list --kind d @@ domain
expect -c "$pw_tmp/c.conf" update --output "" @@ edge-nft resolver
expect -c "$pw_tmp/c.conf" list --source t @@ team-list
expect extract f @@ feed.txt
expect miner --binary f @@ feed.txt
expect miner --pid 1 @@ 1
tap_done
