#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The interop matrix as part of `make check`: openpptp against pppd, pptpd and
# pptp-linux in QEMU VMs (tests/interop). It runs wherever it can (root,
# /dev/net/tun, packages installable) and writes BUILDDIR/interop-summary for
# scripts/summary.sh; elsewhere it says why it was skipped.
#
#   INTEROP=0          skip it (a quick local `make check`)
#   INTEROP_BUDGET     seconds before no new cell starts (default 3000)
#   INTEROP_RETRY      a failed cell runs once more, both tries reported (default 1:
#                      the VMs run under TCG on two shared cores)
set -uo pipefail
builddir=${1:-build}
cd "$(dirname "$0")/.."
summary=$builddir/interop-summary
: >"$builddir/skips-interop"
skip() { # a skipped matrix counts as one skip, named, never as a pass
	echo "[interop] skipped: $1"; echo "0 0 1" >"$summary"
	echo "interop:matrix: $1" >"$builddir/skips-interop"; exit 0
}
[ "${INTEROP:-1}" = 0 ] && skip "INTEROP=0"
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
	skip "needs root (namespaces, taps, QEMU) and /dev/net/tun"
fi
log=$builddir/interop.log
INTEROP_OPENPPTP=$PWD/$builddir/openpptp INTEROP_DOCS=${INTEROP_DOCS:-0} \
	INTEROP_BUDGET=${INTEROP_BUDGET:-3000} INTEROP_RETRY=${INTEROP_RETRY:-1} \
	tests/interop/run.sh 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
p=$(awk '{print $1}' <<<"$line"); f=$(awk '{print $3}' <<<"$line")
[ -n "$p" ] || { p=0; f=1; }
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
echo "$p $f 0" >"$summary"
echo "[interop] $p passed, $f failed"
[ "$f" -eq 0 ]
