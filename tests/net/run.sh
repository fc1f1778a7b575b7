#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run every tests/net/test_*.sh against BUILDDIR/openpptp and write
# BUILDDIR/net-summary for scripts/summary.sh. Needs root (namespaces, TUN,
# raw sockets); without it the suite is reported as skipped, not passed.
set -uo pipefail
builddir=${1:-build}
cd "$(dirname "$0")/../.."
export OPENPPTP="$PWD/$builddir/openpptp"
passed=0; failed=0; skipped=0
skip_log=$builddir/skips-net
: >"$skip_log"
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
	# Every test counts as skipped (named in skips-net), never as passed.
	for t in tests/net/test_*.sh; do
		[ -f "$t" ] || continue
		skipped=$((skipped + 1)); echo "net:$(basename "$t" .sh): needs root and /dev/net/tun" >>"$skip_log"
	done
	echo "0 0 $skipped" >"$builddir/net-summary"
	echo "[net $builddir] 0 passed, 0 failed, $skipped skipped: needs root and /dev/net/tun"
	exit 0
fi
for t in tests/net/test_*.sh; do
	[ -f "$t" ] || continue
	result=$(mktemp)
	NET_SKIP_LOG=$PWD/$skip_log NET_RESULT=$result timeout --kill-after=10 "${NET_TEST_TIMEOUT:-300}" bash "$t"
	rc=$?
	read -r p f s <"$result" 2>/dev/null || { p=0; f=0; s=0; }
	rm -f "$result"
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; echo "FAIL $(basename "$t"): exited $rc"; fi
	# A test that reported nothing at all did not run: a failure.
	if [ "${p:-0}" -eq 0 ] && [ "${f:-0}" -eq 0 ] && [ "${s:-0}" -eq 0 ]; then f=1; echo "FAIL $(basename "$t"): reported no result"; fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "$passed $failed $skipped" >"$builddir/net-summary"
echo "[net $builddir] $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
