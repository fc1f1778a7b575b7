/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's pool of tunnel addresses: a contiguous IPv4 range handed out
 * one per session, with static per-user addresses taken from or outside it.
 * A bitmap, so allocation and release stay O(range/64) at worst and the
 * memory is 1 bit per address (a /16 pool costs 8 KiB). */
#ifndef OPENPPTP_SERVER_IP_POOL_H
#define OPENPPTP_SERVER_IP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ip_pool {
	uint32_t first;      /* host order */
	uint32_t count;      /* addresses in the range */
	uint32_t in_use;
	uint32_t next_hint;  /* where the next search starts (round robin) */
	uint64_t *bits;      /* 1 = taken */
};

/* Range first..last inclusive (host order). Returns 0 or ERR_INVALID/ERR_NOMEM. */
int ip_pool_init(struct ip_pool *pool, uint32_t first, uint32_t last);
void ip_pool_destroy(struct ip_pool *pool);

/* Take any free address; ERR_LIMIT when the pool is exhausted. */
int ip_pool_take_any(struct ip_pool *pool, uint32_t *addr);
struct secret_addr_set;
/* Take a free pool address that a chap-secrets address set allows: its
 * static address (secret_addrs_static) if that is in the pool and free;
 * else the first free one inside the addresses the set lists, in the order
 * written; then, if the set allows any address, any free one as
 * ip_pool_take_any would pick it. `!` exclusions are skipped. ERR_LIMIT when no free pool address is allowed (`-`, a range
 * wholly outside the pool, or all of it taken). Only pool addresses are
 * returned: a static address outside the pool is the caller's (ip_pool_take). */
int ip_pool_take_in(struct ip_pool *pool, const struct secret_addr_set *set, uint32_t *addr);
/* Take one particular address (a static assignment, or the client's wish).
 * Addresses outside the range succeed without bookkeeping; ERR_EXISTS when taken. */
int ip_pool_take(struct ip_pool *pool, uint32_t addr);
/* Give an address back; addresses outside the range are ignored. */
void ip_pool_release(struct ip_pool *pool, uint32_t addr);
bool ip_pool_contains(const struct ip_pool *pool, uint32_t addr);
bool ip_pool_is_taken(const struct ip_pool *pool, uint32_t addr);

#endif
