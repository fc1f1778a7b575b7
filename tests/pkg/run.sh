#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run every tests/pkg/test_*.sh: what an admin installs rather than what
# the daemons do on the wire (man pages, generated files, completion,
# systemd units, the Debian package, the SPDX script). Writes
# BUILDDIR/pkg-summary ("passed failed skipped") and the skipped tests'
# names in BUILDDIR/skips-pkg for scripts/summary.sh.
#
# Tests that depend on the build variant (they run BUILDDIR/openpptp) run
# for every variant. Those that do not (units, .deb, SPDX) run once, for
# the normal variant (SAN=0); under SAN=1 they are not run and not counted,
# and the line below says so.
set -uo pipefail
builddir=${1:-build}
san=${2:-0}
cd "$(dirname "$0")/../.." || exit 1
export OPENPPTP="$PWD/$builddir/openpptp" BUILDDIR="$builddir"
passed=0; failed=0; skipped=0; not_run=()
skip_log=$builddir/skips-pkg
: >"$skip_log"
for t in tests/pkg/test_*.sh; do
	[ -f "$t" ] || continue
	if [ "$san" = 1 ] && grep -q '^# pkg: once$' "$t"; then
		not_run+=("$(basename "$t" .sh)")
		continue
	fi
	result=$(mktemp)
	NET_SKIP_LOG=$PWD/$skip_log NET_RESULT=$result timeout --kill-after=10 "${PKG_TEST_TIMEOUT:-300}" bash "$t"
	rc=$?
	read -r p f s <"$result" 2>/dev/null || { p=0; f=0; s=0; }
	rm -f "$result"
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; echo "FAIL $(basename "$t"): exited $rc"; fi
	if [ "${p:-0}" -eq 0 ] && [ "${f:-0}" -eq 0 ] && [ "${s:-0}" -eq 0 ]; then f=1; echo "FAIL $(basename "$t"): reported no result"; fi
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "$passed $failed $skipped" >"$builddir/pkg-summary"
[ ${#not_run[@]} -gt 0 ] && echo "[pkg $builddir] not run in this variant (they run once, with SAN=0): ${not_run[*]}"
echo "[pkg $builddir] $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
