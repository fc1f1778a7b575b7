#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make format-check: clang-format (.clang-format) on the lines of C files
# that changed since this branch left main (FORMAT_BASE), committed or not.
# Only changed lines: the tree as it is passes, and new code follows the
# style without a reformatting commit that would touch every file.
# With FORMAT_ALL=1, the whole of src/ instead (a report, for tuning).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
if ! command -v clang-format >/dev/null || ! git clang-format -h >/dev/null 2>&1; then
	echo "format-check: clang-format is missing (scripts/deps.sh installs it)" >&2
	exit 1
fi
if [ "${FORMAT_ALL:-0}" = 1 ]; then
	changed=0
	while IFS= read -r f; do
		n=$(clang-format --style=file "$f" | diff -U0 "$f" - | grep -c '^-[^-]')
		changed=$((changed + n))
	done < <(find src -name '*.[ch]' | sort)
	echo "format-check: clang-format would change $changed lines of src/"
	exit 0
fi
base_ref=${FORMAT_BASE:-main}
if ! base=$(git merge-base HEAD "$base_ref" 2>/dev/null); then
	echo "format-check: no merge base with '$base_ref'; set FORMAT_BASE" >&2
	exit 1
fi
out=$(git clang-format --diff --extensions c,h "$base" -- src tests bench 2>&1)
case $out in
"" | *"no modified files to format"* | *"clang-format did not modify any files"*)
	echo "format-check: lines changed since $(git rev-parse --short "$base") follow .clang-format"
	exit 0 ;;
esac
printf '%s\n' "$out"
echo "format-check: the lines above do not follow .clang-format (git clang-format $base fixes them)" >&2
exit 1
