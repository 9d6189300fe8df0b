#!/bin/sh
# Privileges and files: the modes of what `update`, `block` and `compile`
# write (outputs 0644, the state directory 0750 and state.db 0640, the
# cache not world-writable, nothing world-writable at all) under the
# umasks 022, 000 and 077; temporary files created exclusively beside
# their target (strace, when installed); symlinks planted at the
# temporary-name pattern and at the `.prev` name never followed; a target
# that is a symlink keeps its link and gets its file replaced; a FIFO at
# an output path does not hang a run for ever; and the systemd units keep
# only CAP_NET_ADMIN, a read-only system and no new privileges.
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
tried=0

mode() { stat -c %a "$1"; }
# at_most FILE MODE: no permission bit beyond MODE (octal)
at_most() {
	[ $(( 0$(mode "$1") & ~0$2 )) -eq 0 ]
}
printf 'pool1.example.test\nsupportxmr.com\n' >"$tmp/pools.txt"
printf '192.0.2.1\n' >"$tmp/ips.txt"
conf() {	# conf NAME: a configuration with its own state, cache and outputs
	cat >"$tmp/$1.conf" <<EOF
[general]
state_dir = $tmp/$1/state
cache_dir = $tmp/$1/cache
permit_documentation = yes
syslog = no
lock_timeout = 5s
canaries = supportxmr.com
[feed pools]
url = $tmp/pools.txt
format = domains
[feed ips]
url = $tmp/ips.txt
format = netset
[output hosts]
path = $tmp/$1/out/pools.hosts
[output ioc]
path = $tmp/$1/out/all.ioc
EOF
	mkdir -p "$tmp/$1/out"
}

