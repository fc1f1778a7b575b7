#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make format-check, in a scratch repository: the tree as it is passes (a
# file in the old style, untouched, is not reformatted), a change written
# in the style passes, a badly formatted change is reported. Also: the
# .clang-format leaves src/ nearly as it is (the figure is printed).
# pkg: once
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
trap 'net_cleanup' EXIT
if ! command -v clang-format >/dev/null || ! git clang-format -h >/dev/null 2>&1; then
	t_skip "format-check" "clang-format is not installed (scripts/deps.sh installs it)"
	net_report; exit 0
fi
repo=$NET_TMP/repo
mkdir -p "$repo/scripts" "$repo/src"
cp .clang-format "$repo/"
cp scripts/format-check.sh "$repo/scripts/"
# Hand-aligned comments (as the tree has) that clang-format would move.
cat >"$repo/src/old.c" <<'C'
enum colour {
	RED = 1,          /* hand-aligned, further right than clang-format would */
	GREEN = 2,        /* put it */
};
C
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
git() { command git -C "$repo" -c init.defaultBranch=main "$@"; }
git init -q && git add -A && git commit -qm base && git checkout -qb work
check() { FORMAT_BASE=main "$repo/scripts/format-check.sh" >"$NET_TMP/fc.out" 2>&1; }

if check; then t_pass "format-check passes on the tree as it is"
else t_fail "format-check on the tree as it is" "$(tail -2 "$NET_TMP/fc.out" | tr '\n' ' ')"; fi

cat >"$repo/src/new.c" <<'C'
static int twice(int x)
{
	if (x > 100)
		return x;
	return 2 * x;
}
C
git add -A && git commit -qm good
if check; then t_pass "a change in the style passes"
else t_fail "a change in the style passes" "$(head -5 "$NET_TMP/fc.out" | tr '\n' ' ')"; fi

cat >>"$repo/src/new.c" <<'C'
static int  thrice( int x ){ if(x>100) return x; return 3*x; }
C
if check; then t_fail "a badly formatted change is reported" "format-check passed"
elif grep -q 'thrice' "$NET_TMP/fc.out"; then t_pass "a badly formatted change is reported (uncommitted too)"
else t_fail "a badly formatted change is reported" "$(head -5 "$NET_TMP/fc.out" | tr '\n' ' ')"; fi

figure=$(FORMAT_ALL=1 scripts/format-check.sh | grep -oE '[0-9]+ lines')
total=$(find src -name '*.[ch]' -exec cat {} + | wc -l)
if [ -n "$figure" ] && [ "${figure% lines}" -lt $((total / 20)) ]; then
	t_pass ".clang-format nearly fits src/: it would change $figure of $total"
else
	t_fail ".clang-format fits src/" "it would change ${figure:-?} of $total"
fi
net_report
