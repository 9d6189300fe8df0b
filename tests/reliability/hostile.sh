#!/bin/sh
# Hostile feeds: every case of tests/reliability/hostile-corpus/*.txt (lines
# crafted against the syntax of every output: newlines, quotes, `;`,
# braces, backslashes, $INCLUDE, include:, XML and JSON metacharacters,
# NUL and control bytes, over-long labels, `*` in odd places, addresses
# posing as names, 0.0.0.0/0, reserved ranges, bare TLDs, mixed scripts),
# wrapped in every feed format of the build and compiled into every
# output; a scanner asserts that no hostile byte sequence reaches any
# output and that each refusal is clean.  hostile-consumers.sh (make
# check-integration) loads the same outputs into their real consumers.
. "$top_srcdir/tests/lib/tap.sh"
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is not installed"
	exit 0
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/reliability/hostile.py" run "$tmp"
