# Sourced by the nft integration tests, after tests/lib/tap.sh and
# tests/integration/lib.sh.  They need root (a network namespace of their
# own, CAP_NET_ADMIN in it): without it they skip, except under CI=true.
# shellcheck shell=sh

NFT_PROBE=$top_builddir/tests/nft/nft-probe
NFT_EMERG=$top_builddir/tests/nft/nft-emerg
export POOLWALL_PLUGIN_DIR

nft_need_root() {
	[ "$(id -u)" = 0 ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "not ok 1 - needs root (CI=true)"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP needs root for network namespaces"
	exit 0
}

nft_need_tools() {
	for t in "$NFT_PROBE" "$NFT_EMERG"; do
		[ -x "$t" ] && continue
		echo "not ok 1 - $t is not built"
		echo "1..1"
		exit 1
	done
}

# Run the rest of the script inside a network namespace of its own: the
# kernel's ruleset there is ours alone, and it vanishes with the script.
nft_own_netns() {
	[ -n "${PW_NFT_NETNS:-}" ] && return 0
	PW_NFT_NETNS=1 exec unshare -n "$SHELL_BIN" "$0" "$@"
}
SHELL_BIN=${SHELL_BIN:-/bin/sh}

# compile with the nft output; the rest of the arguments are added
pw_nft() {
	"$POOLWALL" compile --permit-documentation "$@"
}

# nft -j list of the table, without what differs between two loads of the
# same content: handles, time left, the metainfo header
nft_json() {	# nft_json [TABLE]
	nft -j list table inet "${1:-poolwall}" | jq -S '
		[.nftables[] | select(has("metainfo") | not)] |
		walk(if type == "object" then del(.handle, .expires)
		     else . end)'
}

# the elements of a set as text, one a line, sorted
nft_elems() {	# nft_elems SET [TABLE]
	nft -j list set inet "${2:-poolwall}" "$1" | jq -r '
		.nftables[] | select(has("set")) | .set.elem // [] | .[] |
		if type == "object" then (.elem.val // .) else . end |
		if type == "object" and has("prefix") then
			"\(.prefix.addr)/\(.prefix.len)"
		elif type == "object" and has("range") then
			"\(.range[0])-\(.range[1])"
		else tostring end' | sort
}

# packets of a named counter
nft_counter() {	# nft_counter NAME [TABLE]
	nft -j list counter inet "${2:-poolwall}" "$1" |
		jq -r '.nftables[] | select(has("counter")) | .counter.packets'
}
