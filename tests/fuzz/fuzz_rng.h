/* SPDX-License-Identifier: BSD-2-Clause */
/* The harnesses' "random" bytes (the engines' random_fill hook): xorshift64,
 * seeded by each harness, so a corpus input replays the same run. Not
 * random in any other sense, on purpose. */
#ifndef OPENPPTP_FUZZ_RNG_H
#define OPENPPTP_FUZZ_RNG_H

#include <stddef.h>
#include <stdint.h>

static inline void fuzz_rng_fill(uint64_t *state, void *buf, size_t len)
{
	uint8_t *p = buf;
	for (size_t i = 0; i < len; i++) {
		*state ^= *state << 13;
		*state ^= *state >> 7;
		*state ^= *state << 17;
		p[i] = (uint8_t)*state;
	}
}

#endif
