#!/usr/bin/env bash
# scripts/add-spdx.sh, which the lead runs once at the end, on a scratch
# copy of the tree: every C file, script and Makefile gets exactly one SPDX
# line where it belongs, nothing else changes, a second run changes nothing,
# and the copy still builds (-Werror) and every script still parses.
# pkg: once
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/net/lib.sh
trap 'net_cleanup' EXIT
copy=$NET_TMP/tree
mkdir "$copy"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
	[ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$copy"

before=$(scripts/add-spdx.sh --check "$copy" | grep -vc '^add-spdx:')
out=$(scripts/add-spdx.sh "$copy"); added=$(grep -oE '[0-9]+ files' <<<"$out" | cut -d' ' -f1)
if [ "${added:-0}" -gt 200 ] && [ "$added" = "$before" ]; then t_pass "add-spdx: $added files get the line"
else t_fail "add-spdx" "added ${added:-?}, lacking before: $before"; fi

if scripts/add-spdx.sh --check "$copy" >/dev/null; then t_pass "add-spdx --check: none lacks it after"
else t_fail "add-spdx --check" "$(scripts/add-spdx.sh --check "$copy" | head -3 | tr '\n' ' ')"; fi

# Each changed file differs by exactly one added line, on line 1, or on
# line 2 after a #! line.
bad=()
changed=0
while IFS= read -r f; do
	rel=${f#"$copy"/}
	[ -f "$rel" ] || continue
	d=$(diff "$rel" "$f")
	[ -z "$d" ] && continue
	changed=$((changed + 1))
	case $rel in *.c | *.h) want='^0a1$' ;; *) head -1 "$rel" | grep -q '^#!' && want='^1a2$' || want='^0a1$' ;; esac
	[ "$(wc -l <<<"$d")" = 2 ] && head -1 <<<"$d" | grep -qE "$want" && grep -qE '^> (/\* |# )SPDX-License-Identifier: BSD-2-Clause( \*/)?$' <<<"$d" ||
		bad+=("$rel")
done < <(find "$copy" -type f | sort)
[ ${#bad[@]} -eq 0 ] && [ "$changed" = "$added" ] && t_pass "only one SPDX line added per file ($changed files), at the top" ||
	t_fail "one line per file" "changed $changed, added $added, wrong: ${bad[*]:0:5}"

sum() { find "$copy" -type f -exec sha256sum {} + | sort | sha256sum; }
first=$(sum)
scripts/add-spdx.sh "$copy" >/dev/null
[ "$(sum)" = "$first" ] && t_pass "a second run changes nothing" || t_fail "a second run changes nothing" ""

if (cd "$copy" && make -j2 BUILDDIR=build >"$NET_TMP/build.log" 2>&1); then t_pass "the copy builds (-Werror), man pages included"
else t_fail "the copy builds" "$(grep -E 'error|Error' "$NET_TMP/build.log" | head -3 | tr '\n' ' ')"; fi
bad=()
while IFS= read -r f; do
	bash -n "$f" 2>/dev/null || bad+=("${f#"$copy"/}")
done < <(cd "$copy" && grep -rlE '^# SPDX-License-Identifier' --include='*.sh' . | sed "s|^\.|$copy|")
[ ${#bad[@]} -eq 0 ] && t_pass "every script still parses" || t_fail "every script still parses" "${bad[*]}"
net_report
