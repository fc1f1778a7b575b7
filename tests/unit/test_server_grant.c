/* SPDX-License-Identifier: BSD-2-Clause */
/* The server's reading of an Access-Accept: --named-pool and Framed-Pool
 * (RFC 2869 §5.18), the link's part of the grant (RFC 2548 §2.4.4-5,
 * RFC 2865 §5.12). */
#include "support/test_support.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "server/server_grant.h"
#include "server/server_pools.h"

#define POOL_FIRST 0xCB007164u /* 203.0.113.100 */
#define POOL_LAST 0xCB0071C8u  /* 203.0.113.200 */

static void named_pool_settings(void **state)
{
	(void)state;
	struct server_named_pools np;
	memset(&np, 0, sizeof(np));
	const char *why = NULL;
	assert_int_equal(server_named_pool_add(&np, "staff=203.0.113.100-203.0.113.101", POOL_FIRST, POOL_LAST, &why), 0);
	assert_int_equal(server_named_pool_add(&np, "guests=203.0.113.150/31", POOL_FIRST, POOL_LAST, &why), 0);
	assert_int_equal(np.count, 2);
	static const char *const bad[] = {
		"staff",                                                   /* no '=' */
		"=203.0.113.100",                                          /* no name */
		"st aff=203.0.113.100",                                    /* a space in the name */
		"x=not-a-range",                                           /* no range */
		"out=203.0.113.1-203.0.113.5",                             /* outside --pool */
		"staff=203.0.113.120",                                     /* the name again */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=203.0.113.120", /* too long */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_true(server_named_pool_add(&np, bad[i], POOL_FIRST, POOL_LAST, &why) < 0);
		assert_non_null(why);
	}
	assert_int_equal(np.count, 2);
}

struct pick_ctx {
	struct server_named_pools np;
	struct ip_pool pool;
};

static int pick(void *ctx, const char *name, uint32_t *addr)
{
	struct pick_ctx *p = ctx;
	return server_named_pool_pick(&p->np, &p->pool, name, addr);
}

static void framed_pool_picks_or_refuses(void **state)
{
	(void)state;
	struct pick_ctx p;
	memset(&p, 0, sizeof(p));
	const char *why;
	assert_int_equal(ip_pool_init(&p.pool, POOL_FIRST, POOL_LAST), 0);
	assert_int_equal(server_named_pool_add(&p.np, "staff=203.0.113.100-101", POOL_FIRST, POOL_LAST, &why), 0);
	struct radius_grant g;
	char reason[128];
	/* Two addresses, then exhausted: the login is refused with the cause. */
	for (uint32_t want = POOL_FIRST; want <= POOL_FIRST + 1; want++) {
		memset(&g, 0, sizeof(g));
		snprintf(g.pool, sizeof(g.pool), "staff");
		assert_true(server_grant_resolve(&g, pick, &p, reason, sizeof(reason)));
		assert_int_equal(g.framed_ip, want);
		assert_int_equal(ip_pool_take(&p.pool, g.framed_ip), 0); /* as the link does at IPCP */
	}
	memset(&g, 0, sizeof(g));
	snprintf(g.pool, sizeof(g.pool), "staff");
	assert_false(server_grant_resolve(&g, pick, &p, reason, sizeof(reason)));
	assert_non_null(strstr(reason, "no free address"));
	/* An unknown name is refused, not served from the main pool. */
	snprintf(g.pool, sizeof(g.pool), "nosuch");
	assert_false(server_grant_resolve(&g, pick, &p, reason, sizeof(reason)));
	assert_non_null(strstr(reason, "\"nosuch\" is not a --named-pool"));
	/* Without any named pool at all, the same. */
	assert_false(server_grant_resolve(&g, NULL, NULL, reason, sizeof(reason)));
	/* A fixed Framed-IP-Address wins over Framed-Pool; no pool: nothing to do. */
	g.framed_ip = 0xCB007170u;
	assert_true(server_grant_resolve(&g, pick, &p, reason, sizeof(reason)));
	assert_int_equal(g.framed_ip, 0xCB007170u);
	memset(&g, 0, sizeof(g));
	assert_true(server_grant_resolve(&g, pick, &p, reason, sizeof(reason)));
	assert_int_equal(g.framed_ip, 0);
	ip_pool_destroy(&p.pool);
}

static void link_part_of_the_grant(void **state)
{
	(void)state;
	struct radius_grant g;
	memset(&g, 0, sizeof(g));
	g.framed_ip = 0xCB00710Au;
	g.dns[0] = 1;
	g.nbns[1] = 2;
	g.mtu = 1200;
	g.mppe_policy = 2;
	g.mppe_types_set = true;
	g.mppe_types = 0x6;
	struct ppp_link_grant lg;
	server_grant_to_link(&g, &lg);
	assert_int_equal(lg.static_address, 0xCB00710Au);
	assert_int_equal(lg.dns[0], 1);
	assert_int_equal(lg.nbns[1], 2);
	assert_int_equal(lg.mtu_cap, 1200);
	assert_int_equal(lg.mppe_policy, PPP_GRANT_MPPE_REQUIRED);
	assert_true(lg.mppe_types_set);
	assert_int_equal(lg.mppe_types, PPP_GRANT_MPPE_TYPE_40 | PPP_GRANT_MPPE_TYPE_128);
	/* §2.4.4 defines 1 and 2 only: anything else changes nothing. */
	g.mppe_policy = 1;
	server_grant_to_link(&g, &lg);
	assert_int_equal(lg.mppe_policy, PPP_GRANT_MPPE_ALLOWED);
	g.mppe_policy = 7;
	server_grant_to_link(&g, &lg);
	assert_int_equal(lg.mppe_policy, PPP_GRANT_MPPE_KEEP);
	/* Logged only: must not crash on any content. */
	g.netmask = 0xffffff00;
	snprintf(g.filter_id, sizeof(g.filter_id), "vpn");
	server_grant_log("test", &g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(named_pool_settings),
		cmocka_unit_test(framed_pool_picks_or_refuses),
		cmocka_unit_test(link_part_of_the_grant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
