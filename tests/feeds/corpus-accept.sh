#!/bin/sh
# The real corpus through the whole core: the exact number of tokens
# accepted, rejected and skipped per file (tests/feeds/corpus-accept.expected
# says how each was checked independently).
. "$top_srcdir/tests/lib/tap.sh"
corpus=${PW_CORPUS:-$top_srcdir/../shared/corpus}
if [ ! -d "$corpus/feeds" ]; then
	tap_missing "the shared corpus ($corpus)"
	tap_done
	exit $?
fi
grep -v '^#' "$top_srcdir/tests/feeds/corpus-accept.expected" |
while read -r fmt file tokens acc rej skip; do
	opt=
	case $fmt in
	text:list) fmt=text; opt="-O text.list=yes" ;;
	esac
	# shellcheck disable=SC2086
	got=$("$POOLWALL" -q compile --stats -i "$fmt:$corpus/$file" $opt \
		-t ioc:/dev/null 2>&1 | awk '/^stats: input/ {
			print $7, $9, $11, $13 }')
	want="$tokens $acc $rej $skip"
	if [ "$got" = "$want" ]; then
		echo "ok - $file: $want"
	else
		echo "not ok - $file: got '$got', want '$want'"
	fi
done >"${TMPDIR:-/tmp}/pw-corpus-accept.$$"
while read -r line; do
	case $line in
	ok*) tap_ok 0 "${line#ok - }" ;;
	*) tap_ok 1 "${line#not ok - }" ;;
	esac
done <"${TMPDIR:-/tmp}/pw-corpus-accept.$$"
rm -f "${TMPDIR:-/tmp}/pw-corpus-accept.$$"
tap_done
