/* SPDX-License-Identifier: BSD-2-Clause */
/* The simulation's own PRNG: xoshiro256** seeded through splitmix64, so a
 * run is a pure function of its seed (no clock, no getrandom). Each engine
 * gets its own stream (sim_rng_fork) so adding a draw in one place does not
 * shift what every other component sees. */
#ifndef OPENPPTP_TEST_SIM_RNG_H
#define OPENPPTP_TEST_SIM_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "base/random.h"

struct sim_rng {
	uint64_t s[4];
};

static inline uint64_t sim_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static inline void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = sim_splitmix64(&seed);
}

static inline uint64_t sim_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t result = sim_rng_rotl(r->s[1] * 5, 7) * 9;
	uint64_t t = r->s[1] << 17;
	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = sim_rng_rotl(r->s[3], 45);
	return result;
}

/* Uniform in [0, n) (n > 0); the modulo bias is irrelevant here. */
static inline uint32_t sim_rng_below(struct sim_rng *r, uint32_t n)
{
	return n ? (uint32_t)(sim_rng_next(r) % n) : 0;
}

/* True with probability permille / 1000. */
static inline int sim_rng_chance(struct sim_rng *r, uint32_t permille)
{
	return sim_rng_below(r, 1000) < permille;
}

static inline void sim_rng_fork(struct sim_rng *parent, struct sim_rng *child)
{
	sim_rng_seed(child, sim_rng_next(parent));
}

static inline void sim_rng_fill(void *ctx, void *buf, size_t len)
{
	struct sim_rng *r = ctx;
	uint8_t *out = buf;
	while (len) {
		uint64_t v = sim_rng_next(r);
		for (int i = 0; i < 8 && len; i++, len--)
			*out++ = (uint8_t)(v >> (8 * i));
	}
}

static inline struct random_source sim_rng_source(struct sim_rng *r)
{
	return (struct random_source){ .fill = sim_rng_fill, .ctx = r };
}

#endif
