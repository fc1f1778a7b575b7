/* SPDX-License-Identifier: BSD-2-Clause */
/* A histogram of durations (or any count) in logarithmic buckets: exact
 * below 4, then four buckets per power of two, so a bucket is at most a
 * quarter of its values wide. 64 buckets reach 131071; larger values go
 * to the last one. 264 bytes where 1 ms buckets to 10 s took 40 kB. */
#ifndef OPENPPTP_BASE_LOG2_HISTOGRAM_H
#define OPENPPTP_BASE_LOG2_HISTOGRAM_H

#include <stdint.h>

#define LOG2_HISTOGRAM_BUCKETS 64u

struct log2_histogram {
	uint32_t counts[LOG2_HISTOGRAM_BUCKETS];
	uint64_t total;
};

static inline unsigned log2_histogram_bucket(uint64_t v)
{
	if (v < 4)
		return (unsigned)v;
	unsigned msb = 63u - (unsigned)__builtin_clzll(v); /* >= 2 */
	unsigned index = (msb - 1u) * 4u + ((unsigned)(v >> (msb - 2u)) & 3u);
	return index < LOG2_HISTOGRAM_BUCKETS ? index : LOG2_HISTOGRAM_BUCKETS - 1u;
}

/* The largest value bucket i holds. */
static inline uint64_t log2_histogram_upper(unsigned i)
{
	if (i < 4)
		return i;
	unsigned msb = i / 4u + 1u;
	uint64_t step = (uint64_t)1 << (msb - 2u);
	return ((uint64_t)(4u + i % 4u) << (msb - 2u)) + step - 1u;
}

static inline void log2_histogram_add(struct log2_histogram *h, uint64_t v)
{
	h->counts[log2_histogram_bucket(v)]++;
	h->total++;
}

/* The upper bound of the bucket below which pct percent of the values
 * lie (at most a quarter above the true figure); 0 when empty. */
static inline uint64_t log2_histogram_percentile(const struct log2_histogram *h, unsigned pct)
{
	if (!h->total)
		return 0;
	uint64_t want = (h->total * pct + 99) / 100, seen = 0;
	for (unsigned i = 0; i < LOG2_HISTOGRAM_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= want)
			return log2_histogram_upper(i);
	}
	return log2_histogram_upper(LOG2_HISTOGRAM_BUCKETS - 1u);
}

#endif
