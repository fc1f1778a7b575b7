#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Add up the per-suite summaries ("passed failed skipped" in
# BUILDDIR/*-summary: unit+replay, net, pkg) of each variant into the one
# closing line CI reads: "N passed, N failed, N skipped". Skips are never
# passes. With OPENPPTP_STRICT_SKIPS=1 (.ci/run sets it) a skip fails the
# run unless its name matches one of the shell patterns in
# OPENPPTP_ALLOWED_SKIPS (space-separated): only what CI truly cannot do
# may be skipped there. Skip names are in BUILDDIR/skips-* as
# "suite:test:name".
# `make test` runs the unit+replay, net and pkg suites on every variant and
# removes their old summaries first: one whose summary is missing did not
# run or did not finish (killed, crashed), and counts as a failure rather
# than vanishing from the line.
set -uo pipefail
p=0; f=0; k=0; skips=()
for d in "$@"; do
	for suite in test net pkg; do
		[ -f "$d/$suite-summary" ] && continue
		echo "[$d] no $suite-summary: that suite did not run or did not finish; counted as a failure"
		f=$((f + 1))
	done
	for s in "$d"/*-summary; do
		[ -f "$s" ] || continue
		read -r a b c < "$s"; p=$((p + a)); f=$((f + b)); k=$((k + ${c:-0}))
	done
	for l in "$d"/skips-*; do
		[ -f "$l" ] || continue
		while IFS= read -r line; do [ -n "$line" ] && skips+=("$line"); done <"$l"
	done
done
for s in "${skips[@]}"; do echo "skipped: $s"; done
echo "$p passed, $f failed, $k skipped"
rc=0
[ "$f" -eq 0 ] || rc=1
if [ "${OPENPPTP_STRICT_SKIPS:-0}" = 1 ]; then
	for s in "${skips[@]}"; do
		allowed=0
		for pat in ${OPENPPTP_ALLOWED_SKIPS:-}; do
			# shellcheck disable=SC2053 # a pattern on purpose
			[[ $s == $pat ]] && allowed=1
		done
		if [ "$allowed" -eq 0 ]; then echo "CI: '$s' was skipped but is not in OPENPPTP_ALLOWED_SKIPS"; rc=1; fi
	done
fi
exit "$rc"
