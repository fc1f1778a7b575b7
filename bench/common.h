/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared helpers for the benchmarks under bench/ (built by bench/run.sh).
 *
 * Why ratios: the machine that runs `make bench` is usually busy (CI, VMs),
 * so an absolute ns/op figure drifts from run to run. Each benchmark runs
 * its subject and a cheap reference over the same bytes, alternating in
 * rounds; the median of the per-round ratios is far more stable than
 * either absolute time. Times are the thread's CPU time, so the periods
 * the process is descheduled do not count.
 *
 * Why instruction counts too: with `--ir`, each program runs one small
 * fixed workload and marks it for callgrind (client requests); run.sh
 * reads the counts. They repeat run to run (same binary, same environment),
 * which timings do not. */
#ifndef OPENPPTP_BENCH_COMMON_H
#define OPENPPTP_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/random.h"

/* Run `n` operations of one kind (a subject or its reference). */
typedef void (*bench_fn)(void *ctx, uint64_t n);

struct bench_result {
	double subject_ns;  /* per operation, median over rounds */
	double ref_ns;      /* per operation, median over rounds */
	double ratio;       /* median of the per-round subject/reference ratios */
	double ratio_lo;    /* smallest and largest per-round ratio: the noise */
	double ratio_hi;
};

/* Parse the command line: `--ir` selects the callgrind workload. */
bool bench_parse_args(int argc, char **argv);

/* Timed mode: calibrate each side to BENCH_MS milliseconds (default 40)
 * per round, run BENCH_ROUNDS rounds (default 15), alternating which side
 * goes first. */
void bench_compare(bench_fn subject, void *sctx, bench_fn ref, void *rctx, struct bench_result *out);

/* --ir mode: run subject then reference, `n` operations each, between
 * callgrind dump points named "<row>:subject" and "<row>:reference", and
 * print "ops<TAB>row<TAB>n" so run.sh can divide. */
void bench_count(const char *row, bench_fn subject, void *sctx, bench_fn ref, void *rctx, uint64_t n);
/* --ir mode, a subject with no reference (session setup). */
void bench_count_one(const char *row, bench_fn subject, void *sctx, uint64_t n);

/* One line for run.sh: "time<TAB>row<TAB>label<TAB>subject_ns<TAB>ref_ns
 * <TAB>ratio<TAB>lo<TAB>hi<TAB>note". */
void bench_print(const char *row, const char *label, const struct bench_result *r, const char *note);
/* A free-form line run.sh prints under the table. */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Stop the compiler from deleting work whose result is otherwise unused. */
static inline void bench_keep(const void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* A deterministic random source (xorshift64*): repeatable handshakes, so
 * repeatable instruction counts. */
struct bench_random {
	uint64_t state;
};
struct random_source bench_random_source(struct bench_random *r, uint64_t seed);

/* Exit with a message: a benchmark that measured a broken path is worse
 * than none. */
void bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
