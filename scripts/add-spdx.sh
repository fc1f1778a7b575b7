#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Add an SPDX license line to every source file of the tree (or of DIR):
#   C sources and headers   /* SPDX-License-Identifier: BSD-2-Clause */  (line 1)
#   shell and Python scripts, Makefile
#                           # SPDX-License-Identifier: BSD-2-Clause      (line 1,
#                           or line 2 after a #! line)
# A file whose first or second line already is such a line is left as it
# is, so running it twice changes nothing. Test data (fuzz corpora,
# vectors), generated files and documentation are not touched.
#
#   scripts/add-spdx.sh [DIR]      DIR defaults to the tree this script is in
#   scripts/add-spdx.sh --check [DIR]   list the files that lack the line; exit 1 if any
set -euo pipefail
LICENSE_ID=BSD-2-Clause
check=0
[ "${1:-}" = --check ] && { check=1; shift; }
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

# Every candidate, NUL-separated, whether or not DIR is a git checkout.
candidates() {
	find . \( -path ./.git -o -path ./build -o -path ./tests/fuzz/corpus -o -path ./tests/vectors \
		-o -path ./debian/openpptp -o -path './debian/.debhelper' \) -prune -o -type f -print0 | sort -z
}

# c | shell | make | "" for a file we do not touch.
kind() {
	local f=$1 first
	case $f in
	*.c | *.h) echo c; return ;;
	*/Makefile | */debian/rules) echo make; return ;;
	*.sh | *.py) echo shell; return ;; # both take "# " comments, after a #! line
	esac
	first=$(head -c 64 "$f" 2>/dev/null | head -1)
	[[ $first =~ ^\#!.*(/|env\ )(ba)?sh$ ]] && echo shell
	return 0
}

missing=0 added=0
while IFS= read -r -d '' f; do
	k=$(kind "$f")
	[ -n "$k" ] || continue
	head -2 "$f" | grep -qE '^(/\* |# )SPDX-License-Identifier: ' && continue
	if [ $check = 1 ]; then
		echo "${f#./}"; missing=$((missing + 1)); continue
	fi
	tmp=$(mktemp "$f.spdx.XXXXXX")
	case $k in
	c) { printf '/* SPDX-License-Identifier: %s */\n' "$LICENSE_ID"; cat "$f"; } >"$tmp" ;;
	shell | make)
		if head -1 "$f" | grep -q '^#!'; then
			{ head -1 "$f"; printf '# SPDX-License-Identifier: %s\n' "$LICENSE_ID"; tail -n +2 "$f"; } >"$tmp"
		else
			{ printf '# SPDX-License-Identifier: %s\n' "$LICENSE_ID"; cat "$f"; } >"$tmp"
		fi ;;
	esac
	chmod --reference="$f" "$tmp"
	mv "$tmp" "$f"
	added=$((added + 1))
done < <(candidates)
if [ $check = 1 ]; then
	[ $missing = 0 ] && echo "add-spdx: every source file has its SPDX line"
	[ $missing = 0 ]
else
	echo "add-spdx: added the SPDX line to $added files"
fi
