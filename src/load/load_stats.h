/* SPDX-License-Identifier: BSD-2-Clause */
/* Latency samples for `openpptp load`: handshake times and echo round
 * trips, each kept as raw microsecond values so the percentiles reported
 * are exact (nearest rank) rather than bucket bounds. Beyond a cap the
 * samples become a uniform reservoir (Vitter's algorithm R): memory stays
 * bounded in a long run and the percentiles stay unbiased; count, min and
 * max still see every value. Pure: no clock, no I/O. */
#ifndef OPENPPTP_LOAD_LOAD_STATS_H
#define OPENPPTP_LOAD_LOAD_STATS_H

#include <stddef.h>
#include <stdint.h>

#define LOAD_SAMPLES_DEFAULT_CAP (1u << 20)

struct load_samples {
	uint32_t *values;       /* microseconds */
	size_t len, cap, limit; /* limit: the reservoir size */
	uint64_t count;         /* every value ever added */
	uint32_t min, max;
	uint64_t rng; /* xorshift state for the reservoir */
};

void load_samples_init(struct load_samples *s, size_t limit);
void load_samples_free(struct load_samples *s);
/* 0, or ERR_NOMEM (the value still counts in count/min/max). */
int load_samples_add(struct load_samples *s, uint32_t value_us);

/* The p-th percentile (0 < p <= 100) of sorted[0..n) by nearest rank:
 * the smallest value with at least p% of the values at or below it.
 * 0 when n is 0. */
uint32_t load_percentile(const uint32_t *sorted, size_t n, double p);

/* p50, p90, p99 and max of the samples (sorted in a copy). */
struct load_summary {
	uint64_t count;
	uint32_t min, p50, p90, p99, max; /* microseconds */
};
int load_samples_summary(const struct load_samples *s, struct load_summary *out);

#endif
