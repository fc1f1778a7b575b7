#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make deb: build the Debian package from a copy of the tree as it is
# (tracked and new files, not build/ or what .gitignore hides) in
# build/deb/openpptp-VERSION, with dpkg-buildpackage. The .deb lands in
# build/deb/; its path is printed last.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION)
out=build/deb
src=$out/openpptp-$version
for tool in dpkg-buildpackage dh fakeroot; do
	command -v "$tool" >/dev/null || { echo "deb: $tool is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
	[ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$src"
# No .git in the copy: the version string's revision comes from this file.
git rev-parse --short HEAD >"$src/.git-rev" 2>/dev/null || echo unknown >"$src/.git-rev"
(cd "$src" && dpkg-buildpackage -b -uc -us -j2 >../build.log 2>&1) || {
	tail -30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed, log in $out/build.log" >&2
	exit 1
}
deb=$(ls "$out"/openpptp_"$version"_*.deb)
echo "$deb"