# ---- modes ----------------------------------------------------------------
for um in 022 000 077; do
	conf "u$um"
	d=$tmp/u$um
	(
		umask $um
		"$POOLWALL" -c "$tmp/u$um.conf" update >/dev/null 2>&1 &&
			"$POOLWALL" -c "$tmp/u$um.conf" block modes.example.test \
				>/dev/null 2>&1 &&
			"$POOLWALL" compile --permit-documentation \
				-i "domains:$tmp/pools.txt" -t "hosts:$d/out/c.hosts" \
				2>/dev/null
	)
	tap_ok $? "umask $um: update, block and compile run"
	tried=$((tried + 1))
	tap_check "umask $um: the state directory is at most 0750 ($(mode "$d/state"))" at_most "$d/state" 750
	tap_check "umask $um: state.db is 0640 ($(mode "$d/state/state.db"))" \
		test "$(mode "$d/state/state.db")" = 640
	tap_check "umask $um: the lock is at most 0640 ($(mode "$d/state/lock"))" at_most "$d/state/lock" 640
	tap_check "umask $um: the cache directory is at most 0750 ($(mode "$d/cache"))" at_most "$d/cache" 750
	bad=
	for f in "$d"/out/*; do
		[ "$(mode "$f")" = 644 ] || bad="$bad $(basename "$f"):$(mode "$f")"
	done
	tap_ok "$([ -z "$bad" ]; echo $?)" "umask $um: every output is 0644${bad:+ (not:$bad)}"
	ww=$(find "$d" -perm -o+w ! -type l | sed "s|$d/||")
	tap_ok "$([ -z "$ww" ]; echo $?)" "umask $um: nothing world-writable under the state, cache and outputs${ww:+ ($ww)}"
done

# ---- temporary files: exclusive, beside the target ---------------------------
conf t
"$POOLWALL" -c "$tmp/t.conf" update >/dev/null 2>&1
if command -v strace >/dev/null 2>&1; then
	strace -f -o "$tmp/trace" -e trace=openat,open,creat,rename,renameat,renameat2 \
		"$POOLWALL" -c "$tmp/t.conf" update --force >/dev/null 2>&1
	# every file created under out/ or cache/: O_EXCL, a dot name there
	grep 'O_CREAT' "$tmp/trace" | grep "$tmp/t/\(out\|cache\)/" >"$tmp/creates"
	n=$(wc -l <"$tmp/creates")
	bad=$(grep -v 'O_EXCL' "$tmp/creates" | grep -c .)
	tap_ok $((n == 0 || bad != 0)) "the $n files created for outputs and the cache are created O_EXCL ($bad are not)"
	grep -v 'O_EXCL' "$tmp/creates" | head -3 | tap_diag
	bad=$(grep 'O_CREAT' "$tmp/creates" | grep -vc "$tmp/t/\(out\|cache\)/\.[^/]*\"")
	tap_ok "$bad" "...each under a dot name beside its target"
	bad=$(grep -E 'rename(at2?)?\(' "$tmp/trace" | grep "$tmp/t/out/" |
		grep -vc "\"$tmp/t/out/\.[^/]*\", .*\"$tmp/t/out/[^/.][^/]*\"")
	tap_ok "$bad" "...and renamed within the directory of the target"
else
	tap_missing "strace (to see how temporary files are created)"
fi

# ---- symlinks planted at the temporary names ------------------------------
echo "victim, must stay" >"$tmp/victim"
cp "$tmp/victim" "$tmp/victim.orig"
chars=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
planted=0
for name in pools.hosts all.ioc; do
	# 500 names of the mkostemp pattern (.NAME.XXXXXX) for each output
	od -An -tu1 -N3000 /dev/urandom | tr -s ' ' '\n' | grep . |
		awk -v c="$chars" '{ s = s substr(c, $1 % 62 + 1, 1) }
			length(s) == 6 { print s; s = "" }' >"$tmp/suffixes"
	while read -r s; do
		ln -s "$tmp/victim" "$tmp/t/out/.$name.$s" 2>/dev/null &&
			planted=$((planted + 1))
	done <"$tmp/suffixes"
	ln -s "$tmp/victim" "$tmp/t/out/$name.prev"
done
printf 'pool1.example.test\npool2.example.test\nsupportxmr.com\n' >"$tmp/pools.txt"
"$POOLWALL" -c "$tmp/t.conf" update >/dev/null 2>"$tmp/err"
tap_ok $? "update with $planted symlinks planted at .NAME.XXXXXX and at NAME.prev"
tap_diag <"$tmp/err"
"$POOLWALL" -c "$tmp/t.conf" block planted.example.test >/dev/null 2>&1
tap_ok $? "...and a block"
tap_check "...the victim they point at is untouched" cmp -s "$tmp/victim" "$tmp/victim.orig"
tap_check "...the outputs are regular files" sh -c "[ -f '$tmp/t/out/pools.hosts' ] && [ ! -L '$tmp/t/out/pools.hosts' ] && [ -f '$tmp/t/out/all.ioc' ] && [ ! -L '$tmp/t/out/all.ioc' ]"
tap_check "...with the new generation" grep -qx '0.0.0.0 pool2.example.test' "$tmp/t/out/pools.hosts"
tap_check "...and the block" grep -qx '0.0.0.0 planted.example.test' "$tmp/t/out/pools.hosts"
left=$(find "$tmp/t/out" -type l | wc -l)
echo "# $left of the planted symlinks are still there (never followed, never removed as litter)"
tried=$((tried + planted))

# ---- a target that is a symlink ----------------------------------------------
conf l
mkdir -p "$tmp/l/real"
"$POOLWALL" -c "$tmp/l.conf" update >/dev/null 2>&1
mv "$tmp/l/out/pools.hosts" "$tmp/l/real/pools.hosts"
ln -s "$tmp/l/real/pools.hosts" "$tmp/l/out/pools.hosts"
printf 'pool3.example.test\nsupportxmr.com\n' >"$tmp/pools.txt"
"$POOLWALL" -c "$tmp/l.conf" update --force >/dev/null 2>"$tmp/err"
tap_ok $? "update with an output path that is a symlink"
tap_diag <"$tmp/err"
tap_check "...the link is kept" test -L "$tmp/l/out/pools.hosts"
tap_check "...pointing where it did" test "$(readlink "$tmp/l/out/pools.hosts")" = "$tmp/l/real/pools.hosts"
tap_check "...and the file it points at has the new generation" grep -qx '0.0.0.0 pool3.example.test' "$tmp/l/real/pools.hosts"
tap_check "...with mode 0644" test "$(mode "$tmp/l/real/pools.hosts")" = 644
tried=$((tried + 1))

# ---- a FIFO at an output path ------------------------------------------------
fifo_wait=${PW_FIFO_WAIT:-5}
fifo_check() {	# fifo_check DESCRIPTION COMMAND...
	_d=$1
	shift
	timeout "$fifo_wait" "$@" >/dev/null 2>"$tmp/err"
	_rc=$?
	tried=$((tried + 1))
	tap_ok $((_rc == 124)) "$_d: bounded (exit $_rc)"
	tap_diag <"$tmp/err"
}
conf f
"$POOLWALL" -c "$tmp/f.conf" update >/dev/null 2>&1
rm -f "$tmp/f/out/pools.hosts"
mkfifo "$tmp/f/out/pools.hosts"
fifo_check "update with a FIFO at an output path" \
	"$POOLWALL" -c "$tmp/f.conf" update --force
rm -f "$tmp/f/out/pools.hosts" "$tmp/f/out/pools.hosts.prev"
mkfifo "$tmp/f/out/pools.hosts"
fifo_check "block with a FIFO at an output path" \
	"$POOLWALL" -c "$tmp/f.conf" block fifo.example.test
# (compile -t to a FIFO is a pipe the caller chose, like a shell
# redirection: it waits for its reader by design)
# the lock does not outlive a run killed while it waited
"$POOLWALL" -c "$tmp/f.conf" list >/dev/null 2>&1
rm -f "$tmp/f/out/pools.hosts" "$tmp/f/out/pools.hosts.prev"
"$POOLWALL" -c "$tmp/f.conf" update --force >/dev/null 2>"$tmp/err"
tap_ok $? "once the FIFO is gone, the next update runs"
tap_diag <"$tmp/err"

# ---- the systemd units -------------------------------------------------------
units=$(ls "$top_srcdir"/contrib/systemd/*.service.in 2>/dev/null)
if [ -z "$units" ]; then
	tap_skip "no systemd unit in contrib/systemd"
fi
for u in $units; do
	n=$(basename "$u" .in)
	tap_check "$n: CapabilityBoundingSet=CAP_NET_ADMIN (and nothing else)" \
		grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN' "$u"
	tap_check "$n: no other capability line" \
		sh -c "! grep -v '^#' '$u' | grep '^\(Ambient\)\{0,1\}Capabilit' | grep -vqx 'CapabilityBoundingSet=CAP_NET_ADMIN'"
	tap_check "$n: ProtectSystem=strict" grep -qx 'ProtectSystem=strict' "$u"
	tap_check "$n: NoNewPrivileges=yes" grep -qx 'NoNewPrivileges=yes' "$u"
	tap_check "$n: runs as root with only that capability (no User=)" \
		sh -c "! grep -q '^User=\|^DynamicUser=yes' '$u'"
	tried=$((tried + 1))
	if command -v systemd-analyze >/dev/null 2>&1; then
		mkdir -p "$tmp/units"
		sed "s|@sbindir@/poolwall|$POOLWALL|g" "$u" >"$tmp/units/$n"
		t=${u%.service.in}.timer
		[ -f "$t" ] && cp "$t" "$tmp/units/"
		systemd-analyze verify "$tmp/units/$n" >"$tmp/verify" 2>&1
		# the man pages of Documentation= are not installed here
		bad=$(grep -v "Command 'man .*' failed" "$tmp/verify" | grep -c .)
		tap_ok "$bad" "$n: systemd-analyze verify has nothing to say"
		grep -v "Command 'man .*' failed" "$tmp/verify" | head -5 | tap_diag
		lvl=$(systemd-analyze security --offline=yes "$tmp/units/$n" 2>/dev/null |
			sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
		if [ -n "$lvl" ]; then
			ok=$(awk -v l="$lvl" 'BEGIN { print (l <= 3.0) ? 0 : 1 }')
			tap_ok "$ok" "$n: systemd-analyze security: exposure $lvl (3.0 or less)"
		else
			tap_skip "$n: systemd-analyze security --offline is not supported here"
		fi
	fi
done
echo "# figures: suite=files tried=$tried failures=$tap_failed"
tap_done
