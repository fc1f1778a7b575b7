#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make bench`: build the benchmarks in bench/ against build/libopenpptp.a,
# run them, print one table.
#
# Every speed figure is a ratio against a reference measured in the same
# run, alternating with it in rounds (bench/common.c): the machine is
# usually busy, so absolute times drift but ratios hold. Where valgrind is
# installed, each benchmark also runs one small fixed workload under
# callgrind: instruction counts repeat run to run, so they are the figures to
# compare between commits.
#
# Environment: BUILDDIR (default build), CC (cc), BENCH_ROUNDS (15),
# BENCH_MS (40 ms per round and side), BENCH_CALLGRIND=0 to skip valgrind.
# No network, no root, one process at a time; about 15 s on 2 cores.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILDDIR:-build}
OUT=$BUILD/bench
LIB=$BUILD/libopenpptp.a
CC=${CC:-cc}
PROGRAMS=(bench_mppe bench_datapath bench_gre bench_memory)
RERUN="make bench-engines"

if [[ ! -f $LIB ]]; then
	echo "bench: $LIB is missing: run 'make' first (or use '$RERUN')" >&2
	exit 1
fi

# The project's warning set (Makefile WARN), -Werror included.
CFLAGS=(-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	-Wformat=2 -Wvla -Wpointer-arith -Wundef)
CPPFLAGS=(-Isrc -Ibench -D_GNU_SOURCE)
read -r -a NETTLE_CFLAGS <<<"$(pkg-config --cflags nettle 2>/dev/null || true)"
read -r -a NETTLE_LIBS <<<"$(pkg-config --libs nettle 2>/dev/null || echo -lnettle)"

have_callgrind=0
if [[ ${BENCH_CALLGRIND:-1} != 0 ]] && command -v valgrind >/dev/null &&
	echo '#include <valgrind/callgrind.h>' | "$CC" -E -x c - >/dev/null 2>&1; then
	have_callgrind=1
	CPPFLAGS+=(-DBENCH_HAVE_CALLGRIND)
fi

rm -rf "$OUT"
mkdir -p "$OUT/callgrind"
echo "bench: building ${#PROGRAMS[@]} programs into $OUT/"
for src in common pair; do
	"$CC" "${CPPFLAGS[@]}" "${CFLAGS[@]}" "${NETTLE_CFLAGS[@]}" -c "bench/$src.c" -o "$OUT/$src.o"
done
for prog in "${PROGRAMS[@]}"; do
	"$CC" "${CPPFLAGS[@]}" "${CFLAGS[@]}" "${NETTLE_CFLAGS[@]}" -o "$OUT/$prog" "bench/$prog.c" \
		"$OUT/common.o" "$OUT/pair.o" "$LIB" "${NETTLE_LIBS[@]}"
done

# Timed runs, one program at a time.
: >"$OUT/results.tsv"
for prog in "${PROGRAMS[@]}"; do
	echo "bench: timing $prog"
	"$OUT/$prog" >>"$OUT/results.tsv"
done

# Instruction counts: each --ir run dumps one callgrind file per marked
# workload ("desc: Trigger: Client Request: ROW:subject|reference", then
# "summary: N") and prints "ops ROW N" for the division.
: >"$OUT/instructions.tsv"
if ((have_callgrind)); then
	for prog in "${PROGRAMS[@]}"; do
		echo "bench: counting instructions of $prog (callgrind)"
		valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind/$prog.out" \
			"$OUT/$prog" --ir >"$OUT/callgrind/$prog.ops" 2>"$OUT/callgrind/$prog.log" ||
			{ echo "bench: callgrind run of $prog failed, see $OUT/callgrind/$prog.log" >&2; exit 1; }
		cat "$OUT/callgrind/$prog.ops" >>"$OUT/instructions.tsv"
		for dump in "$OUT/callgrind/$prog.out".*; do
			awk '/^desc: Trigger: Client Request: /{ split($5, a, ":"); row = a[1]; kind = a[2] }
			     /^summary: /{ s = $2 }
			     END { if (row != "") printf "ir\t%s\t%s\t%s\n", row, kind, s }' "$dump"
		done >>"$OUT/instructions.tsv"
	done
fi

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $rev != unknown && -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
	rev="$rev+changes"
