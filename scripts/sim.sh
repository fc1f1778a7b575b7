#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The deterministic simulation over a seed range, split over JOBS processes
# (each a contiguous slice: a failure names its seed, and the run is the
# same whatever JOBS is). With SEED set, replay that one seed verbosely.
#   scripts/sim.sh SIM_BIN SEED FIRST COUNT JOBS
set -uo pipefail
bin=$1 seed=$2 first=$3 count=$4 jobs=$5
if [ -n "$seed" ]; then
	exec "$bin" --seed "$seed" --verbose
fi
[ "$jobs" -ge 1 ] || jobs=1
per=$(( (count + jobs - 1) / jobs ))
pids=()
outdir=$(mktemp -d)
for ((j = 0; j < jobs; j++)); do
	start=$((first + j * per))
	n=$per
	[ $((start + n)) -le $((first + count)) ] || n=$((first + count - start))
	[ "$n" -gt 0 ] || break
	"$bin" --first "$start" --seeds "$n" >"$outdir/$j.out" 2>&1 &
	pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
cat "$outdir"/*.out
rm -rf "$outdir"
exit $status
