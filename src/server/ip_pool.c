#include "server/ip_pool.h"

#include <stdlib.h>

#include "base/error.h"

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
