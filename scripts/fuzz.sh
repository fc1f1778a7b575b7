#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Run each libFuzzer harness for SECONDS from a scratch copy of its corpus and
# report how many executions it ran without a crash.
set -uo pipefail
seconds=$1; shift
status=0
for name in "$@"; do
	bin=build/fuzz/$name
	seed=tests/fuzz/corpus/${name#fuzz_}
	work=build/fuzz/corpus-$name
	mkdir -p "$work"
	log=build/fuzz/$name.log
	"$bin" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
		-artifact_prefix=build/fuzz/"$name"- "$work" "$seed" >"$log" 2>&1
	rc=$?
	execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
	if [ "$rc" -eq 0 ]; then
		printf '%-32s %12s executions, no crash (%ss)\n' "$name" "${execs:-?}" "$seconds"
	else
		printf '%-32s CRASH after %s executions, see %s\n' "$name" "${execs:-?}" "$log"; status=1
	fi
done
exit $status
