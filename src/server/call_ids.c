/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/call_ids.h"

#include <string.h>

#include "base/error.h"

void call_ids_init(struct call_ids *ids, struct random_source random)
{
	memset(ids->taken, 0, sizeof(ids->taken));
	ids->taken[0] = 1; /* call ID 0 is never handed out */
	ids->in_use = 1;
	ids->random = random;
}

static int call_ids_is_taken(const struct call_ids *ids, uint16_t id)
{
	return (ids->taken[id / 64] >> (id % 64)) & 1;
}

int call_ids_take(struct call_ids *ids, uint16_t *id)
{
	if (ids->in_use >= 65536)
		return ERR_LIMIT;
	/* Random probes first: with the table mostly free one or two suffice. */
	for (int attempt = 0; attempt < 16; attempt++) {
		uint16_t candidate = random_u16(&ids->random);
		if (!call_ids_is_taken(ids, candidate)) {
			*id = candidate;
			goto found;
		}
	}
	/* Crowded table: scan from a random word for the first free bit. */
	uint32_t start = random_u16(&ids->random) / 64;
	for (uint32_t n = 0; n < 65536 / 64; n++) {
		uint32_t word = (start + n) % (65536 / 64);
		uint64_t free_bits = ~ids->taken[word];
		if (free_bits) {
			*id = (uint16_t)(word * 64 + (uint32_t)__builtin_ctzll(free_bits));
			goto found;
		}
	}
	return ERR_LIMIT;
found:
	ids->taken[*id / 64] |= 1ull << (*id % 64);
	ids->in_use++;
	return 0;
}

void call_ids_release(struct call_ids *ids, uint16_t id)
{
	if (id == 0 || !call_ids_is_taken(ids, id))
		return;
	ids->taken[id / 64] &= ~(1ull << (id % 64));
	ids->in_use--;
}
