/* SPDX-License-Identifier: BSD-2-Clause */
/* Randomness for the sans-I/O engines (call IDs, magic numbers, challenges).
 * Engines never call getrandom() themselves: the caller passes a source,
 * sys_random_source() in the daemons, a seeded generator in tests. */
#ifndef OPENPPTP_BASE_RANDOM_H
#define OPENPPTP_BASE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

struct random_source {
	void (*fill)(void *ctx, void *buf, size_t len);
	void *ctx;
};

static inline void random_fill(const struct random_source *rs, void *buf, size_t len)
{
	rs->fill(rs->ctx, buf, len);
}

static inline uint32_t random_u32(const struct random_source *rs)
{
	uint32_t v;
	rs->fill(rs->ctx, &v, sizeof(v));
	return v;
}

static inline uint16_t random_u16(const struct random_source *rs)
{
	uint16_t v;
	rs->fill(rs->ctx, &v, sizeof(v));
	return v;
}

#endif
