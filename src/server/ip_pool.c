/* SPDX-License-Identifier: BSD-2-Clause */
#include "server/ip_pool.h"

#include <stdlib.h>

#include "base/error.h"
#include "config/secret_addrs.h"

int ip_pool_init(struct ip_pool *pool, uint32_t first, uint32_t last)
{
	pool->bits = NULL;
	pool->count = 0;
	pool->in_use = 0;
	pool->next_hint = 0;
	pool->first = first;
	if (last < first || last - first >= (1u << 24))
		return ERR_INVALID;
	pool->count = last - first + 1;
	pool->bits = calloc((pool->count + 63) / 64, sizeof(uint64_t));
	return pool->bits ? 0 : ERR_NOMEM;
}

void ip_pool_destroy(struct ip_pool *pool)
{
	free(pool->bits);
	pool->bits = NULL;
	pool->count = 0;
}

bool ip_pool_contains(const struct ip_pool *pool, uint32_t addr)
{
	return addr - pool->first < pool->count;
}

bool ip_pool_is_taken(const struct ip_pool *pool, uint32_t addr)
{
	if (!ip_pool_contains(pool, addr))
		return false;
	uint32_t i = addr - pool->first;
	return (pool->bits[i / 64] >> (i % 64)) & 1;
}

static void ip_pool_mark(struct ip_pool *pool, uint32_t index)
{
	pool->bits[index / 64] |= 1ull << (index % 64);
	pool->in_use++;
}

int ip_pool_take_any(struct ip_pool *pool, uint32_t *addr)
{
	if (pool->in_use >= pool->count)
		return ERR_LIMIT;
	uint32_t words = (pool->count + 63) / 64;
	uint32_t word = pool->next_hint / 64;
	for (uint32_t scanned = 0; scanned <= words; scanned++, word = (word + 1) % words) {
		uint64_t free_bits = ~pool->bits[word];
		if (word == words - 1 && pool->count % 64)
			free_bits &= (1ull << (pool->count % 64)) - 1;
		if (!free_bits)
			continue;
		uint32_t index = word * 64 + (uint32_t)__builtin_ctzll(free_bits);
		ip_pool_mark(pool, index);
		pool->next_hint = (index + 1) % pool->count;
		*addr = pool->first + index;
		return 0;
	}
	return ERR_LIMIT;
}

/* The first free index in [lo, hi] (both below count), if any. */
static bool first_free(const struct ip_pool *pool, uint32_t lo, uint32_t hi, uint32_t *index)
{
	for (uint32_t word = lo / 64; word <= hi / 64; word++) {
		uint64_t free_bits = ~pool->bits[word];
		if (word == lo / 64)
			free_bits &= ~0ull << (lo % 64);
		if (word == hi / 64 && hi % 64 != 63)
			free_bits &= (1ull << (hi % 64 + 1)) - 1;
		if (free_bits) {
			*index = word * 64 + (uint32_t)__builtin_ctzll(free_bits);
			return true;
		}
	}
	return false;
}

/* The first free index in [lo, hi] whose address no `!` word excludes:
 * an excluded one makes the search jump past its whole `!` range. */
static bool first_free_allowed(const struct ip_pool *pool, const struct secret_addr_set *set, uint32_t lo,
			       uint32_t hi, uint32_t *index)
{
	while (lo <= hi && first_free(pool, lo, hi, index)) {
		const struct ipv4_range *deny = secret_addrs_denying(set, pool->first + *index);
		if (!deny)
			return true;
		/* deny holds pool->first + *index, so deny->last >= pool->first */
		if (deny->last - pool->first >= hi)
			return false;
		lo = deny->last - pool->first + 1;
	}
	return false;
}

/* The part of r inside the pool, as indexes; false if they do not meet. */
static bool pool_part(const struct ip_pool *pool, const struct ipv4_range *r, uint32_t *lo, uint32_t *hi)
{
	uint32_t last = pool->first + (pool->count - 1);

	if (r->last < pool->first || r->first > last)
		return false;
	*lo = r->first > pool->first ? r->first - pool->first : 0;
	*hi = (r->last < last ? r->last : last) - pool->first;
	return true;
}

int ip_pool_take_in(struct ip_pool *pool, const struct secret_addr_set *set, uint32_t *addr)
{
	uint32_t index = 0, lo, hi;
	bool found = false;

	if (set->policy == SECRET_ADDR_NONE || pool->count == 0 || pool->in_use >= pool->count)
		return ERR_LIMIT;
	if (set->policy == SECRET_ADDR_ANY && set->nallow == 0 && set->ndeny == 0)
		return ip_pool_take_any(pool, addr);
	uint32_t st = secret_addrs_static(set);
	if (st && ip_pool_contains(pool, st) && !ip_pool_is_taken(pool, st)) {
		index = st - pool->first;
		found = true;
	}
	for (size_t i = 0; i < set->nallow && !found; i++)
		found = pool_part(pool, &set->allow[i], &lo, &hi) && first_free_allowed(pool, set, lo, hi, &index);
	if (!found && set->policy == SECRET_ADDR_ANY) {
		/* Round robin from the hint's word, as ip_pool_take_any. */
		uint32_t start = pool->next_hint / 64 * 64;
		found = first_free_allowed(pool, set, start, pool->count - 1, &index) ||
			(start > 0 && first_free_allowed(pool, set, 0, start - 1, &index));
		if (found)
			pool->next_hint = (index + 1) % pool->count;
	}
	if (!found)
		return ERR_LIMIT;
	ip_pool_mark(pool, index);
	*addr = pool->first + index;
	return 0;
}

int ip_pool_take(struct ip_pool *pool, uint32_t addr)
{
	if (!ip_pool_contains(pool, addr))
		return 0;
	if (ip_pool_is_taken(pool, addr))
		return ERR_EXISTS;
	ip_pool_mark(pool, addr - pool->first);
	return 0;
}

void ip_pool_release(struct ip_pool *pool, uint32_t addr)
{
	if (!ip_pool_is_taken(pool, addr))
		return;
	uint32_t i = addr - pool->first;
	pool->bits[i / 64] &= ~(1ull << (i % 64));
	pool->in_use--;
}
