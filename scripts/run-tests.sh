#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run the unit and replay tests of one build variant: the cmocka unit tests
# (TAP output) and the fuzz harnesses replayed over their committed
# corpora. tests/net/run.sh and tests/pkg/run.sh run the other suites.
# Writes BUILDDIR/test-summary ("passed failed skipped") for
# scripts/summary.sh, and each skipped test's name to BUILDDIR/skips-unit.
# A cmocka skip (TAP "not ok N # SKIP name") is a skip, never a pass and
# never a failure; a binary that crashes before reporting is a failure.
set -uo pipefail
builddir=${1:-build}
passed=0; failed=0; skipped=0; failures=()
: >"$builddir/skips-unit"

run_unit() {
	local bin=$1 out rc p f k name
	name=$(basename "$bin")
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1); rc=$?
	p=$(grep -c '^ok ' <<<"$out")
	k=$(grep -c '^not ok [0-9]* # SKIP' <<<"$out")
	f=$(($(grep -c '^not ok ' <<<"$out") - k))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed before reporting
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$k" -eq 0 ]; then f=1; fi # no test ran at all
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + k))
	grep '^not ok [0-9]* # SKIP' <<<"$out" | sed "s/^not ok [0-9]* # SKIP */unit:$name:/" >>"$builddir/skips-unit"
	printf '%-40s %4d passed %4d failed %4d skipped\n' "$name" "$p" "$f" "$k"
	if [ "$f" -ne 0 ]; then failures+=("$bin"); echo "$out" | grep -v '^ok ' | tail -40; fi
}

run_replay() {
	local bin=$1 name corpus out rc n
	name=$(basename "$bin")
	corpus=tests/fuzz/corpus/${name#fuzz_}
	[ -d "$corpus" ] || corpus=tests/fuzz/corpus/$name
	if [ ! -d "$corpus" ]; then
		echo "$name: no corpus at tests/fuzz/corpus/${name#fuzz_}"; failed=$((failed + 1)); failures+=("$bin"); return
	fi
	out=$("$bin" "$corpus" 2>&1); rc=$?
	n=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1)); printf '%-40s replayed %d inputs\n' "$name" "$n"
	else
		failed=$((failed + 1)); failures+=("$bin"); echo "$name: replay FAILED"; echo "$out" | tail -40
	fi
}

units=0; replays=0
for bin in "$builddir"/tests/test_*; do [ -x "$bin" ] && { run_unit "$bin"; units=$((units + 1)); }; done
for bin in "$builddir"/replay/fuzz_*; do [ -x "$bin" ] && { run_replay "$bin"; replays=$((replays + 1)); }; done
# A suite with nothing in it did not run: that is a failure, not silence.
if [ "$units" -eq 0 ]; then echo "[unit] no test binary in $builddir/tests"; failed=$((failed + 1)); fi
if [ "$replays" -eq 0 ]; then echo "[replay] no replay binary in $builddir/replay"; failed=$((failed + 1)); fi

echo "$passed $failed $skipped" > "$builddir/test-summary"
echo "[unit+replay $builddir] $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
