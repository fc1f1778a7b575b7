#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Every C file, script and Makefile carries its SPDX line (a new file without
# one fails here), and scripts/add-spdx.sh puts exactly that line back: on a
# scratch copy with the lines taken out, it restores the tree byte for byte,
# and a second run changes nothing.
# pkg: once
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
trap 'net_cleanup' EXIT

if out=$(scripts/add-spdx.sh --check); then t_pass "every source file has its SPDX line"
else t_fail "every source file has its SPDX line" "$(grep -v '^add-spdx:' <<<"$out" | head -5 | tr '\n' ' ')"; fi

copy=$NET_TMP/tree
mkdir "$copy"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
	[ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$copy"
sum() { (cd "$1" && find . -type f -not -path './.git/*' -exec sha256sum {} + | sort | sha256sum); }
tree_sum=$(sum "$copy")

# Take the line out where the script puts it: line 1, or line 2 after #!.
stripped=0
while IFS= read -r -d '' f; do
	sed -i -E '1,2{/^(\/\* |# )SPDX-License-Identifier: BSD-2-Clause( \*\/)?$/d}' "$f"
	stripped=$((stripped + 1))
done < <(grep -rlZE '^(/\* |# )SPDX-License-Identifier: BSD-2-Clause' "$copy")
out=$(scripts/add-spdx.sh "$copy"); added=$(grep -oE '[0-9]+ files' <<<"$out" | cut -d' ' -f1)
if [ "${added:-0}" -gt 200 ] && [ "$(sum "$copy")" = "$tree_sum" ]; then
	t_pass "add-spdx restores all $added lines exactly where they were"
else
	t_fail "add-spdx restores the tree" "added ${added:-?} of $stripped stripped; the copy differs from the tree"
fi
scripts/add-spdx.sh "$copy" >/dev/null
[ "$(sum "$copy")" = "$tree_sum" ] && t_pass "a second run changes nothing" || t_fail "a second run changes nothing" ""
net_report
