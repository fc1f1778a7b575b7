#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The test accounting itself (issue 11, "Honest test accounting"):
# scripts/run-tests.sh and scripts/summary.sh run on throw-away build
# directories whose "test binaries" are small scripts printing exactly what
# cmocka 1.1 prints in TAP mode (a skip is "not ok N # SKIP name"), never
# on the real build. A skip is a skip (not a pass, not a failure); a binary
# that crashes or reports nothing is a failure; an empty suite, or a suite
# that wrote no summary (did not run or finish), is a failure; the closing line is
# "N passed, N failed, N skipped"; under .ci/run's settings a skip not in
# OPENPPTP_ALLOWED_SKIPS fails the run.
# OPENPPTP_ACCT_SCRIPTS=DIR checks the run-tests.sh and summary.sh in DIR
# instead (how this test was shown to fail on the scripts before 5caa351).
# pkg: once
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
trap 'net_cleanup' EXIT
scripts=${OPENPPTP_ACCT_SCRIPTS:-$PWD/scripts}
ci_run=$PWD/.ci/run

# The fixture root is run-tests.sh's working directory: it finds a replay
# harness's corpus at tests/fuzz/corpus/NAME, relative to it.
fx=$NET_TMP/fx
mkdir -p "$fx/tests/fuzz/corpus/good"
echo input >"$fx/tests/fuzz/corpus/good/one"

# stub PATH: an executable /bin/sh script whose body is read from stdin.
stub() { { echo '#!/bin/sh'; cat; } >"$1" && chmod +x "$1"; }

# build NAME [noreplay]: a build directory with one replay harness that
# passes (unless noreplay) and no unit binary yet.
build() {
	mkdir -p "$fx/$1/tests" "$fx/$1/replay"
	[ "${2:-}" = noreplay ] || stub "$fx/$1/replay/fuzz_good" <<<'exit 0'
}

# Stand-ins for cmocka test binaries, in TAP as cmocka 1.1 prints it.
unit_pass() { stub "$fx/$1/tests/test_pass" <<'SH'; }
echo 1..2; echo 'ok 1 - first'; echo 'ok 2 - second'
SH
unit_skip() { stub "$fx/$1/tests/test_skip" <<'SH'; }
echo 1..2; echo 'ok 1 - first'; echo 'not ok 2 # SKIP needs_root'
SH
unit_fail() { stub "$fx/$1/tests/test_fail" <<'SH'; }
echo 1..2; echo 'ok 1 - first'; echo 'not ok 2 - second'
echo '# 0x1 != 0x2'; echo '# not ok - test_fail'; exit 1
SH
unit_crash() { stub "$fx/$1/tests/test_crash" <<<'ulimit -c 0; kill -SEGV $$'; }
unit_abort() { stub "$fx/$1/tests/test_abort" <<'SH'; }
echo 1..2; echo 'ok 1 - first'; ulimit -c 0; kill -ABRT $$
SH
unit_silent() { stub "$fx/$1/tests/test_silent" <<<'exit 0'; }

# run_tests NAME: run-tests.sh on build NAME; sets rc and sum (NAME/test-summary
# as "passed failed skipped", a missing third field read as 0 so that a
# check names what was miscounted; "none" when it wrote none).
run_tests() {
	local a b c
	(cd "$fx" && bash "$scripts/run-tests.sh" "$1") >"$fx/$1.out" 2>&1
	rc=$?
	if read -r a b c <"$fx/$1/test-summary"; then sum="$a $b ${c:-0}"; else sum=none; fi 2>/dev/null
}
# rc_is 0|fail: the last exit status was 0, or was not.
rc_is() { if [ "$1" = 0 ]; then [ "$rc" -eq 0 ]; else [ "$rc" -ne 0 ]; fi; }
# expect CHECK BUILD WANT_SUM WANT_RC: one check on the last run_tests.
expect() {
	if [ "$sum" = "$3" ] && rc_is "$4"; then t_pass "$1"
	else t_fail "$1" "test-summary '$sum' (want '$3'), exit $rc (want $4); $(tail -3 "$fx/$2.out" | tr '\n' ' ')"; fi
}

build skip; unit_pass skip; unit_skip skip; run_tests skip
expect "run-tests.sh: a cmocka skip is counted as skipped, not passed, not failed" skip "4 0 1" 0
if grep -qx 'unit:test_skip:needs_root' "$fx/skip/skips-unit" 2>/dev/null; then t_pass "run-tests.sh names the skip in skips-unit"
else t_fail "run-tests.sh names the skip in skips-unit" "$(cat "$fx/skip/skips-unit" 2>&1)"; fi

build fail; unit_pass fail; unit_fail fail; run_tests fail
expect "run-tests.sh: a failed assertion is one failure" fail "4 1 0" fail
build crash; unit_crash crash; run_tests crash
expect "run-tests.sh: a binary that crashes before any output is a failure" crash "1 1 0" fail
build abort; unit_abort abort; run_tests abort
expect "run-tests.sh: a binary that aborts after one pass is a failure" abort "2 1 0" fail
build silent; unit_silent silent; run_tests silent
expect "run-tests.sh: a binary that exits 0 having reported nothing is a failure" silent "1 1 0" fail
build nounit; run_tests nounit
expect "run-tests.sh: a unit suite with no binary is a failure, not silence" nounit "1 1 0" fail
build noreplay noreplay; unit_pass noreplay; run_tests noreplay
expect "run-tests.sh: a replay suite with no harness is a failure, not silence" noreplay "2 1 0" fail

