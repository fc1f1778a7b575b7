#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Add up the per-variant summaries written by run-tests.sh (and any extra
# suites that wrote BUILDDIR/*-summary) into the one closing line CI reads.
set -euo pipefail
p=0; f=0
for d in "$@"; do
	for s in "$d"/*-summary; do
		[ -f "$s" ] || continue
		read -r a b < "$s"; p=$((p + a)); f=$((f + b))
	done
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
