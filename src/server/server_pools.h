/* SPDX-License-Identifier: BSD-2-Clause */
/* Named pools for RADIUS Framed-Pool (RFC 2869 §5.18): `--named-pool
 * NAME=RANGE`, each range inside --pool. Sub-ranges of the one pool, not
 * pools of their own, so one bitmap keeps every address given once and the
 * privileged helper's rule (it routes --pool and the secrets file's static
 * addresses only, docs/privsep.md) needs no change. */
#ifndef OPENPPTP_SERVER_POOLS_H
#define OPENPPTP_SERVER_POOLS_H

#include <stddef.h>
#include <stdint.h>

#include "server/ip_pool.h"

#define SERVER_NAMED_POOLS_MAX 16
#define SERVER_POOL_NAME_MAX 32

struct server_named_pool {
	char name[SERVER_POOL_NAME_MAX];
	uint32_t first, last; /* host order, inside the pool */
};

struct server_named_pools {
	struct server_named_pool pools[SERVER_NAMED_POOLS_MAX];
	size_t count;
};

/* One "NAME=RANGE" (NAME: 1-31 of A-Z a-z 0-9 . _ -; RANGE as --pool)
 * inside [pool_first, pool_last]. 0, or a negative error with why set. */
int server_named_pool_add(struct server_named_pools *np, const char *text, uint32_t pool_first, uint32_t pool_last,
			  const char **why);

/* A free address of the pool called name: 0, ERR_NOT_FOUND (no such
 * name) or ERR_LIMIT (all taken). Nothing is taken: the link takes the
 * address when IPCP starts, within the same verdict delivery. */
int server_named_pool_pick(const struct server_named_pools *np, const struct ip_pool *pool, const char *name,
			   uint32_t *addr);

#endif
