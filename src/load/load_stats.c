/* SPDX-License-Identifier: BSD-2-Clause */
#include "load/load_stats.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

void load_samples_init(struct load_samples *s, size_t limit)
{
	memset(s, 0, sizeof(*s));
	s->limit = limit ? limit : LOAD_SAMPLES_DEFAULT_CAP;
	s->min = UINT32_MAX;
	s->rng = 0x9e3779b97f4a7c15ull;
}

void load_samples_free(struct load_samples *s)
{
	free(s->values);
	s->values = NULL;
	s->len = s->cap = 0;
}

static uint64_t xorshift64(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

int load_samples_add(struct load_samples *s, uint32_t value_us)
{
	s->count++;
	if (value_us < s->min)
		s->min = value_us;
	if (value_us > s->max)
		s->max = value_us;
	if (s->len == s->limit) {
		/* Reservoir: keep the new value with probability limit/count. */
		uint64_t j = xorshift64(&s->rng) % s->count;
		if (j < s->limit)
			s->values[j] = value_us;
		return 0;
	}
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		if (cap > s->limit)
			cap = s->limit;
		uint32_t *v = realloc(s->values, cap * sizeof(*v));
		if (!v)
			return ERR_NOMEM;
		s->values = v;
		s->cap = cap;
	}
	s->values[s->len++] = value_us;
	return 0;
}

uint32_t load_percentile(const uint32_t *sorted, size_t n, double p)
{
	if (n == 0)
		return 0;
	if (p <= 0)
		return sorted[0];
	/* rank = ceil(p/100 * n), computed in integers to avoid 99.0/100*200 = 198.000001 */
	uint64_t scaled = (uint64_t)(p * 1000.0 + 0.5) * n; /* p in thousandths of a percent */
	uint64_t rank = (scaled + 100000 - 1) / 100000;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

int load_samples_summary(const struct load_samples *s, struct load_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->count = s->count;
	if (s->count == 0)
		return 0;
	out->min = s->min;
	out->max = s->max;
	if (s->len == 0)
		return 0;
	uint32_t *copy = malloc(s->len * sizeof(*copy));
	if (!copy)
		return ERR_NOMEM;
	memcpy(copy, s->values, s->len * sizeof(*copy));
	qsort(copy, s->len, sizeof(*copy), cmp_u32);
	out->p50 = load_percentile(copy, s->len, 50);
	out->p90 = load_percentile(copy, s->len, 90);
	out->p99 = load_percentile(copy, s->len, 99);
	free(copy);
	return 0;
}
