/* SPDX-License-Identifier: BSD-2-Clause */
/* Timing, callgrind markers and output for the benchmarks (see common.h). */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
/* Without valgrind's headers the --ir workload still runs; run.sh then
 * leaves the instruction columns empty. */
#define CALLGRIND_ZERO_STATS do { } while (0)
#define CALLGRIND_DUMP_STATS_AT(name) do { (void)(name); } while (0)
#endif

#define MAX_ROUNDS 31

/* The thread's CPU time, not wall time: on a shared machine the time this
 * process spends descheduled would otherwise land in whichever side
 * happened to be running. */
static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned env_unsigned(const char *name, unsigned def, unsigned lo, unsigned hi)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return def;
	unsigned long v = strtoul(s, NULL, 10);
	return v < lo ? lo : v > hi ? hi : (unsigned)v;
}

void bench_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

bool bench_parse_args(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--ir") == 0)
		return true;
	if (argc != 1)
		bench_fail("usage: %s [--ir]", argv[0]);
	return false;
}

static double time_run(bench_fn fn, void *ctx, uint64_t n)
{
	uint64_t t0 = now_ns();
	fn(ctx, n);
	return (double)(now_ns() - t0);
}

/* Operations per round so that one round takes about target_ns; doubling
 * first also warms caches and the branch predictor. */
static uint64_t calibrate(bench_fn fn, void *ctx, double target_ns)
{
	uint64_t n = 1;
	for (;;) {
		double t = time_run(fn, ctx, n);
		if (t >= target_ns / 8 || n >= (1ull << 32)) {
			double per = t / (double)n;
			double want = target_ns / (per > 0 ? per : 1);
			return want < 1 ? 1 : (uint64_t)want;
		}
		n *= 2;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_compare(bench_fn subject, void *sctx, bench_fn ref, void *rctx, struct bench_result *out)
{
	double target = 1e6 * env_unsigned("BENCH_MS", 40, 1, 10000);
	unsigned rounds = env_unsigned("BENCH_ROUNDS", 15, 1, MAX_ROUNDS);
	uint64_t ns = calibrate(subject, sctx, target);
	uint64_t nr = calibrate(ref, rctx, target);
	double s[MAX_ROUNDS] = { 0 }, r[MAX_ROUNDS] = { 0 }, q[MAX_ROUNDS] = { 0 };
	for (unsigned i = 0; i < rounds; i++) {
		/* Alternate the order so neither side always runs on a cache
		 * (or a CPU frequency) the other one left behind. */
		if (i % 2 == 0) {
			s[i] = time_run(subject, sctx, ns) / (double)ns;
			r[i] = time_run(ref, rctx, nr) / (double)nr;
		} else {
			r[i] = time_run(ref, rctx, nr) / (double)nr;
			s[i] = time_run(subject, sctx, ns) / (double)ns;
		}
		q[i] = s[i] / r[i];
	}
	out->ratio_lo = out->ratio_hi = q[0];
	for (unsigned i = 1; i < rounds; i++) {
		out->ratio_lo = q[i] < out->ratio_lo ? q[i] : out->ratio_lo;
		out->ratio_hi = q[i] > out->ratio_hi ? q[i] : out->ratio_hi;
	}
	out->subject_ns = median(s, rounds);
	out->ref_ns = median(r, rounds);
	out->ratio = median(q, rounds);
}

void bench_count(const char *row, bench_fn subject, void *sctx, bench_fn ref, void *rctx, uint64_t n)
{
	char name[128];
	CALLGRIND_ZERO_STATS;
	subject(sctx, n);
	snprintf(name, sizeof(name), "%s:subject", row);
	CALLGRIND_DUMP_STATS_AT(name);
	ref(rctx, n);
	snprintf(name, sizeof(name), "%s:reference", row);
	CALLGRIND_DUMP_STATS_AT(name);
	printf("ops\t%s\t%llu\n", row, (unsigned long long)n);
	fflush(stdout);
}

void bench_count_one(const char *row, bench_fn subject, void *sctx, uint64_t n)
{
	char name[128];
	CALLGRIND_ZERO_STATS;
	subject(sctx, n);
	snprintf(name, sizeof(name), "%s:subject", row);
	CALLGRIND_DUMP_STATS_AT(name);
	printf("ops\t%s\t%llu\n", row, (unsigned long long)n);
	fflush(stdout);
}

void bench_print(const char *row, const char *label, const struct bench_result *r, const char *note)
{
	printf("time\t%s\t%s\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%s\n", row, label, r->subject_ns, r->ref_ns, r->ratio,
	       r->ratio_lo, r->ratio_hi, note ? note : "");
	fflush(stdout);
}

void bench_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("note\t", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
}

static void bench_random_fill(void *ctx, void *buf, size_t len)
{
	struct bench_random *r = ctx;
	uint8_t *out = buf;
	for (size_t i = 0; i < len; i++) {
		r->state ^= r->state >> 12;
		r->state ^= r->state << 25;
		r->state ^= r->state >> 27;
		out[i] = (uint8_t)((r->state * 0x2545F4914F6CDD1DULL) >> 56);
	}
}

struct random_source bench_random_source(struct bench_random *r, uint64_t seed)
{
	r->state = seed ? seed : 0x9E3779B97F4A7C15ULL;
	struct random_source rs = { .fill = bench_random_fill, .ctx = r };
	return rs;
}