fi
echo
echo "openpptp benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $load, commit $rev"
echo "time: thread CPU time, median of ${BENCH_ROUNDS:-15} rounds alternating subject and reference;"
echo "      ratio = subject / reference, (range) = lowest-highest ratio over the rounds"
if ((have_callgrind)); then
	echo "instr: callgrind instruction counts per operation, one fixed workload: identical run to run"
	echo "       (the size of the environment can move them by a few parts per million)"
else
	echo "instr: not measured (needs valgrind and valgrind/callgrind.h)"
fi
echo

awk -F'\t' '
function t(ns) { return ns >= 1e6 ? sprintf("%.2f ms", ns / 1e6) : ns >= 1e3 ? sprintf("%.2f us", ns / 1e3) : sprintf("%.1f ns", ns) }
function rx(r) { return r >= 100 ? sprintf("%.0fx", r) : r >= 10 ? sprintf("%.1fx", r) : sprintf("%.2fx", r) }
function rq(r) { return r >= 100 ? sprintf("%.0f", r) : r >= 10 ? sprintf("%.1f", r) : sprintf("%.2f", r) }
function n(x,    s) { s = sprintf("%.0f", x); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
FILENAME == ARGV[1] {
	if ($1 == "ops") ops[$2] = $3
	if ($1 == "ir") ir[$2, $3] = $4
	next
}
$1 == "time" { rows[++nrows] = $0 }
$1 == "mem" { mem = $0 }
$1 == "note" { notes[++nnotes] = $2 }
END {
	printf "%-40s %9s %9s %19s %9s %9s %6s\n", "benchmark", "time/op", "reference", "ratio (range)", "instr/op", "ref instr", "ratio"
	for (i = 1; i <= nrows; i++) {
		split(rows[i], f, "\t")
		row = f[2]
		ratio = rx(f[6]) " (" rq(f[7]) "-" rq(f[8]) ")"
		ir_s = ir_r = iratio = "-"
		if ((row, "subject") in ir && ops[row] > 0) {
			si = ir[row, "subject"] / ops[row]; ri = ir[row, "reference"] / ops[row]
			ir_s = n(si); ir_r = n(ri); iratio = rx(si / ri)
			irs[row] = si
		}
		printf "%-40s %9s %9s %19s %9s %9s %6s\n", f[3], t(f[4]), t(f[5]), ratio, ir_s, ir_r, iratio
		if (f[9] != "") extra[++nextra] = sprintf("  %-41s %s", f[3] ":", f[9])
	}
	print ""
	print "references: MPPE rows: raw nettle arcfour, encrypt + decrypt of the same 1400 B (keyed once);"
	print "  data path rows: 2 x memcpy of the IP packet (TUN in, TUN out); GRE: the same 16 header"
	print "  bytes stored and loaded with no checks. The data path makes no syscalls: engines only."
	print ""
	print "throughput (from time/op, one core):"
	for (i = 1; i <= nextra; i++) print extra[i]
	if (mem != "") {
		split(mem, m, "\t")
		print ""
		printf "memory (%s sessions up at once, MS-CHAPv2 + MPPE-128 + IPCP, engines only, mallinfo2 in-use bytes):\n", m[3]
		printf "  server side %s B/session, client side %s B/session, pair %s B\n", n(m[4]), n(m[5]), n(m[4] + m[5])
		if (("memory", "subject") in ir && ops["memory"] > 0)
			printf "  bringing one pair up (both ends, handshakes + key derivation): %s instructions\n", n(ir["memory", "subject"] / ops["memory"])
		printf "  not included: the daemon'"'"'s struct server_conn (%s B per connection), kernel socket/TUN buffers\n", n(m[6])
	}
	if (("mppe-stateless" in irs) && ("mppe-stateful" in irs))
		notes[++nnotes] = sprintf("mppe: by instructions, stateless costs %.2fx stateful: its per-packet rekey is %.0f%% of them",
			irs["mppe-stateless"] / irs["mppe-stateful"], 100 * (1 - irs["mppe-stateful"] / irs["mppe-stateless"]))
	notes[++nnotes] = "mppe: the stateless rekey = one SHA-1 + two RC4 key setups per packet at each end (RFC 3078 7.1)"
	print ""; print "notes:"
	for (i = 1; i <= nnotes; i++) if (notes[i] ~ /^mppe/) print "  " notes[i]
	for (i = 1; i <= nnotes; i++) if (notes[i] !~ /^mppe/) print "  " notes[i]
}' "$OUT/instructions.tsv" "$OUT/results.tsv"

echo
echo "raw figures: $OUT/results.tsv, $OUT/instructions.tsv"
echo "rerun: $RERUN"
