/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer harness: the server's session tables against a plain model.
 * The data path finds sessions through addr_map (tunnel address ->
 * session: open addressing, backward-shift deletion), call IDs come from
 * call_ids, addresses from ip_pool; a bug there sends one user's packets to
 * another or leaks an address forever. Each input byte pair is one
 * operation on a small address space (so collisions and wrap-around are
 * common); after each, every table must agree with the model. */
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "server/addr_map.h"
#include "server/call_ids.h"
#include "server/ip_pool.h"
#include "fuzz_rng.h"

#define ST_ADDRS 64u /* 203.0.113.0 + 0..63: pool is .16-.47 */
#define ST_BASE 0xCB007100u
#define ST_POOL_FIRST (ST_BASE + 16u)
#define ST_POOL_LAST (ST_BASE + 47u)

struct model {
	uintptr_t mapped[ST_ADDRS]; /* addr_map value, 0 = absent */
	bool pooled[ST_ADDRS];      /* taken from the pool */
	uint8_t ids[65536 / 8];     /* call IDs we hold */
	uint16_t held[256];
	unsigned nheld;
};

static uint64_t st_rnd = 1;

static void st_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	fuzz_rng_fill(&st_rnd, buf, len);
}

static void check(const struct addr_map *m, const struct ip_pool *pool, const struct model *md)
{
	size_t count = 0;
	for (uint32_t i = 0; i < ST_ADDRS; i++) {
		if ((uintptr_t)addr_map_get(m, i ? ST_BASE + i : 0) != md->mapped[i])
			abort();
		count += md->mapped[i] != 0;
		if (ST_BASE + i >= ST_POOL_FIRST && ST_BASE + i <= ST_POOL_LAST &&
		    ip_pool_is_taken(pool, ST_BASE + i) != md->pooled[i])
			abort();
	}
	if (m->count != count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model md;
	static struct call_ids ids;
	memset(&md, 0, sizeof(md));
	st_rnd = 0x9e3779b97f4a7c15ull;
	call_ids_init(&ids, (struct random_source){ .fill = st_fill });
	struct addr_map m;
	struct ip_pool pool;
	if (addr_map_init(&m, 40) < 0 || ip_pool_init(&pool, ST_POOL_FIRST, ST_POOL_LAST) < 0)
		abort();
	for (size_t pos = 0; pos + 1 < size; pos += 2) {
		uint8_t op = data[pos] >> 5, arg = data[pos + 1];
		uint32_t i = arg % ST_ADDRS, addr = i ? ST_BASE + i : 0; /* slot 0: address 0, never valid */
		uintptr_t value = (uintptr_t)(data[pos] & 31u) + 1;
		uint32_t got;
		uint16_t id;
		int rc;
		switch (op) {
		case 0: /* a session comes up on addr */
			rc = addr_map_put(&m, addr, (void *)value);
			if (i == 0) {
				if (rc != ERR_INVALID)
					abort(); /* 0.0.0.0 is "empty" */
			} else if (md.mapped[i]) {
				if (rc != ERR_EXISTS)
					abort();
			} else if (rc == 0) {
				md.mapped[i] = value;
			} else if (rc != ERR_LIMIT) {
				abort();
			}
			break;
		case 1:
			addr_map_del(&m, addr);
			md.mapped[i] = 0;
			break;
		case 2:
			rc = ip_pool_take_any(&pool, &got);
			if (rc == 0) {
				if (!ip_pool_contains(&pool, got) || md.pooled[got - ST_BASE])
					abort(); /* handed out twice */
				md.pooled[got - ST_BASE] = true;
			} else if (pool.in_use != ST_POOL_LAST - ST_POOL_FIRST + 1) {
				abort(); /* refused with room left */
			}
			break;
		case 3:
			rc = ip_pool_take(&pool, addr);
			if (ip_pool_contains(&pool, addr)) {
				if ((rc == 0) == md.pooled[i])
					abort();
				md.pooled[i] = true;
			}
			break;
		case 4:
			ip_pool_release(&pool, addr);
			md.pooled[i] = false;
			break;
		case 5:
			if (md.nheld < 256 && call_ids_take(&ids, &id) == 0) {
				if (id == 0 || (md.ids[id / 8] >> (id % 8)) & 1)
					abort(); /* 0, or an ID someone holds */
				md.ids[id / 8] |= (uint8_t)(1u << (id % 8));
				md.held[md.nheld++] = id;
			}
			break;
		case 6:
			if (md.nheld) {
				unsigned k = arg % md.nheld;
				id = md.held[k];
				md.held[k] = md.held[--md.nheld];
				md.ids[id / 8] &= (uint8_t) ~(1u << (id % 8));
				call_ids_release(&ids, id);
			}
			break;
		default:
			break;
		}
		check(&m, &pool, &md);
		if (ids.in_use != md.nheld + 1)
			abort();
	}
	addr_map_destroy(&m);
	ip_pool_destroy(&pool);
	return 0;
}
