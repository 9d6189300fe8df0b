#!/bin/sh
# Quick start on a fresh Debian 12 machine: install the dependencies (as
# root, or through sudo), build in this tree, and run `poolwall compile` on
# the built-in pool list.  Then `make check` runs the tests.
set -e
cd "$(dirname "$0")/.."
pkgs=$(grep -v '^#' tools/debian-packages.txt | tr '\n' ' ')
if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
if command -v apt-get >/dev/null 2>&1; then
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $pkgs >/dev/null
fi
[ -x configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure -q
make -s -j"$(nproc)"
echo "== poolwall compile -t ioc (built-in pool list and stratum ports)"
POOLWALL_PLUGIN_DIR="$PWD/tests/plugins" ./poolwall compile -t ioc
