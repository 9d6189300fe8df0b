# Sourced by the TAP shell tests: ok/fail/skip lines and a plan at exit.
# shellcheck shell=sh
tap_n=0
tap_failed=0
tap_ok() {	# tap_ok STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
tap_check() {	# tap_check DESCRIPTION COMMAND...: ok when COMMAND succeeds
	_d=$1
	shift
	if "$@"; then tap_ok 0 "$_d"; else tap_ok 1 "$_d"; fi
}
tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}
tap_diag() {
	sed 's/^/# /'
}
# A tool or file that is missing: skip, except under CI where it fails.
tap_missing() {
	if [ "${CI:-}" = true ]; then
		tap_ok 1 "$1 (missing under CI=true)"
	else
		tap_skip "$1"
	fi
}
tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