# All of them in one variant: 2+1+1+1 unit passes (pass, skip, fail, abort)
# and one replay pass; one failure each for fail, crash, abort, silent; one skip.
build mix; for u in pass skip fail crash abort silent; do "unit_$u" mix; done; run_tests mix
expect "run-tests.sh adds up a mixed suite" mix "6 4 1" fail

# summary.sh. The net and pkg summaries are written here as their run.sh
# writes them ("passed failed skipped"; skip names in skips-net, -pkg).
# summarise ARGS...: run it as make test does (no CI settings); sets rc,
# out and last (its last line).
summarise() {
	out=$(cd "$fx" && env -u OPENPPTP_STRICT_SKIPS -u OPENPPTP_ALLOWED_SKIPS bash "$scripts/summary.sh" "$@" 2>&1)
	rc=$?
	last=$(tail -n 1 <<<"$out")
}
# closing NAME WANT_LINE WANT_RC: the last line is exactly WANT_LINE.
closing() {
	if [ "$last" = "$2" ] && rc_is "$3"; then t_pass "$1"
	else t_fail "$1" "closing line '$last' (want '$2'), exit $rc (want $3)"; fi
}
echo "3 0 2" >"$fx/skip/net-summary"
printf 'net:test_one: needs root\nnet:test_two: needs root\n' >"$fx/skip/skips-net"
echo "5 0 0" >"$fx/skip/pkg-summary"
: >"$fx/skip/skips-pkg"
summarise skip
closing "summary.sh: closing line over unit, replay, net, pkg" "12 passed, 0 failed, 3 skipped" 0
echo "6 0" >"$fx/fail/net-summary"   # two fields: a suite that has no skips
echo "1 0 0" >"$fx/fail/pkg-summary"
summarise skip fail
closing "summary.sh: closing line over two variants, one failed" "23 passed, 1 failed, 3 skipped" fail
# A suite that did not run or did not finish wrote no summary (make test
# removes the old ones first): each missing one is a failure, named.
build nonet; unit_pass nonet; run_tests nonet
echo "1 0 0" >"$fx/nonet/pkg-summary"
summarise skip nonet
if [ "$last" = "16 passed, 1 failed, 3 skipped" ] && rc_is fail && grep -q '^\[nonet\] no net-summary' <<<"$out"; then
	t_pass "summary.sh: a variant whose net suite wrote no summary counts one failure, named"
else t_fail "summary.sh: a variant whose net suite wrote no summary counts one failure" "closing line '$last', exit $rc; $(head -2 <<<"$out" | tr '\n' ' ')"; fi
mkdir -p "$fx/empty"
summarise skip empty
closing "summary.sh: a variant no suite reported on counts each suite as a failure" "12 passed, 3 failed, 3 skipped" fail

# Strict skips, with the settings .ci/run exports.
strict() {
	(
		eval "$(grep -E '^export OPENPPTP_(STRICT|ALLOWED)_SKIPS=' "$ci_run")"
		[ "${OPENPPTP_STRICT_SKIPS:-}" = 1 ] || { echo ".ci/run does not set OPENPPTP_STRICT_SKIPS=1"; exit 2; }
		[ $# -eq 0 ] || export OPENPPTP_ALLOWED_SKIPS="$1"
		cd "$fx" && bash "$scripts/summary.sh" skip
	) >"$fx/strict.out" 2>&1
}
if strict; then t_fail "CI settings: a skip not in OPENPPTP_ALLOWED_SKIPS fails summary.sh" "$(tail -2 "$fx/strict.out" | tr '\n' ' ')"
elif grep -q "^CI: 'unit:test_skip:needs_root' was skipped" "$fx/strict.out"; then
	t_pass "CI settings: a skip not in OPENPPTP_ALLOWED_SKIPS fails summary.sh, named"
else t_fail "CI settings: a skip not in OPENPPTP_ALLOWED_SKIPS fails summary.sh, named" "$(tail -2 "$fx/strict.out" | tr '\n' ' ')"; fi
if strict 'unit:test_skip:*'; then t_fail "CI settings: one skip allowed, two others not: still fails" "passed"
elif grep -q "^CI: 'net:test_two: needs root'" "$fx/strict.out" && ! grep -q "^CI: 'unit:" "$fx/strict.out"; then
	t_pass "CI settings: one skip allowed, two others not: still fails, on the others only"
else t_fail "CI settings: one skip allowed, two others not: still fails" "$(tail -3 "$fx/strict.out" | tr '\n' ' ')"; fi
if strict 'unit:test_skip:* net:*'; then t_pass "CI settings: every skip allowed by a pattern passes"
else t_fail "CI settings: every skip allowed by a pattern passes" "$(tail -2 "$fx/strict.out" | tr '\n' ' ')"; fi
net_report
