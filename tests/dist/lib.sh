# Sourced by the tests in tests/dist/: the built files and the manual
# pages as text.
# shellcheck shell=sh
. "$top_srcdir/tests/lib/tap.sh"
: "${POOLWALL:=$top_builddir/poolwall}"
pw_tmp=$(mktemp -d "${TMPDIR:-/tmp}/pw-dist.XXXXXX") || exit 1
trap 'rm -rf "$pw_tmp"' EXIT

# a file made by the build: in the build tree, else the tarball's copy
pw_built() {
	for _d in "$top_builddir" "$top_srcdir"; do
		if [ -f "$_d/$1" ]; then
			echo "$_d/$1"
			return 0
		fi
	done
	return 1
}

# a roff page as plain text, one roff line a line (requests kept)
pw_deroff() {
	sed -e 's/\\f[BIRP]//g' -e 's/\\f(CR//g' -e 's/\\-/-/g' \
	    -e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' -e 's/\\\*(Aq/'"'"'/g' \
	    -e 's/\\&//g' -e 's/\\:\|\\%//g' -e 's/\\e/\\/g' \
	    -e 's/\\(em/--/g' -e 's/\\(en/-/g' -e 's/\\ / /g' "$1"
}

# The text of one section of a page: pw_section FILE SH|SS TITLE (SH
# titles compare without case).  An SH section holds its SS titles.
pw_section() {
	pw_deroff "$1" | awk -v m="$2" -v t="$3" '
		function ttl(l) {
			sub(/^\.S[HS] +/, "", l); gsub(/"/, "", l)
			return toupper(l)
		}
		/^\.SH / { on = (m == "SH" && ttl($0) == toupper(t)); next }
		/^\.SS / {
			if (m == "SS") on = (ttl($0) == toupper(t))
			else if (on) print ttl($0)
			next
		}
		on { print }'
}

# is WORD in TEXT as a word of its own (options, keys)?
pw_has_word() {
	printf '%s\n' "$2" | grep -qE -- "(^|[^A-Za-z0-9_-])$1([^A-Za-z0-9_-]|\$)"
}

# the options (-x, --long) that a --help text names
pw_help_options() {
	grep -oE -- '(^|[][ ,|(])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[][ ,|(]//' |
		sort -u
}
